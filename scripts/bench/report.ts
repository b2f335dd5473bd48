/**
 * The report: one row per scenario, the targets (ratios to baselines of the same run, never
 * absolute figures) and other ratios, as a text table and optionally as markdown.
 */
import type { MachineInfo } from './n8nProcess';
import type { Settings } from './scenarios';

export interface Row {
	key: string;
	label: string;
	items: number;
	wallMs: number;
	/** null for the raw client (it has no node time). */
	nodeMs: number | null;
	/** items/s; null for the NoOp baseline. */
	rate: number | null;
	cpuPerItem: number;
	inFlight?: number | null;
	peakRssMiB: number;
	/** null for the raw client (its own process's peak only). */
	rssBeforeMiB: number | null;
	rssExact?: boolean;
	heapBeforeMiB?: number | null;
	peakHeapMiB?: number | null;
}

export const fmt = (value: number | null | undefined, digits: number): string =>
	value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);

interface Table {
	header: string[];
	body: string[][];
}

function tableRows(rows: Row[]): Table {
	const header = [
		'scenario',
		'items',
		'wall s',
		'node s',
		'items/s',
		'CPU ms/item',
		'peak RSS MiB',
	];
	const body = rows.map((r) => [
		r.label,
		String(r.items),
		fmt(r.wallMs / 1000, 2),
		r.nodeMs === null ? '-' : fmt(r.nodeMs / 1000, 2),
		fmt(r.rate, 0),
		fmt(r.cpuPerItem, 2),
		r.rssBeforeMiB === null
			? fmt(r.peakRssMiB, 0)
			: `${fmt(r.peakRssMiB, 0)} (+${fmt(r.peakRssMiB - r.rssBeforeMiB, 0)})`,
	]);
	return { header, body };
}

