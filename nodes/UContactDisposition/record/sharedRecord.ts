/**
 * The part of the record every n8n process sees and that survives a restart: n8n's own
 * deduplication store (the `processed_data` table, one row per workflow and node id, read by
 * `helpers.checkProcessedAndRecord`; n8n >= 1.64), holding only hashes.
 *
 * n8n's helpers read the whole row, change it and write it back, with no lock: two calls at once
 * drop each other's entries. So every call for one node goes through one queue in this process,
 * and what waits while a call runs goes out together in the next (a claim, a probe, an outcome),
 * at most two calls per turn of the queue whatever the number of items.
 *
 * The row holds only presence, so time and state are spelled into the entries:
 * - `c:<window>:<period>:<key>`: claimed before sending, kept when uContact recorded it or may have;
 * - `r:<window>:<period>:<key>`: uContact recorded it;
 * - `u:<window>:<period>:<key>`: its sender learnt no outcome (it may have been recorded);
 * - `o:<window>:<period>:<key>:<claim>`: a claim's own mark while it is read back (see claim());
 * - `p:…`, `s:…` and `m:…`: which processes write the row (see roster.ts), so a process alone reads nothing back.
 * A period is one Skip Window long; an entry is seen in its own period and the next, so a
 * disposition is remembered for at least the window and at most twice it. A certain failure
 * removes the claim, so the disposition can be sent again.
 */
import { randomBytes } from 'node:crypto';
import {
	sleep,
	type ICheckProcessedOptions,
	type IExecuteFunctions,
	type Logger,
} from 'n8n-workflow';

import { Roster } from './roster';
import { Watch } from './watch';

/** About 27 bytes each in the row: 30,000 entries are about 0.8 MB, 15,000 recorded dispositions. */
export const MAX_SHARED_ENTRIES = 30_000;
const DEDUPLICATION: ICheckProcessedOptions = { mode: 'entries', maxEntries: MAX_SHARED_ENTRIES };

const MIN_SETTLE_MS = 10;
const MAX_SETTLE_MS = 250;
/** How far back a slow call counts in the settle delay. */
const RECENT_MS = 5_000;

type Helpers = Pick<IExecuteFunctions['helpers'], 'checkProcessedAndRecord' | 'removeProcessed'>;

/** 'unknown': n8n's store could not be used; only this process's record protects the send. */
export type ClaimResult = { claimed: 'new' | 'claimed' | 'unknown'; period: number };

/** The Skip-Window-long period a moment falls in: entries are seen in their period and the next. */
export const periodOf = (at: number, windowMs: number) => Math.floor(at / windowMs);

const entry = (kind: 'c' | 'r' | 'u', windowMs: number, period: number, key: string) =>
	`${kind}:${windowMs}:${period}:${key}`;

// Unique across processes: this process's claims and roster marks, told apart from another's.
export const processId = randomBytes(6).toString('base64');

interface Waiting<T> {
	items: string[];
	settle: (processed: Set<string> | undefined) => T;
	resolve: (value: T) => void;
}

class NodeQueue {
	private adding: Array<Waiting<unknown>> = [];
	private removing = new Set<string>();
	private removalWaiters: Array<() => void> = [];
	private running: Promise<void> | undefined;
	/** This process's recent calls to n8n's store (when, how long): how long another process's may take. */
	private readonly calls: Array<{ at: number; ms: number }> = [];
	readonly roster = new Roster(processId);
	/** This process's outcomes, looked at again while another process's slow write could drop them. */
	readonly watch = new Watch({
		check: async (items) => await this.add(items, (processed) => processed),
		othersMayWrite: () => this.roster.othersMayWrite,
		dropped: () => this.roster.droppedByOther(),
	});

	constructor(
		private helpers: Helpers,
		private readonly logger: Logger,
		private readonly name: string,
	) {}

	/**
	 * Before a claim is decided: the row is looked at first when a look is due (what it finds
	 * decides whether the claim is read back), and a process that has just learnt of another
	 * waits out its hold (roster.ts).
	 */
	async ready(): Promise<void> {
		for (;;) {
			if (this.roster.isDue()) await this.add([], () => undefined);
			const hold = this.roster.holdMs();
			if (hold <= 0) return;
			await sleep(hold);
		}
	}

	/** Any execution's helpers write the same row; the newest ones are kept. */
	use(helpers: Helpers): void {
		this.helpers = helpers;
	}

	add<T>(items: string[], settle: (processed: Set<string> | undefined) => T): Promise<T> {
		return new Promise<T>((resolve) => {
			this.adding.push({ items, settle, resolve } as Waiting<unknown>);
			this.kick();
		});
	}

	remove(items: string[]): Promise<void> {
		for (const item of items) this.removing.add(item);
		return new Promise<void>((resolve) => {
			this.removalWaiters.push(resolve);
			this.kick();
		});
	}

