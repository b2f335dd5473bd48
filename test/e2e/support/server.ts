// A real `n8n start` for editor tests: headless, on 127.0.0.1, free ports, its own user folder,
// ready when GET /rest/settings answers 200, with an owner account set up through the REST API.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { makeUserFolder, n8nEnv, packPackage, runtime, freePort, type Runtime } from './runtime';

export { freePort, type Runtime };

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
	/** Whether to set up the owner account; false when starting again on a user folder that has one. Default true. */
	setUpOwner?: boolean;
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

export interface PackagedN8nServer extends N8nServer {
	readonly runtime: Runtime;
	/** N8N_USER_FOLDER, holding .n8n/nodes/node_modules/n8n-nodes-ucontact. */
	readonly userFolder: string;
}

export interface MemorySampler {
	sample(): void;
	peakMiB(): number | null;
	stop(): number | null;
}

export const OWNER: Owner = {
	email: 'owner@ucontact-e2e.test',
	firstName: 'Editor',
	lastName: 'Test',
	// n8n wants 8-64 characters with a number and a capital letter.
	password: 'E2e-Passw0rd-ucontact',
};

/** Two distinct free ports. */
async function freePorts(count: number): Promise<number[]> {
	const ports = new Set<number>();
	while (ports.size < count) ports.add(await freePort());
	return [...ports];
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** A delay that does not keep the process alive (for time limits raced against other events). */
const unrefDelay = (ms: number): Promise<void> =>
	new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Pids of running processes for which `matches(pid)` holds; reading /proc (Linux only; [] elsewhere). */
function pidsWhere(matches: (pid: number) => boolean): number[] {
	let entries: string[];
	try {
		entries = fs.readdirSync('/proc');
	} catch {
		return [];
	}
	const pids: number[] = [];
	for (const entry of entries) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (matches(Number(entry))) pids.push(Number(entry));
		} catch {
			// the process ended meanwhile
		}
	}
	return pids;
}

/** Pids whose process group is `pgid`. */
export function processGroup(pgid: number): number[] {
	return pidsWhere((pid) => {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid;
	});
}

/**
 * What memory of a process is counted: 'pss', its proportional set size (shared pages split
 * between the processes sharing them, so sums over a process tree do not count them twice), or
 * 'rss', its resident set size (what `ps` and the issue reports show; growth is what it is read
 * for, and pages shared with a task runner do not grow with an answer).
 */
export type MemoryMeasure = 'pss' | 'rss';

function rssKiB(pid: number): number {
	try {
		const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) : 0;
	} catch {
		return 0;
	}
}

/** Memory of a process in KiB (0 when it is gone); PSS falls back to RSS without smaps_rollup. */
function memoryKiB(pid: number, measure: MemoryMeasure): number {
	if (measure === 'rss') return rssKiB(pid);
	try {
		const match = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
		if (match) return Number(match[1]);
	} catch {
		// no smaps_rollup (old kernel) or the process is gone
	}
	return rssKiB(pid);
}

/** The summed memory of `pids` now, in KiB (0 without /proc). */
export function memoryNowKiB(pids: number[], measure: MemoryMeasure = 'pss'): number {
	let total = 0;
	for (const pid of pids) total += memoryKiB(pid, measure);
	return total;
}

/** Pids whose command line contains `text`. */
export function pidsWithArgument(text: string): number[] {
	return pidsWhere((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text));
}

/**
 * Samples the summed memory (PSS unless `measure` says RSS) of the processes returned by `pids()`
 * every `everyMs`; `stop()` returns the peak in MiB (null when /proc is not available).
 */
export function startMemorySampler(
	pids: () => number[],
	everyMs = 500,
	measure: MemoryMeasure = 'pss',
): MemorySampler {
	let peakKiB = 0;
	let sampled = false;
	const sample = () => {
		const total = memoryNowKiB(pids(), measure);
		if (total > 0) sampled = true;
		peakKiB = Math.max(peakKiB, total);
	};
	const timer = setInterval(sample, everyMs);
	timer.unref();
	return {
		sample,
		peakMiB: () => (sampled ? Math.round(peakKiB / 1024) : null),
		stop() {
			clearInterval(timer);
			sample();
			return sampled ? Math.round(peakKiB / 1024) : null;
		},
	};
}

async function waitForSettings(
	baseUrl: string,
	child: ChildProcess,
	logFile: string,
	timeoutMs: number,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let lastError = '';
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(
				`n8n exited (${child.exitCode ?? child.signalCode}) before it was ready; log:\n${tail(logFile)}`,
			);
		}
		try {
			const response = await fetch(`${baseUrl}/rest/settings`, {
				signal: AbortSignal.timeout(2000),
			});
			// While it migrates the database n8n answers every path with 200 and the text
			// "n8n is starting up. Please wait": only the settings JSON means ready.
			const text = await response.text();
			if (response.status === 200 && isSettings(text)) return;
			lastError = `HTTP ${response.status}: ${text.slice(0, 80)}`;
		} catch (error) {
			lastError = error.message;
		}
		await delay(250);
	}
	throw new Error(
		`n8n was not ready within ${timeoutMs} ms (${lastError}); log:\n${tail(logFile)}`,
	);
}

