/**
 * The one record of what uContact recorded, as a run uses it: every item takes a turn on its key
 * before it is sent. A turn waits while the same disposition is in flight anywhere in this
 * process, then reads what this process knows (in detail) or, failing that, what every n8n
 * process shares (n8n's deduplication store), and the policy says whether to send. An item sent
 * holds the key until its outcome is written to both.
 */
import { sleep } from 'n8n-workflow';

import type { SendResult } from '../sending/sendItem';
import { sends, type Earlier, type Policy } from './policy';
import { processRecord, type Entry, type ProcessRecord } from './processRecord';
import { periodOf, type ClaimResult, type SharedRecord } from './sharedRecord';

/** Longer than uContact takes to answer a disposition, short enough that a re-run after a crash does not stall. */
const FOREIGN_WAIT_MS = 5_000;
const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 1000;

export interface RunIdentity {
	/** The workflow and node (by id: a renamed node keeps its record). */
	scope: string;
	executionId: string;
	/** The execution, or the tool call, whose tries are one run. */
	runId: string;
}

/** What the record knew of an item not sent: where it came from, for the output's words. */
export interface Known extends Earlier {
	/** This process's entry, with when, which execution and the answer; absent when only n8n's shared store knew. */
	entry?: Entry;
}

export type Turn =
	| { send: false; known: Known }
	| {
			send: true;
			/** The outcome, written to the record; ends the turn. */
			done(result: SendResult): void;
			/** Not sent after all (the run stopped): the claim goes. */
			abandon(): void;
	  };

export class DispositionRecord {
	/** The keys this run will send, in order, by item: claims are made this far ahead of the sends. */
	private plan: Array<{ itemIndex: number; key: string }> = [];
	private readonly positions = new Map<number, number>();
	private aheadTo = 0;
	private readonly offered: string[] = [];

	constructor(
		private readonly run: RunIdentity,
		readonly policy: Policy,
		private readonly windowMs: number,
		private readonly shared: SharedRecord | undefined,
		/** How many claims are made ahead of the item being sent (a few times Concurrency). */
		private readonly ahead = 0,
		private readonly local: ProcessRecord = processRecord,
		private readonly now: () => number = Date.now,
	) {}

	/** Read back only where a repeat would be skipped: elsewhere both deliveries are sent anyway. */
	private get verify(): boolean {
		return this.policy.skipRecorded || this.policy.retryMode;
	}

	/**
	 * The items this run will send: their claims in n8n's store are made a few items ahead, in
	 * one call for many, so no send waits for the database. A process stopped in the middle
	 * leaves at most that many claimed and never sent, which a later run reports as uncertain.
	 */
	expect(plan: Array<{ itemIndex: number; key: string }>): void {
		this.plan = plan;
		plan.forEach(({ itemIndex }, position) => this.positions.set(itemIndex, position));
	}

	private claimAhead(itemIndex: number): void {
		const shared = this.shared;
		const position = this.positions.get(itemIndex);
		if (shared === undefined || position === undefined) return;
		const until = Math.min(this.plan.length, position + 1 + this.ahead);
		for (; this.aheadTo < until; this.aheadTo++) {
			const { key } = this.plan[this.aheadTo];
			if (this.local.offer(this.run.scope, key, async () => await shared.claim(key, this.verify)))
				this.offered.push(key);
		}
	}

	/**
	 * `timeoutMs`: the item's own Timeout. A send of the same key in flight in another process is
	 * waited for that long at most, and never over 5 s: a claim left by a process that stopped
	 * looks the same.
	 */
	async turn(key: string, itemIndex: number, timeoutMs: number): Promise<Turn> {
		this.claimAhead(itemIndex);
		for (let busy = this.local.sending(key); busy !== undefined; busy = this.local.sending(key))
			await busy;
		// From here until the hold, nothing awaits: no other item of this process takes the key between.
		const own = this.local.own(this.run.runId, key);
		const entry = own ?? this.local.get(this.run.scope, key);
		const sameRun = own !== undefined;
		const localKnows = entry !== undefined && (sameRun || this.remembered(entry.at));
		if (localKnows && entry.state !== 'not-recorded') {
			const known: Known = { state: entry.state, sameRun, entry };
			if (!sends(known, this.policy)) return { send: false, known };
		}
		const release = this.local.hold(key);
		// Whatever happens before the ticket is handed over (a refusal, a failure), the key is let go.
		let handedOver = false;
		try {
			const verify = this.verify;
			const claiming = this.local.take(this.run.scope, key) ?? this.shared?.claim(key, verify);
			const claim: ClaimResult = (await claiming) ?? { claimed: 'unknown', period: 0 };
			if (!localKnows && claim.claimed === 'claimed' && verify && this.shared !== undefined) {
				// Another process (or this one before a restart) claimed it: its outcome decides the
				// words and Resend Uncertain Items, so a sender still in flight is waited for, as
				// long as this item would wait for its own answer.
				const known: Known = {
					state: await this.outcomeOf(this.shared, key, Math.min(timeoutMs, FOREIGN_WAIT_MS)),
					sameRun: false,
				};
				if (!sends(known, this.policy)) return { send: false, known };
			}
			handedOver = true;
			return this.ticket(key, itemIndex, claim, release);
		} finally {
			if (!handedOver) release();
		}
	}

	/** Lets go of claims made ahead that no item used (the run stopped), then waits for every write. */
	async settled(): Promise<void> {
		const shared = this.shared;
		if (shared === undefined) return;
		const unused = this.offered.map((key) => ({
			key,
			claim: this.local.take(this.run.scope, key),
		}));
		for (const { key, claim } of unused) {
			const result = await claim;
			if (result?.claimed === 'new') shared.release(key, result.period);
		}
		await shared.settled();
	}

	private ticket(key: string, itemIndex: number, claim: ClaimResult, release: () => void): Turn {
		const owned = claim.claimed === 'new';
		const period = claim.claimed === 'unknown' ? periodOf(this.now(), this.windowMs) : claim.period;
		return {
			send: true,
			done: (result) => {
				const state = result.ok
					? 'recorded'
					: result.kind === 'maybe-recorded'
						? 'uncertain'
						: 'not-recorded';
				this.local.set(this.run.scope, key, {
					state,
					at: this.now(),
					executionId: this.run.executionId,
					runId: this.run.runId,
					itemIndex,
					response: result.ok ? result.response : undefined,
					report: !result.ok && state === 'uncertain' ? result.report : undefined,
				});
				// Another process may be waiting for this outcome (see turn()): where it would, it is read back.
				if (state === 'recorded') this.shared?.keepRecorded(key, period, this.verify);
				else if (state === 'uncertain') this.shared?.keepUncertain(key, period, this.verify);
				else if (owned) this.shared?.release(key, period);
				release();
			},
			abandon: () => {
				if (owned) this.shared?.release(key, period);
				release();
			},
		};
	}

	private async outcomeOf(
		shared: SharedRecord,
		key: string,
		waitMs: number,
	): Promise<'recorded' | 'uncertain'> {
		const deadline = this.now() + waitMs;
		for (let pause = FIRST_POLL_MS; ; pause = Math.min(MAX_POLL_MS, pause * 2)) {
			const outcome = await shared.outcome(key);
			if (outcome !== undefined) return outcome;
			if (this.now() + pause > deadline) return 'uncertain';
			await sleep(pause);
		}
	}

	/** Seen in the Skip Window's period it was written in, or the next: as the shared record sees it. */
	private remembered(at: number): boolean {
		return periodOf(at, this.windowMs) >= periodOf(this.now(), this.windowMs) - 1;
	}
}
