'use strict';
// `npm run bench`: how fast, how CPU-hungry and how memory-hungry the uContact Disposition node
// is inside a real n8n 2.x, against the bundled simulator with a fixed answer latency.
//
// Every figure is printed next to a baseline measured in the same run (a raw Node HTTP client,
// n8n's own HTTP Request node, a NoOp node), because absolute numbers depend on the machine and
// only ratios say whether the node is good. Nothing here is a timed assertion.
//
// One n8n server (our package packed and installed as a community node) is started once; every
// scenario is a workflow Manual Trigger -> "Finished Calls" (a Code node generating N items) ->
// the node under test, run through the REST API. For each run:
//   - node time: the node's own executionTime from the run data (the Code node does not count);
//   - wall time: the execution's startedAt..stoppedAt as n8n records it;
//   - CPU: utime+stime of n8n's process group (main + task runner) from /proc, minus the same
//     workflow with a NoOp node in place of the node under test, minus the cost of our polling;
//   - peak RSS: the main process's VmHWM after resetting it (clear_refs) just before the run,
//     or sampled VmRSS where that reset is not allowed.
// The raw client floor runs in a child process so its process.cpuUsage() holds only the client,
// not the simulator.
//
// Flags: --items N (1000) --latency MS (20) --concurrency C (10) --quick (small smoke run)
//        --repeat R (1: run each scenario R times, keep the fastest) --markdown FILE
//        --profile DIR (instead of the table: profile n8n's main process over three Map
//        Automatically runs at C, print where its CPU went, save the .cpuprofile in DIR).

const { fork, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DISPOSITION_PATH = '/Integra/resources/api/DispositionCall';
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=UTF-8';
const KEYS = [
	'campaign', 'agent', 'callerid', 'guid', 'l1', 'l2', 'l3',
	'd1', 'd2', 'comment', 'schedule', 'camptoreschedule', 'tag',
];
const TRIGGER = 'Manual Trigger';
const SOURCE = 'Finished Calls';
const UNDER_TEST = 'Under Test';

/**
 * One finished call. Its source text is also pasted into the Code node, so the raw client and
 * n8n send byte-identical data. Every tenth call schedules a callback (exercises the node's
 * schedule handling, which the HTTP Request node simply passes through).
 */
function makeCall(i) {
	const tenth = i % 10 === 0;
	return {
		campaign: 'Ventas->',
		agent: 'agent' + (i % 40),
		callerid: String(59899000000 + i),
		guid: '00000000-0000-4000-8000-' + String(i).padStart(12, '0'),
		l1: 'Venta',
		l2: i % 2 ? 'Contado' : 'Crédito',
		l3: '',
		d1: 'order-' + i,
		d2: '',
		comment: 'Cliente satisfecho, llamada ' + i,
		schedule: tenth ? '2026-12-01 15:30:00' : '',
		camptoreschedule: tenth ? 'Ventas->' : '',
		tag: 'bench',
	};
}

function parseArgs(argv) {
	const args = { items: 1000, latency: 20, concurrency: 10, quick: false, repeat: 1, markdown: null, profile: null };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = () => {
			if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
			return argv[++i];
		};
		if (flag === '--items') args.items = Number(value());
		else if (flag === '--latency') args.latency = Number(value());
		else if (flag === '--concurrency') args.concurrency = Number(value());
		else if (flag === '--repeat') args.repeat = Number(value());
		else if (flag === '--markdown') args.markdown = path.resolve(value());
		else if (flag === '--profile') args.profile = path.resolve(value());
		else if (flag === '--quick') args.quick = true;
		else if (flag === '--raw-client-child') args.rawChild = true;
		else if (flag === '--help' || flag === '-h') {
			console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(19, 24).join('\n'));
			process.exit(0);
		} else throw new Error(`unknown flag ${flag}`);
	}
	if (args.quick && !argv.includes('--items')) args.items = 100;
	for (const key of ['items', 'latency', 'concurrency', 'repeat']) {
		if (!Number.isInteger(args[key]) || args[key] < (key === 'latency' ? 0 : 1)) {
			throw new Error(`--${key} must be a whole number (got ${args[key]})`);
		}
	}
	if (args.concurrency > 50) throw new Error('--concurrency: the node allows at most 50');
	return args;
}

// ---------------------------------------------------------------- raw client (child process)

/**
 * The floor: plain http.request, a new connection per request (n8n's helper does not keep
 * connections alive either), same body and headers, `concurrency` requests in flight.
 */
