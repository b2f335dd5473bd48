/**
 * The Skip Already Recorded Dispositions tables (skip.ts): on vs off in bulk and per webhook
 * execution, a full processed_data row vs an empty one, the row's size per entry; with issue 28's
 * goals: Skip on >= 0.95x Skip off, p95 per webhook execution no worse than +5 ms.
 */
import type { RecordSize } from './processedData';
import { fmt } from './report';
import type { ScenarioReport, ScenarioTarget } from './reportScenarios';
import { SKIP_BULK_KEYS, type SkipResult } from './skip';
import type { StoreTiming } from './storeTiming';
import type { WebhookRow } from './webhook';

const RATIO_GOAL = 0.95;
const P95_GOAL_MS = 5;

const ratioTarget = (name: string, value: number): ScenarioTarget => ({
	name,
	value,
	want: RATIO_GOAL,
	pass: value >= RATIO_GOAL,
});

const msTarget = (name: string, value: number): ScenarioTarget => ({
	name,
	value,
	want: P95_GOAL_MS,
	pass: value <= P95_GOAL_MS,
	unit: 'ms',
	max: true,
});

const kib = (record: RecordSize | null | undefined): string =>
	record ? `${record.entries} (${fmt(record.bytes / 1024, 0)} KiB)` : '-';

const signed = (value: number, digits: number): string =>
	`${value >= 0 ? '+' : ''}${fmt(value, digits)}`;

const STORE_HEADER = ['store calls/exec (record+remove)', 'store call ms p50/p95', 'store ms/exec'];

/** Calls per execution (item), one call's duration (record and remove together), their sum per execution. */
function storeCells(store: StoreTiming | null | undefined): string[] {
	if (!store) return ['-', '-', '-'];
	const remove = store.remove;
	const all = (q: 'p50' | 'p95') =>
		remove && store.removePerExec > 0
			? `${fmt(store.record[q], 1)}+${fmt(remove[q], 1)}`
			: fmt(store.record[q], 1);
	return [
		`${fmt(store.recordPerExec, 2)}+${fmt(store.removePerExec, 2)}`,
		`${all('p50')} / ${all('p95')}`,
		fmt(store.totalMsPerExec, 1),
	];
}

/** Each row's exec/s against the Skip off row's in the same round. */
function roundNotes(rows: WebhookRow[]): string[] {
	const off = rows.find((w) => w.key === 'defineSkipOffC');
	if (!off?.roundExecPerS?.length) return [];
	return rows
		.filter((w) => w !== off && w.roundExecPerS?.length)
		.map((w) => {
			const ratios = (w.roundExecPerS as number[]).map(
				(rate, i) => rate / (off.roundExecPerS as number[])[i],
			);
			const sorted = [...ratios].sort((a, b) => a - b);
			return `${w.label} vs Skip off, exec/s round by round: ${ratios.map((r) => `${fmt(r, 2)}x`).join(', ')} (lower median ${fmt(sorted[Math.floor((sorted.length - 1) / 2)], 2)}x).`;
		});
}
function webhookSection(
	rows: WebhookRow[],
	title: string,
	notes: string[],
): ScenarioReport['sections'][number] {
	const off = rows.find((w) => w.key === 'defineSkipOffC');
	return {
		title,
		header: [
			'workflow',
			'POSTs x clients',
			'processed_data entries before -> after',
			'exec/s',
			'vs Skip off',
			'POST->answer p50/p95 ms',
			'p95 vs Skip off ms',
			'node ms p50/p95',
			'execution ms p50/p95',
			'CPU ms/exec',
			...STORE_HEADER,
		],
		body: rows.map((w) => [
			w.label,
			`${w.posts} x ${w.clients}`,
			`${kib(w.record?.before)} -> ${kib(w.record?.after)}`,
			fmt(w.execPerS, 1),
			off ? `${fmt(w.execPerS / off.execPerS, 2)}x` : '-',
			`${fmt(w.toAnswer.p50, 0)} / ${fmt(w.toAnswer.p95, 0)}`,
			off ? signed(w.toAnswer.p95 - off.toAnswer.p95, 0) : '-',
			`${fmt(w.nodeMs.p50, 1)} / ${fmt(w.nodeMs.p95, 1)}`,
			`${fmt(w.executionMs.p50, 0)} / ${fmt(w.executionMs.p95, 0)}`,
			fmt(w.cpuPerExecMs, 2),
			...storeCells(w.store),
		]),
		notes: [...notes, ...roundNotes(rows)],
	};
}

