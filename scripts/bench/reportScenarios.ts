/**
 * The report's scenario tables, each with its baselines side by side: the helper's ceiling
 * (bulk), one call per execution (webhook), and memory on many items; with their targets.
 */
import { fmt, type Row } from './report';
import { skipReport } from './reportSkip';
import type { SkipResult } from './skip';
import type { Percentiles, WebhookRow } from './webhook';

export interface ScenarioTarget {
	name: string;
	value: number;
	want: number;
	/** value >= want (a ratio, printed with x), or with `max` value <= want. */
	pass: boolean;
	/** 'ms': a difference in milliseconds, printed signed. */
	unit?: 'ms';
	max?: boolean;
}

export interface ScenarioReport {
	sections: Array<{ title: string; header: string[]; body: string[][]; notes: string[] }>;
	targets: ScenarioTarget[];
}

const target = (name: string, value: number, want: number): ScenarioTarget => ({
	name,
	value,
	want,
	pass: value >= want,
});

export function scenarioReport(
	rows: Row[],
	webhook: WebhookRow[],
	items: number,
	bigItems: number,
	memoryItems: number,
	skip?: Partial<SkipResult>,
): ScenarioReport {
	const get = (key: string) => rows.find((r) => r.key === key);
	const sections: ScenarioReport['sections'] = [];
	const targets: ScenarioTarget[] = [];

	// 1. The helper's ceiling.
	const ceilingBody: string[][] = [];
	for (const [count, suffix] of [
		[items, ''],
		[bigItems, 'Big'],
	] as const) {
		const ceiling = get(`ceilingC${suffix}`);
		if (!ceiling?.rate) continue;
		for (const [key, want] of [
			['ceilingC', null],
			['autoMapC', 0.95],
			['defineC', 0.9],
		] as const) {
			const r = get(`${key}${suffix}`);
			if (!r?.rate) continue;
			const ratio = r.rate / ceiling.rate;
			ceilingBody.push([
				r.label,
				String(count),
				fmt(r.rate, 0),
				want === null ? '1.00x' : `${fmt(ratio, 2)}x`,
				want === null ? '-' : `>= ${fmt(want, 2)}x`,
				fmt(r.cpuPerItem, 2),
				fmt(r.inFlight, 1),
			]);
			if (want !== null) targets.push(target(`${r.label} vs the ceiling x${count}`, ratio, want));
		}
	}
	sections.push({
		title: "The helper's ceiling (bulk: Manual Trigger -> Code node -> node under test)",
		header: ['node', 'items', 'items/s', 'vs ceiling', 'target', 'CPU ms/item', 'held at once'],
		body: ceilingBody,
		notes: [
			'ceiling = scripts/bench/ceilingNode.ts: the same forms through this.helpers.httpRequest, same concurrency, nothing else.',
			'items/s = items / node time; CPU ms/item net of the NoOp run of the same size; held at once = mean requests the simulator held.',
		],
	});

	// 2. One call per execution.
	const http = webhook.find((w) => w.key === 'httpAll');
	const ms = (p: Percentiles) => `${fmt(p.p50, 0)} / ${fmt(p.p95, 0)} / ${fmt(p.p99, 0)}`;
	sections.push({
		title: 'One call per execution (Webhook, production URL, active -> node under test)',
		header: [
			'workflow',
			'POSTs x clients',
			'exec/s',
			'vs HTTP Request',
			'POST->recorded p50/p95/p99 ms',
			'POST->answer p50/p95/p99 ms',
			'node ms p50/mean',
			'execution ms p50',
			'CPU ms/exec',
		],
		body: webhook.map((w) => [
			w.label,
			`${w.posts} x ${w.clients}`,
			fmt(w.execPerS, 1),
			http ? `${fmt(w.execPerS / http.execPerS, 2)}x` : '-',
			ms(w.toRecorded),
			ms(w.toAnswer),
			`${fmt(w.nodeMs.p50, 1)} / ${fmt(w.nodeMs.mean, 1)}`,
			fmt(w.executionMs.p50, 1),
			fmt(w.cpuPerExecMs, 2),
		]),
		notes: [
			'exec/s = POSTs / wall time of the burst; each client posts its next call when the webhook answered (responseMode lastNode).',
			'POST->recorded = the request arrival at the simulator (Recorded.at) minus the time its POST left the client.',
			`node ms = the node's executionTime in ${webhook[0]?.sampled ?? 0} saved executions each (the last ones), simulator latency included.`,
			'CPU ms/exec = n8n main + task runner CPU over the burst, idle CPU taken off, per execution.',
			...roundNotes(webhook),
		],
	});
	const define = webhook.find((w) => w.key === 'defineC');
	if (define && http) {
		targets.push(
			target('webhook: executions/s, uContact vs HTTP Request', define.execPerS / http.execPerS, 1),
		);
		for (const q of ['p50', 'p95', 'p99'] as const) {
			targets.push(
				target(
					`webhook: POST->recorded ${q}, HTTP Request / uContact (>= 1 is no worse)`,
					http.toRecorded[q] / define.toRecorded[q],
					1,
				),
			);
		}
	}

	// 3. Memory.
	const memBody: string[][] = [];
	for (const key of ['memNoop', 'mem:autoMapC', 'mem:httpBatch', 'mem:ceilingC']) {
		const r =
			get(key) ??
			(key === 'memNoop'
				? rows.find((each) => each.key === 'noop' && each.items === memoryItems)
				: undefined);
		if (!r) continue;
		memBody.push([
			r.label,
			String(r.items),
			fmt(r.nodeMs === null ? null : r.nodeMs / 1000, 1),
			`${fmt(r.peakRssMiB, 0)} (+${fmt(r.peakRssMiB - (r.rssBeforeMiB ?? 0), 0)})`,
			`${fmt(r.peakHeapMiB, 0)} (+${fmt((r.peakHeapMiB ?? NaN) - (r.heapBeforeMiB ?? NaN), 0)})`,
		]);
	}
	const auto = get('mem:autoMapC');
	const ceiling = get('mem:ceilingC');
	const httpMem = get('mem:httpBatch');
	const growth = (r: Row | undefined, heap: boolean) =>
		r
			? heap
				? (r.peakHeapMiB ?? NaN) - (r.heapBeforeMiB ?? NaN)
				: r.peakRssMiB - (r.rssBeforeMiB ?? 0)
			: NaN;
	sections.push({
		title: `Memory (${memoryItems} items, Manual Trigger -> Code node -> node under test)`,
		header: ['node', 'items', 'node s', 'peak RSS MiB (+growth)', 'peak heap MiB (+growth)'],
		body: memBody,
		notes: [
			"RSS: n8n main's VmHWM reset before the run; heap: V8 heap used in n8n main, sampled every 100 ms over the inspector, after a full GC before the run.",
			`The node's own share = Map Automatically minus the ceiling (same items, same helper, same output count): ` +
				`RSS ${fmt(growth(auto, false) - growth(ceiling, false), 0)} MiB, heap ${fmt(growth(auto, true) - growth(ceiling, true), 0)} MiB ` +
				`(${fmt((growth(auto, true) - growth(ceiling, true)) / (memoryItems / 1000), 2)} MiB per 1,000 items); ` +
				`vs the HTTP Request node: RSS ${fmt(growth(auto, false) - growth(httpMem, false), 0)} MiB, heap ${fmt(growth(auto, true) - growth(httpMem, true), 0)} MiB.`,
		],
	});
	// 4. Skip Already Recorded Dispositions on vs off.
	const skipped = skipReport(skip, items);
	sections.push(...skipped.sections);
	targets.push(...skipped.targets);
	return { sections, targets };
}

