import { sleep } from 'n8n-workflow';

import { Watch, WATCH_AFTER_MS } from '../../../../nodes/UContactDisposition/record/watch';

/** A row another process writes: `drop` entries vanish once, as another's slow write drops them. */
function store(drop: string[] = []) {
	const row = new Set<string>();
	const looks: string[][] = [];
	let dropped = 0;
	let others = true;
	return {
		row,
		looks,
		dropped: () => dropped,
		alone: () => (others = false),
		api: {
			check: async (items: string[]) => {
				looks.push(items);
				for (const item of drop.splice(0)) row.delete(item);
				const seen = new Set(items.filter((item) => row.has(item)));
				for (const item of items) row.add(item);
				return seen;
			},
			othersMayWrite: () => others,
			dropped: () => void dropped++,
		},
	};
}

async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await sleep(5);
}

describe('Watch: outcomes looked at again while another process may drop them', () => {
	it('looks first after the settle delay, then at growing delays; together in one call', async () => {
		const fake = store();
		const watch = new Watch(fake.api);
		for (const item of ['c:1', 'r:1']) fake.row.add(item);
		watch.add(['c:1', 'r:1'], 10);
		await until(() => fake.looks.length >= 2);
		expect(fake.looks).toEqual([
			['c:1', 'r:1'],
			['c:1', 'r:1'],
		]);
		expect(fake.dropped()).toBe(0);
		expect(WATCH_AFTER_MS[WATCH_AFTER_MS.length - 1]).toBeGreaterThanOrEqual(30_000);
	});

	it('writes again what another write dropped, says so, and watches it anew', async () => {
		const fake = store(['r:1']);
		const watch = new Watch(fake.api);
		fake.row.add('c:1');
		watch.add(['c:1', 'r:1'], 10);
		await until(() => fake.looks.length >= 1);
		expect(fake.dropped()).toBe(1);
		expect(fake.row.has('r:1')).toBe(true);
		expect(watch.size).toBe(2);
	});

	it('stops watching once the process is alone', async () => {
		const fake = store();
		const watch = new Watch(fake.api);
		fake.alone();
		watch.add(['c:1', 'r:1'], 10);
		await until(() => watch.size === 0);
		expect(fake.looks).toEqual([]);
	});
});
