/**
 * `--profile DIR`: where n8n's main process spends its CPU over runs of one scenario
 * (`--scenario`, Map Automatically by default), not its start-up. The profiler is switched on over the DevTools protocol just before the runs and off
 * after them; the .cpuprofile is saved in DIR.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Simulator } from '../../test/support/simulator/simulator';
import type { Args } from './args';
import { runOnce } from './measure';
import { createWorkflow, startBenchServer, type Json } from './n8nProcess';
import { fmt } from './report';
import { runWebhooks } from './webhook';
import { labelOf, scenario, underTestNode, workflowJson } from './scenarios';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
}

interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

/**
 * Self and inclusive time per function, and self time per package, from a V8 CPU profile,
 * biggest first. Idle time is left out.
 */
function summarizeProfile(profile: CpuProfile, top = 25) {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const child of n.children || []) parent.set(child, n.id);
	const timeById = new Map<number, number>();
	for (let i = 0; i < profile.samples.length; i++) {
		const dt = profile.timeDeltas[i + 1] ?? 0;
		timeById.set(profile.samples[i], (timeById.get(profile.samples[i]) || 0) + dt);
	}
	const label = (cf: CallFrame) => {
		const where = cf.url ? cf.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '') : '';
		return `${cf.functionName || '(anonymous)'} ${where}${where ? `:${cf.lineNumber + 1}` : ''}`;
	};
	const packageOf = (cf: CallFrame) => {
		if (cf.url === '') return cf.functionName || '(native)';
		if (cf.url.startsWith('node:')) return 'node:internal';
		const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(cf.url);
		return match ? match[1] : 'other';
	};
	const self = new Map<string, number>();
	const inclusive = new Map<string, number>();
	const byPackage = new Map<string, number>();
	let busy = 0;
	const add = (map: Map<string, number>, key: string, us: number) =>
		map.set(key, (map.get(key) || 0) + us);
	const frame = (id: number) => (byId.get(id) as ProfileNode).callFrame;
	for (const [id, us] of timeById) {
		const cf = frame(id);
		if (cf.functionName === '(idle)') continue;
		busy += us;
		add(self, label(cf), us);
		add(byPackage, packageOf(cf), us);
		const seen = new Set<string>();
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
			const key = label(frame(at));
			if (!seen.has(key)) add(inclusive, key, us);
			seen.add(key);
		}
	}
	const sorted = (map: Map<string, number>, filter: (key: string) => boolean = () => true) =>
		[...map]
			.filter(([key]) => filter(key))
			.sort((a, b) => b[1] - a[1])
			.slice(0, top);
	return {
		busyMs: busy / 1000,
		self: sorted(self),
		packages: sorted(byPackage),
		// Only named JavaScript frames: the root, (program) and anonymous glue say nothing.
		inclusive: sorted(
			inclusive,
			(key) =>
				!/^\((root|program|anonymous)\)/.test(key) && !key.startsWith('processTicksAndRejections'),
		),
	};
}

export async function profileRun(args: Args, sim: Simulator): Promise<void> {
	// --scenario webhook:KEY profiles the one-call-per-execution workflow of scenario KEY.
	const webhookKey = args.profileScenario.startsWith('webhook:')
		? args.profileScenario.slice('webhook:'.length)
		: null;
	const count = webhookKey ? args.posts : args.items;
	const ctx = await startBenchServer(sim);
	const runs = 3;
	let items = 0;
	let nodeMs = 0;
	let profile: CpuProfile;
	try {
		const settings = { concurrency: args.concurrency, latency: args.latency };
		if (webhookKey) {
			// One webhook burst of --posts POSTs from --clients clients, profiled whole (its 40
			// warm-up POSTs included); "items" below are executions.
			const inspector = await ctx.inspector();
			await inspector.send('Profiler.enable');
			await inspector.send('Profiler.setSamplingInterval', { interval: 200 });
			await inspector.send('Profiler.start');
			const [run] = await runWebhooks(ctx, [webhookKey], settings, count, args.clients, 1, 0, (t) =>
				console.error(t),
			);
			console.error(`  ${fmt(run.execPerS, 1)} exec/s, node ms p50 ${fmt(run.nodeMs.p50, 1)}`);
			items = count + 2 * args.clients;
			nodeMs = run.wallMs;
		} else {
			const under = underTestNode(scenario(args.profileScenario), settings, {
				url: sim.url,
				token: sim.token,
				credential: ctx.credential,
			});
			const wf = await createWorkflow(
				ctx.api,
				workflowJson(
					`profile ${args.profileScenario}`,
					count,
					under,
					scenario(args.profileScenario).distinct,
				),
			);
			await runOnce(ctx, wf, count); // warm-up, not profiled
			const inspector = await ctx.inspector();
			await inspector.send('Profiler.enable');
			await inspector.send('Profiler.setSamplingInterval', { interval: 200 });
			await inspector.send('Profiler.start');
			for (let i = 0; i < runs; i++) {
				const run = await runOnce(ctx, wf, count);
				console.error(
					`  run ${i + 1}: ${fmt(run.items / (run.nodeMs / 1000), 0)} items/s (node time)`,
				);
				items += run.items;
				nodeMs += run.nodeMs;
			}
		}
		const inspector = await ctx.inspector();
		({ profile } = (await inspector.send('Profiler.stop')) as Json);
		inspector.close();
	} finally {
		await ctx.server.stop();
	}
	const file = path.join(
		args.profile as string,
		`n8n-main-${args.profileScenario.replace(':', '-')}.cpuprofile`,
	);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(profile));
	const summary = summarizeProfile(profile);
	const perItem = (us: number) =>
		`${fmt(us / 1000, 0).padStart(6)} ms ${fmt(us / 1000 / items, 3).padStart(6)} ms/item`;
	console.log(
		`\nn8n main process, ${webhookKey ? `a webhook burst of ${count} POSTs (+${2 * args.clients} warm-up) into` : `${runs} runs of`} ${labelOf(scenario(webhookKey ?? args.profileScenario), { concurrency: args.concurrency, latency: args.latency })} x${count} (node time ${fmt(nodeMs / 1000, 1)} s, ` +
			`wait for runs included): busy ${fmt(summary.busyMs, 0)} ms = ${fmt(summary.busyMs / items, 2)} ms/item. Profile: ${file}`,
	);
	console.log('\nSelf time by package:');
	for (const [pkg, us] of summary.packages.slice(0, 15)) console.log(`  ${perItem(us)}  ${pkg}`);
	console.log('\nSelf time by function:');
	for (const [fn, us] of summary.self) console.log(`  ${perItem(us)}  ${fn}`);
	console.log('\nInclusive time by function (named frames):');
	for (const [fn, us] of summary.inclusive.slice(0, 40)) console.log(`  ${perItem(us)}  ${fn}`);
}