async function rawClientRun(url, token, count, concurrency) {
	const target = new URL(url + DISPOSITION_PATH);
	const post = (body) =>
		new Promise((resolve, reject) => {
			const req = http.request(
				{
					host: target.hostname,
					port: target.port,
					path: target.pathname,
					method: 'POST',
					agent: false,
					headers: {
						'Content-Type': FORM_CONTENT_TYPE,
						'Content-Length': Buffer.byteLength(body),
						Authorization: `Basic ${token}`,
					},
				},
				(res) => {
					let text = '';
					res.setEncoding('utf8');
					res.on('data', (chunk) => (text += chunk));
					res.on('end', () =>
						res.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${res.statusCode}: ${text}`)),
					);
				},
			);
			req.on('error', reject);
			req.end(body);
		});
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	let next = 0;
	const lane = async () => {
		while (next < count) {
			const call = makeCall(next++);
			await post(new URLSearchParams(KEYS.map((key) => [key, call[key]])).toString());
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
	const wallMs = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function rawClientChild() {
	process.on('message', async ({ url, token, count, concurrency, warmup }) => {
		try {
			// The warm-up lets V8 compile the client's paths before the measured run.
			await rawClientRun(url, token, warmup, concurrency);
			const result = await rawClientRun(url, token, count, concurrency);
			result.maxRssMiB = process.resourceUsage().maxRSS / 1024;
			process.send({ ok: true, result });
		} catch (error) {
			process.send({ ok: false, error: String(error && error.stack) });
		}
	});
}

function rawClient(sim, count, concurrency, warmup) {
	return new Promise((resolve, reject) => {
		const child = fork(__filename, ['--raw-client-child'], { stdio: 'inherit' });
		child.once('message', (message) => {
			child.kill();
			if (message.ok) resolve(message.result);
			else reject(new Error(message.error));
		});
		child.once('error', reject);
		child.send({ url: sim.url, token: sim.token, count, concurrency, warmup });
	});
}

// ---------------------------------------------------------------- /proc readings

let clockTicks = 100;
try {
	clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
	// getconf missing: Linux's usual USER_HZ
}

/** utime+stime of `pids`, in ms. */
function cpuMs(pids) {
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

function statusKiB(pid, field) {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) : 0;
	} catch {
		return 0;
	}
}

/**
 * Peak RSS of `pid` from now until stop(), in MiB. Writing 5 to clear_refs resets the kernel's
 * high-water mark (VmHWM), which then catches peaks no sampling interval would; where that is
 * not permitted, VmRSS is sampled every 20 ms.
 */
function peakRss(pid) {
	let exact = false;
	try {
		fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
		exact = true;
	} catch {
		// not allowed here: sample instead
	}
	const before = statusKiB(pid, 'VmRSS');
	let peak = before;
	const timer = exact ? null : setInterval(() => (peak = Math.max(peak, statusKiB(pid, 'VmRSS'))), 20);
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

/**
 * Mean number of DispositionCall requests the simulator held at once (arrival to answer) over
 * the span of the last run: C minus this is how many of the client's lanes were, on average,
 * busy on the client side (building, connecting, reading the answer) instead of waiting.
 */
function meanInFlight(sim) {
	const calls = sim.requests.filter((r) => r.endpoint === 'DispositionCall' && r.t0 !== undefined && r.t1 !== undefined);
	if (calls.length === 0) return null;
	let held = 0;
	let first = Infinity;
	let last = -Infinity;
	for (const r of calls) {
		held += r.t1 - r.t0;
		first = Math.min(first, r.t0);
		last = Math.max(last, r.t1);
	}
	return held / (last - first);
}

// ---------------------------------------------------------------- n8n REST API

function restClient(baseUrl) {
	let cookie = '';
	// The auth cookie is bound to the browser id sent at login; any constant will do.
	const browserId = 'ucontact-bench';
	async function call(method, route, body) {
		const response = await fetch(baseUrl + route, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': browserId,
				...(cookie ? { cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${route}: HTTP ${response.status}: ${text.slice(0, 500)}`);
		for (const header of response.headers.getSetCookie()) {
			if (header.startsWith('n8n-auth=')) cookie = header.split(';')[0];
		}
		return JSON.parse(text).data;
	}
	return {
		login: (owner) => call('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password }),
		get: (route) => call('GET', route),
		post: (route, body) => call('POST', route, body),
	};
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const POLL_MS = 50;
const DONE = new Set(['success', 'error', 'crashed', 'canceled']);

/** The execution's list entry (no run data: cheap to fetch repeatedly). */
async function executionSummary(api, workflowId, executionId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const list = await api.get(`/rest/executions?filter=${filter}&limit=5`);
	return list.results.find((entry) => String(entry.id) === String(executionId));
}

// ---------------------------------------------------------------- workflows

function node(name, type, typeVersion, x, parameters, extra = {}) {
	return { id: `bench-${name.replace(/\W/g, '-')}`, name, type, typeVersion, position: [x, 0], parameters, ...extra };
}

function workflowJson(name, count, underTest) {
	const jsCode =
		`${makeCall.toString()}\n` +
		`const calls = [];\n` +
		`for (let i = 0; i < ${count}; i++) calls.push({ json: makeCall(i) });\n` +
		`return calls;\n`;
	return {
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node(TRIGGER, 'n8n-nodes-base.manualTrigger', 1, 0, {}),
			node(SOURCE, 'n8n-nodes-base.code', 2, 220, { mode: 'runOnceForAllItems', language: 'javaScript', jsCode }),
			{ ...underTest, name: UNDER_TEST, id: 'bench-under-test', position: [440, 0] },
		],
		connections: {
			[TRIGGER]: { main: [[{ node: SOURCE, type: 'main', index: 0 }]] },
			[SOURCE]: { main: [[{ node: UNDER_TEST, type: 'main', index: 0 }]] },
		},
	};
}

const expression = (key) => `={{ $json.${key} }}`;

function noOpNode() {
	return node(UNDER_TEST, 'n8n-nodes-base.noOp', 1, 0, {});
}

function uContactNode(credential, mode, concurrency) {
	const parameters =
		mode === 'autoMapInputData'
			? { mappingMode: 'autoMapInputData' }
			: {
					mappingMode: 'defineBelow',
					...Object.fromEntries(['campaign', 'agent', 'callerid', 'guid', 'l1', 'l2', 'l3'].map((k) => [k, expression(k)])),
					additionalFields: Object.fromEntries(
						['d1', 'd2', 'comment', 'schedule', 'camptoreschedule', 'tag'].map((k) => [k, expression(k)]),
					),
				};
	parameters.options = { concurrency };
	return node(UNDER_TEST, 'n8n-nodes-ucontact.uContactDisposition', 1, 0, parameters, {
		credentials: { uContactApi: { id: credential.id, name: credential.name } },
	});
}

/**
 * batchInterval is L, not 0: n8n's HTTP Request node ignores batching when the interval is 0
 * (it only ever sleeps between batches, never waits for answers), so "C items every L ms" is the
 * setting that keeps about C requests in flight, like the node's concurrency C.
 */
function httpRequestNode(sim, batchSize, batchInterval) {
	return node(UNDER_TEST, 'n8n-nodes-base.httpRequest', 4.2, 0, {
		method: 'POST',
		url: sim.url + DISPOSITION_PATH,
		sendHeaders: true,
		headerParameters: { parameters: [{ name: 'Authorization', value: `Basic ${sim.token}` }] },
		sendBody: true,
		contentType: 'form-urlencoded',
		bodyParameters: { parameters: KEYS.map((key) => ({ name: key, value: expression(key) })) },
		options: {
			// The simulator answers "OK" as a JSON string; the node's JSON mode wants an object.
			response: { response: { responseFormat: 'text' } },
			...(batchSize ? { batching: { batch: { batchSize, batchInterval } } } : {}),
		},
	});
}

// ---------------------------------------------------------------- running

/**
 * Runs one stored workflow and measures it. `pollCpuMs` is the measured CPU cost of one poll,
 * taken off the total so a slow run is not charged for being watched longer.
 */
async function runOnce(ctx, workflow, expectRequests) {
	const { api, server, sim, flatted } = ctx;
	sim.reset();
	const pids = ctx.pids();
	// Let the previous run's database writes settle, then collect garbage in n8n so that each
	// run's memory growth starts from live data only, not from when V8 last happened to collect.
	await sleep(300);
	if (ctx.collectGarbage) await ctx.collectGarbage();
	const rss = peakRss(server.pid);
	const cpu0 = cpuMs(pids);
	const window0 = performance.now();
	const { executionId } = await api.post(`/rest/workflows/${workflow.id}/run`, {
		triggerToStartFrom: { name: TRIGGER },
	});
	// Listing executions costs n8n real CPU (~tens of ms a call), so it is not polled while the
	// node is still sending: first wait, at no cost to n8n, until the simulator has answered
	// every request, then poll.
	const answered = () => sim.requests.filter((r) => r.endpoint === 'DispositionCall' && r.status !== null).length;
	while (expectRequests > 0 && answered() < expectRequests) await sleep(20);
	let summary;
	let polls = 0;
	for (;;) {
		await sleep(polls === 0 ? 20 : POLL_MS);
		polls++;
		summary = await executionSummary(api, workflow.id, executionId);
		if (summary && DONE.has(summary.status)) break;
	}
	const cpu = cpuMs(pids) - cpu0 - polls * ctx.pollCpuMs;
	const windowMs = performance.now() - window0;
	const peakMiB = rss.stop();
	const execution = await api.get(`/rest/executions/${executionId}`);
	const data = flatted.parse(execution.data);
	const runs = data.resultData.runData[UNDER_TEST];
	if (summary.status !== 'success' || !runs) {
		const message = data.resultData.error ? data.resultData.error.message : summary.status;
		throw new Error(`${workflow.name}: execution ${executionId} ended ${summary.status}: ${message}`);
	}
	const out = runs[0].data.main[0];
	const calls = sim.requests.filter((r) => r.endpoint === 'DispositionCall');
	const problems = calls.filter((r) => r.problems.length > 0 || r.status !== 200);
	if (expectRequests !== undefined && (calls.length !== expectRequests || problems.length > 0)) {
		const first = problems[0] ? `; first: ${problems[0].status} ${problems[0].problems.join(' | ')}` : '';
		throw new Error(
			`${workflow.name}: the simulator saw ${calls.length} requests (expected ${expectRequests}), ` +
				`${problems.length} with problems${first}`,
		);
	}
	return {
		items: out.length,
		wallMs: Date.parse(summary.stoppedAt) - Date.parse(summary.startedAt),
		nodeMs: runs[0].executionTime,
		cpuMs: cpu,
		windowMs,
		inFlight: meanInFlight(sim),
		rssBeforeMiB: rss.beforeMiB,
		peakRssMiB: peakMiB,
		rssExact: rss.exact,
	};
}

/** CPU n8n spends answering one execution-list poll (so it can be taken off the runs). */
async function measurePollCost(api, pids, workflowId) {
	for (let i = 0; i < 10; i++) await executionSummary(api, workflowId, 'none');
	const count = 50;
	const cpu0 = cpuMs(pids);
	for (let i = 0; i < count; i++) await executionSummary(api, workflowId, 'none');
	return (cpuMs(pids) - cpu0) / count;
}

async function createWorkflow(api, json) {
	const created = await api.post('/rest/workflows', json);
	return { id: created.id, name: json.name };
}

function machine(rt) {
	const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
	const model = (/^model name\s*:\s*(.*)$/m.exec(cpuinfo) || [])[1] || os.cpus()[0]?.model || 'unknown';
	const n8nVersion = JSON.parse(fs.readFileSync(path.join(rt.dir, 'node_modules/n8n/package.json'), 'utf8')).version;
	const n8nNode = execFileSync(path.join(rt.nodeBin, 'node'), ['--version'], { encoding: 'utf8' }).trim();
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

// ---------------------------------------------------------------- report

const fmt = (value, digits) => (value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits));

function tableRows(rows) {
	const header = ['scenario', 'items', 'wall s', 'node s', 'items/s', 'CPU ms/item', 'peak RSS MiB'];
	const body = rows.map((r) => [
		r.label,
		String(r.items),
		fmt(r.wallMs / 1000, 2),
		r.nodeMs === null ? '-' : fmt(r.nodeMs / 1000, 2),
		fmt(r.rate, 0),
		fmt(r.cpuPerItem, 2),
		r.rssBeforeMiB === null ? fmt(r.peakRssMiB, 0) : `${fmt(r.peakRssMiB, 0)} (+${fmt(r.peakRssMiB - r.rssBeforeMiB, 0)})`,
	]);
	return { header, body };
}

function textTable({ header, body }) {
	const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
	const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function markdownTable({ header, body }) {
	return [
		`| ${header.join(' | ')} |`,
		`|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
		...body.map((row) => `| ${row.join(' | ')} |`),
	].join('\n');
}

// ---------------------------------------------------------------- profile

/**
 * Self and inclusive time per function, and self time per package, from a V8 CPU profile,
 * biggest first. Idle time is left out.
 */
function summarizeProfile(profile, top = 25) {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map();
	for (const n of profile.nodes) for (const child of n.children || []) parent.set(child, n.id);
	const timeById = new Map();
	for (let i = 0; i < profile.samples.length; i++) {
		const dt = profile.timeDeltas[i + 1] ?? 0;
		timeById.set(profile.samples[i], (timeById.get(profile.samples[i]) || 0) + dt);
	}
	const label = (cf) => {
		const where = cf.url ? cf.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '') : '';
		return `${cf.functionName || '(anonymous)'} ${where}${where ? `:${cf.lineNumber + 1}` : ''}`;
	};
	const packageOf = (cf) => {
		if (cf.url === '') return cf.functionName || '(native)';
		if (cf.url.startsWith('node:')) return 'node:internal';
		const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(cf.url);
		return match ? match[1] : 'other';
	};
	const self = new Map();
	const inclusive = new Map();
	const byPackage = new Map();
	let busy = 0;
	const add = (map, key, us) => map.set(key, (map.get(key) || 0) + us);
	for (const [id, us] of timeById) {
		const cf = byId.get(id).callFrame;
		if (cf.functionName === '(idle)') continue;
		busy += us;
		add(self, label(cf), us);
		add(byPackage, packageOf(cf), us);
		const seen = new Set();
		for (let at = id; at !== undefined; at = parent.get(at)) {
			const key = label(byId.get(at).callFrame);
			if (!seen.has(key)) add(inclusive, key, us);
			seen.add(key);
		}
	}
	const sorted = (map, filter = () => true) =>
		[...map].filter(([key]) => filter(key)).sort((a, b) => b[1] - a[1]).slice(0, top);
	return {
		busyMs: busy / 1000,
		self: sorted(self),
		packages: sorted(byPackage),
		// Only named JavaScript frames: the root, (program) and anonymous glue say nothing.
		inclusive: sorted(inclusive, (key) => !/^\((root|program|anonymous)\)/.test(key) && !key.startsWith('processTicksAndRejections')),
	};
}

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
async function inspectorSession(port) {
	const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
	const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
	await new Promise((resolve, reject) => {
		socket.onopen = resolve;
		socket.onerror = () => reject(new Error('cannot connect to the n8n inspector'));
	});
	let nextId = 1;
	const pending = new Map();
	socket.onmessage = (event) => {
		const message = JSON.parse(event.data);
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

/**
 * Profiles n8n's main process over Map Automatically runs only (not its start-up): n8n starts
 * with an inspector port reserved but closed (--inspect-port), SIGUSR1 opens it, and the
 * profiler is switched on over the DevTools protocol just before the runs and off after them.
 */
async function profileRun(args, startN8nWithPackage, sim, flatted, count) {
	const { freePort } = require(path.join(ROOT, 'test/e2e/support/server.cjs'));
	const inspectPort = await freePort();
	const server = await startN8nWithPackage('n8n-2', { env: { NODE_OPTIONS: `--inspect-port=127.0.0.1:${inspectPort}` } });
	const runs = 3;
	let items = 0;
	let nodeMs = 0;
	let profile;
	try {
		const ctx = await prepareServer(server, sim, flatted);
		const wf = await createWorkflow(
			ctx.api,
			workflowJson('profile autoMap', count, uContactNode(ctx.credential, 'autoMapInputData', args.concurrency)),
		);
		await runOnce(ctx, wf, count); // warm-up, not profiled
		process.kill(server.pid, 'SIGUSR1');
		await sleep(500);
		const inspector = await inspectorSession(inspectPort);
		await inspector.send('Profiler.enable');
		await inspector.send('Profiler.setSamplingInterval', { interval: 200 });
		await inspector.send('Profiler.start');
		for (let i = 0; i < runs; i++) {
			const run = await runOnce(ctx, wf, count);
			console.error(`  run ${i + 1}: ${fmt(run.items / (run.nodeMs / 1000), 0)} items/s (node time)`);
			items += run.items;
			nodeMs += run.nodeMs;
		}
		({ profile } = await inspector.send('Profiler.stop'));
		inspector.close();
	} finally {
		await server.stop();
	}
	if (args.profile) {
		fs.mkdirSync(args.profile, { recursive: true });
		fs.writeFileSync(path.join(args.profile, 'n8n-main-automap.cpuprofile'), JSON.stringify(profile));
	}
	const summary = summarizeProfile(profile);
	const perItem = (us) => `${fmt(us / 1000, 0).padStart(6)} ms ${fmt(us / 1000 / items, 3).padStart(6)} ms/item`;
	console.log(
		`\nn8n main process, ${runs} runs of Map Automatically C=${args.concurrency} x${count} (node time ${fmt(nodeMs / 1000, 1)} s, ` +
			`wait for runs included): busy ${fmt(summary.busyMs, 0)} ms = ${fmt(summary.busyMs / items, 2)} ms/item.` +
			(args.profile ? ` Profile: ${path.join(args.profile, 'n8n-main-automap.cpuprofile')}` : ''),
	);
	console.log('\nSelf time by package:');
	for (const [pkg, us] of summary.packages.slice(0, 15)) console.log(`  ${perItem(us)}  ${pkg}`);
	console.log('\nSelf time by function:');
	for (const [fn, us] of summary.self) console.log(`  ${perItem(us)}  ${fn}`);
	console.log('\nInclusive time by function (named frames):');
	for (const [fn, us] of summary.inclusive.slice(0, 40)) console.log(`  ${perItem(us)}  ${fn}`);
}

// ---------------------------------------------------------------- main

async function prepareServer(server, sim, flatted) {
	const api = restClient(server.url);
	await api.login(server.owner);
	const credential = await api.post('/rest/credentials', {
		name: 'uContact simulator',
		type: 'uContactApi',
		data: { server: 'custom', baseUrl: sim.url, authentication: 'token', token: sim.token },
	});
	const { processGroup } = require(path.join(ROOT, 'test/e2e/support/server.cjs'));
	const ctx = { api, server, sim, flatted, credential, pids: () => processGroup(server.pid), pollCpuMs: 0 };
	return ctx;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.rawChild) return rawClientChild();
	if (process.platform !== 'linux') throw new Error('the benchmark reads /proc: Linux only');

	const { startSimulator } = require(path.join(ROOT, 'test/support/simulator/simulator.js'));
	const { startN8nWithPackage } = require(path.join(ROOT, 'test/e2e/support/server.cjs'));
	const N = args.items;
	const C = args.concurrency;
	const L = args.latency;
	const bigN = args.quick ? N * 5 : N * 10;
	const warmN = Math.min(100, N);
	const started = Date.now();
	const log = (text) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${text}`);

	// Arrival and answer times of every request, for meanInFlight().
	const sim = await startSimulator({ latencyMs: L, onRequest: (record) => (record.t1 = performance.now()) });
	const push = sim.requests.push;
	sim.requests.push = function (...records) {
		for (const record of records) record.t0 = performance.now();
		return push.apply(this, records);
	};
	let server;
	const rows = [];
	try {
		if (args.profile) {
			log(`profiling: n8n under --cpu-prof, Map Automatically C=${C} x${N}, 3 runs`);
			const { runtime } = require(path.join(ROOT, 'test/e2e/support/runtime.cjs'));
			const flatted = require(path.join(runtime('n8n-2').dir, 'node_modules/flatted'));
			await profileRun(args, startN8nWithPackage, sim, flatted, N);
			return;
		}
		log(`simulator at ${sim.url}, answer latency ${L} ms; building, packing and starting n8n...`);
		// The inspector port is reserved but closed until SIGUSR1; it is used only to ask V8 for a
		// full garbage collection before each run (HeapProfiler.collectGarbage).
		const { freePort } = require(path.join(ROOT, 'test/e2e/support/runtime.cjs'));
		const inspectPort = await freePort();
		server = await startN8nWithPackage('n8n-2', { env: { NODE_OPTIONS: `--inspect-port=127.0.0.1:${inspectPort}` } });
		const flatted = require(path.join(server.runtime.dir, 'node_modules/flatted'));
		const ctx = await prepareServer(server, sim, flatted);
		process.kill(server.pid, 'SIGUSR1');
		await sleep(500);
		const inspector = await inspectorSession(inspectPort);
		ctx.collectGarbage = async () => {
			await inspector.send('HeapProfiler.collectGarbage');
			await inspector.send('HeapProfiler.collectGarbage');
		};
		const info = machine(server.runtime);
		log(`n8n ${info.n8n} ready in ${(server.readyMs / 1000).toFixed(1)} s at ${server.url}`);

		// Scenario kinds: what sits in the "Under Test" slot.
		const kinds = {
			noop: { label: 'NoOp (CPU baseline)', make: () => noOpNode(), sends: false },
			autoMap1: { label: 'uContact autoMap C=1', make: () => uContactNode(ctx.credential, 'autoMapInputData', 1) },
			autoMapC: { label: `uContact autoMap C=${C}`, make: () => uContactNode(ctx.credential, 'autoMapInputData', C) },
			define1: { label: 'uContact defineBelow C=1', make: () => uContactNode(ctx.credential, 'defineBelow', 1) },
			defineC: { label: `uContact defineBelow C=${C}`, make: () => uContactNode(ctx.credential, 'defineBelow', C) },
			httpAll: { label: 'HTTP Request unbatched', make: () => httpRequestNode(sim, 0, 0) },
			httpBatch: { label: `HTTP Request ${C} per ${L} ms`, make: () => httpRequestNode(sim, C, L) },
		};
		const workflows = {};
		const workflowFor = async (kind, count) => {
			const key = `${kind}:${count}`;
			if (!workflows[key]) {
				workflows[key] = await createWorkflow(ctx.api, workflowJson(`bench ${kinds[kind].label} x${count}`, count, kinds[kind].make()));
			}
			return workflows[key];
		};
		const measure = async (kind, count, times = args.repeat) => {
			const wf = await workflowFor(kind, count);
			let best;
			for (let i = 0; i < times; i++) {
				const run = await runOnce(ctx, wf, kinds[kind].sends === false ? 0 : count);
				if (!best || run.nodeMs < best.nodeMs) best = run;
			}
			return best;
		};

		ctx.pollCpuMs = await measurePollCost(ctx.api, ctx.pids(), (await workflowFor('noop', warmN)).id);
		log(`one execution-list poll costs n8n ${ctx.pollCpuMs.toFixed(2)} ms CPU (taken off each run)`);
		// An idle n8n still burns some CPU (timers, task-runner heartbeats); over a 25 s run at C=1
		// that would be charged to the node, so it is measured and taken off per ms of run.
		await sleep(1000);
		const idle0 = cpuMs(ctx.pids());
		const idleT0 = performance.now();
		await sleep(4000);
		const idleCpuPerMs = (cpuMs(ctx.pids()) - idle0) / (performance.now() - idleT0);
		log(`idle n8n uses ${(idleCpuPerMs * 100).toFixed(1)}% of a CPU (taken off each run by its duration)`);

		// Warm-up: each kind once on a few items, so V8 has compiled n8n's and our paths before
		// anything is timed. It also proves every workflow is right: runOnce fails if the simulator
		// flags any request, or sees the wrong number of them.
		log(`warm-up: every scenario on ${warmN} items, checking the simulator sees no problems`);
		for (const kind of Object.keys(kinds)) await measure(kind, warmN, 1);

		log(`raw client floor: ${N} requests at concurrency ${C}`);
		sim.reset();
		const raw = await rawClient(sim, N, C, warmN);
		// The warm-up's requests are in the simulator's list too: only the measured ones count.
		sim.requests.splice(0, warmN);
		const rawInFlight = meanInFlight(sim);
		const rawRequests = sim.requests.filter((r) => r.endpoint === 'DispositionCall');
		if (rawRequests.some((r) => r.problems.length > 0 || r.status !== 200)) {
			throw new Error('the raw client sent requests the simulator flagged: the benchmark body is wrong');
		}
		log(`raw client at concurrency 1: ${N} requests (the floor for C=1)`);
		sim.reset();
		const raw1 = await rawClient(sim, N, 1, Math.min(20, N));
		rows.push({
			key: 'raw1',
			label: 'raw http.request C=1',
			items: N,
			wallMs: raw1.wallMs,
			nodeMs: null,
			rate: N / (raw1.wallMs / 1000),
			cpuPerItem: raw1.cpuMs / N,
			peakRssMiB: raw1.maxRssMiB,
			rssBeforeMiB: null,
		});
		rows.push({
			key: 'raw',
			label: `raw http.request C=${C}`,
			items: N,
			wallMs: raw.wallMs,
			nodeMs: null,
			rate: N / (raw.wallMs / 1000),
			cpuPerItem: raw.cpuMs / N,
			peakRssMiB: raw.maxRssMiB,
			rssBeforeMiB: null,
		});

		const baselines = {};
		const baseline = async (count) => {
			// Twice, keeping the cheaper: the baseline is subtracted, so its noise lands on every row.
			if (!baselines[count]) {
				log(`NoOp baseline x${count}`);
				const a = await measure('noop', count, Math.max(2, args.repeat));
				baselines[count] = a;
				rows.push(row('noop', kinds.noop.label, a, null));
			}
			return baselines[count];
		};
		const row = (key, label, run, base) => ({
			key,
			label,
			items: run.items,
			wallMs: run.wallMs,
			nodeMs: run.nodeMs,
			rate: key === 'noop' ? null : run.items / (run.nodeMs / 1000),
			cpuPerItem: base
				? (run.cpuMs - idleCpuPerMs * run.windowMs - (base.cpuMs - idleCpuPerMs * base.windowMs)) / run.items
				: run.cpuMs / run.items,
			inFlight: run.inFlight,
			peakRssMiB: run.peakRssMiB,
			rssBeforeMiB: run.rssBeforeMiB,
			rssExact: run.rssExact,
		});

		await baseline(N);
		for (const kind of ['autoMapC', 'autoMap1', 'defineC', 'define1', 'httpAll', 'httpBatch']) {
			log(`${kinds[kind].label} x${N}`);
			rows.push(row(kind, kinds[kind].label, await measure(kind, N), baselines[N]));
		}
		await baseline(bigN);
		log(`${kinds.autoMapC.label} x${bigN} (memory growth)`);
		rows.push(row('autoMapBig', kinds.autoMapC.label, await measure('autoMapC', bigN), baselines[bigN]));

		// ------------------------------------------------------------ ratios
		const get = (key) => rows.find((r) => r.key === key);
		const auto = get('autoMapC');
		const define = get('defineC');
		const httpBest = [get('httpAll'), get('httpBatch')].sort((a, b) => b.rate - a.rate)[0];
		const ceiling = Math.min(C / (L / 1000 || Infinity), 500);
		const growthSmall = auto.peakRssMiB - auto.rssBeforeMiB;
		const growthBig = get('autoMapBig').peakRssMiB - get('autoMapBig').rssBeforeMiB;
		const targets = [
			{
				name: `autoMap C=${C} throughput vs min(C/L, 500/s) = ${fmt(ceiling, 0)}/s`,
				value: auto.rate / ceiling,
				pass: auto.rate / ceiling >= 0.9,
				want: '>= 0.90x',
			},
			{
				name: `autoMap C=${C} vs the faster HTTP Request (${httpBest.label})`,
				value: auto.rate / httpBest.rate,
				pass: auto.rate / httpBest.rate >= 4,
				want: '>= 4.00x',
			},
			{
				name: `defineBelow C=${C} vs the faster HTTP Request (${httpBest.label})`,
				value: define.rate / httpBest.rate,
				pass: define.rate / httpBest.rate >= 1,
				want: '>= 1.00x',
			},
			{
				name: `CPU per item, autoMap C=${C} vs raw client`,
				value: auto.cpuPerItem / get('raw').cpuPerItem,
				pass: auto.cpuPerItem / get('raw').cpuPerItem <= 3,
				want: '<= 3.00x',
			},
			{
				name: `RSS growth autoMap ${N} -> ${bigN} items (+${fmt(growthSmall, 0)} -> +${fmt(growthBig, 0)} MiB)`,
				value: growthBig - growthSmall,
				pass: growthBig - growthSmall < 50,
				want: '< 50 MiB',
				unit: ' MiB',
			},
		];
		const other = [
			`autoMap C=${C} vs raw client floor: ${fmt(auto.rate / get('raw').rate, 2)}x throughput`,
			`autoMap C=1 vs the latency bound 1/L = ${fmt(1000 / L, 0)}/s: ${fmt(get('autoMap1').rate / (1000 / L), 2)}x; vs raw client C=1: ${fmt(get('autoMap1').rate / get('raw1').rate, 2)}x`,
			`raw client C=${C} vs min(C/L, 500/s): ${fmt(get('raw').rate / ceiling, 2)}x (what the machine and simulator allow at all)`,
			`defineBelow C=${C} vs autoMap C=${C}: ${fmt(define.rate / auto.rate, 2)}x throughput, ${fmt(define.cpuPerItem / auto.cpuPerItem, 2)}x CPU per item`,
			`mean requests held by the simulator at once: raw C=${C} ${fmt(rawInFlight, 1)}, autoMap C=${C} ${fmt(auto.inFlight, 1)}, ` +
				`defineBelow C=${C} ${fmt(define.inFlight, 1)}, HTTP Request batched ${fmt(get('httpBatch').inFlight, 1)}, unbatched ${fmt(get('httpAll').inFlight, 1)}`,
			`HTTP Request batched vs unbatched: ${fmt(get('httpBatch').rate / get('httpAll').rate, 2)}x throughput`,
			`autoMap C=${C} CPU per item vs HTTP Request unbatched: ${fmt(auto.cpuPerItem / get('httpAll').cpuPerItem, 2)}x`,
		];

		const table = tableRows(rows);
		const rssNote = rows.some((r) => r.rssExact === false) ? 'sampled every 20 ms' : 'kernel high-water mark (VmHWM, reset before each run)';
		const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, '');
		const out = [];
		out.push(`Machine: ${info.nproc} CPUs (${info.cpu}), ${info.memoryGiB} GiB RAM, Linux ${info.kernel}`);
		out.push(`n8n ${info.n8n} on Node ${info.n8nNode}; bench and simulator on Node ${info.node}`);
		out.push(`Command: ${command}  (N=${N}, L=${L} ms, C=${C}, repeat=${args.repeat}, best of repeats by node time)`);
		out.push('');
		out.push(textTable(table));
		out.push('');
		out.push('items/s = items / node time (the node\'s own executionTime; raw client: its wall time).');
		out.push('CPU ms/item = n8n main + task runner CPU minus the NoOp run of the same size, per item (raw client: its own process).');
		out.push(`peak RSS = n8n main process, ${rssNote}; (+x) = growth over the RSS just before the run.`);
		out.push('');
		out.push('Targets:');
		for (const t of targets) {
			const shown = t.unit ? `${fmt(t.value, 1)}${t.unit}` : `${fmt(t.value, 2)}x`;
			out.push(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${shown} (want ${t.want})`);
		}
		out.push('Other ratios:');
		for (const line of other) out.push(`  ${line}`);
		out.push(`\nTotal bench time ${((Date.now() - started) / 1000).toFixed(0)} s.`);
		console.log('\n' + out.join('\n'));

		if (args.markdown) {
			const md = [
				`- Machine: ${info.nproc} CPUs (${info.cpu}), ${info.memoryGiB} GiB RAM, Linux ${info.kernel}`,
				`- n8n ${info.n8n} on Node ${info.n8nNode}; benchmark and simulator on Node ${info.node}`,
				`- Command: \`${command}\` (N=${N}, L=${L} ms, C=${C})`,
				'',
				markdownTable(table),
				'',
				'| target | measured | want | result |',
				'|---|---:|---:|---|',
				...targets.map(
					(t) =>
						`| ${t.name} | ${t.unit ? `${fmt(t.value, 1)}${t.unit}` : `${fmt(t.value, 2)}x`} | ${t.want} | ${t.pass ? 'PASS' : '**MISS**'} |`,
				),
				'',
				...other.map((line) => `- ${line}`),
				'',
			].join('\n');
			fs.writeFileSync(args.markdown, md);
			log(`markdown written to ${args.markdown}`);
		}

	} finally {
		if (server) await server.stop();
		await sim.close();
	}
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error && error.stack ? error.stack : error);
		process.exit(1);
	});
}

// For one-off experiments: node -e "const b = require('./scripts/bench.cjs'); ..."
module.exports = { makeCall, rawClient, prepareServer, createWorkflow, workflowJson, uContactNode, httpRequestNode, noOpNode, runOnce };