	private kick(): void {
		// Started a tick later, so that everything asked for at once goes out in one call.
		this.running ??= Promise.resolve()
			.then(async () => await this.drain())
			.finally(() => {
				this.running = undefined;
				if (this.adding.length > 0 || this.removing.size > 0) this.kick();
			});
	}

	private async drain(): Promise<void> {
		while (this.adding.length > 0 || this.removing.size > 0) {
			const adding = this.adding;
			this.adding = [];
			let processed: Set<string> | undefined;
			if (adding.length > 0) {
				const check = this.roster.due();
				const items = [
					...new Set([...adding.flatMap((waiting) => waiting.items), ...(check?.items ?? [])]),
				];
				processed = await this.record(items);
				if (check !== undefined && processed !== undefined)
					for (const item of this.roster.read(check, processed)) this.removing.add(item);
			}
			// Settling may ask for removals (entries added only to look), which go out in this turn.
			for (const waiting of adding) waiting.resolve(waiting.settle(processed));
			const removing = [...this.removing];
			const waiters = this.removalWaiters;
			this.removing = new Set();
			this.removalWaiters = [];
			if (removing.length > 0) {
				await this.call('remove', async () => {
					await this.helpers.removeProcessed(removing, 'node', DEDUPLICATION);
					return new Set<string>();
				});
			}
			for (const resolve of waiters) resolve();
		}
	}

	private async record(items: string[]): Promise<Set<string> | undefined> {
		// Nothing to add: the look this turn was for went out with an earlier call.
		if (items.length === 0) return new Set();
		return await this.call('record', async () => {
			const answer = await this.helpers.checkProcessedAndRecord(items, 'node', DEDUPLICATION);
			return new Set(answer.processed.map(String));
		});
	}

	private timed(started: number): void {
		const now = Date.now();
		this.calls.push({ at: now, ms: now - started });
		while (this.calls[0].at < now - RECENT_MS) this.calls.shift();
	}

	/**
	 * The slowest recent call: another process's write lands within about that long of its read.
	 * One slow call in this process (a busy event loop or database) says others may be as slow.
	 */
	slowestRecentMs(): number {
		const since = Date.now() - RECENT_MS;
		return this.calls.reduce(
			(most, call) => (call.at >= since ? Math.max(most, call.ms) : most),
			0,
		);
	}

	private async call(
		what: string,
		work: () => Promise<Set<string>>,
	): Promise<Set<string> | undefined> {
		// Two first writes at once (another process) fail on the row's primary key: the second try
		// finds the row.
		for (let attempt = 1; ; attempt++) {
			const started = Date.now();
			try {
				const result = await work();
				this.timed(started);
				return result;
			} catch (error) {
				if (attempt < 2) continue;
				this.logger.warn(
					`uContact Disposition: n8n's deduplication store could not ${what} (node "${this.name}"); only this process remembers what it sent`,
					{ error: error instanceof Error ? error.message : String(error) },
				);
				return undefined;
			}
		}
	}
}

const queues = new Map<string, NodeQueue>();

let claims = 0;
const ownId = () => `${processId}.${++claims}`;

/** One run's view of the shared record. */
export class SharedRecord {
	private readonly writes: Array<Promise<unknown>> = [];

	constructor(
		private readonly queue: NodeQueue,
		private readonly windowMs: number,
		private readonly now: () => number = Date.now,
	) {}

	private period(): number {
		return periodOf(this.now(), this.windowMs);
	}

	/**
	 * Which of `items` the row holds. n8n offers no read alone: each is added, and what was added
	 * only to look (all but `keep`) is removed in the same turn of the queue.
	 */
	private async look(
		items: string[],
		keep: (seen: Set<string>) => string[] = () => [],
	): Promise<Set<string> | undefined> {
		return await this.queue.add(items, (processed) => {
			if (processed === undefined) return undefined;
			const kept = keep(processed);
			const added = items.filter((item) => !processed.has(item) && !kept.includes(item));
			if (added.length > 0) void this.queue.remove(added);
			return processed;
		});
	}

