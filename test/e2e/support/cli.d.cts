/** Types for cli.cjs: the real `n8n` CLI driven from tests and the demo. */

export interface Runtime {
	name: string;
	nodeBin: string;
	dir: string;
	n8n: string;
}

export interface CliResult {
	code: number | null;
	signal: string | null;
	stdout: string;
	stderr: string;
	ms: number;
	outFile: string;
}

export interface RunOptions {
	brokerPort?: number;
	env?: Record<string, string>;
	timeoutMs?: number;
}

export interface PreparedN8n {
	rt: Runtime;
	tarball: string;
	userFolder: string;
	brokerPort: number;
	/** `n8n <args>` in this user folder, with this broker port. */
	run(args: string[], options?: RunOptions): Promise<CliResult>;
}

/** The subset of n8n's IRun that `n8n execute --rawOutput` prints and the tests read. */
export interface RunItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number }> | number;
}
export interface PrintedRun {
	status?: string;
	finished?: boolean;
	mode?: string;
	data: {
		resultData: {
			error?: { message?: string };
			lastNodeExecuted?: string;
			runData: Record<string, Array<{ data?: { main: RunItem[][] }; error?: { message?: string } }>>;
		};
	};
}

export declare function freePort(): Promise<number>;
export declare function recordTiming(name: string, stage: string, ms: number): void;
export declare function timed<T>(name: string, stage: string, fn: () => T | Promise<T>): Promise<T>;
export declare function timingTable(title?: string): string;
export declare function printTimings(title?: string): void;
export declare function runN8n(rt: Runtime, userFolder: string, args: string[], options?: RunOptions): Promise<CliResult>;
export declare function assertExit0(result: CliResult, what: string): CliResult;
export declare function parseRunOutput(stdout: string): PrintedRun | null;
export declare function nodeOutput(run: PrintedRun | null, nodeName: string): RunItem[] | undefined;
export declare function prepareN8n(name: string, options?: { tarball?: string }): Promise<PreparedN8n>;
export declare function writeJson(dir: string, file: string, value: unknown): string;
export declare function tempDir(prefix: string): string;
export declare function readRepoJson(relative: string): unknown;
export declare function selectedRuntimes(): string[];
export declare function removeDir(dir: string | undefined): void;
export declare function packPackage(): string;
