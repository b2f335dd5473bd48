// Drives the real `n8n` CLI for the end-to-end tests and the demo: import credentials and
// workflows, `n8n execute --id`, parse the printed run data, and time every stage.
//
// Every call is asynchronous on purpose: the uContact simulator the workflows talk to lives in
// the calling process, so a blocking spawn would deadlock it.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	ROOT,
	runtime,
	packPackage,
	makeUserFolder,
	n8nEnv,
	tempRoot,
	freePort,
	type N8nEnvExtra,
	type Runtime,
} from './runtime';

export { freePort, packPackage, type Runtime };

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
			runData: Record<
				string,
				Array<{ data?: { main: RunItem[][] }; error?: { message?: string } }>
			>;
		};
	};
}

// ---------------------------------------------------------------------------------------------
// Timing: every stage of every runtime, printed as a table at the end.

const timings: Array<{ name: string; stage: string; ms: number }> = [];

/** Records that `stage` took `ms` on runtime `name`. */
export function recordTiming(name: string, stage: string, ms: number): void {
	timings.push({ name, stage, ms });
}

/** Runs fn (sync or async), records its duration, returns its result. */
export async function timed<T>(name: string, stage: string, fn: () => T | Promise<T>): Promise<T> {
	const started = performance.now();
	try {
		return await fn();
	} finally {
		recordTiming(name, stage, performance.now() - started);
	}
}

