import { AttemptMemory } from '../../../../nodes/UContactDisposition/sending/attemptMemory';
import type { SendResult } from '../../../../nodes/UContactDisposition/sending/sendItem';

const ok: SendResult = { ok: true, response: 'OK' };
const timedOut = {
	ok: false,
	kind: 'maybe-recorded',
	report: { message: 'uContact did not answer within 30000 ms' },
} as const satisfies SendResult;
const refused: SendResult = { ok: false, kind: 'not-recorded', report: { message: 'HTTP 503' } };

function memoryAt(limits = { maxEntries: 10, idleMs: 1000 }) {
	let now = 0;
	const memory = new AttemptMemory(limits, () => now);
	return { memory, advance: (ms: number) => (now += ms) };
}

describe('AttemptMemory', () => {
	it('tells a later try of the same run what was recorded and what may have been', () => {
		const { memory } = memoryAt();
		const first = memory.open('run');
		first.remember(0, 'form-0', ok);
		first.remember(1, 'form-1', timedOut);
		first.remember(2, 'form-2', refused);
		first.close(true);

		const second = memory.open('run');
		expect(second.tries).toBe(2);
		expect(second.earlier(0, 'form-0')).toEqual({ kind: 'recorded', response: 'OK' });
		expect(second.earlier(1, 'form-1')).toEqual({ kind: 'uncertain', report: timedOut.report });
		expect(second.earlier(2, 'form-2')).toBeUndefined();
	});

	it('matches the exact form at the same index only', () => {
		const { memory } = memoryAt();
		const first = memory.open('run');
		first.remember(0, 'form-0', ok);
		first.close(true);
		const second = memory.open('run');
		expect(second.earlier(0, 'form-0 changed')).toBeUndefined();
		expect(second.earlier(1, 'form-0')).toBeUndefined();
	});

	it('keeps an earlier "maybe" when a later send certainly recorded nothing', () => {
		const { memory } = memoryAt();
		memory.open('run').remember(0, 'form-0', timedOut);
		const second = memory.open('run');
		second.remember(0, 'form-0', refused);
		expect(second.earlier(0, 'form-0')?.kind).toBe('uncertain');
		second.remember(0, 'form-0', ok);
		expect(second.earlier(0, 'form-0')?.kind).toBe('recorded');
		expect(memory.size).toBe(1);
	});

	it('never shares entries between runs', () => {
		const { memory } = memoryAt();
		memory.open('execution 1').remember(0, 'form-0', ok);
		expect(memory.open('execution 2').earlier(0, 'form-0')).toBeUndefined();
	});

	it('drops a run as soon as no retry can follow', () => {
		const { memory } = memoryAt();
		const attempt = memory.open('run');
		attempt.remember(0, 'form-0', ok);
		attempt.close(false);
		expect([memory.size, memory.runCount]).toEqual([0, 0]);
		expect(memory.open('run').earlier(0, 'form-0')).toBeUndefined();
	});

	it('drops a run left between tries for longer than the idle limit, never one being tried', () => {
		const { memory, advance } = memoryAt();
		const waiting = memory.open('waiting');
		waiting.remember(0, 'form-0', ok);
		waiting.close(true);
		const busy = memory.open('busy');
		busy.remember(0, 'form-0', ok);
		advance(1001);
		memory.open('another').close(false);
		expect(memory.runCount).toBe(1);
		expect(busy.earlier(0, 'form-0')?.kind).toBe('recorded');
		busy.close(true);
		expect(memory.open('busy').tries).toBe(2);
	});

	it('holds at most maxEntries: runs between tries make room, oldest first; runs being tried do not', () => {
		const { memory } = memoryAt({ maxEntries: 3, idleMs: 1000 });
		const old = memory.open('old');
		old.remember(0, 'a', ok);
		old.remember(1, 'b', ok);
		old.close(true);
		const live = memory.open('live');
		live.remember(0, 'a', ok);
		expect(memory.size).toBe(3);
		live.remember(1, 'b', ok);
		expect([memory.size, memory.runCount]).toEqual([2, 1]);
		live.remember(2, 'c', ok);
		live.remember(3, 'd', ok);
		expect(memory.size).toBe(3);
		expect(live.earlier(2, 'c')?.kind).toBe('recorded');
		expect(live.earlier(3, 'd')).toBeUndefined();
	});
});
