/**
 * The roster's reading of n8n's store, look by look, on a clock of its own: when a process may
 * believe itself alone, what makes it learn of another, and how long it then holds its claims.
 * (Through n8n's engine, with two workers: recordOnce.workflow.test.ts.)
 */
import { CHECK_EVERY_MS, Roster } from '../../../../nodes/UContactDisposition/record/roster';

const PERIOD_MS = 60_000;

/** A row of n8n's store as the roster sees it: what was there before each look. */
function world(start = 10 * PERIOD_MS) {
	let now = start;
	const roster = new Roster('Pr0cess1', () => now);
	const row = new Set<string>();
	/** One look: `before` changes the row as another process would, between the roster's looks. */
	const look = (before?: (row: Set<string>, period: number) => void) => {
		now += CHECK_EVERY_MS;
		const check = roster.due();
		if (check === undefined) throw new Error('a look should be due');
		before?.(row, check.period);
		const found = new Set(check.items.filter((item) => row.has(item)));
		for (const item of check.items) row.add(item);
		for (const item of roster.read(check, found)) row.delete(item);
		return check;
	};
	return {
		roster,
		row,
		look,
		advance: (ms: number) => (now += ms),
	};
}

const p = (period: number) => `p:${PERIOD_MS}:${period}`;
const s = (period: number) => `s:${PERIOD_MS}:${period}`;

describe('Roster', () => {
	const ROWS: Array<{
		name: string;
		run: (w: ReturnType<typeof world>) => void;
		othersMayWrite: boolean;
		holding: boolean;
	}> = [
		{
			name: 'a fresh process reads back before it has looked',
			run: () => undefined,
			othersMayWrite: true,
			holding: false,
		},
		{
			name: 'two clean looks are not enough',
			run: (w) => [1, 2].forEach(() => w.look()),
			othersMayWrite: true,
			holding: false,
		},
		{
			name: 'three clean looks: alone',
			run: (w) => [1, 2, 3].forEach(() => w.look()),
			othersMayWrite: false,
			holding: false,
		},
		{
			name: "another's presence found at the first look: others, and claims held",
			run: (w) => w.look((row, period) => row.add(p(period))),
			othersMayWrite: true,
			holding: true,
		},
		{
			name: 'told by another that others are here: others, and claims held',
			run: (w) => {
				[1, 2, 3].forEach(() => w.look());
				w.look((row, period) => row.add(s(period)));
			},
			othersMayWrite: true,
			holding: true,
		},
		{
			name: 'its last mark dropped by a write at the same moment: others, and claims held',
			run: (w) => {
				const first = w.look();
				w.look((row) => row.delete(first.mark));
			},
			othersMayWrite: true,
			holding: true,
		},
		{
			name: "another's write dropped what told the others: claims held again",
			run: (w) => {
				w.look((row, period) => row.add(p(period)));
				w.advance(10_000);
				w.look((row, period) => row.delete(s(period)));
			},
			othersMayWrite: true,
			holding: true,
		},
		{
			name: 'others met, then none for two minutes and three clean looks: alone again',
			run: (w) => {
				w.look((row, period) => row.add(p(period)));
				w.advance(2 * PERIOD_MS);
				[1, 2, 3].forEach(() => w.look());
			},
			othersMayWrite: false,
			holding: false,
		},
	];

	it.each(ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
		const w = world();
		row.run(w);
		expect(w.roster.othersMayWrite).toBe(row.othersMayWrite);
		expect(w.roster.holdMs() > 0).toBe(row.holding);
		if (row.holding) expect(w.roster.holdMs()).toBeGreaterThanOrEqual(CHECK_EVERY_MS);
	});

	it('leaves in the row only its presence, its last mark and, among others, the entry that tells them', () => {
		const w = world();
		w.look((row, period) => row.add(p(period)));
		const last = w.look();
		const period = last.period;
		expect([...w.row].sort()).toEqual([p(period), s(period), last.mark].sort());
	});

	it('a look is due every 2 s, not sooner', () => {
		const w = world();
		w.look();
		expect(w.roster.isDue()).toBe(false);
		expect(w.roster.due()).toBeUndefined();
		w.advance(CHECK_EVERY_MS);
		expect(w.roster.isDue()).toBe(true);
	});
});