export function timingTable(title = 'Time per stage (real n8n CLI)'): string {
	if (timings.length === 0) return '';
	const names = [...new Set(timings.map((t) => t.name))];
	const stages = [...new Set(timings.map((t) => t.stage))];
	const cell = (name: string, stage: string): string => {
		const ms = timings.filter((t) => t.name === name && t.stage === stage).map((t) => t.ms);
		if (ms.length === 0) return '-';
		return ms.map((m) => `${(m / 1000).toFixed(1)} s`).join(' + ');
	};
	const rows = [
		['stage', ...names],
		...stages.map((stage) => [stage, ...names.map((n) => cell(n, stage))]),
	];
	const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
	const line = (r: string[]): string =>
		`  ${r.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
	return [
		'',
		`== ${title}`,
		line(rows[0]),
		line(widths.map((w) => '-'.repeat(w))),
		...rows.slice(1).map(line),
		'',
	].join('\n');
}

export function printTimings(title?: string): void {
	const table = timingTable(title);
	if (table) process.stdout.write(`${table}\n`);
}

// ---------------------------------------------------------------------------------------------
// Running n8n.

/**
 * n8nEnv without what jest sets: under NODE_ENV=test n8n's logger is silent, so `n8n execute`
 * prints no run data and the imports print nothing.
 */
export function cliEnv(rt: Runtime, userFolder: string, extra: N8nEnvExtra): NodeJS.ProcessEnv {
	const env = n8nEnv(rt, userFolder, extra);
	for (const key of ['NODE_ENV', 'JEST_WORKER_ID']) {
		if (!extra.env || !(key in extra.env)) delete env[key];
	}
	return env;
}

/**
 * Runs `n8n <args>` on runtime rt with the given user folder. stdout and stderr go to FILES:
 * n8n exits before a pipe drains and the execution JSON would be cut short.
 * Resolves { code, signal, stdout, stderr, ms } (never rejects on a non-zero exit).
 */
export function runN8n(
	rt: Runtime,
	userFolder: string,
	args: string[],
	{ brokerPort, env, timeoutMs = 5 * 60 * 1000 }: RunOptions = {},
): Promise<CliResult> {
	const logDir = fs.mkdtempSync(path.join(userFolder, 'cli-'));
	const outFile = path.join(logDir, 'stdout.txt');
	const errFile = path.join(logDir, 'stderr.txt');
	const out = fs.openSync(outFile, 'w');
	const err = fs.openSync(errFile, 'w');
	const started = performance.now();
	return new Promise((resolve, reject) => {
		const child = spawn(path.join(rt.nodeBin, 'node'), [rt.n8n, ...args], {
			cwd: userFolder,
			env: cliEnv(rt, userFolder, { brokerPort, env }),
			stdio: ['ignore', out, err],
		});
		fs.closeSync(out);
		fs.closeSync(err);
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			resolve({
				code,
				signal,
				stdout: fs.readFileSync(outFile, 'utf8'),
				stderr: fs.readFileSync(errFile, 'utf8'),
				ms: performance.now() - started,
				outFile,
			});
		});
	});
}

/**
 * Fails with n8n's own output when a CLI call did not exit 0. One exception: n8n 2.x on Node 24
 * now and then dies by SIGSEGV while shutting down, after it printed the whole run (seen once in
 * a CI run of proxy.e2e, the run's output complete; n8n-io/n8n#26865 reports such crashes on Node
 * 24). The run is what the tests assert, so that exit is let through, and said.
 */
export function assertExit0(result: CliResult, what: string): CliResult {
	if (result.code === 0) return result;
	if (result.signal === 'SIGSEGV' && printedRunFinished(result.stdout)) {
		console.warn(
			`${what}: n8n died by SIGSEGV after printing the finished run; the run is what is asserted`,
		);
		return result;
	}
	throw new Error(
		`${what} exited ${result.code ?? result.signal}\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`,
	);
}

function printedRunFinished(stdout: string): boolean {
	try {
		const run = parseRunOutput(stdout);
		return run !== null && (run.finished === true || run.status === 'success');
	} catch {
		return false;
	}
}

function tail(text: string, lines = 60): string {
	return text.split('\n').slice(-lines).join('\n');
}

/**
 * The run data `n8n execute --rawOutput` prints: pretty JSON after n8n's log lines (from the
 * first line that is exactly "{" to the last that is exactly "}"). Returns null if there is none.
 */
export function parseRunOutput(stdout: string): PrintedRun | null {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.lastIndexOf('}');
	if (start < 0 || end < start) return null;
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

/** The items a node output in a parsed run (first run, first main output). */
export function nodeOutput(run: PrintedRun | null, nodeName: string): RunItem[] | undefined {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs) return undefined;
	return runs[0]?.data?.main?.[0] ?? [];
}

// ---------------------------------------------------------------------------------------------
// A user folder with the package installed, and files to import.

/**
 * An n8n ready to import into: the runtime (installed once), the packed package in a fresh user
 * folder, and a free broker port. Each stage is timed under rt.name.
 */
export async function prepareN8n(
	name: string,
	{ tarball }: { tarball?: string } = {},
): Promise<PreparedN8n> {
	const rt = await timed(name, 'runtime (cached install)', () => runtime(name));
	const tgz = tarball ?? (await timed(name, 'build + npm pack', () => packPackage()));
	const userFolder = await timed(name, 'install package into user folder', () =>
		makeUserFolder(tgz),
	);
	const brokerPort = await freePort();
	const run = (args: string[], options: RunOptions = {}): Promise<CliResult> =>
		runN8n(rt, userFolder, args, { brokerPort, ...options });
	return { rt, tarball: tgz, userFolder, brokerPort, run };
}

/** Writes value as JSON to <dir>/<file>, returns the path. */
export function writeJson(dir: string, file: string, value: unknown): string {
	fs.mkdirSync(dir, { recursive: true });
	const target = path.join(dir, file);
	fs.writeFileSync(target, `${JSON.stringify(value, null, 2)}\n`);
	return target;
}

export function tempDir(prefix: string): string {
	return fs.mkdtempSync(path.join(tempRoot(), prefix));
}

/** Reads a JSON file relative to the repository root (e.g. 'examples/finished-calls.json'). */
export function readRepoJson(relative: string): unknown {
	return JSON.parse(fs.readFileSync(path.join(ROOT, relative), 'utf8'));
}

/**
 * The runtimes to test: UCONTACT_E2E_RUNTIMES (comma-separated, e.g. "n8n-2") or both.
 */
export function selectedRuntimes(): string[] {
	const all = ['n8n-2', 'n8n-1'];
	const wanted = (process.env.UCONTACT_E2E_RUNTIMES || '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	return wanted.length > 0 ? all.filter((name) => wanted.includes(name)) : all;
}

export function removeDir(dir: string | undefined): void {
	if (dir && process.env.UCONTACT_KEEP_E2E !== '1')
		fs.rmSync(dir, { recursive: true, force: true });
}
