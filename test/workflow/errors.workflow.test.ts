import { harnessLogger } from '../support/harness';
import {
	call,
	errorKindOf,
	everythingReturned,
	MAPPED,
	runDisposition,
	tokenCredentials,
} from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator({ campaigns: ['Ventas->', 'Cobranza<-'] });
beforeEach(() => {
	harnessLogger.clear();
});

describe('checks before sending', () => {
	it('stops on an empty required field at its item, before any request', async () => {
		const items = [call(0), call(1), call(2), call(3, { callerid: '  ' }), call(4)];
		const result = await runDisposition({ items, credentials: tokenCredentials(sim) });
		expect(result.error).toMatchObject({ context: { itemIndex: 3, errorKind: 'invalid-input' } });
		expect(sim.requests).toHaveLength(0);
		expect(result.items).toEqual([]);
	});

	it('stops on an unusable schedule or time zone, naming them', async () => {
		const bad = await runDisposition({
			parameters: { ...MAPPED, additionalFields: { schedule: '={{ $json.when }}' } },
			items: [call(0, { when: '2026-12-01 10:00:00' }), call(1, { when: 'next tuesday' })],
			credentials: tokenCredentials(sim),
		});
		expect(bad.error?.message).toMatch(
			/^Schedule Callback At \(schedule\) is not usable: "next tuesday".*\(item 2\)$/,
		);
		const zone = await runDisposition({
			parameters: { ...MAPPED, options: { scheduleTimezone: 'Mars/Olympus' } },
			items: [call(0)],
			credentials: tokenCredentials(sim),
		});
		expect(zone.error?.message).toMatch(
			/^Schedule Time Zone \(scheduleTimezone\) "Mars\/Olympus" is not a known time zone/,
		);
		expect(sim.requests).toHaveLength(0);
	});

	it('refuses an object mapped to a text field', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, additionalFields: { d1: '={{ $json.extra }}' } },
			items: [call(0, { extra: { nested: true } })],
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toBe(
			'Extra Data 1 (d1) is an object; map a single text value to it (item 1)',
		);
	});
});

describe('answers and failures', () => {
	async function failureOf(setup: () => void, timeout?: number) {
		sim.reset();
		setup();
		const result = await runDisposition({
			parameters: timeout ? { ...MAPPED, options: { timeout } } : MAPPED,
			items: [call(0)],
			credentials: tokenCredentials(sim),
		});
		expect(result.items).toEqual([]);
		const error = result.error as { httpCode?: string | null; context?: { itemIndex?: number } };
		return {
			kind: errorKindOf(result.error),
			httpCode: error?.httpCode,
			item: error?.context?.itemIndex,
		};
	}

	it('reports a rejection ("0") as rejected', async () => {
		const error = await failureOf(() => sim.setBehaviour({ kind: 'reject' }));
		expect(error).toEqual({ kind: 'rejected', httpCode: null, item: 0 });
	});

	it('reports an unknown campaign as uContact does: a rejection', async () => {
		const result = await runDisposition({
			items: [call(0, { campaign: 'Nope->' })],
			credentials: tokenCredentials(sim),
		});
		expect(errorKindOf(result.error)).toBe('rejected');
	});

	it('reports an unexpected 2xx answer as maybe recorded: uContact processed the request', async () => {
		const html = `<html><body>${'Maintenance '.repeat(50)}</body></html>`;
		const error = await failureOf(() =>
			sim.setBehaviour({ kind: 'body', body: html, contentType: 'text/html' }),
		);
		expect(error).toEqual({ kind: 'maybe-recorded', httpCode: null, item: 0 });
	});

	it.each([
		[401, 'refused'],
		[403, 'refused'],
		[404, 'configuration'],
		[429, 'not-recorded'],
		[500, 'maybe-recorded'],
		[503, 'not-recorded'],
	])('classifies HTTP %i as %s', async (status, kind) => {
		const error = await failureOf(() => sim.setBehaviour({ kind: 'status', status }));
		expect(error).toEqual({ kind, httpCode: String(status), item: 0 });
	});

	it('does not follow a redirect, so the token stays on the configured host', async () => {
		const error = await failureOf(() =>
			sim.setBehaviour({
				kind: 'status',
				status: 302,
				headers: { location: 'http://127.0.0.2:9/steal' },
			}),
		);
		expect(error).toEqual({ kind: 'configuration', httpCode: '302', item: 0 });
		expect(sim.requests).toHaveLength(1);
	});

	it('gives up after the Timeout option: the outcome is unknown', async () => {
		// The late answer records nothing, so it cannot land in a later test's records.
		const error = await failureOf(
			() => sim.setBehaviour({ kind: 'slow', ms: 3000, then: { kind: 'reject' } }),
			1000,
		);
		expect(error).toEqual({ kind: 'maybe-recorded', httpCode: null, item: 0 });
	});

	it('reports a connection closed without an answer', async () => {
		const error = await failureOf(() => sim.setBehaviour({ kind: 'close' }));
		expect(error).toEqual({ kind: 'maybe-recorded', httpCode: null, item: 0 });
	});

	it('reports a refused connection', async () => {
		const result = await runDisposition({
			items: [call(0)],
			credentials: tokenCredentials(sim, { baseUrl: 'http://127.0.0.1:9' }),
		});
		expect(errorKindOf(result.error)).toBe('not-recorded');
	});

	it('stops at the failed item; the items before it were recorded', async () => {
		sim.queue({ kind: 'normal' }, { kind: 'normal' }, { kind: 'status', status: 500 });
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 1 } },
			items: [call(0), call(1), call(2), call(3)],
			credentials: tokenCredentials(sim),
		});
		expect(result.error).toMatchObject({ httpCode: '500', context: { itemIndex: 2 } });
		expect(errorKindOf(result.error)).toBe('maybe-recorded');
		expect(sim.dispositions.map((request) => request.fields.guid)).toEqual(['guid-0', 'guid-1']);
		expect(sim.requests).toHaveLength(3);
	});
});

