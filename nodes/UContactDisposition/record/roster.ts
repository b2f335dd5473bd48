/**
 * Whether another n8n process writes this node's row of n8n's deduplication store. Only another
 * process can drop this one's entries (within a process every call goes through one queue), so
 * only then are claims and outcomes read back, which costs each claim a settle delay and a call.
 * A process alone (regular mode) pays nothing for queue mode's protection.
 *
 * n8n tells a node nothing of the processes around it, so they meet in the row: every few seconds
 * a process adds the period's presence entry, `p:<period>`. Finding it there before adding it is
 * proof of another process this period; that one is told by `s:<period>`, which every process
 * looks for. What a check misses (two processes checking at the same moment drop each other's
 * entries) the next one finds, and a claim read back with its mark gone proves another writer too.
 * Until the first claim of this process is read back intact, nothing is taken for granted.
 */

/** Presence counts for this long, and the one before: a process silent that long writes nothing. */
const PERIOD_MS = 60_000;
/** How often a process that is writing looks: how long it may take to learn of a new worker. */
const CHECK_EVERY_MS = 2_000;

const presence = (period: number) => `p:${PERIOD_MS}:${period}`;
const shared = (period: number) => `s:${PERIOD_MS}:${period}`;

export interface RosterCheck {
	period: number;
	/** Added to the queue's next call: what is not kept of them is removed in the same turn. */
	items: string[];
}

export class Roster {
	private checkedAt = Number.NEGATIVE_INFINITY;
	private othersUntil = 0;
	private readBackIntact = false;
	/** Entries this process added itself (they were new): they prove nothing about others. */
	private readonly own = new Set<string>();

	constructor(private readonly now: () => number = Date.now) {}

	/** Whether a write of another process may drop ours: then claims and outcomes are read back. */
	get othersMayWrite(): boolean {
		return !this.readBackIntact || this.now() < this.othersUntil;
	}

	/** Another process's write dropped one of ours. */
	droppedByOther(): void {
		this.othersUntil = this.now() + 2 * PERIOD_MS;
	}

	/** A claim was read back with its mark still there: this process's first writes were not dropped. */
	readBackHeld(): void {
		this.readBackIntact = true;
	}

	/** The check to add to the queue's next call, when one is due. */
	due(): RosterCheck | undefined {
		const now = this.now();
		if (now - this.checkedAt < CHECK_EVERY_MS) return undefined;
		this.checkedAt = now;
		const period = Math.floor(now / PERIOD_MS);
		return { period, items: [presence(period), shared(period), shared(period - 1)] };
	}

	/** Reads what the call found; returns what goes again (entries only looked at, and stale ones). */
	read(check: RosterCheck, found: Set<string>): string[] {
		const [mine, sharedNow, sharedBefore] = check.items;
		const foreign = (item: string) => found.has(item) && !this.own.has(item);
		const others = foreign(mine) || foreign(sharedNow) || foreign(sharedBefore);
		if (others) this.droppedByOther();
		// Kept: the presence entry, and while others are around the entry that tells them so.
		const kept = others ? [mine, sharedNow] : [mine];
		for (const item of kept) if (!found.has(item)) this.own.add(item);
		const looked = check.items.filter((item) => !found.has(item) && !kept.includes(item));
		const stale = [1, 2, 3].flatMap((back) => [
			presence(check.period - back),
			shared(check.period - back - 1),
		]);
		for (const item of stale) this.own.delete(item);
		return [...looked, ...stale];
	}
}
