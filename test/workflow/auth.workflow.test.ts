import { makeToken, startSimulator } from '../support/simulator/simulator';
import { harnessLogger } from '../support/harness';
import {
	call,
	everythingReturned,
	loginCredentials,
	runDisposition,
	testCredential,
	tokenCredentials,
} from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

// Built at run time: these are made-up values a test checks never leak, not secrets.
const wrongToken = makeToken('intruder');
const wrongPassword = ['wrong', 'pass', String(Date.now())].join('-');

const sim = useSimulator({ users: { api: 'secret-pass' } });
beforeEach(() => {
	harnessLogger.clear();
});

const dispositionCalls = () =>
	sim.requests.filter((request) => request.endpoint === 'DispositionCall');
const logins = () => sim.requests.filter((request) => request.endpoint === 'getUserToken');

describe('token authentication', () => {
	it('sends "Authorization: Basic <token>" exactly as given', async () => {
		const token = makeToken('api');
		const own = await startSimulator({ tokens: [token] });
		try {
			const result = await runDisposition({
				items: [call(0)],
				credentials: tokenCredentials(own, { token }),
			});
			expect(result.items[0].json.success).toBe(true);
			expect(own.requests[0].headers.authorization).toBe(`Basic ${token}`);
			expect(own.requests.filter((request) => request.endpoint === 'getUserToken')).toHaveLength(0);
		} finally {
			await own.close();
		}
	});

	it('fails clearly with a wrong token, without leaking it', async () => {
		const result = await runDisposition({
			items: [call(0)],
			credentials: tokenCredentials(sim, { token: wrongToken }),
		});
		expect(result.error?.message).toBe(
			'uContact refused the credentials (HTTP 401): the token is wrong or has expired (item 1)',
		);
		expect(everythingReturned(result)).not.toContain(wrongToken);
		// A token cannot be refreshed, so a 401 is final: no second request.
		expect(dispositionCalls()).toHaveLength(1);
	});
});

describe('user and password authentication', () => {
	it.each(['list', 'string', 'bare'] as const)(
		'logs in once and reuses the token (%s answer)',
		async (shape) => {
			sim.loginShape(shape);
			const result = await runDisposition({
				items: [call(0), call(1), call(2)],
				credentials: loginCredentials(sim),
			});

			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => item.json.success)).toEqual([true, true, true]);
			expect(logins()).toHaveLength(1);
			expect(logins()[0].fields).toEqual({ user: 'api', password: 'secret-pass' });
			const issued = logins()[0].issuedToken as string;
			expect(dispositionCalls().map((request) => request.headers.authorization)).toEqual(
				Array(3).fill(`Basic ${issued}`),
			);
			expect(result.credentialsStore.data.sessionToken).toBe(issued);
			expect(result.credentialsStore.updateCount).toBe(1);
		},
	);

	it('logs in again exactly once when the token expires mid-run, and goes on', async () => {
		const first = await runDisposition({ items: [call(0)], credentials: loginCredentials(sim) });
		const stored = first.credentialsStore.data;
		const oldToken = stored.sessionToken as string;
		sim.reset();
		sim.expireToken(oldToken);

		const result = await runDisposition({
			items: [call(1), call(2), call(3)],
			credentials: stored,
		});

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.success)).toEqual([true, true, true]);
		expect(logins()).toHaveLength(1);
		const newToken = logins()[0].issuedToken as string;
		expect(newToken).not.toBe(oldToken);
		// The three requests in flight all meet the expired token; one of them logs in, all retry.
		const seen = sim.requests.map((request) => `${request.endpoint} ${request.status}`);
		expect(seen.slice().sort()).toEqual([
			'DispositionCall 200',
			'DispositionCall 200',
			'DispositionCall 200',
			'DispositionCall 401',
			'DispositionCall 401',
			'DispositionCall 401',
			'getUserToken 200',
		]);
		expect(seen.indexOf('getUserToken 200')).toBeGreaterThan(seen.indexOf('DispositionCall 401'));
		expect(seen.lastIndexOf('DispositionCall 401')).toBeLessThan(
			seen.indexOf('DispositionCall 200'),
		);
		expect(result.credentialsStore.data.sessionToken).toBe(newToken);
		expect(sim.dispositions.map((request) => request.fields.guid).sort()).toEqual([
			'guid-1',
			'guid-2',
			'guid-3',
		]);
	});

	it('explains a refused login and never shows the password', async () => {
		const result = await runDisposition({
			items: [call(0)],
			credentials: loginCredentials(sim, { password: wrongPassword }),
		});
		// Issue 31, finding 6: it says what to do, not what getUserToken answered.
		expect(result.error?.message).toContain(
			`uContact at ${sim.url} refused the user name or password. Check User and Password in the uContact credential: log in to uContact with them to be sure, and correct them there, or choose Token if you have one`,
		);
		expect(dispositionCalls()).toHaveLength(0);
		expect(everythingReturned(result)).not.toContain(wrongPassword);
	});

	it('explains an older server without getUserToken', async () => {
		sim.loginShape('404');
		const result = await runDisposition({ items: [call(0)], credentials: loginCredentials(sim) });
		expect(result.error?.message).toMatch(
			/has no getUserToken endpoint \(HTTP 404\).*use a token instead/,
		);
	});

	it('makes every item a failure item with Continue On Fail when the login fails', async () => {
		const result = await runDisposition({
			items: [call(0), call(1)],
			credentials: loginCredentials(sim, { password: wrongPassword }),
			continueOnFail: true,
		});
		expect(result.items.map((item) => [item.json.success, item.pairedItem])).toEqual([
			[false, { item: 0 }],
			[false, { item: 1 }],
		]);
		expect(result.items.map((item) => item.json.errorKind)).toEqual(['refused', 'refused']);
		// One refused login, not one per item: repeated failed logins can lock the uContact user.
		expect(logins()).toHaveLength(1);
		expect(everythingReturned(result)).not.toContain(wrongPassword);
	});
});

