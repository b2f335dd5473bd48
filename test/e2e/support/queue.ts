// n8n in queue mode for the end-to-end test: a throwaway PostgreSQL and Redis (Debian's
// packages, started here on 127.0.0.1 with free ports and temp data folders), `n8n start` as
// main and one `n8n worker` (or more: `workers`), each with its own user folder holding our packed package as a
// community package, and one shared encryption key. Everything started here is stopped by stop(), and
// killed when the test process exits without calling it.
import {
	execFileSync,
	spawn,
	type ChildProcess,
	type ChildProcessByStdio,
} from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Writable } from 'node:stream';

import { makeUserFolder, n8nEnv, packPackage, runtime, type Runtime } from './runtime';
import { freePort, processGroup, startMemorySampler, startN8n, type N8nServer } from './server';

export {
	restClient,
	waitForExecution,
	type Execution,
	type RestClient,
	type RunItem,
} from './rest';

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
	/** Summed over the workers. */
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
	/** The (first) worker's own N8N_USER_FOLDER, with its own copy of the package (same encryption key as main). */
	readonly workerFolder: string;
	/** Every worker's user folder, in the order of `workers`. */
	readonly workerFolders: string[];
	/** What n8n logged about the PostgreSQL version (Debian 12 has 15; n8n 2.41 wants 17, 16 on compatibility), or null. */
	readonly postgresWarning: string | null;
	readonly main: N8nServer;
	/** The first worker (workers[0]). */
	readonly worker: Worker;
	/** Every worker, each with its own user folder. */
	readonly workers: Worker[];
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
	/** Jobs each worker runs at once (`n8n worker --concurrency`); default 5. */
	concurrency?: number;
	/** How many `n8n worker` processes, each on its own user folder; default 1. */
	workers?: number;
	readyTimeoutMs?: number;
}

const keep = (): boolean => process.env.UCONTACT_KEEP_E2E === '1';
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const unrefDelay = (ms: number): Promise<void> =>
	new Promise((resolve) => setTimeout(resolve, ms).unref());

// ---------------------------------------------------------------------------------------------
// Process groups started here are stopped in order by stop(). In case the test process dies
// first (Ctrl-C, a crash, a CI timeout), a small detached "reaper" watches our end of a pipe:
// when it closes, the reaper kills the groups still listed and removes the temp folders.
// (An 'exit' listener would not do: under jest, `process` is a copy whose events never fire.)

const REAPER = `
const { rmSync } = require('node:fs');
const groups = new Set();
const dirs = new Set();
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
	buffer += chunk;
	let end;
	while ((end = buffer.indexOf('\\n')) >= 0) {
		const [op, kind, ...rest] = buffer.slice(0, end).split(' ');
		buffer = buffer.slice(end + 1);
		const set = kind === 'group' ? groups : dirs;
		const value = kind === 'group' ? Number(rest[0]) : rest.join(' ');
		if (op === '+') set.add(value); else set.delete(value);
	}
});
process.stdin.on('end', () => {
	for (const pgid of groups) { try { process.kill(-pgid, 'SIGKILL'); } catch {} }
	setTimeout(() => {
		for (const dir of dirs) { try { rmSync(dir, { recursive: true, force: true }); } catch {} }
		process.exit(0);
	}, groups.size > 0 ? 1000 : 0);
});
`;

let reaper: ChildProcessByStdio<Writable, null, null> | undefined;
function tellReaper(line: string): void {
	if (!reaper) {
		reaper = spawn(process.execPath, ['-e', REAPER], {
			detached: true,
			stdio: ['pipe', 'ignore', 'ignore'],
		});
		reaper.unref();
		(reaper.stdin as Writable & { unref?: () => void }).unref?.();
		reaper.stdin.on('error', () => {});
	}
	reaper.stdin.write(`${line}\n`);
}
const watchGroup = (pgid: number): void => tellReaper(`+ group ${pgid}`);
const unwatchGroup = (pgid: number): void => tellReaper(`- group ${pgid}`);
const watchDir = (dir: string): void => {
	if (!keep()) tellReaper(`+ dir ${dir}`);
};
const unwatchDir = (dir: string): void => {
	if (!keep()) tellReaper(`- dir ${dir}`);
};

function exited(child: ChildProcess): boolean {
	return child.exitCode !== null || child.signalCode !== null;
}

