/**
 * Dispositions this node recorded in this workflow, for Skip Already Recorded Dispositions: the
 * same data run again, or one call delivered twice by a webhook sender. An item is the same when
 * every key it sends is the same (its whole form), so a changed comment or level is sent again.
 *
 * Kept in the workflow's static data, which n8n saves to its database after each production
 * execution (so it survives a restart and serves every queue-mode worker; two executions saving
 * at once keep the last one's). n8n does not save static data for manual executions, so those
 * keep theirs in this process. Only a 16-character hash of each form, when and by which execution.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RecordedBy } from './executionRecord';
import { formHash } from './formHash';

/** About 45 bytes of JSON each: at most ~0.9 MB of the workflow's static data, rewritten by n8n after each production execution that records. */
export const MAX_LEDGER_ENTRIES = 20_000;
const STATIC_KEY = 'uContactRecorded';

/** hash → [when (ms since the epoch), execution id], oldest first. */
export type LedgerEntries = Record<string, [number, string]>;

// Manual executions: per workflow and node, in this process only.
const manualLedgers = new Map<string, IDataObject>();

// Prefixed so that no key reads as an array index, which would break the oldest-first order.
const hashOf = (form: string) => `h${formHash(form)}`;

export class RecordedLedger {
	private count: number;

	constructor(
		private readonly store: IDataObject,
		private readonly windowMs: number,
		private readonly executionId: string,
		private readonly now: () => number = Date.now,
		private readonly maxEntries = MAX_LEDGER_ENTRIES,
	) {
		// Entries are kept oldest first: what is older than the window goes, once per run.
		const entries = this.entries;
		const oldest = this.now() - this.windowMs;
		let count = Object.keys(entries).length;
		for (const [key, [at]] of Object.entries(entries)) {
			if (at >= oldest && count <= this.maxEntries) break;
			delete entries[key];
			count--;
		}
		this.count = count;
	}

	private get entries(): LedgerEntries {
		return ((this.store[STATIC_KEY] as LedgerEntries | undefined) ??= {});
	}

	/** Who recorded this exact form within the window, if anyone. */
	recordedBy(form: string): RecordedBy | undefined {
		const entry = this.entries[hashOf(form)];
		if (entry === undefined || entry[0] < this.now() - this.windowMs) return undefined;
		return { at: entry[0], executionId: entry[1] };
	}

	keep(form: string): void {
		const entries = this.entries;
		const key = hashOf(form);
		// Re-added at the end, so the order stays oldest first.
		if (key in entries) delete entries[key];
		else this.count++;
		entries[key] = [this.now(), this.executionId];
		if (this.count > this.maxEntries) {
			for (const first in entries) {
				delete entries[first];
				this.count--;
				break;
			}
		}
	}

	get size(): number {
		return this.count;
	}
}

/** The ledger for this run, or undefined when the option is off. */
export function recordedLedger(
	context: IExecuteFunctions,
	options: { skipRecorded: boolean; skipWindowHours: number },
): RecordedLedger | undefined {
	if (!options.skipRecorded) return undefined;
	const windowMs = options.skipWindowHours * 3_600_000;
	const executionId = context.getExecutionId() ?? '';
	if (context.getMode() === 'manual') {
		const key = `${context.getWorkflow().id ?? ''}:${context.getNode().id ?? context.getNode().name}`;
		let store = manualLedgers.get(key);
		if (store === undefined) {
			store = {};
			manualLedgers.set(key, store);
		}
		return new RecordedLedger(store, windowMs, executionId);
	}
	return new RecordedLedger(context.getWorkflowStaticData('node'), windowMs, executionId);
}
