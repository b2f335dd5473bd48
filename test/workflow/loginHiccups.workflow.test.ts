/**
 * Logins that hiccup (issue 19). A getUserToken login records nothing, so a transient failure
 * of it (5xx, 429 with or without Retry-After, a reset, a DNS hiccup) is always safe to try
 * again: it is retried within Safe Retries and Max Retry Wait, with backoff, at the start of a
 * run and when a session expires mid-run, and it is not kept for other items. A refused login
 * ("0", HTTP 401) is sent once for the whole run, never once per item (lockout). Every failed
 * item says what happened to the login, with its own item number; the credential test says a
 * transient failure is transient.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { flakyDns } from '../support/hostileServer';
import { harnessLogger } from '../support/harness';
import {
	call,
	errorKindOf,
	loginCredentials,
	MAPPED,
	runDisposition,
	testCredential,
} from '../support/runDisposition';
import { type LoginBehaviour, type Recorded } from '../support/simulator/simulator';
import { useSimulator } from '../support/useSimulator';

jest.setTimeout(120_000);

// Runs on every answered request; a test sets it to act mid-run (expire the session, arm hiccups).
let onAnswer: ((record: Recorded) => void) | undefined;
const sim = useSimulator({ onRequest: (record) => onAnswer?.(record) });
beforeEach(() => {
	onAnswer = undefined;
	harnessLogger.clear();
});

const logins = () => sim.requests.filter((request) => request.endpoint === 'getUserToken');
const items = (count: number) => Array.from({ length: count }, (_, index) => call(index));
const options = (extra: Record<string, number>): INodeParameters => ({ ...MAPPED, options: extra });
const gaps = (records: Recorded[]) =>
	records.slice(1).map((record, i) => record.at - records[i].at);

interface Hiccup {
	behaviour: LoginBehaviour;
	/** Max Retry Wait for this hiccup: long enough for a Retry-After it sends. */
	maxRetryWait: number;
	/** The shortest wait between a failed login and the same request's next try of it. */
	minGapMs: number;
}

