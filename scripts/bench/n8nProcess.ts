/**
 * The n8n under test: one server with our package installed, driven through its REST API, and
 * read from the outside through /proc (CPU of its process group, peak RSS of its main process)
 * and its inspector (a full garbage collection before each run, or a CPU profile).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { makeUserFolder, packPackage, runtime } from '../../test/e2e/support/runtime';
import {
	freePort,
	processGroup,
	startN8n,
	type PackagedN8nServer,
} from '../../test/e2e/support/server';
import type { Simulator } from '../../test/support/simulator/simulator';
import { installCeilingPackage } from './ceilingPackage';

export const sleep = (ms: number): Promise<void> =>
	new Promise((resolve) => setTimeout(resolve, ms));

let clockTicks = 100;
try {
	clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
	// getconf missing: Linux's usual USER_HZ
}

/** utime+stime of `pids`, in ms. */
export function cpuMs(pids: number[]): number {
	let ticks = 0;
	for (const pid of pids) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			// After "pid (comm) ", field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			// the process ended
		}
	}
	return (ticks * 1000) / clockTicks;
}

function statusKiB(pid: number, field: string): number {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
			fs.readFileSync(`/proc/${pid}/status`, 'utf8'),
		);
		return match ? Number(match[1]) : 0;
	} catch {
		return 0;
	}
}

export interface PeakRss {
	beforeMiB: number;
	exact: boolean;
	stop(): number;
}

/**
 * Peak RSS of `pid` from now until stop(), in MiB. Writing 5 to clear_refs resets the kernel's
 * high-water mark (VmHWM), which then catches peaks no sampling interval would; where that is
 * not permitted, VmRSS is sampled every 20 ms.
 */
export function peakRss(pid: number): PeakRss {
	let exact = false;
	try {
		fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
		exact = true;
	} catch {
		// not allowed here: sample instead
	}
	const before = statusKiB(pid, 'VmRSS');
	let peak = before;
	const timer = exact
		? null
		: setInterval(() => (peak = Math.max(peak, statusKiB(pid, 'VmRSS'))), 20);
	return {
		beforeMiB: before / 1024,
		exact,
		stop() {
			if (timer) clearInterval(timer);
			peak = Math.max(peak, exact ? statusKiB(pid, 'VmHWM') : statusKiB(pid, 'VmRSS'));
			return peak / 1024;
		},
	};
}

/** n8n's REST API's answers: JSON of n8n's shapes, of which the benchmark reads a few fields. */
export type Json = any;

export interface RestClient {
	login(owner: { email: string; password: string }): Promise<Json>;
	get(route: string): Promise<Json>;
	post(route: string, body: unknown): Promise<Json>;
}