interface SpawnOptions {
	logFile: string;
	env?: NodeJS.ProcessEnv;
	cwd?: string;
	uid?: number;
	gid?: number;
}

/** A child leading its own process group: its pid is the group's id. */
type GroupChild = ChildProcess & { readonly pid: number };

/** Spawns `command` in a new process group with stdout and stderr to `logFile`. */
function spawnGroup(
	command: string,
	args: string[],
	{ logFile, env, cwd, uid, gid }: SpawnOptions,
): GroupChild {
	const log = fs.openSync(logFile, 'a');
	const child = spawn(command, args, {
		env: env ?? process.env,
		cwd,
		detached: true,
		stdio: ['ignore', log, log],
		...(uid === undefined ? {} : { uid, gid }),
	});
	fs.closeSync(log);
	watchGroup(child.pid as number);
	return child as GroupChild;
}

/** Sends `signal` to the group, SIGKILL after `graceMs`; resolves once no process of it is left. */
async function stopGroup(
	child: GroupChild,
	signal: NodeJS.Signals = 'SIGTERM',
	graceMs = 10000,
): Promise<void> {
	const pgid = child.pid;
	const gone = exited(child)
		? Promise.resolve()
		: new Promise<void>((resolve) => child.once('exit', () => resolve()));
	try {
		process.kill(-pgid, signal);
	} catch {
		// already gone
	}
	const timedOut = await Promise.race([
		gone.then(() => false),
		unrefDelay(graceMs).then(() => true),
	]);
	if (timedOut) killGroup(pgid);
	await Promise.race([gone, unrefDelay(5000)]);
	for (let i = 0; i < 30 && processGroup(pgid).length > 0; i++) await delay(100);
	if (processGroup(pgid).length > 0) killGroup(pgid);
	unwatchGroup(pgid);
}

function killGroup(pgid: number): void {
	try {
		process.kill(-pgid, 'SIGKILL');
	} catch {
		// already gone
	}
}

function tail(file: string, lines = 40): string {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** Polls `ready()` (truthy = ready) every 100 ms until `timeoutMs`, failing early if `child` exits. */
async function waitUntil(
	what: string,
	child: ChildProcess,
	logFile: string,
	ready: () => unknown,
	timeoutMs: number,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < deadline) {
		if (exited(child)) {
			throw new Error(
				`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready; log:\n${tail(logFile)}`,
			);
		}
		try {
			if (await ready()) return;
		} catch (error) {
			last = error.message;
		}
		await delay(100);
	}
	throw new Error(`${what} was not ready within ${timeoutMs} ms (${last}); log:\n${tail(logFile)}`);
}

// ---------------------------------------------------------------------------------------------
// Redis (Debian's redis-server): no persistence, loopback only.

function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (ok: boolean): void => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString('latin1');
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

/** Starts redis-server on 127.0.0.1 (free port) with its files in `dir`. */
export async function startRedis(dir: string): Promise<Service> {
	const bin = findBinary('redis-server', ['/usr/bin/redis-server', '/usr/local/bin/redis-server']);
	const port = await freePort();
	const logFile = path.join(dir, 'redis.log');
	const child = spawnGroup(
		bin,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
			'--dir',
			dir,
		],
		{ logFile, cwd: dir },
	);
	const memory = startMemorySampler(() => processGroup(child.pid));
	const started = Date.now();
	try {
		await waitUntil('redis-server', child, logFile, () => redisPing(port), 20000);
	} catch (error) {
		await stopGroup(child);
		throw error;
	}
	return {
		port,
		pid: child.pid,
		logFile,
		readyMs: Date.now() - started,
		peakMemoryMiB: () => memory.peakMiB(),
		stop: async () => {
			await stopGroup(child, 'SIGTERM', 5000);
			return memory.stop();
		},
	};
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL (Debian's postgresql): a fresh cluster in a temp folder, TCP on 127.0.0.1 only,
// trust authentication (loopback, throwaway), no durability. PostgreSQL refuses to run as root:
// as root it runs as the `postgres` user Debian's package creates.

function findBinary(name: string, candidates: string[]): string {
	for (const candidate of candidates) if (fs.existsSync(candidate)) return candidate;
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		const candidate = path.join(dir, name);
		if (dir && fs.existsSync(candidate)) return candidate;
	}
	throw new Error(
		`${name} not found: on Debian, apt-get install redis-server postgresql (scripts/provision-e2e.sh does)`,
	);
}

