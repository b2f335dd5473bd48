/**
 * What earlier tries of one node run did with each item, so n8n's Retry On Fail, which runs
 * the whole node again (same execution, node, run index and input items), does not record a
 * disposition twice. Per process and bounded: runs are dropped when no retry can follow, or
 * when no try has touched them for a short while, and the entries have a cap. Forms are kept
 * only as hashes; an entry holds uContact's answer or an already redacted failure report,
 * never a credential.
 */
import type { FailureReport } from '../../UContactApi/requestMessages';
import type { SendResult } from './sendItem';
import { formHash } from './formHash';

export type Earlier =
	| { kind: 'recorded'; response: string }
	| { kind: 'uncertain'; report: FailureReport };

export interface MemoryLimits {
	/** Entries (items) held across all runs of the process. */
	maxEntries: number;
	/** How long a run between tries is kept; n8n waits at most 5 s between tries. */
	idleMs: number;
}

export const DEFAULT_MEMORY_LIMITS: MemoryLimits = { maxEntries: 100_000, idleMs: 60_000 };

interface RunRecord {
	entries: Map<string, Earlier>;
	tries: number;
	/** Tries in progress: a run being tried is never dropped, however long it takes. */
	active: number;
	idleSince: number;
}

// The item index is part of the key: n8n retries with the same input list, and two items with
// the same form are two dispositions the user asked for.
function entryKey(itemIndex: number, form: string): string {
	return `${itemIndex}:${formHash(form)}`;
}

/** One try of a node run. */
export class Attempt {
	constructor(
		private readonly memory: AttemptMemory,
		private readonly run: RunRecord,
		private readonly runKey: string,
	) {}

	/** 1 for the first try of this run, 2 for n8n's first retry, ... */
	get tries(): number {
		return this.run.tries;
	}

	/** What an earlier try did with this exact item, if it was recorded or may have been. */
	earlier(itemIndex: number, form: string): Earlier | undefined {
		return this.run.entries.get(entryKey(itemIndex, form));
	}

	/**
	 * Keeps a send's outcome when it matters to a retry: recorded, or maybe recorded. A failure
	 * that certainly recorded nothing leaves an earlier "maybe" in place.
	 */
	remember(itemIndex: number, form: string, sent: SendResult): void {
		let earlier: Earlier;
		if (sent.ok) earlier = { kind: 'recorded', response: sent.response };
		else if (sent.kind === 'maybe-recorded') earlier = { kind: 'uncertain', report: sent.report };
		else return;
		this.memory.store(this.run, entryKey(itemIndex, form), earlier);
	}

	/** Ends the try; `again` says whether n8n will run the node again for this run. */
	close(again: boolean): void {
		this.memory.finish(this.runKey, this.run, again);
	}
}

export class AttemptMemory {
	private readonly runs = new Map<string, RunRecord>();
	private entries = 0;

	constructor(
		private readonly limits: MemoryLimits = DEFAULT_MEMORY_LIMITS,
		private readonly now: () => number = Date.now,
	) {}

	/** Entries held, across runs. */
	get size(): number {
		return this.entries;
	}

	get runCount(): number {
		return this.runs.size;
	}

	/** Starts a try of the run named `runKey` (execution, workflow, node, run index). */
	open(runKey: string): Attempt {
		this.dropIdle();
		let run = this.runs.get(runKey);
		if (run === undefined) {
			run = { entries: new Map(), tries: 0, active: 0, idleSince: this.now() };
			this.runs.set(runKey, run);
		}
		run.tries++;
		run.active++;
		return new Attempt(this, run, runKey);
	}

	/** @internal Through Attempt.remember. */
	store(run: RunRecord, key: string, earlier: Earlier): void {
		if (!run.entries.has(key)) {
			if (this.entries >= this.limits.maxEntries) this.makeRoom();
			// Still full of runs being tried: this item is not remembered, so a retry sends it
			// again, as n8n would without this memory.
			if (this.entries >= this.limits.maxEntries) return;
			this.entries++;
		}
		run.entries.set(key, earlier);
	}

	/** @internal Through Attempt.close. */
	finish(runKey: string, run: RunRecord, again: boolean): void {
		run.active = Math.max(0, run.active - 1);
		run.idleSince = this.now();
		if (!again && this.runs.get(runKey) === run) this.drop(runKey, run);
	}

	private drop(runKey: string, run: RunRecord): void {
		this.entries -= run.entries.size;
		this.runs.delete(runKey);
	}

	private dropIdle(): void {
		const oldest = this.now() - this.limits.idleMs;
		for (const [key, run] of this.runs) {
			if (run.active === 0 && run.idleSince < oldest) this.drop(key, run);
		}
	}

	/** Drops expired runs, then runs between tries, oldest first, until one entry fits. */
	private makeRoom(): void {
		this.dropIdle();
		for (const [key, run] of this.runs) {
			if (this.entries < this.limits.maxEntries) return;
			if (run.active === 0) this.drop(key, run);
		}
	}
}

/** The process's memory, shared by every execution this n8n process (or queue worker) runs. */
export const attemptMemory = new AttemptMemory();
