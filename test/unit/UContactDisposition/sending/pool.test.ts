import {
	dispatch,
	type DispatchSettings,
} from '../../../../nodes/UContactDisposition/sending/pool';

/** Sends that finish only when the test says so, to see what is in flight at each moment. */
function controlledSends() {
	const started: number[] = [];
	const finished: number[] = [];
	const pending = new Map<number, () => void>();
	let inFlight = 0;
	let maxInFlight = 0;
	const send = (index: number) =>
		new Promise<void>((resolve) => {
			started.push(index);
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			pending.set(index, () => {
				pending.delete(index);
				inFlight--;
				finished.push(index);
				resolve();
			});
		});
	return {
		send,
		started,
		finished,
		inFlight: () => [...pending.keys()].sort((a, b) => a - b),
		maxInFlight: () => maxInFlight,
		finish: (index: number) => {
			const done = pending.get(index);
			if (!done) throw new Error(`send ${index} is not in flight`);
			done();
		},
	};
}

/** Lets every promise continuation that is ready run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const unbatched = (concurrency: number): DispatchSettings => ({
	concurrency,
	batchSize: 0,
	batchIntervalMs: 0,
});

describe('dispatch (bounded pool)', () => {
	it('keeps at most `concurrency` sends in flight, starting the next as soon as one ends', async () => {
		const sends = controlledSends();
		const run = dispatch(7, unbatched(3), sends.send, () => false);
		await settle();
		expect(sends.inFlight()).toEqual([0, 1, 2]);
		sends.finish(1);
		await settle();
		expect(sends.inFlight()).toEqual([0, 2, 3]);
		while (sends.inFlight().length > 0) {
			expect(sends.inFlight().length).toBeLessThanOrEqual(3);
			sends.finish(sends.inFlight()[0]);
			await settle();
		}
		await run;
		expect(sends.maxInFlight()).toBe(3);
		expect([...sends.finished].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
	});

	it('starts sends in item order, whatever order the answers come back in', async () => {
		const sends = controlledSends();
		const run = dispatch(6, unbatched(2), sends.send, () => false);
		await settle();
		// Answer the newest first every time.
		while (sends.inFlight().length > 0) {
			const newest = sends.inFlight()[sends.inFlight().length - 1];
			sends.finish(newest);
			await settle();
		}
		await run;
		expect(sends.started).toEqual([0, 1, 2, 3, 4, 5]);
		expect(sends.finished).not.toEqual([0, 1, 2, 3, 4, 5]);
	});

	it('concurrency 1 sends one after another; a fractional or zero concurrency still sends', async () => {
		for (const concurrency of [1, 0, 1.7]) {
			const sends = controlledSends();
			const run = dispatch(3, unbatched(concurrency), sends.send, () => false);
			for (let i = 0; i < 3; i++) {
				await settle();
				expect(sends.inFlight()).toEqual([i]);
				sends.finish(i);
			}
			await run;
			expect(sends.maxInFlight()).toBe(1);
		}
	});

	it('never runs more than `count` lanes, and sends nothing for no items', async () => {
		const sends = controlledSends();
		const run = dispatch(2, unbatched(10), sends.send, () => false);
		await settle();
		expect(sends.inFlight()).toEqual([0, 1]);
		sends.finish(0);
		sends.finish(1);
		await run;
		const none = controlledSends();
		await dispatch(0, unbatched(5), none.send, () => false);
		expect(none.started).toEqual([]);
	});

	it('batches: a batch starts only after every send of the previous one has ended', async () => {
		const sends = controlledSends();
		const run = dispatch(
			5,
			{ concurrency: 10, batchSize: 2, batchIntervalMs: 0 },
			sends.send,
			() => false,
		);
		await settle();
		expect(sends.inFlight()).toEqual([0, 1]);
		sends.finish(0);
		await settle();
		expect(sends.inFlight()).toEqual([1]);
		sends.finish(1);
		await settle();
		expect(sends.inFlight()).toEqual([2, 3]);
		sends.finish(3);
		sends.finish(2);
		await settle();
		expect(sends.inFlight()).toEqual([4]);
		sends.finish(4);
		await run;
		expect(sends.started).toEqual([0, 1, 2, 3, 4]);
		expect(sends.maxInFlight()).toBe(2);
	});

	it('batches: waits the batch interval between batches, not before the first', async () => {
		jest.useFakeTimers();
		try {
			const sends = controlledSends();
			const run = dispatch(
				4,
				{ concurrency: 2, batchSize: 2, batchIntervalMs: 1000 },
				sends.send,
				() => false,
			);
			await jest.advanceTimersByTimeAsync(0);
			expect(sends.inFlight()).toEqual([0, 1]);
			sends.finish(0);
			sends.finish(1);
			await jest.advanceTimersByTimeAsync(999);
			expect(sends.inFlight()).toEqual([]);
			await jest.advanceTimersByTimeAsync(1);
			expect(sends.inFlight()).toEqual([2, 3]);
			sends.finish(2);
			sends.finish(3);
			await run;
			expect(sends.started).toEqual([0, 1, 2, 3]);
		} finally {
			jest.useRealTimers();
		}
	});

	it('stop: starts no new send once stopped, but awaits the ones in flight', async () => {
		const sends = controlledSends();
		let stop = false;
		let resolved = false;
		const run = dispatch(10, unbatched(3), sends.send, () => stop).then(() => (resolved = true));
		await settle();
		expect(sends.inFlight()).toEqual([0, 1, 2]);
		stop = true;
		sends.finish(0);
		await settle();
		expect(sends.inFlight()).toEqual([1, 2]);
		expect(resolved).toBe(false);
		sends.finish(1);
		sends.finish(2);
		await run;
		expect(sends.started).toEqual([0, 1, 2]);
	});

	it('stop: no later batch starts once stopped', async () => {
		const sends = controlledSends();
		let stop = false;
		const run = dispatch(
			6,
			{ concurrency: 2, batchSize: 2, batchIntervalMs: 0 },
			sends.send,
			() => stop,
		);
		await settle();
		sends.finish(0);
		stop = true;
		sends.finish(1);
		await run;
		expect(sends.started).toEqual([0, 1]);
	});
});