function isSettings(text: string): boolean {
	try {
		const body = JSON.parse(text);
		return (
			typeof body === 'object' &&
			body !== null &&
			typeof body.data === 'object' &&
			body.data !== null
		);
	} catch {
		return false;
	}
}

function tail(file: string, lines = 40): string {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

async function setUpOwner(baseUrl: string): Promise<void> {
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	const text = await response.text();
	let body: { data?: { email?: string } } | undefined;
	try {
		body = JSON.parse(text);
	} catch {
		body = undefined;
	}
	if (response.status !== 200 || !body || !body.data || body.data.email !== OWNER.email) {
		throw new Error(`owner setup answered HTTP ${response.status}: ${text.slice(0, 500)}`);
	}
}

/**
 * Starts `n8n start` from runtime `rt` with N8N_USER_FOLDER `userFolder` (see runtime.ts),
 * waits until it serves the editor's settings and sets up the owner.
 * Options: { env: extra environment, readyTimeoutMs (default 120000) }.
 */
export async function startN8n(
	rt: Runtime,
	userFolder: string,
	options: StartOptions = {},
): Promise<N8nServer> {
	const [port, brokerPort] = await freePorts(2);
	const logFile = path.join(userFolder, 'n8n-start.log');
	const log = fs.openSync(logFile, 'a');
	const env = n8nEnv(rt, userFolder, {
		brokerPort,
		env: {
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
			// Jest sets NODE_ENV=test, and with it n8n 2.x `start` exits 1 at once, printing nothing.
			NODE_ENV: 'production',
			// Nothing outside this machine: no community-node registry, no templates, no telemetry.
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_AI_ENABLED: 'false',
			EXTERNAL_FRONTEND_HOOKS_URLS: '',
			...options.env,
		},
	});
	const started = Date.now();
	// detached: n8n and its task runner share a new process group, stopped together by stop().
	const child = spawn(rt.nodeBin + '/node', [rt.n8n, 'start'], {
		env,
		cwd: userFolder,
		detached: true,
		stdio: ['ignore', log, log],
	});
	fs.closeSync(log);
	const pgid = child.pid as number;
	const memory = startMemorySampler(() => processGroup(pgid));
	const baseUrl = `http://127.0.0.1:${port}`;

	let stopped: Promise<number | null> | undefined;
	const stop = (): Promise<number | null> => {
		if (!stopped) stopped = stopGroup(child, pgid).then(() => memory.stop());
		return stopped;
	};
	try {
		await waitForSettings(baseUrl, child, logFile, options.readyTimeoutMs ?? 120000);
		const readyMs = Date.now() - started;
		if (options.setUpOwner !== false) await setUpOwner(baseUrl);
		return {
			url: baseUrl,
			port,
			brokerPort,
			pid: child.pid as number,
			logFile,
			readyMs,
			owner: { ...OWNER },
			/** Peak memory (summed PSS) of n8n and its task runner so far, in MiB (null without /proc). */
			peakMemoryMiB: () => memory.peakMiB(),
			/** The last lines of n8n's log. */
			logTail: (lines?: number) => tail(logFile, lines),
			/** Stops n8n (SIGTERM to its process group, SIGKILL after 10 s); resolves to the peak memory in MiB. */
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
	try {
		process.kill(-pgid, signal);
		return true;
	} catch {
		return false;
	}
}

async function stopGroup(child: ChildProcess, pgid: number): Promise<void> {
	const exited =
		child.exitCode !== null || child.signalCode !== null
			? Promise.resolve()
			: new Promise<void>((resolve) => child.once('exit', () => resolve()));
	if (!signalGroup(pgid, 'SIGTERM')) return;
	const killed = await Promise.race([exited.then(() => false), unrefDelay(10000).then(() => true)]);
	if (killed) signalGroup(pgid, 'SIGKILL');
	await Promise.race([exited, unrefDelay(5000)]);
	// The task runner may outlive the main process for a moment: make sure the group is gone.
	for (let i = 0; i < 20 && processGroup(pgid).length > 0; i++) await delay(100);
	if (processGroup(pgid).length > 0) signalGroup(pgid, 'SIGKILL');
}

/**
 * The usual editor-test set-up: runtime `runtimeName` (default 'n8n-2'), our package built,
 * packed and installed in a fresh user folder as a community package, `n8n start` on it.
 * stop() also removes the user folder, unless UCONTACT_KEEP_E2E=1.
 */
export async function startN8nWithPackage(
	runtimeName: 'n8n-2' | 'n8n-1' = 'n8n-2',
	options: StartOptions = {},
): Promise<PackagedN8nServer> {
	const rt = runtime(runtimeName);
	const userFolder = makeUserFolder(packPackage());
	let server: N8nServer;
	try {
		server = await startN8n(rt, userFolder, options);
	} catch (error) {
		if (process.env.UCONTACT_KEEP_E2E !== '1')
			fs.rmSync(userFolder, { recursive: true, force: true });
		throw error;
	}
	const stopServer = server.stop;
	let stopped: Promise<number | null> | undefined;
	return {
		...server,
		runtime: rt,
		userFolder,
		stop() {
			if (!stopped) {
				stopped = stopServer().then((peak) => {
					if (process.env.UCONTACT_KEEP_E2E !== '1') {
						fs.rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
					}
					return peak;
				});
			}
			return stopped;
		},
	};
}
