/**
 * How long each call to n8n's deduplication store takes, measured inside n8n's main process: over
 * the inspector, n8n's own `DeduplicationHelper.checkProcessedAndRecord` and `removeProcessed`
 * (what `this.helpers.checkProcessedAndRecord` / `removeProcessed` end in: read the row, change it,
 * write it back) are wrapped to note each call's workflow id and duration. The wrapper costs two
 * `performance.now()` calls and an array push per call.
 */
import * as path from 'node:path';

import type { BenchContext, Json } from './n8nProcess';
import { percentiles, type Percentiles } from './webhook';

export type StoreCall = [method: 'record' | 'remove', workflowId: string, ms: number];

export interface StoreTiming {
	/** Store calls per execution (bulk: per item), record and remove. */
	recordPerExec: number;
	removePerExec: number;
	/** Duration of one call, ms, each kind. */
	record: Percentiles;
	remove: Percentiles | null;
	/** Sum of all store calls' durations per execution (per item), ms. */
	totalMsPerExec: number;
}

const INSTALLED = '__ucontactBenchStoreCalls';

async function evaluate(ctx: BenchContext, expression: string): Promise<Json> {
	const inspector = await ctx.inspector();
	const answer = (await inspector.send('Runtime.evaluate', {
		expression,
		returnByValue: true,
		awaitPromise: true,
	})) as Json;
	if (answer.exceptionDetails) {
		throw new Error(
			`store timing: ${answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text}`,
		);
	}
	return answer.result.value;
}

/** Wraps n8n's DeduplicationHelper once; later calls only say whether it is wrapped. */
export async function installStoreTiming(ctx: BenchContext): Promise<void> {
	const file = path.join(
		ctx.server.runtime.dir,
		'node_modules/n8n/dist/deduplication/deduplication-helper.js',
	);
	await evaluate(
		ctx,
		`(() => {
			if (globalThis.${INSTALLED}) return true;
			const { DeduplicationHelper } = process.mainModule.require(${JSON.stringify(file)});
			const calls = (globalThis.${INSTALLED} = []);
			for (const [method, kind] of [['checkProcessedAndRecord', 'record'], ['removeProcessed', 'remove']]) {
				const original = DeduplicationHelper.prototype[method];
				DeduplicationHelper.prototype[method] = async function (...args) {
					const started = performance.now();
					try {
						return await original.apply(this, args);
					} finally {
						calls.push([kind, String(args[2] && args[2].workflow && args[2].workflow.id), performance.now() - started]);
					}
				};
			}
			return true;
		})()`,
	);
}

/** The calls noted since the last take(), and forgets them. */
export async function takeStoreCalls(ctx: BenchContext): Promise<StoreCall[]> {
	return (await evaluate(ctx, `JSON.stringify((globalThis.${INSTALLED} || []).splice(0))`).then(
		JSON.parse,
	)) as StoreCall[];
}

/** The calls of `workflowId` over `executions` executions (or items). */
export function storeTiming(
	calls: StoreCall[],
	workflowId: string,
	executions: number,
): StoreTiming | null {
	const mine = calls.filter(([, id]) => id === String(workflowId));
	const record = mine.filter(([kind]) => kind === 'record').map(([, , ms]) => ms);
	const remove = mine.filter(([kind]) => kind === 'remove').map(([, , ms]) => ms);
	if (record.length === 0) return null;
	return {
		recordPerExec: record.length / executions,
		removePerExec: remove.length / executions,
		record: percentiles(record),
		remove: remove.length ? percentiles(remove) : null,
		totalMsPerExec: mine.reduce((sum, [, , ms]) => sum + ms, 0) / executions,
	};
}
