// Drives the real `n8n` CLI for the end-to-end tests and the demo: import credentials and
// workflows, `n8n execute --id`, parse the printed run data, and time every stage.
// CommonJS because it needs child_process, fs, net and process, which linted TypeScript may not use.
//
// Every call is asynchronous on purpose: the uContact simulator the workflows talk to lives in
// the calling process, so a blocking spawn would deadlock it.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ROOT, runtime, packPackage, makeUserFolder, n8nEnv, tempRoot, freePort } = require('./runtime');


// ---------------------------------------------------------------------------------------------
// Timing: every stage of every runtime, printed as a table at the end.

const timings = [];

/** Records that `stage` took `ms` on runtime `name`. */
function recordTiming(name, stage, ms) {
	timings.push({ name, stage, ms });
}

/** Runs fn (sync or async), records its duration, returns its result. */
async function timed(name, stage, fn) {
	const started = performance.now();
	try {
		return await fn();
	} finally {
		recordTiming(name, stage, performance.now() - started);
	}
}

function timingTable(title = 'Time per stage (real n8n CLI)') {
	if (timings.length === 0) return '';
	const names = [...new Set(timings.map((t) => t.name))];
	const stages = [...new Set(timings.map((t) => t.stage))];
	const cell = (name, stage) => {
		const ms = timings.filter((t) => t.name === name && t.stage === stage).map((t) => t.ms);
		if (ms.length === 0) return '-';
		return ms.map((m) => `${(m / 1000).toFixed(1)} s`).join(' + ');
	};
	const rows = [['stage', ...names], ...stages.map((stage) => [stage, ...names.map((n) => cell(n, stage))])];
	const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
	const line = (r) => `  ${r.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
	return [
		'',
		`== ${title}`,
		line(rows[0]),
		line(widths.map((w) => '-'.repeat(w))),
		...rows.slice(1).map(line),
		'',
	].join('\n');
}

function printTimings(title) {
	const table = timingTable(title);
	if (table) process.stdout.write(`${table}\n`);
}

// ---------------------------------------------------------------------------------------------
// Running n8n.

/**
 * n8nEnv without what jest sets: under NODE_ENV=test n8n's logger is silent, so `n8n execute`
 * prints no run data and the imports print nothing.
 */
function cliEnv(rt, userFolder, extra) {
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
function runN8n(rt, userFolder, args, { brokerPort, env, timeoutMs = 5 * 60 * 1000 } = {}) {
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

/** Fails with n8n's own output when a CLI call did not exit 0. */
function assertExit0(result, what) {
	if (result.code === 0) return result;
	throw new Error(
		`${what} exited ${result.code ?? result.signal}\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`,
	);
}

function tail(text, lines = 60) {
	return text.split('\n').slice(-lines).join('\n');
}

/**
 * The run data `n8n execute --rawOutput` prints: pretty JSON after n8n's log lines (from the
 * first line that is exactly "{" to the last that is exactly "}"). Returns null if there is none.
 */
function parseRunOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.lastIndexOf('}');
	if (start < 0 || end < start) return null;
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

/** The items a node output in a parsed run (first run, first main output). */
function nodeOutput(run, nodeName) {
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
async function prepareN8n(name, { tarball } = {}) {
	const rt = await timed(name, 'runtime (cached install)', () => runtime(name));
	const tgz = tarball ?? (await timed(name, 'build + npm pack', () => packPackage()));
	const userFolder = await timed(name, 'install package into user folder', () => makeUserFolder(tgz));
	const brokerPort = await freePort();
	const run = (args, options = {}) => runN8n(rt, userFolder, args, { brokerPort, ...options });
	return { rt, tarball: tgz, userFolder, brokerPort, run };
}

/** Writes value as JSON to <dir>/<file>, returns the path. */
function writeJson(dir, file, value) {
	fs.mkdirSync(dir, { recursive: true });
	const target = path.join(dir, file);
	fs.writeFileSync(target, `${JSON.stringify(value, null, 2)}\n`);
	return target;
}

function tempDir(prefix) {
	return fs.mkdtempSync(path.join(tempRoot(), prefix));
}

/** Reads a JSON file relative to the repository root (e.g. 'examples/finished-calls.json'). */
function readRepoJson(relative) {
	return JSON.parse(fs.readFileSync(path.join(ROOT, relative), 'utf8'));
}

/**
 * The runtimes to test: UCONTACT_E2E_RUNTIMES (comma-separated, e.g. "n8n-2") or both.
 */
function selectedRuntimes() {
	const all = ['n8n-2', 'n8n-1'];
	const wanted = (process.env.UCONTACT_E2E_RUNTIMES || '').split(',').map((s) => s.trim()).filter(Boolean);
	return wanted.length > 0 ? all.filter((name) => wanted.includes(name)) : all;
}

function removeDir(dir) {
	if (dir && process.env.UCONTACT_KEEP_E2E !== '1') fs.rmSync(dir, { recursive: true, force: true });
}

module.exports = {
	freePort,
	recordTiming,
	timed,
	timingTable,
	printTimings,
	cliEnv,
	runN8n,
	assertExit0,
	parseRunOutput,
	nodeOutput,
	prepareN8n,
	writeJson,
	tempDir,
	readRepoJson,
	selectedRuntimes,
	removeDir,
	packPackage,
};