export function skipReport(skip: Partial<SkipResult> | undefined, items: number): ScenarioReport {
	const sections: ScenarioReport['sections'] = [];
	const targets: ScenarioTarget[] = [];
	if (!skip) return { sections, targets };

	// Bulk.
	const bulk = skip.bulk ?? [];
	const [offKey, onKey] = SKIP_BULK_KEYS;
	const bulkOff = bulk.find((r) => r.key === `skip:${offKey}`);
	const bulkOn = bulk.find((r) => r.key === `skip:${onKey}`);
	const ratios = skip.pairRatios ?? [];
	const sortedRatios = [...ratios].sort((a, b) => a - b);
	sections.push({
		title: `Skip Already Recorded Dispositions, bulk: ${items} new calls per run (Manual Trigger -> Code node -> node), best of ${skip.pairs ?? 0}`,
		header: [
			'node',
			'items',
			'items/s',
			'vs Skip off',
			'CPU ms/item',
			'held at once',
			'processed_data entries after',
			'store calls/item (record+remove)',
			'store call ms p50/p95',
			'store ms/item',
		],
		body: bulk.map((r) => [
			r.label,
			String(r.items),
			fmt(r.rate, 0),
			bulkOff?.rate && r.rate ? `${fmt(r.rate / bulkOff.rate, 2)}x` : '-',
			fmt(r.cpuPerItem, 2),
			fmt(r.inFlight, 1),
			kib(skip.bulkRecords?.[r.key.slice('skip:'.length)]),
			...storeCells(skip.bulkStore?.[r.key.slice('skip:'.length)]),
		]),
		notes: [
			'Every run sends calls no run sent before (each guid made unique by the execution id): nothing is skipped, every item is a first claim.',
			`Skip off and on run in turns with the ceiling node (the helper alone, no record at all), the order turning each time; each row is the best of its ${skip.pairs ?? 0} runs by node time.`,
			`Skip on / Skip off, turn by turn: ${ratios.map((r) => `${fmt(r, 2)}x`).join(', ')}` +
				(sortedRatios.length
					? ` (lower median ${fmt(sortedRatios[Math.floor((sortedRatios.length - 1) / 2)], 2)}x)`
					: '') +
				'.',
			...(skip.offVsCeiling?.length
				? [
						`Skip off / ceiling, turn by turn: ${skip.offVsCeiling.map((r) => `${fmt(r, 2)}x`).join(', ')}: what the record costs when Skip is off.`,
					]
				: []),
			'Both workflows keep their rows from run to run (the record trims at 30,000 entries): the entries column is the row after the last run.',
			`store: n8n's deduplication store calls over all ${skip.pairs ?? 0} runs of each (storeTiming.ts): calls per item (checkProcessedAndRecord + removeProcessed; the node batches the items waiting at once into one call), one call's duration, their sum per item.`,
		],
	});
	if (bulkOff?.rate && bulkOn?.rate) {
		targets.push(
			ratioTarget(`skip: bulk ${items} items, items/s Skip on vs off`, bulkOn.rate / bulkOff.rate),
		);
	}

	// One call per execution.
	const webhook = skip.webhook ?? [];
	const serial = skip.serial ?? [];
	const full = [...webhook, ...serial].find(
		(w) => w.key === 'defineSkipOnFullC' || w.key === 'defineSkipOffFullC',
	);
	const fullBefore = full?.record?.before;
	const perEntry = fullBefore ? fullBefore.bytes / fullBefore.entries : NaN;
	const common = [
		'Each POST is a new call (its own guid): nothing is skipped. "full record": the node\'s processed_data row was filled to the cap (30,000 entries) after the warm-up, before the timed POSTs; the other rows start near empty and grow by the run.',
		'vs Skip off / p95 vs Skip off: against the Skip off workflow with the record near empty (the first row), POSTs of the same burst sizes, the workflows taking turns in rounds.',
		"node ms = the node's executionTime and execution ms = the execution's startedAt..stoppedAt in the last 100 saved executions.",
		'ceiling = scripts/bench/ceilingNode.ts: the same form through this.helpers.httpRequest and nothing else (no record, no credential), for reference.',
		"store: n8n's deduplication store calls of the timed POSTs, timed inside n8n (storeTiming.ts): calls per execution (checkProcessedAndRecord + removeProcessed; executions in flight at once share calls), one call's duration (record+remove), their sum per execution.",
	];
	if (webhook.length > 0) {
		sections.push(
			webhookSection(
				webhook,
				`Skip Already Recorded Dispositions, one call per execution under load (Webhook -> node, ${webhook[0].clients} clients)`,
				[
					...common,
					"exec/s = POSTs / wall time of the bursts; POST->answer = from the POST leaving the client to the webhook's answer (each client posts its next call when answered).",
				],
			),
		);
	}
	if (serial.length > 0) {
		sections.push(
			webhookSection(
				serial,
				'Skip Already Recorded Dispositions, one call per execution alone (Webhook -> node, 1 client)',
				[
					...common,
					"One client: each POST waits for the previous answer, so POST->answer is one execution's latency with no queue in front of it.",
					`Size per entry: the full row held ${fullBefore?.entries ?? '-'} entries in ${fullBefore?.bytes ?? '-'} bytes of JSON, ${fmt(perEntry, 1)} bytes per entry (an md5 hash in base64, 24 characters, with its quotes and comma).`,
				],
			),
		);
	}
	const pair = (rows: WebhookRow[], a: string, b: string) => {
		const x = rows.find((w) => w.key === a);
		const y = rows.find((w) => w.key === b);
		return x && y ? [x, y] : undefined;
	};
	const loaded = pair(webhook, 'defineSkipOffC', 'defineSkipOnC');
	if (loaded) {
		const [off, on] = loaded;
		const clients = off.clients;
		targets.push(
			ratioTarget(
				`skip: webhook x${clients} clients, exec/s Skip on vs off`,
				on.execPerS / off.execPerS,
			),
		);
		targets.push(
			msTarget(
				`skip: webhook x${clients} clients, POST->answer p95 Skip on - off`,
				on.toAnswer.p95 - off.toAnswer.p95,
			),
		);
		targets.push(
			msTarget(
				`skip: webhook x${clients} clients, node ms p95 Skip on - off`,
				on.nodeMs.p95 - off.nodeMs.p95,
			),
		);
	}
	const alone = pair(serial, 'defineSkipOffC', 'defineSkipOnC');
	if (alone) {
		const [off, on] = alone;
		targets.push(
			ratioTarget('skip: webhook x1 client, exec/s Skip on vs off', on.execPerS / off.execPerS),
		);
		targets.push(
			msTarget(
				'skip: webhook x1 client, POST->answer p95 Skip on - off',
				on.toAnswer.p95 - off.toAnswer.p95,
			),
		);
	}
	// A full record against an empty one: the issue asks for a cost independent of how full it is.
	for (const [rows, clients] of [
		[serial, 1],
		[webhook, webhook[0]?.clients],
	] as const) {
		for (const [empty, fullKey, name] of [
			['defineSkipOffC', 'defineSkipOffFullC', 'Skip off'],
			['defineSkipOnC', 'defineSkipOnFullC', 'Skip on'],
		] as const) {
			const found = pair(rows, empty, fullKey);
			if (!found) continue;
			const [e, f] = found;
			targets.push(
				msTarget(
					`skip: full record - empty, ${name}, webhook x${clients}, POST->answer p95`,
					f.toAnswer.p95 - e.toAnswer.p95,
				),
			);
		}
	}
	return { sections, targets };
}
