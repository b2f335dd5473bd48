/**
 * What this node recorded in an execution that failed, kept where n8n's Retry of that execution
 * finds it: the execution's own node context. n8n saves a failed execution with its execution
 * data (context included), and its Retry, with the saved or with the original workflow alike,
 * resumes from that data at the failed node, with the same input items. So the record survives a
 * restart and reaches any queue-mode worker, and nothing needs the workflow's static data (which
 * n8n keeps last-writer-wins and does not save for manual runs). Only form hashes are kept.
 */
import type { IContextObject, IExecuteFunctions } from 'n8n-workflow';

import { formHash } from './formHash';

const CONTEXT_KEY = 'uContactRecorded';
// About 35 bytes each as n8n saves an execution (measured): 100,000 items add about 3.5 MB, at most.
const MAX_ENTRIES = 100_000;

/** Who recorded an item: the execution, and when (ms since the epoch). */
export interface RecordedBy {
	executionId: string;
	at: number;
}

/** The record as kept in the node context: execution id → when, and what (hashed keys). */
type Ledger = Record<string, { at: number; keys: string[] }>;

function ledgerOf(context: IExecuteFunctions): IContextObject | undefined {
	try {
		return context.getContext('node');
	} catch {
		// No execution data (as when n8n runs the node as a tool): nothing to resume from.
		return undefined;
	}
}

// The run index is part of the key: in a loop, each run of the node has items of its own.
function entryKey(runIndex: number, itemIndex: number, form: string): string {
	return `${runIndex}:${itemIndex}:${formHash(form)}`;
}

export interface ExecutionRecord {
	/** Who recorded this exact item in the execution being retried, if anyone. */
	recordedBy(itemIndex: number, form: string): RecordedBy | undefined;
	/** Keeps what this run recorded, for a Retry of this execution. */
	keep(recorded: Array<{ itemIndex: number; form: string }>): void;
}

export function executionRecord(context: IExecuteFunctions): ExecutionRecord | undefined {
	const store = ledgerOf(context);
	if (store === undefined) return undefined;
	const runIndex = Number(context.getWorkflowDataProxy(0).$runIndex) || 0;
	const ledger = (store[CONTEXT_KEY] ?? {}) as Ledger;
	// Read only when n8n retries a failed execution: a new run sends what it is given.
	let index: Map<string, RecordedBy> | undefined;
	if (context.getMode() === 'retry') {
		index = new Map();
		for (const [executionId, { at, keys }] of Object.entries(ledger)) {
			for (const key of keys) index.set(key, { executionId, at });
		}
	}
	return {
		recordedBy: (itemIndex, form) => index?.get(entryKey(runIndex, itemIndex, form)),
		keep(recorded) {
			if (recorded.length === 0) return;
			const held = Object.values(ledger).reduce((count, entry) => count + entry.keys.length, 0);
			const room = Math.max(0, MAX_ENTRIES - held);
			const keys = recorded.slice(0, room).map(({ itemIndex, form }) => entryKey(runIndex, itemIndex, form));
			const executionId = context.getExecutionId() ?? '';
			const entry = (ledger[executionId] ??= { at: Date.now(), keys: [] });
			entry.keys.push(...keys);
			store[CONTEXT_KEY] = ledger;
		},
	};
}