function textTable({ header, body }: Table): string {
	const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
	const line = (cells: string[]) =>
		cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function markdownTable({ header, body }: Table): string {
	return [
		`| ${header.join(' | ')} |`,
		`|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
		...body.map((row) => `| ${row.join(' | ')} |`),
	].join('\n');
}

interface Target {
	name: string;
	value: number;
	pass: boolean;
	want: string;
	unit?: string;
}

export interface ReportInput {
	rows: Row[];
	settings: Settings;
	items: number;
	bigItems: number;
	repeat: number;
	/** Mean requests the simulator held at once for the raw client at C. */
	rawInFlight: number | null;
	machine: MachineInfo;
	command: string;
	elapsedS: number;
}

function ratios({ rows, settings, items: N, bigItems: bigN, rawInFlight }: ReportInput): {
	targets: Target[];
	other: string[];
} {
	const { concurrency: C, latency: L } = settings;
	const get = (key: string): Row => {
		const row = rows.find((r) => r.key === key);
		if (!row) throw new Error(`bench report: no row "${key}"`);
		return row;
	};
	const rate = (key: string) => get(key).rate as number;
	const auto = get('autoMapC');
	const define = get('defineC');
	const httpBest = [get('httpAll'), get('httpBatch')].sort(
		(a, b) => (b.rate as number) - (a.rate as number),
	)[0];
	const ceiling = Math.min(C / (L / 1000 || Infinity), 500);
	const growth = (row: Row) => row.peakRssMiB - (row.rssBeforeMiB as number);
	const growthSmall = growth(auto);
	const big = rows.find((r) => r.key === 'autoMapCBig');
	const growthBig = big ? growth(big) : NaN;
	const targets: Target[] = [
		{
			name: `autoMap C=${C} throughput vs min(C/L, 500/s) = ${fmt(ceiling, 0)}/s`,
			value: rate('autoMapC') / ceiling,
			pass: rate('autoMapC') / ceiling >= 0.9,
			want: '>= 0.90x',
		},
		{
			name: `autoMap C=${C} vs the faster HTTP Request (${httpBest.label})`,
			value: rate('autoMapC') / (httpBest.rate as number),
			pass: rate('autoMapC') / (httpBest.rate as number) >= 4,
			want: '>= 4.00x',
		},
		{
			name: `autoMap C=${C} vs the raw client C=${C} (a new connection per request, as n8n's helper)`,
			value: rate('autoMapC') / rate('raw'),
			pass: rate('autoMapC') / rate('raw') >= 0.95,
			want: '>= 0.95x',
		},
		{
			name: `defineBelow 13 dragged C=${C} vs the faster HTTP Request (${httpBest.label})`,
			value: rate('defineC') / (httpBest.rate as number),
			pass: rate('defineC') / (httpBest.rate as number) >= 2,
			want: '>= 2.00x',
		},
		{
			name: `defineBelow 13 dragged C=${C} vs autoMap C=${C}`,
			value: rate('defineC') / rate('autoMapC'),
			pass: rate('defineC') / rate('autoMapC') >= 0.8,
			want: '>= 0.80x',
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
		`autoMap C=${C} vs raw client floor: ${fmt(rate('autoMapC') / rate('raw'), 2)}x throughput`,
		`autoMap C=1 vs the latency bound 1/L = ${fmt(1000 / L, 0)}/s: ${fmt(rate('autoMap1') / (1000 / L), 2)}x; vs raw client C=1: ${fmt(rate('autoMap1') / rate('raw1'), 2)}x`,
		`raw client C=${C} vs min(C/L, 500/s): ${fmt(rate('raw') / ceiling, 2)}x (what the machine and simulator allow at all)`,
		`defineBelow 13 dragged C=${C} vs autoMap C=${C}: ${fmt(define.cpuPerItem / auto.cpuPerItem, 2)}x CPU per item`,
		`defineBelow 5 dragged + 8 text vs 13 dragged: ${fmt(rate('defineMixedC') / rate('defineC'), 2)}x throughput, ${fmt(get('defineMixedC').cpuPerItem / define.cpuPerItem, 2)}x CPU per item`,
		`defineBelow 13 evaluated by n8n (the path every expression took before) vs the faster HTTP Request: ${fmt(rate('defineEvaluatedC') / (httpBest.rate as number), 2)}x throughput, ${fmt(get('defineEvaluatedC').cpuPerItem / get('httpAll').cpuPerItem, 2)}x CPU per item vs unbatched; vs 13 dragged: ${fmt(get('defineEvaluatedC').cpuPerItem / define.cpuPerItem, 2)}x CPU per item`,
		`mean requests held by the simulator at once: raw C=${C} ${fmt(rawInFlight, 1)}, autoMap C=${C} ${fmt(auto.inFlight, 1)}, ` +
			`defineBelow C=${C} ${fmt(define.inFlight, 1)}, HTTP Request batched ${fmt(get('httpBatch').inFlight, 1)}, unbatched ${fmt(get('httpAll').inFlight, 1)}`,
		`HTTP Request batched vs unbatched: ${fmt(rate('httpBatch') / rate('httpAll'), 2)}x throughput`,
		`autoMap C=${C} CPU per item vs HTTP Request unbatched: ${fmt(auto.cpuPerItem / get('httpAll').cpuPerItem, 2)}x`,
	];
	return { targets, other };
}

const shown = (t: Target): string =>
	t.unit ? `${fmt(t.value, 1)}${t.unit}` : `${fmt(t.value, 2)}x`;

/** The report as printed, and as markdown for docs/benchmarks.md. */
export function report(input: ReportInput): { text: string; markdown: string } {
	const { rows, settings, machine: info, command } = input;
	const { concurrency: C, latency: L } = settings;
	const { targets, other } = ratios(input);
	// The memory rows repeat the 10x rows or have their own table (reportScenarios.ts).
	const table = tableRows(rows.filter((r) => !r.key.startsWith('mem')));
	const rssNote = rows.some((r) => r.rssExact === false)
		? 'sampled every 20 ms'
		: 'kernel high-water mark (VmHWM, reset before each run)';
	const text = [
		`Machine: ${info.nproc} CPUs (${info.cpu}), ${info.memoryGiB} GiB RAM, Linux ${info.kernel}`,
		`n8n ${info.n8n} on Node ${info.n8nNode}; bench and simulator on Node ${info.node}`,
		`Command: ${command}  (N=${input.items}, L=${L} ms, C=${C}, repeat=${input.repeat}, best of repeats by node time)`,
		'',
		textTable(table),
		'',
		"items/s = items / node time (the node's own executionTime; raw client: its wall time).",
		'CPU ms/item = n8n main + task runner CPU minus the NoOp run of the same size, per item (raw client: its own process).',
		`peak RSS = n8n main process, ${rssNote}; (+x) = growth over the RSS just before the run.`,
		'',
		'Targets:',
		...targets.map((t) => `  ${t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${shown(t)} (want ${t.want})`),
		'Other ratios:',
		...other.map((line) => `  ${line}`),
		`\nTotal bench time ${input.elapsedS.toFixed(0)} s.`,
	].join('\n');
	const markdown = [
		`- Machine: ${info.nproc} CPUs (${info.cpu}), ${info.memoryGiB} GiB RAM, Linux ${info.kernel}`,
		`- n8n ${info.n8n} on Node ${info.n8nNode}; benchmark and simulator on Node ${info.node}`,
		`- Command: \`${command}\` (N=${input.items}, L=${L} ms, C=${C})`,
		'',
		markdownTable(table),
		'',
		'| target | measured | want | result |',
		'|---|---:|---:|---|',
		...targets.map(
			(t) => `| ${t.name} | ${shown(t)} | ${t.want} | ${t.pass ? 'PASS' : '**MISS**'} |`,
		),
		'',
		...other.map((line) => `- ${line}`),
		'',
	].join('\n');
	return { text, markdown };
}
