/** Types for server.cjs: a real `n8n start` on 127.0.0.1 for editor tests. */

/** What runtime.cjs's runtime() returns. */
export interface Runtime {
	name: string;
	nodeBin: string;
	dir: string;
	n8n: string;
}

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export interface StartOptions {
	/** Extra environment for n8n (wins over the defaults). */
	env?: Record<string, string>;
	/** How long to wait for GET /rest/settings to answer 200; default 120000. */
	readyTimeoutMs?: number;
}

export interface N8nServer {
	/** http://127.0.0.1:PORT, no trailing slash. */
	readonly url: string;
	readonly port: number;
	readonly brokerPort: number;
	readonly pid: number;
	/** n8n's stdout and stderr. */
	readonly logFile: string;
	/** From spawn to the first 200 from /rest/settings. */
	readonly readyMs: number;
	/** The owner account set up at start. */
	readonly owner: Owner;
	/** Peak memory (summed PSS) of n8n and its task runner so far, in MiB (null without /proc). */
	peakMemoryMiB(): number | null;
	/** The last `lines` lines (default 40) of n8n's log. */
	logTail(lines?: number): string;
	/** Stops n8n and its process group; resolves to the peak memory (summed PSS) in MiB. Safe to call twice. */
	stop(): Promise<number | null>;
}

export declare const OWNER: Owner;

export declare function startN8n(rt: Runtime, userFolder: string, options?: StartOptions): Promise<N8nServer>;

export declare function freePort(): Promise<number>;

export interface MemorySampler {
	sample(): void;
	peakMiB(): number | null;
	stop(): number | null;
}

export declare function startMemorySampler(pids: () => number[], everyMs?: number): MemorySampler;

export declare function processGroup(pgid: number): number[];

export declare function pidsWithArgument(text: string): number[];

export interface PackagedN8nServer extends N8nServer {
	readonly runtime: Runtime;
	/** N8N_USER_FOLDER, holding .n8n/nodes/node_modules/n8n-nodes-ucontact. */
	readonly userFolder: string;
}

/**
 * Runtime `runtimeName` (default 'n8n-2', installed once), our package built, packed and
 * installed as a community package in a fresh user folder, and `n8n start` on it.
 * stop() also removes the user folder (unless UCONTACT_KEEP_E2E=1).
 */
export declare function startN8nWithPackage(
	runtimeName?: 'n8n-2' | 'n8n-1',
	options?: StartOptions,
): Promise<PackagedN8nServer>;