export function restClient(baseUrl: string): RestClient {
	let cookie = '';
	// The auth cookie is bound to the browser id sent at login; any constant will do.
	const browserId = 'ucontact-bench';
	async function call(method: string, route: string, body?: unknown): Promise<Json> {
		const send = () =>
			fetch(baseUrl + route, {
				method,
				headers: {
					'content-type': 'application/json',
					'browser-id': browserId,
					...(cookie ? { cookie } : {}),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		const sendOnce = async (): Promise<Response> => {
			try {
				return await send();
			} catch (error) {
				// A kept-alive connection n8n closed as this request went out (after a long run,
				// n8n's 5 s keep-alive ends while the benchmark measures): it never reached n8n.
				const code = (error as { cause?: { code?: string } }).cause?.code;
				if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw error;
				return await send();
			}
		};
		let response = await sendOnce();
		// On a loaded machine n8n's SQLite check can miss its deadline ("Database is not ready!");
		// a read is asked again, a write never.
		for (let again = 0; method === 'GET' && response.status === 503 && again < 10; again++) {
			await response.text();
			await sleep(500);
			response = await sendOnce();
		}
		const text = await response.text();
		if (!response.ok)
			throw new Error(`${method} ${route}: HTTP ${response.status}: ${text.slice(0, 500)}`);
		for (const header of response.headers.getSetCookie()) {
			if (header.startsWith('n8n-auth=')) cookie = header.split(';')[0];
		}
		return JSON.parse(text).data;
	}
	return {
		login: (owner) =>
			call('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password }),
		get: (route) => call('GET', route),
		post: (route, body) => call('POST', route, body),
	};
}

/** The execution's list entry (no run data: cheap to fetch repeatedly). */
export async function executionSummary(
	api: RestClient,
	workflowId: string,
	executionId: string,
): Promise<Json> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const list = await api.get(`/rest/executions?filter=${filter}&limit=5`);
	return list.results.find((entry: Json) => String(entry.id) === String(executionId));
}

/** CPU n8n spends answering one execution-list poll (so it can be taken off the runs). */
export async function measurePollCost(
	api: RestClient,
	pids: number[],
	workflowId: string,
): Promise<number> {
	for (let i = 0; i < 10; i++) await executionSummary(api, workflowId, 'none');
	const count = 50;
	const cpu0 = cpuMs(pids);
	for (let i = 0; i < count; i++) await executionSummary(api, workflowId, 'none');
	return (cpuMs(pids) - cpu0) / count;
}

/** CPU an idle n8n uses per ms (timers, task-runner heartbeats), to take off each run by its duration. */
export async function idleCpuPerMs(pids: () => number[]): Promise<number> {
	await sleep(1000);
	const idle0 = cpuMs(pids());
	const t0 = performance.now();
	await sleep(4000);
	return (cpuMs(pids()) - idle0) / (performance.now() - t0);
}

export interface StoredWorkflow {
	id: string;
	name: string;
}

export async function createWorkflow(
	api: RestClient,
	json: Record<string, unknown>,
): Promise<StoredWorkflow> {
	const created = await api.post('/rest/workflows', json);
	return { id: created.id, name: json.name as string };
}

export interface Inspector {
	send(method: string, params?: Record<string, unknown>): Promise<Json>;
	close(): void;
}

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
async function inspectorSession(port: number): Promise<Inspector> {
	const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Json;
	const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
	await new Promise((resolve, reject) => {
		socket.onopen = resolve;
		socket.onerror = () => reject(new Error('cannot connect to the n8n inspector'));
	});
	let nextId = 1;
	const pending = new Map<
		number,
		{ resolve: (value: Json) => void; reject: (error: Error) => void }
	>();
	socket.onmessage = (event) => {
		const message = JSON.parse(String(event.data));
		const waiter = pending.get(message.id);
		if (!waiter) return;
		pending.delete(message.id);
		if (message.error) waiter.reject(new Error(message.error.message));
		else waiter.resolve(message.result);
	};
	return {
		send: (method, params = {}) =>
			new Promise((resolve, reject) => {
				const id = nextId++;
				pending.set(id, { resolve, reject });
				socket.send(JSON.stringify({ id, method, params }));
			}),
		close: () => socket.close(),
	};
}

/** n8n's copy of flatted: run data comes back flatted-encoded. */
export interface Flatted {
	parse(text: string): Json;
}

export interface BenchContext {
	api: RestClient;
	server: PackagedN8nServer;
	sim: Simulator;
	flatted: Flatted;
	credential: { id: string; name: string };
	pids(): number[];
	/** CPU n8n spends on one execution-list poll, taken off each run. */
	pollCpuMs: number;
	/** Opens n8n's inspector (SIGUSR1) on the reserved port; open only once. */
	inspector(): Promise<Inspector>;
	collectGarbage?: () => Promise<void>;
	/** V8 heap used by n8n's main process, MiB (over the inspector). */
	heapUsedMiB?: () => Promise<number>;
}

/**
 * n8n 2.x with our package packed and installed as a community node (as startN8nWithPackage in
 * test/e2e/support/server.ts), and the bench's ceiling package next to it. stop() removes the
 * user folder unless UCONTACT_KEEP_E2E=1.
 */
async function startPackagedServer(env: Record<string, string>): Promise<PackagedN8nServer> {
	const rt = runtime('n8n-2');
	const userFolder = makeUserFolder(packPackage());
	const remove = () => {
		if (process.env.UCONTACT_KEEP_E2E !== '1') {
			fs.rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
		}
	};
	let server;
	try {
		installCeilingPackage(userFolder);
		server = await startN8n(rt, userFolder, { env });
	} catch (error) {
		remove();
		throw error;
	}
	const stopServer = server.stop;
	let stopped: Promise<number | null> | undefined;
	return {
		...server,
		runtime: rt,
		userFolder,
		stop() {
			stopped ??= stopServer().then((peak) => {
				remove();
				return peak;
			});
			return stopped;
		},
	};
}

/**
 * Starts n8n 2.x with our package, logs in, stores a credential for the simulator. The inspector
 * port is reserved but closed until SIGUSR1 (inspector()), so n8n starts as it always does.
 */
export async function startBenchServer(sim: Simulator): Promise<BenchContext> {
	const inspectPort = await freePort();
	const server = await startPackagedServer({
		NODE_OPTIONS: `--inspect-port=127.0.0.1:${inspectPort}`,
	});
	try {
		const flatted = require(path.join(server.runtime.dir, 'node_modules/flatted')) as Flatted;
		const api = restClient(server.url);
		await api.login(server.owner);
		const credential = await api.post('/rest/credentials', {
			name: 'uContact simulator',
			type: 'uContactApi',
			data: { server: 'custom', baseUrl: sim.url, authentication: 'token', token: sim.token },
		});
		let opened: Promise<Inspector> | undefined;
		return {
			api,
			server,
			sim,
			flatted,
			credential,
			pids: () => processGroup(server.pid),
			pollCpuMs: 0,
			inspector: () => {
				opened ??= (async () => {
					process.kill(server.pid, 'SIGUSR1');
					await sleep(500);
					return inspectorSession(inspectPort);
				})();
				return opened;
			},
		};
	} catch (error) {
		await server.stop();
		throw error;
	}
}

export interface MachineInfo {
	nproc: number;
	memoryGiB: string;
	cpu: string;
	kernel: string;
	node: string;
	n8nNode: string;
	n8n: string;
}

export function machine(rt: { dir: string; nodeBin: string }): MachineInfo {
	const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
	const model =
		(/^model name\s*:\s*(.*)$/m.exec(cpuinfo) || [])[1] || os.cpus()[0]?.model || 'unknown';
	const n8nVersion = JSON.parse(
		fs.readFileSync(path.join(rt.dir, 'node_modules/n8n/package.json'), 'utf8'),
	).version;
	const n8nNode = execFileSync(path.join(rt.nodeBin, 'node'), ['--version'], {
		encoding: 'utf8',
	}).trim();
	return {
		nproc: os.availableParallelism(),
		memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
		cpu: model.trim(),
		kernel: os.release(),
		node: process.version,
		n8nNode,
		n8n: n8nVersion,
	};
}
