/**
 * Runs the sends: at most `concurrency` requests in flight, items taken in batches with a pause
 * between batches. Results are written by index, so output order never depends on answer order.
 */
import { sleep } from 'n8n-workflow';

export interface DispatchSettings {
	/** Requests in flight at once (1 = one after another). */
	concurrency: number;
	/** Items per batch; 0 or less means a single batch of everything. */
	batchSize: number;
	/** Pause between batches, in milliseconds. */
	batchIntervalMs: number;
}

/**
 * Calls `send(index)` for every index in order of start. Stops starting new sends once
 * `stopped()` is true; sends already in flight are always awaited.
 */
export async function dispatch(
	count: number,
	settings: DispatchSettings,
	send: (index: number) => Promise<void>,
	stopped: () => boolean,
): Promise<void> {
	const batchSize = settings.batchSize > 0 ? settings.batchSize : count;
	const concurrency = Math.max(1, Math.floor(settings.concurrency));
	for (let start = 0; start < count && !stopped(); start += batchSize) {
		if (start > 0 && settings.batchIntervalMs > 0) await sleep(settings.batchIntervalMs);
		const end = Math.min(start + batchSize, count);
		let next = start;
		const lane = async () => {
			while (next < end && !stopped()) await send(next++);
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, end - start) }, lane));
	}
}