describe('Continue On Fail', () => {
	it('gives one item per input item, in order, failures included, all paired', async () => {
		const items = Array.from({ length: 60 }, (_, index) => call(index));
		items[7] = call(7, { l1: '' });
		items[21] = call(21, { campaign: 'Unknown->' });
		sim.queue(...Array.from({ length: 40 }, () => ({ kind: 'normal' as const })), {
			kind: 'status',
			status: 500,
		});

		// One at a time so that queued answers meet the items in order (concurrency has its own tests).
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 1 } },
			items,
			credentials: tokenCredentials(sim),
			continueOnFail: true,
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(60);
		result.items.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));
		const failed = result.items.flatMap((item, index) => (item.json.success ? [] : [index]));
		// Item 7 never left n8n; item 21 was rejected; the 41st request (item 41, after 7 was skipped) got 500.
		expect(failed).toEqual([7, 21, 41]);
		expect(result.items[7].json).toEqual({
			success: false,
			dryRun: false,
			alreadyRecorded: false,
			response: null,
			disposition: null,
			request: null,
			scheduleTimezone: null,
			error: expect.stringMatching(/\(item 8\)$/),
			errorKind: 'invalid-input',
			hint: expect.any(String),
		});
		expect(result.items[21].json).toMatchObject({
			success: false,
			errorKind: 'rejected',
			disposition: { campaign: 'Unknown->', guid: 'guid-21' },
		});
		expect(result.items[41].json.errorKind).toBe('maybe-recorded');
		expect(result.items[59].json).toMatchObject({
			success: true,
			response: 'OK',
			disposition: { guid: 'guid-59' },
		});
		expect(sim.requests).toHaveLength(59);
		expect(sim.dispositions.map((request) => request.fields.guid)).toEqual(
			items
				.map((item) => item.guid)
				.filter((guid) => !['guid-7', 'guid-21', 'guid-41'].includes(guid as string)),
		);
	});

	it('stops sending after a wrong address or refused token, failing the rest clearly', async () => {
		sim.setBehaviour({ kind: 'status', status: 404 });
		const result = await runDisposition({
			// One at a time, so the first failure is known before the next request would start.
			parameters: { ...MAPPED, options: { concurrency: 1 } },
			items: [call(0), call(1), call(2)],
			credentials: tokenCredentials(sim),
			continueOnFail: true,
		});
		expect(sim.requests).toHaveLength(1);
		expect(result.items.map((item) => item.json.success)).toEqual([false, false, false]);
		expect(result.items.map((item) => item.json.errorKind)).toEqual([
			'configuration',
			'not-sent',
			'not-sent',
		]);
	});
});

describe('secrets', () => {
	it('never returns or logs the token, whatever fails', async () => {
		const behaviours = [
			{ kind: 'status', status: 401 },
			{ kind: 'status', status: 500, body: 'Internal error' },
			{ kind: 'reject' },
			{ kind: 'body', body: 'weird' },
			{ kind: 'close' },
			{ kind: 'slow', ms: 2000 },
		] as const;
		for (const behaviour of behaviours) {
			for (const continueOnFail of [false, true]) {
				sim.reset();
				sim.setBehaviour(behaviour);
				const result = await runDisposition({
					parameters: { ...MAPPED, options: { timeout: 1000 } },
					items: [call(0), call(1)],
					credentials: tokenCredentials(sim),
					continueOnFail,
				});
				const returned = everythingReturned(result);
				expect(continueOnFail ? result.items.length : 1).toBe(continueOnFail ? 2 : 1);
				expect(returned).not.toContain(sim.token);
				expect(returned).not.toContain('Basic ');
			}
		}
		expect(harnessLogger.entries.length).toBeGreaterThan(0);
	});
});