/** A target's measured value and what it wants, as printed. */
function shown(t: ScenarioTarget): { value: string; want: string } {
	if (t.unit === 'ms') {
		return {
			value: `${t.value >= 0 ? '+' : ''}${fmt(t.value, 1)} ms`,
			want: `${t.max ? '<=' : '>='} +${fmt(t.want, 0)} ms`,
		};
	}
	return { value: `${fmt(t.value, 2)}x`, want: `${t.max ? '<=' : '>='} ${fmt(t.want, 2)}x` };
}

export function renderScenarios(report: ScenarioReport): { text: string; markdown: string } {
	const text: string[] = [];
	const md: string[] = [];
	for (const section of report.sections.filter((each) => each.body.length > 0)) {
		const widths = section.header.map((h, i) =>
			Math.max(h.length, ...section.body.map((row) => row[i].length)),
		);
		const line = (cells: string[]) =>
			cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
		text.push('', section.title, line(section.header), widths.map((w) => '-'.repeat(w)).join('  '));
		text.push(...section.body.map(line), ...section.notes.map((n) => `  ${n}`));
		md.push('', `#### ${section.title}`, '', `| ${section.header.join(' | ')} |`);
		md.push(`|${section.header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
		md.push(
			...section.body.map((row) => `| ${row.join(' | ')} |`),
			'',
			...section.notes.map((n) => `- ${n}`),
		);
	}
	text.push('', 'Scenario targets:');
	md.push('', '| scenario target | measured | want | result |', '|---|---:|---:|---|');
	for (const t of report.targets) {
		const { value, want } = shown(t);
		text.push(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${value} (want ${want})`);
		md.push(`| ${t.name} | ${value} | ${want} | ${t.pass ? 'PASS' : '**MISS**'} |`);
	}
	return { text: text.join('\n'), markdown: md.join('\n') + '\n' };
}

/** Each round's exec/s against the HTTP Request workflow's in the same round: the spread the load left. */
function roundNotes(webhook: WebhookRow[]): string[] {
	const http = webhook.find((w) => w.key === 'httpAll');
	if (!http?.roundExecPerS?.length) return [];
	const notes = [
		`the POSTs ran in ${http.roundExecPerS.length} rounds, the workflows taking turns (A B, B A, ...), so the machine's load falls on each alike.`,
	];
	for (const w of webhook) {
		if (w === http || !w.roundExecPerS?.length) continue;
		const ratios = w.roundExecPerS.map((rate, i) => rate / (http.roundExecPerS as number[])[i]);
		const sorted = [...ratios].sort((a, b) => a - b);
		const median = sorted[Math.floor((sorted.length - 1) / 2)];
		notes.push(
			`${w.label} vs HTTP Request, exec/s round by round: ${ratios.map((r) => `${fmt(r, 2)}x`).join(', ')} (lower median ${fmt(median, 2)}x).`,
		);
	}
	return notes;
}