/** The bin folder of the newest PostgreSQL under /usr/lib/postgresql, or where `postgres` is on PATH. */
function postgresBinDir(): string {
	const root = '/usr/lib/postgresql';
	if (fs.existsSync(root)) {
		const versions = fs
			.readdirSync(root)
			.filter((name) => fs.existsSync(path.join(root, name, 'bin', 'postgres')))
			.sort((a, b) => Number(b) - Number(a));
		if (versions.length > 0) return path.join(root, versions[0], 'bin');
	}
	return path.dirname(fs.realpathSync(findBinary('postgres', [])));
}

/** { uid, gid } to run PostgreSQL as: the `postgres` user when we are root, else nothing to change. */
function postgresIdentity(): { uid?: number; gid?: number } {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith('postgres:'));
	if (!line)
		throw new Error(
			'running as root, but there is no "postgres" user to run PostgreSQL as (apt-get install postgresql)',
		);
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

const PG_USER = 'n8n';
const PG_DATABASE = 'n8n';
// Trust authentication ignores it; n8n wants one.
const PG_PASSWORD = 'n8n-e2e';

/** Starts a fresh PostgreSQL cluster in `dir`/pgdata on 127.0.0.1 (free port) with database n8n. */
export async function startPostgres(dir: string): Promise<Postgres> {
	const bin = postgresBinDir();
	const identity = postgresIdentity();
	const dataDir = path.join(dir, 'pgdata');
	fs.mkdirSync(dataDir, { mode: 0o700 });
	if (identity.uid !== undefined) {
		// The temp folder is root's (0700): let the postgres user into it and own its data folder.
		fs.chmodSync(dir, 0o755);
		fs.chownSync(dataDir, identity.uid, identity.gid as number);
	}
	const asPostgres = { ...identity, cwd: dir, env: { ...process.env, LC_ALL: 'C', LANG: 'C' } };
	const started = Date.now();
	execFileSync(
		path.join(bin, 'initdb'),
		['-D', dataDir, '-U', PG_USER, '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'],
		{ ...asPostgres, stdio: ['ignore', 'ignore', 'pipe'] },
	);
	const initdbMs = Date.now() - started;
	const port = await freePort();
	const logFile = path.join(dir, 'postgres.log');
	const child = spawnGroup(
		path.join(bin, 'postgres'),
		[
			'-D',
			dataDir,
			'-p',
			String(port),
			'-c',
			'listen_addresses=127.0.0.1',
			// No Unix socket: nothing to write outside the data folder.
			'-c',
			'unix_socket_directories=',
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'shared_buffers=32MB',
			'-c',
			'max_connections=40',
		],
		{ ...asPostgres, logFile },
	);
	const memory = startMemorySampler(() => processGroup(child.pid));
	const stop = async () => {
		// SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to disconnect.
		await stopGroup(child, 'SIGINT', 10000);
		return memory.stop();
	};
	try {
		const isReady = path.join(bin, 'pg_isready');
		await waitUntil(
			'postgres',
			child,
			logFile,
			() => {
				try {
					execFileSync(
						isReady,
						['-q', '-h', '127.0.0.1', '-p', String(port), '-U', PG_USER, '-d', 'postgres'],
						{
							stdio: 'ignore',
						},
					);
					return true;
				} catch {
					return false;
				}
			},
			30000,
		);
		execFileSync(
			path.join(bin, 'createdb'),
			['-h', '127.0.0.1', '-p', String(port), '-U', PG_USER, PG_DATABASE],
			{
				stdio: ['ignore', 'ignore', 'pipe'],
			},
		);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		port,
		pid: child.pid,
		logFile,
		initdbMs,
		readyMs: Date.now() - started,
		database: PG_DATABASE,
		user: PG_USER,
		password: PG_PASSWORD,
		version: path.basename(path.dirname(bin)),
		peakMemoryMiB: () => memory.peakMiB(),
		stop,
	};
}

// ---------------------------------------------------------------------------------------------
// n8n main + worker.

