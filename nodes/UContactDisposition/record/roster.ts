/**
 * Whether another n8n process writes this node's row of n8n's deduplication store. Only another
 * process can drop this one's entries (within a process every call goes through one queue), so
 * only then are claims and outcomes read back, which costs each claim a settle delay and a call.
 * A process alone (regular mode) pays nothing for queue mode's protection once it has seen so.
 *
 * n8n tells a node nothing of the processes around it, so they meet in the row. Every few seconds
 * a process that is writing looks at it, adding in the same call:
 * - `p:<period>`, presence: found there and not added by this process, proof of another one;
 * - `s:<period>`, "others are here": kept by a process that knows of another, so that one learns;
 * - `m:<process>:<n>`, this look's own mark, looked at again by the next look: gone means another
 *   process's write, made at the same moment, dropped it (two first looks at once both find no
 *   presence; one of them always loses its mark).
 * A process believes itself alone only after three clean looks in a row (four seconds at least),
 * and a look is due before a lone process decides a claim, never after.
 *
 * A process that believed itself alone may send without reading back until its next look. So one
 * that has just learnt of another holds its own claims for one look's interval and a margin: by
 * then every other process that sends has looked, and read back from then on.
 */
/** Presence counts for this long, and the one before: a process silent that long writes nothing. */
const PERIOD_MS = 60_000;
/** How often a process that is writing looks: how long it may take to learn of a new worker. */
export const CHECK_EVERY_MS = 2_000;
/** Looks in a row that found no other process before this one believes itself alone. */
const CLEAN_LOOKS = 3;
/** Beyond one look's interval: the last claim another process decided alone lands in the row. */
const HOLD_MARGIN_MS = 1_000;

const presence = (period: number) => `p:${PERIOD_MS}:${period}`;
const shared = (period: number) => `s:${PERIOD_MS}:${period}`;

export interface RosterCheck {
	period: number;
	mark: string;
	/** Added to the queue's next call: what is not kept of them is removed in the same turn. */
	items: string[];
}

export class Roster {
	private checkedAt = Number.NEGATIVE_INFINITY;
	private othersUntil = 0;
	private cleanLooks = 0;
	private holdUntil = 0;
	private looks = 0;
	private lastMark: string | undefined;
	/** Entries this process added itself (they were new): they prove nothing about others. */
	private readonly own = new Set<string>();

	/** `id`: this process's, unique across processes (sharedRecord.ts), naming its marks. */
	constructor(
		private readonly id: string,
		private readonly now: () => number = Date.now,
	) {}

	/** Whether a write of another process may drop ours: then claims and outcomes are read back. */
	get othersMayWrite(): boolean {
		return this.cleanLooks < CLEAN_LOOKS || this.now() < this.othersUntil;
	}

	/** How long claims wait still, after this process learnt of another (see the file's comment). */
	holdMs(): number {
		return Math.max(0, this.holdUntil - this.now());
	}

	/** Claims wait until every other process that sends has looked at the row again. */
	private hold(): void {
		this.holdUntil = this.now() + CHECK_EVERY_MS + HOLD_MARGIN_MS;
	}

	/** Another process's write dropped one of ours. */
	droppedByOther(): void {
		if (this.now() >= this.othersUntil) this.hold();
		this.othersUntil = this.now() + 2 * PERIOD_MS;
		this.cleanLooks = 0;
	}

	/** Whether a look is due: the queue's next call carries it. */
	isDue(): boolean {
		return this.now() - this.checkedAt >= CHECK_EVERY_MS;
	}

	/** The look to add to the queue's next call, when one is due. */
	due(): RosterCheck | undefined {
		if (!this.isDue()) return undefined;
		const now = this.now();
		this.checkedAt = now;
		const period = Math.floor(now / PERIOD_MS);
		const mark = `m:${this.id}:${++this.looks}`;
		const items = [presence(period), shared(period), shared(period - 1), mark];
		if (this.lastMark !== undefined) items.push(this.lastMark);
		return { period, mark, items };
	}

	/** Reads what the call found; returns what goes again (entries only looked at, and stale ones). */
	read(check: RosterCheck, found: Set<string>): string[] {
		const [mine, sharedNow, sharedBefore] = check.items;
		const foreign = (item: string) => found.has(item) && !this.own.has(item);
		const markDropped = this.lastMark !== undefined && !found.has(this.lastMark);
		const ownSharedDropped = this.own.has(sharedNow) && !found.has(sharedNow);
		const others = foreign(mine) || foreign(sharedNow) || foreign(sharedBefore) || markDropped;
		if (others || ownSharedDropped) this.droppedByOther();
		else this.cleanLooks++;
		// What told the others was lost: they learn from this look's copy, so wait for them again.
		if (ownSharedDropped) this.hold();
		// Kept: presence, this look's mark, and while others are around the entry that tells them so.
		const kept = [mine, check.mark, ...(this.now() < this.othersUntil ? [sharedNow] : [])];
		for (const item of kept) if (!found.has(item)) this.own.add(item);
		const looked = check.items.filter((item) => !found.has(item) && !kept.includes(item));
		// The last look's mark has served: it goes (a process leaves its final one behind).
		const served = this.lastMark === undefined ? [] : [this.lastMark];
		this.lastMark = check.mark;
		const stale = [1, 2, 3].flatMap((back) => [
			presence(check.period - back),
			shared(check.period - back - 1),
		]);
		for (const item of [...stale, ...served]) this.own.delete(item);
		return [...new Set([...looked, ...served, ...stale])];
	}
}
