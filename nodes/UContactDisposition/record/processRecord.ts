/**
 * What this n8n process knows of each disposition it sent, in detail (when, which execution and
 * run, uContact's answer or the redacted failure), and which are in flight right now. Shared by
 * every execution the process runs, so overlapping executions, parallel items and two Retries at
 * once see each other at once. Bounded: entries age out by the time they were written (never by
 * being read), oldest first, so the cost of a lookup does not depend on how full it is.
 */
import type { FailureReport } from '../../UContactApi/requestMessages';
import type { ClaimResult } from './sharedRecord';

export type RecordedState = 'recorded' | 'uncertain' | 'not-recorded';

export interface Entry {
	state: RecordedState;
	/** When the outcome was known, ms since the epoch. */
	at: number;
	executionId: string;
	/** The execution, or the tool call, whose tries are one run (Retry On Fail). */
	runId: string;
	itemIndex: number;
	/** uContact's answer, when recorded. */
	response?: string;
	/** What went wrong, secrets already masked, when uncertain. */
	report?: FailureReport;
}

export interface ProcessLimits {
	maxEntries: number;
	/** Longer than any Skip Window can reach (720 hours, remembered up to twice that). */
	maxAgeMs: number;
}

export const PROCESS_LIMITS: ProcessLimits = { maxEntries: 200_000, maxAgeMs: 2 * 720 * 3_600_000 };

export class ProcessRecord {
	// Insertion order is time order: an entry is re-inserted when its outcome changes.
	private readonly entries = new Map<string, Entry>();
	private readonly inFlight = new Map<string, Promise<void>>();
	// Claims made ahead of the items that will use them, by scope and key: whichever run of this
	// process reaches the key first takes it, so no run waits for a claim another has not used yet.
	private readonly ahead = new Map<string, Promise<ClaimResult>>();

	constructor(
		private readonly limits: ProcessLimits = PROCESS_LIMITS,
		private readonly now: () => number = Date.now,
	) {}

	/** The latest outcome for this key in this workflow and node, whichever run wrote it. */
	get(scope: string, key: string): Entry | undefined {
		return this.entries.get(`${scope}\n${key}`);
	}

	/** This run's own outcome for the key: another run sending the same key in between does not hide it. */
	own(runId: string, key: string): Entry | undefined {
		return this.entries.get(`run:${runId}\n${key}`);
	}

	set(scope: string, key: string, entry: Entry): void {
		for (const id of [`${scope}\n${key}`, `run:${entry.runId}\n${key}`]) {
			this.entries.delete(id);
			this.entries.set(id, entry);
		}
		this.ageOut();
	}

	/** The send of this key in flight in this process, if any (whatever workflow sends it). */
	sending(key: string): Promise<void> | undefined {
		return this.inFlight.get(key);
	}

	/** Marks the key in flight; the returned function ends it. Call only when `sending` is undefined. */
	hold(key: string): () => void {
		let release!: () => void;
		const done = new Promise<void>((resolve) => (release = resolve));
		this.inFlight.set(key, done);
		return () => {
			if (this.inFlight.get(key) === done) this.inFlight.delete(key);
			release();
		};
	}

	/** Leaves a claim made ahead, unless one is already waiting for that key. */
	offer(scope: string, key: string, claim: () => Promise<ClaimResult>): boolean {
		const id = `${scope}\n${key}`;
		if (this.ahead.has(id) || this.inFlight.has(key)) return false;
		this.ahead.set(id, claim());
		return true;
	}

	/** Takes the claim made ahead for this key, if any is left. */
	take(scope: string, key: string): Promise<ClaimResult> | undefined {
		const id = `${scope}\n${key}`;
		const claim = this.ahead.get(id);
		this.ahead.delete(id);
		return claim;
	}

	private ageOut(): void {
		const oldest = this.now() - this.limits.maxAgeMs;
		for (const [id, entry] of this.entries) {
			if (this.entries.size <= this.limits.maxEntries && entry.at >= oldest) return;
			this.entries.delete(id);
		}
	}
}

/** The process's record, shared by every execution this n8n process (or queue worker) runs. */
export const processRecord = new ProcessRecord();