export function queueEnv(redis: Service, postgres: Postgres): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		// Nothing outside this machine.
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_AI_ENABLED: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		// Jest sets NODE_ENV=test, which silences n8n's logger and makes `n8n start` exit at once.
		NODE_ENV: 'production',
	};
}

/** Starts one `n8n worker` on `userFolder` with `env` (queueEnv and the shared N8N_ENCRYPTION_KEY); ready when its readiness check answers 200. */
export async function startWorker(
	rt: Runtime,
	userFolder: string,
	env: Record<string, string>,
	options: QueueModeOptions = {},
): Promise<Worker> {
	const healthPort = await freePort();
	let brokerPort = await freePort();
	while (brokerPort === healthPort) brokerPort = await freePort();
	const logFile = path.join(userFolder, 'n8n-worker.log');
	const child = spawnGroup(
		path.join(rt.nodeBin, 'node'),
		[rt.n8n, 'worker', `--concurrency=${options.concurrency ?? 5}`],
		{
			logFile,
			cwd: userFolder,
			env: n8nEnv(rt, userFolder, {
				brokerPort,
				env: {
					...env,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				},
			}),
		},
	);
	const memory = startMemorySampler(() => processGroup(child.pid));
	const started = Date.now();
	const stop = async () => {
		await stopGroup(child, 'SIGTERM', 10000);
		return memory.stop();
	};
	try {
		// 200 once the worker is connected to the database and Redis and takes jobs.
		await waitUntil(
			'n8n worker',
			child,
			logFile,
			async () =>
				(
					await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`, {
						signal: AbortSignal.timeout(2000),
					})
				).status === 200,
			options.readyTimeoutMs ?? 120000,
		);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		pid: child.pid,
		healthPort,
		brokerPort,
		logFile,
		readyMs: Date.now() - started,
		log: () => fs.readFileSync(logFile, 'utf8'),
		logTail: (lines?: number) => tail(logFile, lines),
		peakMemoryMiB: () => memory.peakMiB(),
		stop,
	};
}

/**
 * PostgreSQL and Redis (in parallel), then `n8n start` (main, which migrates the database and
 * sets up the owner) and `workers` (default 1) `n8n worker`s. Options: { runtime ('n8n-2'), mainEnv, workerEnv,
 * concurrency, workers }. `timings` lists where the time went. stop() stops everything (worker, main,
 * Redis, PostgreSQL) and removes the temp folders; it resolves to the peak memory per part.
 */
export async function startQueueMode(options: QueueModeOptions = {}): Promise<QueueMode> {
	const timings: Timing[] = [];
	let last = Date.now();
	const step = (name: string): void => {
		const now = Date.now();
		timings.push({ name, ms: now - last });
		last = now;
	};
	const rt = runtime(options.runtime ?? 'n8n-2');
	const tarball = packPackage();
	step('runtime check, build and npm pack');
	// Separate user folders, as on separate machines, each with the package installed; one
	// encryption key, which main and workers must share to read the credentials.
	const userFolder = makeUserFolder(tarball);
	const workerFolders = Array.from({ length: Math.max(1, options.workers ?? 1) }, () =>
		makeUserFolder(tarball),
	);
	const encryptionKey = crypto.randomBytes(32).toString('hex');
	const servicesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ucontact-queue-'));
	// runtime.ts removes the pack folder in an 'exit' listener, which never fires under jest.
	const temporary = [userFolder, ...workerFolders, servicesDir, path.dirname(tarball)];
	for (const dir of temporary) watchDir(dir);
	const parts: { main?: N8nServer; workers: Worker[]; redis?: Service; postgres?: Postgres } = {
		workers: [],
	};
	let postgresWarning: string | null = null;
	const everything = startMemorySampler(() =>
		[parts.main, parts.redis, parts.postgres, ...parts.workers].flatMap((part) =>
			part && part.pid ? processGroup(part.pid) : [],
		),
	);

	let stopped: Promise<PeakMemory> | undefined;
	const stop = (): Promise<PeakMemory> => {
		if (!stopped) {
			stopped = (async () => {
				const peaks = {} as PeakMemory;
				// Workers and main first (they hold connections), then Redis and PostgreSQL.
				const [workers, main] = await Promise.all([
					Promise.all(parts.workers.map((worker) => worker.stop())),
					parts.main?.stop().finally(() => unwatchGroup(parts.main!.pid)),
				]);
				const known = workers.filter((peak): peak is number => peak !== null);
				peaks.worker = known.length > 0 ? known.reduce((sum, peak) => sum + peak, 0) : null;
				peaks.main = main ?? null;
				const [redis, postgres] = await Promise.all([parts.redis?.stop(), parts.postgres?.stop()]);
				peaks.redis = redis ?? null;
				peaks.postgres = postgres ?? null;
				peaks.total = everything.stop();
				if (!keep()) {
					for (const dir of temporary) {
						fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
						unwatchDir(dir);
					}
				}
				return peaks;
			})();
		}
		return stopped;
	};

	try {
		const [postgres, redis] = await Promise.all([
			startPostgres(servicesDir),
			startRedis(servicesDir),
		]);
		parts.postgres = postgres;
		parts.redis = redis;
		step(
			`PostgreSQL ${postgres.version} (initdb ${(postgres.initdbMs / 1000).toFixed(1)} s) and Redis ready`,
		);
		const env = { ...queueEnv(redis, postgres), N8N_ENCRYPTION_KEY: encryptionKey };
		// Together: the first to get PostgreSQL's migration lock migrates, the other waits for it.
		const [main, ...workers] = await Promise.allSettled([
			startN8n(rt, userFolder, { env: { ...env, ...options.mainEnv } }).then((server) => {
				// startN8n stops its n8n itself if it fails to start; from here on it is ours to stop.
				watchGroup(server.pid);
				return server;
			}),
			...workerFolders.map((folder) =>
				startWorker(rt, folder, { ...env, ...options.workerEnv }, options),
			),
		]);
		if (main.status === 'fulfilled') parts.main = main.value as N8nServer;
		for (const worker of workers)
			if (worker.status === 'fulfilled') parts.workers.push(worker.value as Worker);
		if (main.status === 'rejected') throw main.reason;
		for (const worker of workers) if (worker.status === 'rejected') throw worker.reason;
		const workerReady = parts.workers
			.map((worker) => `${(worker.readyMs / 1000).toFixed(1)} s`)
			.join(', ');
		step(
			`n8n main (owner set up) and ${parts.workers.length === 1 ? 'worker' : `${parts.workers.length} workers`}, started together: ready after ` +
				`${(parts.main!.readyMs / 1000).toFixed(1)} s and ${workerReady}`,
		);
		const warning = /^Postgres \d+ is (?:not supported|outside the supported range)[^\n]*/m.exec(
			fs.readFileSync(parts.main!.logFile, 'utf8'),
		);
		postgresWarning = warning ? warning[0] : null;
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		runtime: rt,
		userFolder,
		workerFolder: workerFolders[0],
		workerFolders,
		postgresWarning,
		main: parts.main!,
		worker: parts.workers[0],
		workers: parts.workers,
		redis: parts.redis!,
		postgres: parts.postgres!,
		timings,
		peakMemoryMiB: () => everything.peakMiB(),
		stop,
	};
}

/** Waits until `file` contains `text` (n8n may log a moment after the database says done); returns the log. */
export async function waitForLogLine(
	file: string,
	text: string,
	timeoutMs = 10000,
): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		let log = '';
		try {
			log = fs.readFileSync(file, 'utf8');
		} catch {
			// not written yet
		}
		if (log.includes(text)) return log;
		if (Date.now() > deadline)
			throw new Error(
				`"${text}" not in ${path.basename(file)} within ${timeoutMs} ms; its end:\n${tail(file)}`,
			);
		await delay(100);
	}
}

// For other n8n processes a test starts on the same services (the MCP queue test's `n8n webhook`).
export { spawnGroup, stopGroup, waitUntil, type GroupChild };

export function formatTimings(title: string, timings: Timing[], extra = ''): string {
	const total = timings.reduce((sum, t) => sum + t.ms, 0);
	const lines = timings.map((t) => `  ${(t.ms / 1000).toFixed(1).padStart(6)} s  ${t.name}`);
	return `${title}: ${(total / 1000).toFixed(1)} s${extra ? `, ${extra}` : ''}\n${lines.join('\n')}\n`;
}

/** Writes the timings to stderr (jest shows it). */
export function printTimings(title: string, timings: Timing[], extra?: string): void {
	process.stderr.write(formatTimings(title, timings, extra));
}
