import { startSimulator, type Simulator } from '../support/simulator/simulator';
import { harnessLogger } from '../support/harness';
import {
	call,
	everythingReturned,
	MAPPED,
	runDisposition,
	tokenCredentials,
} from '../support/runDisposition';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ campaigns: ['Ventas->', 'Cobranza<-'] });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.reset();
	harnessLogger.clear();
});

describe('checks before sending', () => {
	it('stops on an empty required field, naming field and item, before any request', async () => {
		const items = [call(0), call(1), call(2), call(3, { callerid: '  ' }), call(4)];
		const result = await runDisposition({ items, credentials: tokenCredentials(sim) });
		expect(result.error?.message).toBe('Caller ID (callerid) is required but empty (item 4)');
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
		return result.error as { message: string; description?: string; httpCode?: string } | undefined;
	}

	it('reports a rejection ("0") with the usual causes', async () => {
		const error = await failureOf(() => sim.setBehaviour({ kind: 'reject' }));
		expect(error?.message).toBe('uContact rejected the disposition (it answered "0") (item 1)');
		expect(error?.description).toMatch(
			/campaign "Ventas->" or agent "jperez" does not exist.*GUID "guid-0"/,
		);
	});

	it('reports an unknown campaign as uContact does: a rejection', async () => {
		const result = await runDisposition({
			items: [call(0, { campaign: 'Nope->' })],
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toMatch(/^uContact rejected the disposition/);
	});

	it('quotes an unexpected answer, cut short', async () => {
		const html = `<html><body>${'Maintenance '.repeat(50)}</body></html>`;
		const error = await failureOf(() =>
			sim.setBehaviour({ kind: 'body', body: html, contentType: 'text/html' }),
		);
		expect(error?.message).toMatch(
			/^uContact gave an unexpected answer: "<html><body>Maintenance .*… \(\d+ characters\)"; the disposition may or may not have been recorded, so check in uContact before sending it again \(item 1\)$/,
		);
	});

	it.each([
		[401, /^uContact refused the credentials \(HTTP 401\)/],
		[403, /^uContact denied access \(HTTP 403\)/],
		[404, /^No uContact DispositionCall endpoint at http:\/\/127\.0\.0\.1:\d+ \(HTTP 404\)/],
		[429, /^uContact is limiting requests \(HTTP 429\); the disposition was not recorded/],
		[
			500,
			/^uContact had a server error \(HTTP 500\); the disposition may or may not have been recorded/,
		],
		[503, /^uContact is temporarily unavailable \(HTTP 503\)/],
	])('explains HTTP %i', async (status, message) => {
		const error = await failureOf(() => sim.setBehaviour({ kind: 'status', status }));
		expect(error?.message).toMatch(message);
		expect(error?.httpCode).toBe(String(status));
	});

	it('does not follow a redirect, so the token stays on the configured host', async () => {
		const error = await failureOf(() =>
			sim.setBehaviour({
				kind: 'status',
				status: 302,
				headers: { location: 'http://127.0.0.2:9/steal' },
			}),
		);
		expect(error?.message).toMatch(
			/redirected the request to http:\/\/127\.0\.0\.2:9\/steal \(HTTP 302\)/,
		);
		expect(sim.requests).toHaveLength(1);
	});

	it('gives up after the Timeout option and says the outcome is unknown', async () => {
		// The late answer records nothing, so it cannot land in a later test's records.
		const error = await failureOf(
			() => sim.setBehaviour({ kind: 'slow', ms: 3000, then: { kind: 'reject' } }),
			1000,
		);
		expect(error?.message).toMatch(
			/^uContact did not answer within 1000 ms; the disposition may or may not have been recorded/,
		);
	});

	it('reports a connection closed without an answer', async () => {
		const error = await failureOf(() => sim.setBehaviour({ kind: 'close' }));
		expect(error?.message).toMatch(
			/^The connection to uContact at http:\/\/127\.0\.0\.1:\d+ closed before it answered; the disposition may or may not have been recorded, so check in uContact before sending it again \(item 1\)$/,
		);
	});

	it('reports a refused connection', async () => {
		const result = await runDisposition({
			items: [call(0)],
			credentials: tokenCredentials(sim, { baseUrl: 'http://127.0.0.1:9' }),
		});
		expect(result.error?.message).toMatch(
			/^Could not connect to uContact at http:\/\/127\.0\.0\.1:9 \(connection refused\); the disposition was not sent/,
		);
	});

	it('says how many earlier items were already recorded when a run stops', async () => {
		sim.queue({ kind: 'normal' }, { kind: 'normal' }, { kind: 'status', status: 500 });
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 1 } },
			items: [call(0), call(1), call(2), call(3)],
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toMatch(/\(HTTP 500\).*\(item 3\)$/);
		expect((result.error as { description?: string }).description).toMatch(
			/2 other item\(s\) of this run were recorded in uContact: item 1 \(GUID guid-0\), item 2 \(GUID guid-1\)\. Do not send those again\./,
		);
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
			error: 'Disposition Level 1 (l1) is required but empty (item 8)',
			hint: 'Nothing was sent to uContact.',
		});
		expect(result.items[21].json).toMatchObject({
			success: false,
			error: 'uContact rejected the disposition (it answered "0") (item 22)',
			disposition: { campaign: 'Unknown->', guid: 'guid-21' },
		});
		expect(result.items[41].json.error).toMatch(/HTTP 500/);
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
		expect(result.items[2].json.error).toMatch(
			/^Not sent: No uContact DispositionCall endpoint .*\(item 3\)$/,
		);
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