describe('a refused session token, in words that fit User and Password mode', () => {
	const describe401 = (result: Awaited<ReturnType<typeof runDisposition>>) =>
		`${result.error?.message} ${(result.error as { description?: string } | undefined)?.description}`;

	it('logs in again once when even a fresh token is refused, and says so', async () => {
		// A token can expire moments after the login that issued it, so n8n logs in once more.
		sim.setBehaviour({ kind: 'status', status: 401 });
		const result = await runDisposition({ items: [call(0)], credentials: loginCredentials(sim) });
		expect(logins()).toHaveLength(2);
		expect(dispositionCalls()).toHaveLength(2);
		const message = describe401(result);
		expect(message).toMatch(
			/refused the session token even after n8n logged in again \(HTTP 401\)/,
		);
		expect(message).not.toMatch(/check the token/i);
	});

	it('says n8n logged in again only when it did', async () => {
		sim.setBehaviour({ kind: 'status', status: 401 });
		const result = await runDisposition({
			items: [call(0)],
			credentials: loginCredentials(sim, { sessionToken: makeToken('stale') }),
		});
		expect(logins()).toHaveLength(1);
		const message = describe401(result);
		expect(message).toMatch(
			/refused the session token even after n8n logged in again \(HTTP 401\)/,
		);
		expect(message).not.toMatch(/check the token/i);
	});
});

describe('server address', () => {
	it.each([
		['cloud', { server: 'cloud', instance: 'evil.com/' }, /Instance "evil.com\/" is not valid/],
		['cloud', { server: 'cloud', instance: 'a@b' }, /Instance "\*\*\*@b" is not valid/],
		['custom', { server: 'custom', baseUrl: 'javascript:alert(1)' }, /must start with http/],
		['custom', { server: 'custom', baseUrl: 'http://user@127.0.0.1:9' }, /user name or password/],
	])('refuses a bad %s address before any request', async (_kind, address, message) => {
		for (const credentials of [tokenCredentials(sim, address), loginCredentials(sim, address)]) {
			const result = await runDisposition({ items: [call(0)], credentials });
			expect(result.error?.message).toMatch(message);
			const test = await testCredential(credentials);
			expect(test.status).toBe('Error');
			expect(test.message).toMatch(message);
		}
		expect(sim.requests).toHaveLength(0);
	});

	it('sends to the base URL path prefix of an on-premise server', async () => {
		const result = await runDisposition({
			parameters: {
				campaign: 'c',
				agent: 'a',
				callerid: '1',
				guid: 'g',
				l1: 'l',
				options: { dryRun: true },
			},
			items: [{}],
			credentials: tokenCredentials(sim, {
				baseUrl: 'https://uc.example.com/pbx/Integra/resources/',
			}),
		});
		expect(result.items[0].json.request).toMatchObject({
			url: 'https://uc.example.com/pbx/Integra/resources/api/DispositionCall',
		});
	});
});

describe('credential test', () => {
	it('passes with a good token, recording nothing', async () => {
		expect(await testCredential(tokenCredentials(sim))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(dispositionCalls()).toHaveLength(1);
		expect(dispositionCalls()[0].problems).toEqual([]);
		expect(sim.dispositions).toHaveLength(0);
	});

	it('passes with a good user and password, logging in', async () => {
		expect((await testCredential(loginCredentials(sim))).status).toBe('OK');
		expect(logins()).toHaveLength(1);
		expect(dispositionCalls()[0].headers.authorization).toBe(`Basic ${logins()[0].issuedToken}`);
	});

	it('fails with a wrong token', async () => {
		const result = await testCredential(tokenCredentials(sim, { token: wrongToken }));
		expect(result).toEqual({
			status: 'Error',
			message:
				'uContact refused the credentials (HTTP 401): the token is wrong or has expired. Check the token in the uContact credential.',
		});
	});

	it('fails with a wrong password', async () => {
		const result = await testCredential(loginCredentials(sim, { password: wrongPassword }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused the user name or password/);
		expect(result.message).not.toContain(wrongPassword);
	});

	it('fails with a wrong URL', async () => {
		const wrongPath = await testCredential(
			tokenCredentials(sim, { baseUrl: `${sim.url}/elsewhere` }),
		);
		expect(wrongPath.status).toBe('Error');
		expect(wrongPath.message).toContain(
			`No uContact DispositionCall endpoint at ${sim.url}/elsewhere (HTTP 404)`,
		);
		const nobody = await testCredential(tokenCredentials(sim, { baseUrl: 'http://127.0.0.1:9' }));
		expect(nobody.status).toBe('Error');
		expect(nobody.message).toMatch(
			/^Could not connect to uContact at http:\/\/127\.0\.0\.1:9 \(connection refused\)\. Check the base URL and port/,
		);
	});
});
