/**
 * The Options collection: each option's type, range, default and whether it is read once for the
 * run or per item, and the check every value passes, however it was given (readOptions.ts).
 */

export const WORKFLOW_TIMEZONE = 'workflow';

/** setTimeout's own limit is about 24.8 days; an hour is far beyond any uContact answer. */
const ONE_HOUR_MS = 3_600_000;

export interface Spec<T> {
	/** As the editor shows it, so a message names what the user can find. */
	label: string;
	/** Below the Options collection. */
	path: string[];
	default: T;
	/** The default for nodes of version 2 on, where it differs (a saved node keeps its version's). */
	defaultFromV2?: T;
	/** Read once for the whole run (it shapes the run), or for each item. */
	scope: 'run' | 'item';
}

export interface NumberSpec extends Spec<number> {
	kind: 'number';
	min: number;
	max: number;
	/** A value outside min..max with a meaning of its own (Items per Batch -1: no batching). */
	special?: { value: number; meaning: string };
}

export interface BooleanSpec extends Spec<boolean> {
	kind: 'boolean';
}

export interface TextSpec extends Spec<string> {
	kind: 'text';
}

const number = (spec: Omit<NumberSpec, 'kind'>): NumberSpec => ({ kind: 'number', ...spec });
const boolean = (spec: Omit<BooleanSpec, 'kind'>): BooleanSpec => ({ kind: 'boolean', ...spec });

export const OPTIONS = {
	// Enough to keep a 20 ms uContact busy (~250 dispositions/s) without flooding a small
	// on-premise server; n8n's HTTP Request node, by contrast, sends every item at once.
	concurrency: number({
		label: 'Concurrency',
		path: ['concurrency'],
		default: 5,
		min: 1,
		max: 50,
		scope: 'run',
	}),
	batchSize: number({
		label: 'Batching > Items per Batch',
		path: ['batching', 'batch', 'batchSize'],
		default: 50,
		min: 1,
		max: 1_000_000,
		special: { value: -1, meaning: 'no batching' },
		scope: 'run',
	}),
	batchInterval: number({
		label: 'Batching > Batch Interval (Ms)',
		path: ['batching', 'batch', 'batchInterval'],
		default: 1000,
		min: 0,
		max: ONE_HOUR_MS,
		scope: 'run',
	}),
	resendUncertainOnRetry: boolean({
		label: 'Resend Uncertain Items',
		path: ['resendUncertainOnRetry'],
		default: false,
		scope: 'run',
	}),
	// On for new nodes: a webhook sender delivering one call twice is the common case, and a
	// process alone pays almost nothing for it (docs/benchmarks.md).
	skipRecorded: boolean({
		label: 'Skip Repeats',
		path: ['skipRecorded'],
		default: false,
		defaultFromV2: true,
		scope: 'run',
	}),
	skipWindowHours: number({
		label: 'Skip Window (Hours)',
		path: ['skipWindowHours'],
		default: 24,
		min: 1,
		max: 720,
		scope: 'run',
	}),
	dryRun: boolean({ label: 'Dry Run', path: ['dryRun'], default: false, scope: 'item' }),
	timeout: number({
		label: 'Timeout',
		path: ['timeout'],
		default: 30_000,
		min: 1,
		max: ONE_HOUR_MS,
		scope: 'item',
	}),
	safeRetries: number({
		label: 'Safe Retries',
		path: ['safeRetries'],
		default: 2,
		min: 0,
		max: 10,
		scope: 'item',
	}),
	maxRetryWait: number({
		label: 'Max Retry Wait (Ms)',
		path: ['maxRetryWait'],
		default: 30_000,
		min: 0,
		max: ONE_HOUR_MS,
		scope: 'item',
	}),
	scheduleTimezone: {
		kind: 'text',
		label: 'Schedule Time Zone',
		path: ['scheduleTimezone'],
		default: WORKFLOW_TIMEZONE,
		scope: 'item',
	} as TextSpec,
} as const;

/** An option's default for a node of `version`. */
export function defaultOf<T>(spec: Spec<T>, version: number): T {
	return version >= 2 && spec.defaultFromV2 !== undefined ? spec.defaultFromV2 : spec.default;
}

/** Options that shape the whole run: the same for every item. */
export interface RunOptions {
	concurrency: number;
	/** -1: no batching. */
	batchSize: number;
	batchInterval: number;
	resendUncertainOnRetry: boolean;
	skipRecorded: boolean;
	skipWindowHours: number;
}

/** Options read for each item. */
export interface ItemOptions {
	dryRun: boolean;
	timeout: number;
	safeRetries: number;
	maxRetryWait: number;
	scheduleTimezone: string;
}

export type OptionsRead<T> = { ok: true; options: T } | { ok: false; problem: string };

/** A value as the user gave it, short enough for a message. */
export function shown(value: unknown): string {
	if (typeof value === 'string')
		return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
	if (typeof value === 'number' || typeof value === 'boolean' || value === null)
		return String(value);
	if (value === undefined) return 'nothing (undefined)';
	const json = JSON.stringify(value) ?? String(value);
	return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}

/** What a number option accepts, in words. */
function accepted(spec: NumberSpec): string {
	const range = `a whole number from ${spec.min} to ${spec.max}`;
	return spec.special ? `${range}, or ${spec.special.value} for ${spec.special.meaning}` : range;
}

/**
 * n8n's own reading of a boolean (n8n-workflow's validateFieldType, 1.x and 2.x): true, false,
 * "true" and "false" in any case, and whatever Number() reads as 1 or 0. Of the latter only the
 * numbers and the numerals are taken: n8n also reads null, "", " " and [] as false, and a Dry Run
 * must never hinge on a blank.
 */
function readBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string') {
		const word = value.toLowerCase();
		if (word === 'true' || value.trim() === '1') return true;
		if (word === 'false' || value.trim() === '0') return false;
		return undefined;
	}
	if (value === 1) return true;
	if (value === 0) return false;
	return undefined;
}

/** A number or a decimal numeral; n8n's Number() would also take true, null and "0x10". */
function readNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value))
		return Number(value);
	return undefined;
}

/** The checked value of one option, or why it is refused. */
export function checkOption(
	spec: NumberSpec | BooleanSpec | TextSpec,
	value: unknown,
): { ok: true; value: number | boolean | string } | { ok: false; problem: string } {
	const refuse = (what: string) => ({
		ok: false as const,
		problem: `Options > ${spec.label} is ${shown(value)}: ${what}`,
	});
	if (spec.kind === 'boolean') {
		const read = readBoolean(value);
		return read === undefined ? refuse('give true or false') : { ok: true, value: read };
	}
	if (spec.kind === 'text') {
		return typeof value === 'string' && value.trim() !== ''
			? { ok: true, value: value.trim() }
			: refuse('give a time zone name, such as America/Montevideo');
	}
	const read = readNumber(value);
	if (read === undefined || !Number.isFinite(read)) return refuse(`give ${accepted(spec)}`);
	if (!Number.isInteger(read)) return refuse(`fractions are not rounded; give ${accepted(spec)}`);
	if (spec.special?.value === read) return { ok: true, value: read };
	if (read < spec.min || read > spec.max) return refuse(`out of range; give ${accepted(spec)}`);
	return { ok: true, value: read };
}