// Max Retry Wait caps the backoff, so 80 ms keeps runs fast and still shows a wait.
const TRANSIENT: Array<[string, Hiccup]> = [
	['HTTP 503', { behaviour: { kind: 'status', status: 503 }, maxRetryWait: 80, minGapMs: 60 }],
	['HTTP 502', { behaviour: { kind: 'status', status: 502 }, maxRetryWait: 80, minGapMs: 60 }],
	['HTTP 504', { behaviour: { kind: 'status', status: 504 }, maxRetryWait: 80, minGapMs: 60 }],
	['HTTP 429', { behaviour: { kind: 'status', status: 429 }, maxRetryWait: 80, minGapMs: 60 }],
	[
		'HTTP 429 with Retry-After: 1',
		{
			behaviour: { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
			maxRetryWait: 1500,
			minGapMs: 900,
		},
	],
	['a connection reset', { behaviour: { kind: 'reset' }, maxRetryWait: 80, minGapMs: 60 }],
	[
		'a connection dropped after the request',
		{ behaviour: { kind: 'close' }, maxRetryWait: 80, minGapMs: 60 },
	],
];

/** Item numbers a message names, counted from 1: [8] for "... (item 8)". */
/** The items a message names, as n8n's indexes (messages count from 1). */
const itemNumbers = (message: unknown) =>
	[...String(message).matchAll(/\(item (\d+)\)/g)].map((match) => Number(match[1]) - 1);

function expectAllRecordedInOrder(
	result: Awaited<ReturnType<typeof runDisposition>>,
	count: number,
) {
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(count);
	const wrong = result.items.flatMap((item, index) =>
		item.json.success === true &&
		(item.json.disposition as IDataObject | null)?.guid === `guid-${index}` &&
		(item.pairedItem as { item: number }).item === index
			? []
			: [`${index}: ${String(item.json.error ?? JSON.stringify(item.json)).slice(0, 200)}`],
	);
	expect(wrong.slice(0, 5)).toEqual([]);
	const guids = sim.dispositions.map((request) => request.fields.guid);
	expect(guids).toHaveLength(count);
	expect(new Set(guids).size).toBe(count);
}

describe('a transient login failure is retried within Safe Retries', () => {
	it('300 items, two login 503s at the start and two after the session expires at item 100: all 300 recorded once, in order', async () => {
		sim.queueLogin({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
		let expiredAt: number | undefined;
		onAnswer = (record) => {
			if (expiredAt === undefined && sim.dispositions.length >= 100) {
				expiredAt = sim.requests.indexOf(record);
				sim.expireToken(String(record.headers.authorization).replace(/^Basic /, ''));
				sim.queueLogin({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
			}
		};
		const result = await runDisposition({
			parameters: options({ maxRetryWait: 80 }),
			items: items(300),
			credentials: loginCredentials(sim),
		});

		expectAllRecordedInOrder(result, 300);
		expect(expiredAt).toBeDefined();
		expect(sim.queuedLogins()).toBe(0);
		expect(logins().map((login) => login.status)).toEqual([503, 503, 200, 503, 503, 200]);
		expect(result.credentialsStore.data.sessionToken).toBe(logins()[5].issuedToken);
	});

	/** Two hiccups at the start and two once the session expires after `expireAfter` dispositions. */
	async function hiccupTwice(hiccup: Hiccup, count: number, expireAfter: number, concurrency = 5) {
		sim.queueLogin(hiccup.behaviour, hiccup.behaviour);
		let expired = false;
		onAnswer = (record) => {
			if (!expired && sim.dispositions.length >= expireAfter) {
				expired = true;
				sim.expireToken(String(record.headers.authorization).replace(/^Basic /, ''));
				sim.queueLogin(hiccup.behaviour, hiccup.behaviour);
			}
		};
		const result = await runDisposition({
			parameters: options({
				safeRetries: 2,
				maxRetryWait: hiccup.maxRetryWait,
				concurrency,
			}),
			items: items(count),
			credentials: loginCredentials(sim),
		});
		expectAllRecordedInOrder(result, count);
		expect(expired).toBe(true);
		expect(sim.queuedLogins()).toBe(0);
		// Two hiccups then a token, twice: one login per session, shared by all items.
		const tried = logins();
		expect(tried.filter((login) => login.issuedToken !== undefined)).toHaveLength(2);
		expect(tried).toHaveLength(6);
		return tried;
	}

	it.each(TRANSIENT)(
		'%s twice at the start and twice after the session expires mid-run: every item recorded once, in order',
		async (_name, hiccup) => {
			await hiccupTwice(hiccup, 40, 15);
		},
	);

	// How long apart two logins arrive depends on which requests try them: a request that starts
	// while another waits to retry logs in at once (a failed login is forgotten at once). One
	// request at a time, every login after a failure is the same request's retry, after its wait.
	it.each(TRANSIENT)(
		'%s, one request at a time: the login is tried again only after the wait',
		async (_name, hiccup) => {
			const tried = await hiccupTwice(hiccup, 12, 5, 1);
			for (const burst of [tried.slice(0, 3), tried.slice(3, 6)]) {
				for (const gap of gaps(burst)) expect(gap).toBeGreaterThanOrEqual(hiccup.minGapMs);
			}
		},
	);

	it('control, no hiccup: a session that expires at item 100 gets one new login and all 300 are recorded once, in order', async () => {
		let expired = false;
		onAnswer = (record) => {
			if (!expired && sim.dispositions.length >= 100) {
				expired = true;
				sim.expireToken(String(record.headers.authorization).replace(/^Basic /, ''));
			}
		};
		const result = await runDisposition({ items: items(300), credentials: loginCredentials(sim) });
		expectAllRecordedInOrder(result, 300);
		expect(logins().map((login) => login.status)).toEqual([200, 200]);
	});

	it('retries a DNS hiccup (EAI_AGAIN) at the start of a run', async () => {
		const dns = flakyDns('ucontact-login-hiccup.test');
		try {
			dns.failNext(2);
			const result = await runDisposition({
				parameters: options({ safeRetries: 2, maxRetryWait: 80 }),
				items: items(20),
				credentials: loginCredentials(sim, { baseUrl: `http://${dns.host}:${sim.port}` }),
			});
			expect(dns.failed).toBe(2);
			expectAllRecordedInOrder(result, 20);
			expect(logins().filter((login) => login.issuedToken !== undefined)).toHaveLength(1);
		} finally {
			dns.restore();
		}
	});

	it('a slow login answer is waited for, and shared: every item recorded once', async () => {
		sim.queueLogin({ kind: 'slow', ms: 1500 });
		const result = await runDisposition({
			parameters: options({ timeout: 1000 }),
			items: items(20),
			credentials: loginCredentials(sim),
		});
		expectAllRecordedInOrder(result, 20);
		expect(logins().filter((login) => login.issuedToken !== undefined)).toHaveLength(1);
	});
});

describe('a transient login failure that outlasts Safe Retries', () => {
	it.each(TRANSIENT)(
		'%s on every try: each item fails naming the login and its own item number',
		async (_name, hiccup) => {
			sim.setLoginBehaviour(hiccup.behaviour);
			const count = 8;
			const result = await runDisposition({
				// One at a time, so the first two logins are one request's try and retry (see above).
				parameters: options({
					safeRetries: 1,
					maxRetryWait: hiccup.maxRetryWait,
					concurrency: 1,
				}),
				items: items(count),
				credentials: loginCredentials(sim),
				continueOnFail: true,
			});

			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(count);
			result.items.forEach((item, index) => {
				expect(item.json).toMatchObject({ success: false, errorKind: 'not-recorded' });
				expect(item.pairedItem).toEqual({ item: index });
				expect(itemNumbers(item.json.error)).toEqual([index]);
			});
			// Safe Retries 1: each item tried the login twice, with a wait between.
			expect(logins()).toHaveLength(2 * count);
			for (let item = 0; item < count; item++) {
				const [first, retry] = logins().slice(2 * item, 2 * item + 2);
				expect(retry.at - first.at).toBeGreaterThanOrEqual(hiccup.minGapMs);
			}
			expect(sim.dispositions).toHaveLength(0);
		},
	);

	it('stops the run (On Error: Stop Workflow) with a message naming the login and the item', async () => {
		sim.setLoginBehaviour({ kind: 'status', status: 503 });
		const result = await runDisposition({
			parameters: options({ safeRetries: 1, maxRetryWait: 50 }),
			items: items(6),
			credentials: loginCredentials(sim),
		});
		expect(errorKindOf(result.error)).toBe('not-recorded');
		expect(itemNumbers(result.error?.message)).toHaveLength(1);
		expect(logins().length).toBeGreaterThanOrEqual(2);
	});

	it('does not wait for a Retry-After longer than Max Retry Wait', async () => {
		sim.setLoginBehaviour({ kind: 'status', status: 429, headers: { 'retry-after': '30' } });
		const start = Date.now();
		const result = await runDisposition({
			parameters: options({ safeRetries: 2, maxRetryWait: 200 }),
			items: items(3),
			credentials: loginCredentials(sim),
			continueOnFail: true,
		});
		// Waiting as asked would take 30 s at the least; the answer's own word is the bound.
		expect(Date.now() - start).toBeLessThan(30_000);
		result.items.forEach((item, index) => {
			expect(item.json).toMatchObject({ success: false, errorKind: 'not-recorded' });
			expect(itemNumbers(item.json.error)).toEqual([index]);
		});
	});
});

describe('a refused login is sent once for the whole run', () => {
	const REFUSED: Array<[string, LoginBehaviour]> = [
		['answered "0"', { kind: 'refuse' }],
		['answered HTTP 401', { kind: 'status', status: 401 }],
	];

	it.each(REFUSED)(
		'%s: one getUserToken for 300 items, each failing with its own item number',
		async (_name, behaviour) => {
			sim.setLoginBehaviour(behaviour);
			const result = await runDisposition({
				parameters: options({ safeRetries: 2, maxRetryWait: 50 }),
				items: items(300),
				credentials: loginCredentials(sim),
				continueOnFail: true,
			});
			expect(logins()).toHaveLength(1);
			expect(sim.dispositions).toHaveLength(0);
			expect(result.items).toHaveLength(300);
			const wrong = result.items.flatMap((item, index) => {
				const fine =
					item.json.success === false &&
					// The first items meet the refusal; the rest are not sent: it would repeat for them.
					['refused', 'not-sent'].includes(String(item.json.errorKind)) &&
					itemNumbers(item.json.error).join() === String(index);
				return fine ? [] : [`${index}: ${String(item.json.error)}`];
			});
			expect(wrong.slice(0, 5)).toEqual([]);
		},
	);

	it.each(REFUSED)('%s: Stop Workflow stops the run after one login', async (_name, behaviour) => {
		sim.setLoginBehaviour(behaviour);
		const result = await runDisposition({
			parameters: options({ safeRetries: 2, maxRetryWait: 50 }),
			items: items(50),
			credentials: loginCredentials(sim),
		});
		expect(logins()).toHaveLength(1);
		expect(errorKindOf(result.error)).toBe('refused');
		expect(itemNumbers(result.error?.message)).toHaveLength(1);
	});
});

describe('the credential test', () => {
	it.each(TRANSIENT)(
		'says a transient login failure (%s) is transient: try again, not check the password',
		async (_name, hiccup) => {
			sim.setLoginBehaviour(hiccup.behaviour);
			const test = await testCredential(loginCredentials(sim));
			expect(test.status).toBe('Error');
			expect(test.message).toMatch(/try again/i);
			expect(test.message).not.toMatch(/check[^.]*password/i);
			expect(test.message).not.toMatch(/refused the user name or password/i);
		},
	);

	it('says a DNS hiccup (EAI_AGAIN) is transient', async () => {
		const dns = flakyDns('ucontact-test-hiccup.test');
		try {
			dns.failNext(1000);
			const test = await testCredential(
				loginCredentials(sim, { baseUrl: `http://${dns.host}:${sim.port}` }),
			);
			expect(dns.failed).toBeGreaterThanOrEqual(1);
			expect(test.status).toBe('Error');
			expect(test.message).toMatch(/try again/i);
			expect(test.message).not.toMatch(/check[^.]*password/i);
		} finally {
			dns.restore();
		}
	});

	it.each([
		['answered "0"', { kind: 'refuse' } as LoginBehaviour],
		['answered HTTP 401', { kind: 'status', status: 401 } as LoginBehaviour],
	])('says a refused login (%s) refused the user or password, after one login', async (_n, b) => {
		sim.setLoginBehaviour(b);
		const test = await testCredential(loginCredentials(sim));
		expect(test.status).toBe('Error');
		expect(test.message).toMatch(/refused/i);
		expect(test.message).toMatch(/user|password/i);
		expect(logins()).toHaveLength(1);
	});
});
