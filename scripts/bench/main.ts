/**
 * `npm run bench`: how fast, how CPU-hungry and how memory-hungry the uContact Disposition node
 * is inside a real n8n 2.x, against the bundled simulator with a fixed answer latency.
 *
 * Every figure is printed next to a baseline measured in the same run (a raw Node HTTP client,
 * n8n's own HTTP Request node, a NoOp node), because absolute numbers depend on the machine and
 * only ratios say whether the node is good. Nothing here is a timed assertion.
 *
 * One n8n server (our package packed and installed as a community node) is started once; every
 * scenario (scenarios.ts) is a workflow Manual Trigger -> "Finished Calls" (a Code node
 * generating N items) -> the node under test, run through the REST API. For each run
 * (measure.ts):
 *   - node time: the node's own executionTime from the run data (the Code node does not count);
 *   - wall time: the execution's startedAt..stoppedAt as n8n records it;
 *   - CPU: utime+stime of n8n's process group (main + task runner) from /proc, minus the same
 *     workflow with a NoOp node in place of the node under test, minus the cost of our polling;
 *   - peak RSS: the main process's VmHWM after resetting it (clear_refs) just before the run,
 *     or sampled VmRSS where that reset is not allowed.
 * Issue 23's scenarios, each against its baselines in the same run: the helper's ceiling
 * (ceilingNode.ts, a minimal node installed next to ours) at N and 10x N; one call per execution
 * (webhook.ts: a Webhook workflow, 2,000 POSTs from 20 clients); memory (peak RSS and heap) on
 * the 10x runs. reportScenarios.ts draws their tables. Issue 28's Skip Already Recorded
 * Dispositions on vs off (skip.ts, reportSkip.ts): bulk and per webhook execution, with the node's
 * processed_data row empty and full.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startSimulator } from '../../test/support/simulator/simulator';
import { parseArgs, USAGE, type Args } from './args';
import { recordAnswerTime, recordArrivalTimes } from './measure';
import { machine, startBenchServer, type BenchContext, type MachineInfo } from './n8nProcess';
import { profileRun } from './profile';
import { report } from './report';
import { renderScenarios, scenarioReport } from './reportScenarios';
import { runSuite, type SuiteResult } from './suite';

type Results = SuiteResult & { machine: MachineInfo; command: string; elapsedS: number };

function render(results: Results, args: Args, log: (text: string) => void): void {
	const { rows, bigItems, memoryItems, rawInFlight, webhook, skip } = results;
	if (args.webhookOnly || args.memoryOnly || args.skipOnly) {
		const only = renderScenarios(
			scenarioReport(rows, webhook, args.items, bigItems, memoryItems, skip),
		);
		console.log(only.text);
		if (args.markdown) fs.writeFileSync(args.markdown, only.markdown);
		return;
	}
	const { text, markdown } = report({
		rows,
		settings: { concurrency: args.concurrency, latency: args.latency },
		items: args.items,
		bigItems,
		repeat: args.repeat,
		rawInFlight,
		machine: results.machine,
		command: results.command,
		elapsedS: results.elapsedS,
	});
	const scenarios = renderScenarios(
		scenarioReport(rows, webhook, args.items, bigItems, memoryItems, skip),
	);
	console.log('\n' + text + '\n' + scenarios.text);
	if (args.markdown) {
		fs.writeFileSync(args.markdown, markdown + scenarios.markdown);
		log(`markdown written to ${args.markdown}`);
	}
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) return void console.log(USAGE);
	if (process.platform !== 'linux') throw new Error('the benchmark reads /proc: Linux only');
	const started = Date.now();
	const log = (text: string) =>
		console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${text}`);

	if (args.reportFrom) {
		// The same flags as the run that saved the file (--items, --latency, --concurrency...).
		return render(JSON.parse(fs.readFileSync(args.reportFrom, 'utf8')) as Results, args, log);
	}
	const sim = await startSimulator({ latencyMs: args.latency, onRequest: recordAnswerTime });
	recordArrivalTimes(sim);
	let ctx: BenchContext | undefined;
	try {
		if (args.profile) {
			log(
				`profiling: n8n under the inspector's profiler, scenario ${args.profileScenario} C=${args.concurrency} x${args.items}, 3 runs`,
			);
			return await profileRun(args, sim);
		}
		log(
			`simulator at ${sim.url}, answer latency ${args.latency} ms; building, packing and starting n8n...`,
		);
		ctx = await startBenchServer(sim);
		const inspector = await ctx.inspector();
		ctx.collectGarbage = async () => {
			await inspector.send('HeapProfiler.collectGarbage');
			await inspector.send('HeapProfiler.collectGarbage');
		};
		ctx.heapUsedMiB = async () =>
			((await inspector.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 2 ** 20;
		const info = machine(ctx.server.runtime);
		log(
			`n8n ${info.n8n} ready in ${(ctx.server.readyMs / 1000).toFixed(1)} s at ${ctx.server.url}`,
		);

		// Saved as it goes and before the report is drawn: --report-from draws it again without
		// running anything, also from a run cut short.
		const saved = args.markdown
			? args.markdown.replace(/(\.md)?$/, '.json')
			: path.join(os.tmpdir(), 'ucontact-bench-results.json');
		const withRun = (suite: SuiteResult): Results => ({
			...suite,
			machine: info,
			command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, ''),
			elapsedS: (Date.now() - started) / 1000,
		});
		const save = (suite: SuiteResult) => fs.writeFileSync(saved, JSON.stringify(withRun(suite)));
		const results = withRun(await runSuite(ctx, args, log, save));
		fs.writeFileSync(saved, JSON.stringify(results));
		log(`results saved to ${saved}`);
		render(results, args, log);
	} finally {
		if (ctx) await ctx.server.stop();
		await sim.close();
	}
}

main().catch((error) => {
	console.error(error && error.stack ? error.stack : error);
	process.exit(1);
});
