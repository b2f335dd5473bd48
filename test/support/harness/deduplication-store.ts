/**
 * n8n's deduplication store (packages/cli deduplication-helper.ts, 'entries' mode) in memory, for
 * runs through n8n-core's engine, which calls it through `DataDeduplicationService` as the CLI
 * does. Kept as n8n keeps it, read-then-write included: the row is read, a later turn of the event
 * loop writes it back whole, so two calls at once drop each other's entries, exactly the race
 * the node must survive; and two first inserts at once fail on the primary key.
 */
import { createHash } from 'node:crypto';
import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

type Row = { mode: string; data: string[] };

interface Hold {
	kind: 'record' | 'remove';
	which: (items: string[]) => boolean;
	read: () => void;
	released: Promise<void>;
}

// A database round trip: another call may run between the read and the write.
const roundTrip = async () => await new Promise<void>((resolve) => setImmediate(resolve));

export class MemoryDeduplicationStore implements IDataDeduplicator {
	readonly rows = new Map<string, Row>();
	/** Calls that reached the store, by kind: what the node costs n8n's database. */
	readonly calls = { record: 0, remove: 0 };
	/** Every value handed to the store before hashing, to check that nothing but hashes is given. */
	readonly received: string[] = [];
	/** What each hash stood for, to tell entries apart in assertions. */
	private readonly originals = new Map<string, string>();
	private readonly holds: Hold[] = [];

	/**
	 * The next call of `kind` whose items pass `which` reads the row, then waits for `release`
	 * before writing it back: another process's call slowed by a busy database or event loop.
	 */
	holdNext(
		kind: Hold['kind'],
		which: (items: string[]) => boolean,
	): { read: Promise<void>; release: () => void } {
		let read = () => {};
		let release = () => {};
		const hasRead = new Promise<void>((resolve) => (read = resolve));
		const released = new Promise<void>((resolve) => (release = resolve));
		this.holds.push({ kind, which, read, released });
		return { read: hasRead, release };
	}

	/** Between a call's read and its write: a round trip, or a hold. */
	private async between(kind: Hold['kind'], items: DeduplicationItemTypes[]): Promise<void> {
		const at = this.holds.findIndex((hold) => hold.kind === kind && hold.which(items.map(String)));
		if (at === -1) return await roundTrip();
		const [hold] = this.holds.splice(at, 1);
		hold.read();
		await hold.released;
	}

	private rowKey(scope: DeduplicationScope, contextData: ICheckProcessedContextData): string {
		if (scope === 'node' && !contextData.node)
			throw new Error("No node information: cannot use scope 'node'");
		return `${contextData.workflow.id}\n${scope === 'node' ? `n:${contextData.node?.id}` : ''}`;
	}

	private static hash(value: DeduplicationItemTypes): string {
		return createHash('md5').update(value.toString()).digest('base64');
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		this.calls.record++;
		this.received.push(...items.map(String));
		if (options.mode !== 'entries') throw new Error('only entries mode is kept here');
		const key = this.rowKey(scope, contextData);
		const read = this.rows.get(key);
		const row: Row | undefined =
			read === undefined ? undefined : { mode: read.mode, data: [...read.data] };
		await this.between('record', items);
		const hashed = items.map((item) => MemoryDeduplicationStore.hash(item));
		hashed.forEach((hash, index) => this.originals.set(hash, String(items[index])));
		if (row === undefined) {
			if (this.rows.has(key))
				throw new Error('duplicate key value violates unique constraint "PK_processed_data"');
			const data = options.maxEntries ? hashed.slice(-options.maxEntries) : hashed;
			this.rows.set(key, { mode: options.mode, data });
			return { new: items, processed: [] };
		}
		const output: IDeduplicationOutput = { new: [], processed: [] };
		hashed.forEach((hash, index) => {
			if (row.data.includes(hash)) output.processed.push(items[index]);
			else {
				output.new.push(items[index]);
				row.data.push(hash);
			}
		});
		if (options.maxEntries) row.data.splice(0, row.data.length - options.maxEntries);
		this.rows.set(key, row);
		return output;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<void> {
		this.calls.remove++;
		const key = this.rowKey(scope, contextData);
		const read = this.rows.get(key);
		if (read === undefined) return;
		const row = { mode: read.mode, data: [...read.data] };
		await this.between('remove', items);
		for (const hash of items.map((item) => MemoryDeduplicationStore.hash(item))) {
			const at = row.data.indexOf(hash);
			if (at !== -1) row.data.splice(at, 1);
		}
		this.rows.set(key, row);
	}

	async clearAllProcessedItems(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<void> {
		this.rows.delete(this.rowKey(scope, contextData));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<number> {
		return this.rows.get(this.rowKey(scope, contextData))?.data.length ?? 0;
	}

	/** Entries held for one workflow and node (those whose value passes `which`, when given). */
	entries(workflowId: string, nodeId: string, which?: (entry: string) => boolean): number {
		const data = this.rows.get(`${workflowId}\nn:${nodeId}`)?.data ?? [];
		if (which === undefined) return data.length;
		return data.filter((hash) => which(this.originals.get(hash) ?? '')).length;
	}
}

let installed: MemoryDeduplicationStore | undefined;

/** The store n8n-core's deduplication helpers use in this test file (one per jest module registry). */
export function deduplicationStore(): MemoryDeduplicationStore {
	if (installed === undefined) {
		installed = new MemoryDeduplicationStore();
		void DataDeduplicationService.init(installed);
	}
	return installed;
}
