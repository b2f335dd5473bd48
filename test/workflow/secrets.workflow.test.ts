/**
 * Every error path, run with recognisable secrets: nothing n8n returns, stores in its run data
 * or logs may contain the token, the password or a token obtained at login.
 */
import { harnessLogger } from '../support/harness';
import { makeToken, type Behaviour } from '../support/simulator/simulator';
import {
	call,
	everythingReturned,
	MAPPED,
	runDisposition,
	testCredential,
} from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

// Made up at run time and easy to spot; the simulator accepts them.
const CANARY_TOKEN = makeToken('canary-token-user');
const CANARY_PASSWORD = ['Canary', 'Password', String(Date.now())].join('-');

const sim = useSimulator({ tokens: [CANARY_TOKEN], users: { api: CANARY_PASSWORD } });
beforeEach(() => {
	harnessLogger.clear();
});

const tokenMode = () => ({
	server: 'custom',
	baseUrl: sim.url,
	authentication: 'token',
	token: CANARY_TOKEN,
});
const loginMode = (password = CANARY_PASSWORD) => ({
	server: 'custom',
	baseUrl: sim.url,
	authentication: 'userPassword',
	user: 'api',
	password,
});

function secretsIn(text: string): string[] {
	const issued = sim.requests.flatMap((request) =>
		request.issuedToken ? [request.issuedToken] : [],
	);
	return [CANARY_TOKEN, CANARY_PASSWORD, encodeURIComponent(CANARY_PASSWORD), ...issued].filter(
		(secret) => text.includes(secret),
	);
}

const echoHeaders: Behaviour = {
	kind: 'body',
	status: 502,
	contentType: 'text/html',
	body: '', // filled per request below: a proxy page that echoes what it received
};

const behaviours: Array<[string, Behaviour]> = [
	['401', { kind: 'status', status: 401 }],
	['403', { kind: 'status', status: 403 }],
	['404', { kind: 'status', status: 404 }],
	['429 exhausted', { kind: 'status', status: 429, headers: { 'retry-after': '0' } }],
	['500', { kind: 'status', status: 500, body: 'java.lang.NullPointerException' }],
	['503', { kind: 'status', status: 503, headers: { 'retry-after': '0' } }],
	['redirect', { kind: 'status', status: 302, headers: { location: 'http://127.0.0.2:9/x' } }],
	['rejection', { kind: 'reject' }],
	['unexpected answer', { kind: 'body', body: 'ERROR' }],
	['timeout', { kind: 'slow', ms: 1500 }],
	['reset', { kind: 'reset' }],
	['dropped', { kind: 'close' }],
	['cut off', { kind: 'truncated' }],
];

describe.each([
	['token', tokenMode],
	['user and password', () => loginMode()],
])('%s credential', (_mode, credentials) => {
	it.each(behaviours)('never exposes a secret on %s', async (_name, behaviour) => {
		for (const continueOnFail of [false, true]) {
			sim.reset();
			harnessLogger.clear();
			sim.setBehaviour(behaviour);
			const result = await runDisposition({
				parameters: { ...MAPPED, options: { timeout: 1000, maxRetryWait: 100 } },
				items: [call(0), call(1)],
				credentials: credentials(),
				continueOnFail,
			});
			expect(result.error !== undefined || result.items.some((item) => !item.json.success)).toBe(
				true,
			);
			expect(secretsIn(everythingReturned(result))).toEqual([]);
		}
	});

	it('masks secrets that an error page echoes back', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 1 } },
			items: [call(0)],
			credentials: credentials(),
		});
		expect(result.error).toBeUndefined();
		const authorization = String(
			sim.requests.find((request) => request.endpoint === 'DispositionCall')?.headers.authorization,
		);
		sim.reset();
		const own = credentials();
		const echoedPassword =
			'password' in own ? `\nuser=api&password=${encodeURIComponent(own.password)}` : '';
		sim.setBehaviour({
			...echoHeaders,
			body: `<pre>Authorization: ${authorization}${echoedPassword}</pre>`,
		} as Behaviour);
		const echoed = await runDisposition({
			items: [call(1)],
			credentials: { ...credentials(), sessionToken: authorization.replace('Basic ', '') },
		});
		expect(echoed.error?.message).toMatch(/HTTP 502/);
		expect(JSON.stringify(echoed.error)).toContain('Authorization: Basic ***');
		expect(secretsIn(everythingReturned(echoed))).toEqual([]);
	});
});

describe('login failures and credential tests', () => {
	it.each([
		['refused password', () => loginMode('wrong-' + CANARY_PASSWORD)],
		['no getUserToken', () => (sim.loginShape('404'), loginMode())],
		['unreachable server', () => ({ ...loginMode(), baseUrl: 'http://127.0.0.1:9' })],
		[
			'bad address',
			() => ({ ...loginMode(), baseUrl: `http://api:${CANARY_PASSWORD}@127.0.0.1:9` }),
		],
	])('never expose the password: %s', async (_name, credentials) => {
		for (const continueOnFail of [false, true]) {
			const result = await runDisposition({
				items: [call(0), call(1)],
				credentials: credentials(),
				continueOnFail,
			});
			const test = await testCredential(credentials());
			expect(test.status).toBe('Error');
			expect(secretsIn(everythingReturned(result) + JSON.stringify(test))).toEqual([]);
			expect(JSON.stringify(test)).not.toContain('wrong-' + CANARY_PASSWORD);
		}
	});

	it('never exposes the token in a failed credential test', async () => {
		sim.setBehaviour({ kind: 'status', status: 500, body: 'boom' });
		const test = await testCredential(tokenMode());
		expect(test.status).toBe('Error');
		expect(secretsIn(JSON.stringify(test) + JSON.stringify(harnessLogger.entries))).toEqual([]);
	});

	it('keeps the dry run free of secrets', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { dryRun: true } },
			items: [call(0)],
			credentials: loginMode(),
		});
		expect(secretsIn(everythingReturned(result))).toEqual([]);
		expect(sim.requests).toHaveLength(0);
	});
});
