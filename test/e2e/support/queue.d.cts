/** Types for queue.cjs: n8n in queue mode (PostgreSQL, Redis, main and one worker) for end-to-end tests. */
import type { N8nServer, Owner, Runtime } from './server';

export interface Service {
	readonly port: number;
	/** Its process group. */
	readonly pid: number;
	readonly logFile: string;
	/** From spawn to ready, in ms. */
	readonly readyMs: number;
	/** Peak memory (summed PSS) of its processes so far, in MiB (null without /proc). */
	peakMemoryMiB(): number | null;
	/** Stops it; resolves to its peak memory in MiB. */
	stop(): Promise<number | null>;
}

export interface Postgres extends Service {
	readonly initdbMs: number;
	readonly database: string;
	readonly user: string;
	readonly password: string;
	/** Major version, e.g. "15". */
	readonly version: string;
}

export interface Worker {
	readonly pid: number;
	/** Its health server (GET /healthz/readiness). */
	readonly healthPort: number;
	readonly brokerPort: number;
	readonly logFile: string;
	readonly readyMs: number;
	log(): string;
	logTail(lines?: number): string;
	peakMemoryMiB(): number | null;
	stop(): Promise<number | null>;
}

export interface Timing {
	name: string;
	ms: number;
}

export interface PeakMemory {
	main: number | null;
	worker: number | null;
	redis: number | null;
	postgres: number | null;
	/** Peak of the sum over everything, sampled together. */
	total: number | null;
}

export interface QueueMode {
	readonly runtime: Runtime;
	/** Main's N8N_USER_FOLDER, holding our package as a community package. */
	readonly userFolder: string;
	/** The worker's own N8N_USER_FOLDER, with its own copy of the package (same encryption key as main). */
	readonly workerFolder: string;
	/** What n8n logged about the PostgreSQL version (Debian 12 has 15; n8n 2.41 wants 17, 16 on compatibility), or null. */
	readonly postgresWarning: string | null;
	readonly main: N8nServer;
	readonly worker: Worker;
	readonly redis: Service;
	readonly postgres: Postgres;
	/** Where the start-up time went, in order. */
	readonly timings: Timing[];
	peakMemoryMiB(): number | null;
	/** Stops worker, main, Redis and PostgreSQL, removes the temp folders (unless UCONTACT_KEEP_E2E=1). Safe to call twice. */
	stop(): Promise<PeakMemory>;
}

export interface QueueModeOptions {
	/** Default 'n8n-2'. */
	runtime?: 'n8n-2' | 'n8n-1';
	/** Extra environment for main only. */
	mainEnv?: Record<string, string>;
	/** Extra environment for the worker only. */
	workerEnv?: Record<string, string>;
	/** Jobs the worker runs at once (`n8n worker --concurrency`); default 5. */
	concurrency?: number;
	readyTimeoutMs?: number;
}

export declare function startQueueMode(options?: QueueModeOptions): Promise<QueueMode>;
export declare function startRedis(dir: string): Promise<Service>;
export declare function startPostgres(dir: string): Promise<Postgres>;

export interface RestClient {
	/** Resolves to the answer's `data`; throws on a non-2xx status. */
	get<T = unknown>(route: string): Promise<T>;
	post<T = unknown>(route: string, body?: unknown): Promise<T>;
}

/** Logs in as `owner` and returns a client that sends the session cookie. */
export declare function restClient(baseUrl: string, owner: Owner): Promise<RestClient>;

export interface RunItem {
	json: Record<string, unknown>;
}

export interface Execution {
	id: string;
	mode: string;
	status: string;
	finished: boolean;
	workflowId: string;
	startedAt: string;
	stoppedAt: string;
	/** Run data, parsed from n8n's flatted string. */
	data: {
		resultData: {
			error?: { message: string };
			lastNodeExecuted?: string;
			runData: Record<string, Array<{ executionStatus?: string; data?: { main: RunItem[][] } }>>;
		};
	};
}

/**
 * Polls the execution list of `workflowId` until execution `executionId` (or, without it, the
 * newest) has finished; resolves to it with its run data.
 */
export declare function waitForExecution(
	api: RestClient,
	rt: Runtime,
	options: { workflowId: string; executionId?: string; timeoutMs?: number },
): Promise<Execution>;

/** Waits until `file` contains `text`; resolves to the whole file. Throws with the file's end after `timeoutMs` (default 10000). */
export declare function waitForLogLine(file: string, text: string, timeoutMs?: number): Promise<string>;

export declare function formatTimings(title: string, timings: Timing[], extra?: string): string;
/** Writes the timings to stderr. */
export declare function printTimings(title: string, timings: Timing[], extra?: string): void;
