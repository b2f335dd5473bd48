/**
 * nodes/UContactApi/answerReading.ts and deadline.ts: an answer is read up to the cap and until
 * the deadline, whatever the stream does; and what a cut answer is classified and worded as.
 */
import { PassThrough } from 'node:stream';

import { ANSWER_CAP_BYTES } from '../../../nodes/UContactApi/answerLimits';
import { readAnswer } from '../../../nodes/UContactApi/answerReading';
import { Deadline } from '../../../nodes/UContactApi/deadline';
import { AnswerLimitError, classify } from '../../../nodes/UContactApi/errorFacts';
import { describeRequestFailure } from '../../../nodes/UContactApi/requestMessages';

const LONG = 60_000;

/** Resolves once the signal has aborted: tests wait for the state, not for a guessed time. */
const aborted = async (signal: AbortSignal) =>
	await new Promise<void>((resolve) =>
		signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
	);

describe('readAnswer', () => {
	it('reads a short answer whole, in UTF-8, and leaves the stream as it ended', async () => {
		const stream = new PassThrough();
		const deadline = new Deadline(LONG);
		const reading = readAnswer(stream, deadline);
		stream.end(Buffer.from('"OK" Tipificación', 'utf8'));
		expect(await reading).toEqual({ end: 'complete', text: '"OK" Tipificación', error: undefined });
		expect(deadline.signal.aborted).toBe(false);
		deadline.end();
	});

	it('reads an answer of exactly the cap whole, and cuts one byte more at the cap', async () => {
		for (const [size, end] of [
			[ANSWER_CAP_BYTES, 'complete'],
			[ANSWER_CAP_BYTES + 1, 'too-long'],
		] as const) {
			const stream = new PassThrough();
			const reading = readAnswer(stream, new Deadline(LONG));
			stream.end(Buffer.alloc(size, 'a'));
			const read = await reading;
			expect(read.end).toBe(end);
			expect(read.text).toHaveLength(ANSWER_CAP_BYTES);
		}
	});

	it('stops at the cap however much keeps coming: the stream is destroyed, the request aborted', async () => {
		const stream = new PassThrough();
		const deadline = new Deadline(LONG);
		const reading = readAnswer(stream, deadline);
		for (let chunk = 0; chunk < 4; chunk++) stream.write(Buffer.alloc(4096, 'x'));
		const read = await reading;
		expect(read).toMatchObject({ end: 'too-long', text: 'x'.repeat(ANSWER_CAP_BYTES) });
		expect(stream.destroyed).toBe(true);
		expect(deadline.signal.aborted).toBe(true);
		expect(deadline.expired).toBe(false);
	});

	it('leaves out a character the cap cuts in half, rather than showing U+FFFD', async () => {
		const stream = new PassThrough();
		const reading = readAnswer(stream, new Deadline(LONG));
		stream.end(Buffer.concat([Buffer.alloc(ANSWER_CAP_BYTES - 1, 'a'), Buffer.from('ó')]));
		const read = await reading;
		expect(read.end).toBe('too-long');
		expect(read.text).toBe('a'.repeat(ANSWER_CAP_BYTES - 1));
	});

	it('ends at the deadline with what arrived, the stream destroyed', async () => {
		const stream = new PassThrough();
		const deadline = new Deadline(50);
		const reading = readAnswer(stream, deadline);
		stream.write(' ');
		const read = await reading;
		expect(read).toMatchObject({ end: 'timeout', text: ' ' });
		expect(deadline.expired).toBe(true);
		expect(stream.destroyed).toBe(true);
	});

	it('reports a stream that errors or closes early as broken, with its error', async () => {
		const failing = new PassThrough();
		const reading = readAnswer(failing, new Deadline(LONG));
		failing.write('"O');
		const reset = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
		failing.destroy(reset);
		expect(await reading).toEqual({ end: 'broken', text: '"O', error: reset });

		const closing = new PassThrough();
		const closed = readAnswer(closing, new Deadline(LONG));
		closing.destroy();
		expect((await closed).end).toBe('broken');
	});

	it('reads an answer a helper already held in memory within the same cap', async () => {
		const deadline = new Deadline(LONG);
		expect(await readAnswer('"0"', deadline)).toEqual({ end: 'complete', text: '"0"' });
		expect(await readAnswer(undefined, deadline)).toEqual({ end: 'complete', text: '' });
		expect((await readAnswer('b'.repeat(ANSWER_CAP_BYTES + 5), deadline)).end).toBe('too-long');
		deadline.end();
	});
});

describe('Deadline', () => {
	it('aborts its signal when the Timeout passes, and says so', async () => {
		const deadline = new Deadline(20);
		await aborted(deadline.signal);
		expect(deadline.expired).toBe(true);
	});

	it("follows the execution's cancel signal, and lets go of it once the request is over", async () => {
		const execution = new AbortController();
		const deadline = new Deadline(LONG, execution.signal);
		execution.abort();
		expect(deadline.signal.aborted).toBe(true);
		expect(deadline.expired).toBe(false);

		const later = new AbortController();
		const done = new Deadline(LONG, later.signal);
		done.end();
		later.abort();
		expect(done.signal.aborted).toBe(false);
	});

	it('races a helper that takes no signal: a timeout first, and the late answer dropped', async () => {
		const deadline = new Deadline(20);
		let answer: (value: string) => void = () => {};
		const pending = new Promise<string>((resolve) => (answer = resolve));
		const dropped: string[] = [];
		await expect(deadline.race(pending, (late) => dropped.push(late))).rejects.toBeInstanceOf(
			AnswerLimitError,
		);
		answer('late');
		await pending;
		await Promise.resolve();
		expect(dropped).toEqual(['late']);
	});
});

describe('a cut answer, classified and worded', () => {
	const context = {
		baseUrl: 'http://uc.test',
		timeoutMs: 1500,
		quote: (body: unknown) => String(body),
	};

	it.each([
		['no answer by the Timeout', new AnswerLimitError('time'), 'maybe-recorded', 'not-recorded'],
		[
			'a success answer still arriving',
			new AnswerLimitError('time', { status: 200, body: ' ' }),
			'maybe-recorded',
			'not-recorded',
		],
		[
			'a success answer over the cap',
			new AnswerLimitError('size', { status: 200, body: 'AAA' }),
			'maybe-recorded',
			'configuration',
		],
	])('%s: a disposition is %s, a login %s', (_name, error, request, login) => {
		expect(classify(error).kind).toBe(request);
		expect(classify(error, 'login').kind).toBe(login);
	});

	it('says the disposition may have been recorded, and no word of it in the credential test', () => {
		const size = classify(new AnswerLimitError('size', { status: 200, body: 'AAA' }));
		expect(describeRequestFailure(size, context).message).toBe(
			'uContact gave an unexpected answer, longer than 8192 bytes: "AAA"; the disposition may or may not have been recorded, so check in uContact before sending it again',
		);
		expect(describeRequestFailure(size, { ...context, test: true }).message).toBe(
			'uContact gave an unexpected answer, longer than 8192 bytes: "AAA"',
		);
		const time = classify(new AnswerLimitError('time', { status: 200, body: ' ' }));
		expect(describeRequestFailure(time, context).message).toBe(
			"uContact's answer was still arriving after 1500 ms and was read no further; the disposition may or may not have been recorded, so check in uContact before sending it again",
		);
		const none = classify(new AnswerLimitError('time'));
		expect(describeRequestFailure(none, { ...context, test: true }).message).toBe(
			'uContact did not answer within 1500 ms',
		);
	});
});