	/**
	 * Claims the key before it is sent: 'new' when no claim was seen in this period or the last
	 * (the claim is now this run's), 'claimed' when one was. With `verify`, where another process
	 * may write the row, a new claim is read back: another process writing the row at the same
	 * moment keeps its own row and drops ours, so a claim of our own (a unique entry) that is gone
	 * means someone else claimed in between.
	 */
	async claim(key: string, verify: boolean): Promise<ClaimResult> {
		if (verify) await this.queue.ready();
		const period = this.period();
		const current = entry('c', this.windowMs, period, key);
		const previous = entry('c', this.windowMs, period - 1, key);
		const mine = `o:${this.windowMs}:${period}:${key}:${ownId()}`;
		const readBack = verify && this.queue.roster.othersMayWrite;
		const items = readBack ? [current, previous, mine] : [current, previous];
		// A new claim keeps its entry in this period (and its own mark, read back below).
		const isNew = (seen: Set<string>) => !seen.has(current) && !seen.has(previous);
		const seen = await this.look(items, (found) => (isNew(found) ? [current, mine] : []));
		const first = seen === undefined ? 'unknown' : isNew(seen) ? 'new' : 'claimed';
		if (first !== 'new' || !readBack) return { claimed: first, period };
		// Another process that read the row before our write lands its write within about one call
		// (as slow as this process's slowest of late); read back only after that, or its write could
		// drop ours after we looked. A slower one is caught by the watch, which writes the claim again.
		await sleep(this.settleMs());
		for (let check = 1; ; check++) {
			const seen = await this.queue.add([mine, current], (processed) => processed);
			if (seen === undefined) return { claimed: 'unknown', period };
			if (seen.has(mine)) break;
			this.queue.roster.droppedByOther();
			// Ours dropped and the claim there: another process claimed it at the same moment.
			if (seen.has(current)) {
				// This read wrote our mark again: it goes too.
				void this.queue.remove([mine]);
				return { claimed: 'claimed', period };
			}
			// Both dropped by a write of something else: this check wrote them again; read once more.
			if (check === 3) break;
		}
		void this.queue.remove([mine]);
		this.queue.watch.add([current], this.settleMs());
		return { claimed: 'new', period };
	}

	/**
	 * What became of a key another process claimed: recorded, uncertain (it may have been), or
	 * undefined while its sender has said neither (still in flight, or it stopped).
	 */
	async outcome(key: string): Promise<'recorded' | 'uncertain' | undefined> {
		const period = this.period();
		const recorded = [
			entry('r', this.windowMs, period, key),
			entry('r', this.windowMs, period - 1, key),
		];
		const uncertain = [
			entry('u', this.windowMs, period, key),
			entry('u', this.windowMs, period - 1, key),
		];
		const seen = await this.look([...recorded, ...uncertain]);
		if (seen === undefined) return 'uncertain';
		if (recorded.some((item) => seen.has(item))) return 'recorded';
		return uncertain.some((item) => seen.has(item)) ? 'uncertain' : undefined;
	}

	/** uContact recorded it: the claim is kept (written again, should another process have dropped it). */
	keepRecorded(key: string, period: number, verify: boolean): void {
		const items = [entry('c', this.windowMs, period, key), entry('r', this.windowMs, period, key)];
		this.writes.push(this.written(items, verify));
	}

	/** uContact may have recorded it: the claim stays (written again if it was lost), marked as settled. */
	keepUncertain(key: string, period: number, verify: boolean): void {
		const items = [entry('c', this.windowMs, period, key), entry('u', this.windowMs, period, key)];
		this.writes.push(this.written(items, verify));
	}

	/**
	 * Writes an outcome, which the run waits for; with `verify`, where another process writes the
	 * row, it is watched (watch.ts) and written again until no slow write can drop it: another
	 * process may be waiting for it. The watch goes on after the run: it needs no execution.
	 */
	private async written(items: string[], verify: boolean): Promise<void> {
		await this.queue.add(items, () => undefined);
		if (verify && this.queue.roster.othersMayWrite) this.queue.watch.add(items, this.settleMs());
	}

	private settleMs(): number {
		return Math.min(MAX_SETTLE_MS, Math.max(MIN_SETTLE_MS, 2 * this.queue.slowestRecentMs()));
	}

	/** Certainly not recorded, or never sent: the claim goes, so it can be sent again. */
	release(key: string, period: number): void {
		const claim = entry('c', this.windowMs, period, key);
		this.queue.watch.forget([claim]);
		this.writes.push(this.queue.remove([claim]));
	}

	/** Resolves when every write this run asked for is done. */
	async settled(): Promise<void> {
		await Promise.all(this.writes);
	}
}

/**
 * The shared record for this node, or undefined where n8n has no deduplication store (before
 * 1.64) or the workflow has no id; then only this process's record protects the sends.
 */
export function sharedRecord(
	context: IExecuteFunctions,
	windowMs: number,
): SharedRecord | undefined {
	const helpers = context.helpers as Partial<Helpers>;
	const workflowId = context.getWorkflow().id;
	const node = context.getNode();
	if (
		typeof helpers.checkProcessedAndRecord !== 'function' ||
		typeof helpers.removeProcessed !== 'function'
	)
		return undefined;
	if (!workflowId || !node.id) return undefined;
	const scope = `${workflowId}\n${node.id}`;
	let queue = queues.get(scope);
	if (queue === undefined) {
		queue = new NodeQueue(helpers as Helpers, context.logger, node.name);
		queues.set(scope, queue);
	} else queue.use(helpers as Helpers);
	return new SharedRecord(queue, windowMs);
}
