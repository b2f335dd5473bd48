/**
 * The outcomes this process wrote to n8n's store, looked at again until no call of another process
 * can still drop them. n8n reads a row and writes it back whole: another process's call that read
 * before an outcome was written and writes after drops it, however long that call lasts, and on a
 * busy database or event loop a call lasts from milliseconds to seconds (496 ms seen in queue
 * mode beside two workers). So each outcome is looked at a settle delay after it was written,
 * then at growing delays up to half a minute; a look that finds it gone has written it again,
 * which is watched as a new write. Another worker's delivery may still find it gone between the
 * slow call and the next look: at most that long, instead of for good.
 */

/** Delays after the write of the looks after the first: a call must last this long to drop it unseen. */
export const WATCH_AFTER_MS = [500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000];
/** Looks due this close together go out in one call. */
const TOGETHER_MS = 50;

export interface WatchedStore {
	/** Adds `items` to the row (writing again any that went); which were there, or undefined when the store failed. */
	check(items: string[]): Promise<Set<string> | undefined>;
	/** Whether another process may write the row: a process alone stops watching. */
	othersMayWrite(): boolean;
	/** Something watched was gone: another process's write dropped it. */
	dropped(): void;
}

interface Watched {
	writtenAt: number;
	/** Looks done since the write (-1: not even the first). */
	looks: number;
	due: number;
}

export class Watch {
	private readonly watched = new Map<string, Watched>();
	private running: Promise<void> | undefined;
	private pausedUntil = Number.POSITIVE_INFINITY;
	private wake: (() => void) | undefined;
	// Held while it runs: Node drops a timeout signal no one references, and it never fires.
	private timer: AbortSignal | undefined;

	constructor(
		private readonly store: WatchedStore,
		private readonly now: () => number = Date.now,
	) {}

	/** How many entries are watched. */
	get size(): number {
		return this.watched.size;
	}

	/** `items` were just written: first looked at after `firstMs`. */
	add(items: string[], firstMs: number): void {
		const now = this.now();
		for (const item of items)
			this.watched.set(item, { writtenAt: now, looks: -1, due: now + firstMs });
		if (now + firstMs < this.pausedUntil) this.wake?.();
		this.running ??= this.run().finally(() => {
			this.running = undefined;
			if (this.watched.size > 0) this.add([], 0);
		});
	}

	/** `items` were removed on purpose (a claim let go): not written again. */
	forget(items: string[]): void {
		for (const item of items) this.watched.delete(item);
	}

	private async run(): Promise<void> {
		while (this.watched.size > 0) {
			let next = Number.POSITIVE_INFINITY;
			for (const { due } of this.watched.values()) next = Math.min(next, due);
			if (next > this.now()) await this.pause(next - this.now());
			if (!this.store.othersMayWrite()) {
				this.watched.clear();
				return;
			}
			const soon = this.now() + TOGETHER_MS;
			const due = [...this.watched].filter(([, watched]) => watched.due <= soon);
			if (due.length === 0) continue;
			const seen = await this.store.check(due.map(([item]) => item));
			const at = this.now();
			let dropped = false;
			for (const [item, watched] of due) {
				// Written again meanwhile: watched from that write on.
				if (this.watched.get(item) !== watched) continue;
				if (seen === undefined) this.watched.delete(item);
				else {
					if (seen.has(item)) watched.looks++;
					else {
						dropped = true;
						watched.writtenAt = at;
						watched.looks = 0;
					}
					if (watched.looks >= WATCH_AFTER_MS.length) this.watched.delete(item);
					else watched.due = watched.writtenAt + WATCH_AFTER_MS[watched.looks];
				}
			}
			if (dropped) this.store.dropped();
		}
	}

	/**
	 * Waits `ms`, or less when an earlier look is added. The timer does not keep the process alive:
	 * a process that is ending has nothing left to protect.
	 */
	private async pause(ms: number): Promise<void> {
		this.pausedUntil = this.now() + ms;
		await new Promise<void>((resolve) => {
			this.wake = resolve;
			// AbortSignal.timeout: a timer without the setTimeout that community nodes may not use.
			this.timer = AbortSignal.timeout(Math.max(1, Math.ceil(ms)));
			this.timer.addEventListener('abort', () => resolve(), { once: true });
		});
		this.wake = undefined;
		this.timer = undefined;
		this.pausedUntil = Number.POSITIVE_INFINITY;
	}
}
