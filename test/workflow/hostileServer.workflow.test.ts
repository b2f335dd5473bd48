/**
 * The hostile-server matrix: every request path this package sends to uContact, against a
 * server that redirects, breaks TLS, resets, answers nonsense or takes its time. For each:
 * no redirect is followed (the hosts it points at, recorders here, get nothing at all, so
 * nothing secret), the message names what happened and the address, nothing secret appears
 * in anything n8n returns or logs, and no session token is stored that should not be.
 *
 * Every answer is bounded in time and size (issue 29): a drip of the body or the headers ends at
 * the Timeout, an answer of any length (or a gzip bomb) is read no further than the cap, with the
 * process's memory growth measured, and the server sees the client hang up.
 *
 * A new request path joins PATHS; a new way to misbehave joins SCENARIOS.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import * as limits from '../../nodes/UContactApi/answerLimits';
import { DISPOSITION_PATH, LOGIN_PATH } from '../../nodes/UContactApi/api';
import { harnessLogger } from '../support/harness';
import {
	closedPort,
	flakyDns,
	selfSignedCertificate,
	startHostileServer,
	type HostileServer,
	type Received,
	type Reply,
} from '../support/hostileServer';
import {
	call,
	everythingReturned,
	MAPPED,
	runDisposition,
	testCredential,
} from '../support/runDisposition';
import { makeToken } from '../support/simulator/simulator';

const TOKEN = makeToken('matrix-token-user');
const SESSION_TOKEN = makeToken('matrix-session-user');
const PASSWORD = ['Matrix', 'Password', String(Date.now())].join('-');
const SECRETS = [TOKEN, SESSION_TOKEN, PASSWORD, encodeURIComponent(PASSWORD), 'password='];

type Endpoint = typeof LOGIN_PATH | typeof DISPOSITION_PATH;

/** A well-behaved uContact: logs `api` in, takes dispositions with its tokens. */
function uContact(request: Received): Reply {
	const form = new URLSearchParams(request.body);
	if (request.path === LOGIN_PATH) {
		const ok = form.get('user') === 'api' && form.get('password') === PASSWORD;
		return ok
			? {
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify(['api', SESSION_TOKEN]),
				}
			: { body: '0' };
	}
	if (request.path === DISPOSITION_PATH) {
		const auth = request.headers.authorization;
		if (auth !== `Basic ${TOKEN}` && auth !== `Basic ${SESSION_TOKEN}`) return { status: 401 };
		return { body: form.get('guid') ? '"OK"' : '"0"' };
	}
	return { status: 404 };
}

interface Outcome {
	ok: boolean;
	message: string;
	/** Everything n8n hands back or logs. */
	everything: string;
	/** The credential's stored session token afterwards (undefined: not observable). */
	storedSessionToken?: unknown;
}

interface RequestPath {
	name: string;
	mode: 'token' | 'userPassword';
	/** The request of this path that misbehaves. */
	endpoint: Endpoint;
	/** What the message calls it: a login, or a request. */
	kind: 'login' | 'request';
	/** Whether it is the first request sent (server-wide failures can only reach the first). */
	first: boolean;
	/** The node run has a Timeout option; the login and the credential test have fixed ones. */
	timeoutOption: boolean;
	run(credentials: ICredentialDataDecryptedObject): Promise<Outcome>;
}

async function viaNode(credentials: ICredentialDataDecryptedObject): Promise<Outcome> {
	harnessLogger.clear();
	const result = await runDisposition({
		parameters: { ...MAPPED, options: { timeout: 1000, safeRetries: 0 } },
		items: [call(0)],
		credentials,
	});
	const error = result.error as { message?: string; description?: string } | undefined;
	return {
		ok: error === undefined,
		message: `${error?.message ?? ''} ${error?.description ?? ''}`,
		everything: everythingReturned(result),
		storedSessionToken: result.credentialsStore.data.sessionToken,
	};
}

async function viaCredentialTest(credentials: ICredentialDataDecryptedObject): Promise<Outcome> {
	harnessLogger.clear();
	const result = await testCredential(credentials);
	return {
		ok: result.status === 'OK',
		message: result.message,
		everything: JSON.stringify(result) + JSON.stringify(harnessLogger.entries),
	};
}

const PATHS: RequestPath[] = [
	{
		name: 'getUserToken before a disposition',
		mode: 'userPassword',
		endpoint: LOGIN_PATH,
		kind: 'login',
		first: true,
		timeoutOption: false,
		run: viaNode,
	},
	{
		name: 'getUserToken in the credential test',
		mode: 'userPassword',
		endpoint: LOGIN_PATH,
		kind: 'login',
		first: true,
		timeoutOption: false,
		run: viaCredentialTest,
	},
	{
		name: 'DispositionCall with a token',
		mode: 'token',
		endpoint: DISPOSITION_PATH,
		kind: 'request',
		first: true,
		timeoutOption: true,
		run: viaNode,
	},
	{
		name: 'DispositionCall after a login',
		mode: 'userPassword',
		endpoint: DISPOSITION_PATH,
		kind: 'request',
		first: false,
		timeoutOption: true,
		run: viaNode,
	},
	{
		name: 'credential test DispositionCall with a token',
		mode: 'token',
		endpoint: DISPOSITION_PATH,
		kind: 'request',
		first: true,
		timeoutOption: false,
		run: viaCredentialTest,
	},
	{
		name: 'credential test DispositionCall after a login',
		mode: 'userPassword',
		endpoint: DISPOSITION_PATH,
		kind: 'request',
		first: false,
		timeoutOption: false,
		run: viaCredentialTest,
	},
];

function credentialsFor(path: RequestPath, baseUrl: string): ICredentialDataDecryptedObject {
	return path.mode === 'token'
		? { server: 'custom', baseUrl, authentication: 'token', token: TOKEN }
		: {
				server: 'custom',
				baseUrl,
				authentication: 'userPassword',
				user: 'api',
				password: PASSWORD,
			};
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

let hostile: HostileServer;
let tlsServer: HostileServer;
let otherHost: HostileServer;
let otherPort: HostileServer;
let refusedPort: number;
// Which reply the hostile server gives on the path under test; everything else is uContact's.
let misbehave: { endpoint: Endpoint; reply: Reply | ((request: Received) => Reply) } | undefined;

beforeAll(async () => {
	hostile = await startHostileServer((request) => {
		if (misbehave === undefined || request.path !== misbehave.endpoint) return uContact(request);
		return typeof misbehave.reply === 'function' ? misbehave.reply(request) : misbehave.reply;
	});
	tlsServer = await startHostileServer(uContact, { tls: selfSignedCertificate() });
	otherHost = await startHostileServer(() => ({ body: '"OK"' }), { host: '127.0.0.2' });
	otherPort = await startHostileServer(() => ({ body: '"OK"' }));
	refusedPort = await closedPort();
});
afterAll(async () => {
	await Promise.all(
		[hostile, tlsServer, otherHost, otherPort].map(async (server) => await server?.close()),
	);
});
beforeEach(() => {
	misbehave = undefined;
	for (const server of [hostile, tlsServer, otherHost, otherPort]) {
		server.requests.length = 0;
		server.deliveries.length = 0;
	}
});

interface Scenario {
	name: string;
	/** The misbehaving reply on the path's endpoint (from the request: a drip ends with uContact's own answer). */
	reply?: Reply | ((request: Received) => Reply);
	/** Or a server-wide problem: the base URL to use (the path must be the first request). */
	baseUrl?: () => string;
	onlyWithTimeoutOption?: boolean;
	/** What the message must say, for this path and base URL. */
	says(path: RequestPath, baseUrl: string): RegExp[];
	/** The run must end within this many ms (the Timeout and some slack), not when the server is done. */
	endsWithinMs?: number;
	/** The server must see the client hang up before the answer was complete. */
	hungUp?: boolean;
	/** The growth of the process's RSS during the run must stay under this many MiB. */
	memoryMiB?: number;
}

const redirects: Scenario[] = [301, 302, 303, 307, 308].flatMap((status) =>
	(
		[
			['another loopback host', () => otherHost.url],
			['another port of the same host', () => otherPort.url],
		] as Array<[string, () => string]>
	).map(
		([where, target]): Scenario => ({
			name: `${status} to ${where}`,
			get reply() {
				return { status, headers: { Location: `${target()}/steal?next=leak-marker` } };
			},
			says: (path, baseUrl) => [
				new RegExp(
					`uContact at ${escape(baseUrl)} redirected the ${path.kind} to ${escape(target())}/steal \\(HTTP ${status}\\)`,
				),
				/put that address .* in the credential/,
			],
		}),
	),
);

// The fixed Timeout of the login and the credential test during the matrix, as short as the node's.
const FIXED_TIMEOUT_MS = 1000;
// A drip lasts long enough that a client waiting for all of it is told apart from one that stops.
const DRIP_MS = 8000;
const ENDS_AT_TIMEOUT_MS = FIXED_TIMEOUT_MS + 3000;

const onTest = (path: RequestPath) => path.run === viaCredentialTest;
const maybe = (path: RequestPath) =>
	onTest(path) ? '' : '; the disposition may or may not have been recorded';

/** A success answer longer than the cap: an unexpected answer, quoted in part. */
function tooLong(path: RequestPath, baseUrl: string): RegExp[] {
	if (path.kind === 'login') {
		return [
			new RegExp(
				`uContact at ${escape(baseUrl)} did not answer the login with a token: getUserToken answered "A{200}…"\\. .*more than 8192 bytes`,
			),
		];
	}
	return [new RegExp(`unexpected answer, longer than 8192 bytes: "A{200}…"${maybe(path)}`)];
}

/** An answer still arriving at the Timeout. */
function stillArriving(path: RequestPath, baseUrl: string): RegExp[] {
	if (path.kind === 'login')
		return [new RegExp(`uContact at ${escape(baseUrl)} did not answer the login in time`)];
	return [
		new RegExp(
			`uContact's answer was still arriving after 1000 ms and was read no further${maybe(path)}`,
		),
	];
}

/** No answer (not even its headers) by the Timeout. */
function noAnswer(path: RequestPath, baseUrl: string): RegExp[] {
	if (path.kind === 'login')
		return [new RegExp(`uContact at ${escape(baseUrl)} did not answer the login in time`)];
	return [new RegExp(`uContact did not answer within 1000 ms${maybe(path)}`)];
}

/** A 500, reported as such whatever its body did. */
function serverError(path: RequestPath, baseUrl: string): RegExp[] {
	if (path.kind === 'login')
		return [
			new RegExp(`uContact at ${escape(baseUrl)} could not log in: getUserToken answered HTTP 500`),
		];
	return [new RegExp(`uContact had a server error \\(HTTP 500\\)${maybe(path)}`)];
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** uContact's own answer, sent a byte at a time. */
const dripping =
	(drip: 'body' | 'headers', status?: number) =>
	(request: Received): Reply => {
		const then = uContact(request) as {
			status?: number;
			headers?: Record<string, string>;
			body?: string;
		};
		return { drip, everyMs: 100, forMs: DRIP_MS, then: status === undefined ? then : { status } };
	};

const LIMITS: Scenario[] = [
	{
		name: 'a body dripping past the Timeout',
		reply: dripping('body'),
		says: stillArriving,
		endsWithinMs: ENDS_AT_TIMEOUT_MS,
		hungUp: true,
	},
	{
		name: 'headers dripping past the Timeout',
		reply: dripping('headers'),
		says: noAnswer,
		endsWithinMs: ENDS_AT_TIMEOUT_MS,
		hungUp: true,
	},
	{
		name: 'a 500 whose body drips past the Timeout',
		reply: dripping('body', 500),
		says: serverError,
		endsWithinMs: ENDS_AT_TIMEOUT_MS,
		hungUp: true,
	},
	{ name: 'a 64 KiB answer', reply: { stream: 64 * 1024 }, says: tooLong },
	{
		name: 'a 100 MB answer',
		reply: { stream: 100 * MiB },
		says: tooLong,
		hungUp: true,
		memoryMiB: 50,
	},
	{ name: 'a 1 GB answer', reply: { stream: GiB }, says: tooLong, hungUp: true, memoryMiB: 50 },
	{
		name: 'a 500 of 100 MB',
		reply: { stream: 100 * MiB, status: 500 },
		says: serverError,
		hungUp: true,
		memoryMiB: 50,
	},
	// 64 KiB in under 200 bytes on the wire: only the decompressed bytes tell it is too long.
	{ name: 'a gzipped 64 KiB answer', reply: { stream: 64 * 1024, gzip: true }, says: tooLong },
	{
		name: 'a gzip bomb (1 GB)',
		reply: { stream: GiB, gzip: true },
		says: tooLong,
		hungUp: true,
		memoryMiB: 50,
	},
];

/** Runs `run`, sampling the process's RSS: its peak growth in MiB over the value before. */
async function withPeakRss<T>(run: () => Promise<T>): Promise<{ result: T; growthMiB: number }> {
	const before = process.memoryUsage.rss();
	let peak = before;
	const sample = () => (peak = Math.max(peak, process.memoryUsage.rss()));
	const sampler = setInterval(sample, 5);
	try {
		const result = await run();
		sample();
		return { result, growthMiB: (peak - before) / MiB };
	} finally {
		clearInterval(sampler);
	}
}

const loginAnswer = (answer: RegExp) => (path: RequestPath, baseUrl: string) =>
	path.kind === 'login'
		? [
				new RegExp(
					`uContact at ${escape(baseUrl)} did not answer the login with a token: getUserToken answered ${answer.source}`,
				),
			]
		: [new RegExp(`unexpected answer: ${answer.source}`)];

const SCENARIOS: Scenario[] = [
	...redirects,
	{
		name: 'an HTML page',
		reply: {
			headers: { 'Content-Type': 'text/html' },
			body: '<html><body>Please sign in</body></html>',
		},
		says: loginAnswer(/"<html><body>Please sign in<\/body><\/html>"/),
	},
	{
		name: 'a JSON error object',
		reply: { headers: { 'Content-Type': 'application/json' }, body: '{"error":"Unauthorized"}' },
		says: loginAnswer(/"\{"error":"Unauthorized"\}"/),
	},
	{ name: 'an error word', reply: { body: '"ERROR"' }, says: loginAnswer(/""?ERROR"?"/) },
	{
		name: 'a list holding only the user name',
		reply: { headers: { 'Content-Type': 'application/json' }, body: '["api"]' },
		says: loginAnswer(/"\["api"\]"/),
	},
	{
		name: 'an empty answer',
		reply: { body: '' },
		says: (path, baseUrl) =>
			path.kind === 'login'
				? [
						new RegExp(
							`uContact at ${escape(baseUrl)} refused the user name or password \\(getUserToken answered "0" or nothing\\)`,
						),
					]
				: [/unexpected answer: ""/],
	},
	{ name: 'a huge answer', reply: { body: 'A'.repeat(1_000_000) }, says: tooLong },
	...LIMITS,
	{
		name: 'a reset connection',
		reply: { reset: true },
		says: (path, baseUrl) =>
			path.kind === 'login'
				? [
						new RegExp(
							`The connection to uContact at ${escape(baseUrl)} closed before it answered the login`,
						),
					]
				: [
						new RegExp(
							`The connection to uContact at ${escape(baseUrl)} closed before it answered`,
						),
					],
	},
	{
		name: 'a slow answer',
		reply: { delayMs: 3000, then: { body: '"OK"' } },
		onlyWithTimeoutOption: true,
		says: () => [
			/uContact did not answer within 1000 ms; the disposition may or may not have been recorded/,
		],
	},
	{
		name: 'a self-signed certificate',
		baseUrl: () => tlsServer.url,
		says: (_path, baseUrl) => [
			new RegExp(`[Tt]he certificate of ${escape(baseUrl)} is not trusted`),
			/enable "Ignore SSL Issues" in the uContact credential/,
		],
	},
	{
		name: 'https:// against a plain HTTP port',
		baseUrl: () => hostile.url.replace('http://', 'https://'),
		says: (_path, baseUrl) => [
			new RegExp(`[Tt]he server at ${escape(baseUrl)} does not speak HTTPS on that port`),
			/use http:\/\/ in the base URL/,
		],
	},
	{
		name: 'a refused port',
		baseUrl: () => `http://127.0.0.1:${refusedPort}`,
		says: (_path, baseUrl) => [
			new RegExp(`[Cc]ould not connect to uContact at ${escape(baseUrl)} \\(connection refused\\)`),
			/Check the base URL and port/,
		],
	},
	{
		name: 'an unknown host',
		baseUrl: () => 'http://ucontact-matrix.invalid',
		says: (_path, baseUrl) => [new RegExp(`[Tt]he host of ${escape(baseUrl)} was not found`)],
	},
];

const CASES = PATHS.flatMap((path) =>
	SCENARIOS.filter(
		(scenario) =>
			(scenario.baseUrl === undefined || path.first) &&
			(!scenario.onlyWithTimeoutOption || path.timeoutOption),
	).map((scenario): [string, string, RequestPath, Scenario] => [
		path.name,
		scenario.name,
		path,
		scenario,
	]),
);

describe('every request path behaves on a well-behaved server', () => {
	it.each(PATHS.map((path): [string, RequestPath] => [path.name, path]))(
		'%s',
		async (_name, path) => {
			const outcome = await path.run(credentialsFor(path, hostile.url));
			expect(outcome).toMatchObject({ ok: true });
			expect(hostile.requests.map((request) => request.path)).toContain(path.endpoint);
		},
	);

	it('connects to a self-signed server with Ignore SSL Issues, on every path', async () => {
		for (const path of PATHS) {
			const outcome = await path.run({
				...credentialsFor(path, tlsServer.url),
				ignoreSslIssues: true,
			});
			expect(outcome).toMatchObject({ ok: true });
		}
	});
});

describe.each(CASES)('%s, %s', (_path, _scenario, path, scenario) => {
	beforeEach(() => {
		// The credential has no Timeout field: its fixed ones are shortened, so the table stays fast.
		const fixed = limits as { LOGIN_TIMEOUT_MS: number; CREDENTIAL_TEST_TIMEOUT_MS: number };
		jest.replaceProperty(fixed, 'LOGIN_TIMEOUT_MS', FIXED_TIMEOUT_MS);
		jest.replaceProperty(fixed, 'CREDENTIAL_TEST_TIMEOUT_MS', FIXED_TIMEOUT_MS);
	});
	afterEach(() => jest.restoreAllMocks());

	it('follows nothing, leaks nothing, stores nothing and says what happened', async () => {
		const baseUrl = scenario.baseUrl?.() ?? hostile.url;
		if (scenario.reply !== undefined)
			misbehave = { endpoint: path.endpoint, reply: scenario.reply };

		const started = Date.now();
		const { result: outcome, growthMiB } = await withPeakRss(
			async () => await path.run(credentialsFor(path, baseUrl)),
		);
		const tookMs = Date.now() - started;

		expect(outcome.ok).toBe(false);
		if (scenario.endsWithinMs !== undefined) expect(tookMs).toBeLessThan(scenario.endsWithinMs);
		if (scenario.memoryMiB !== undefined) expect(growthMiB).toBeLessThan(scenario.memoryMiB);
		if (scenario.hungUp) {
			expect(hostile.deliveries).toHaveLength(1);
			await hostile.deliveries[0].over;
			expect(hostile.deliveries[0].complete).toBe(false);
		}
		expect(otherHost.requests).toEqual([]);
		expect(otherPort.requests).toEqual([]);
		for (const pattern of scenario.says(path, baseUrl)) expect(outcome.message).toMatch(pattern);
		expect(outcome.message).not.toContain('leak-marker');
		expect(outcome.message.length).toBeLessThan(1200);
		expect(SECRETS.filter((secret) => outcome.everything.includes(secret))).toEqual([]);
		if (outcome.storedSessionToken !== undefined || path.run === viaNode) {
			// Only a session token uContact really issued may be stored, and only once it logged in.
			const logged =
				path.endpoint !== LOGIN_PATH &&
				path.mode === 'userPassword' &&
				scenario.baseUrl === undefined;
			expect([undefined, '', ...(logged ? [SESSION_TOKEN] : [])]).toContain(
				outcome.storedSessionToken,
			);
		}
	});
});

/*
 * Login hiccups (issue 19): getUserToken answers 503, 502, 504, 429 (with or without
 * Retry-After), resets, is slow, or the host name does not resolve for a moment (EAI_AGAIN), at
 * the start of a run, after the session expires mid-run, and in the credential test. A login
 * records nothing, so the run retries it within Safe Retries and Max Retry Wait and records every
 * item once, in order; the credential test says the failure is transient.
 */
interface LoginHiccup {
	/** The reply getUserToken gives while hiccupping; 'dns': the host name fails to resolve. */
	reply: Reply | 'dns';
	maxRetryWait: number;
}

const LOGIN_HICCUPS: Array<[string, LoginHiccup]> = [
	['503', { reply: { status: 503 }, maxRetryWait: 80 }],
	['502', { reply: { status: 502, body: '<html>Bad Gateway</html>' }, maxRetryWait: 80 }],
	['504', { reply: { status: 504 }, maxRetryWait: 80 }],
	['429', { reply: { status: 429 }, maxRetryWait: 80 }],
	[
		'429 with Retry-After: 1',
		{ reply: { status: 429, headers: { 'Retry-After': '1' } }, maxRetryWait: 1500 },
	],
	['a reset connection', { reply: { reset: true }, maxRetryWait: 80 }],
	['EAI_AGAIN', { reply: 'dns', maxRetryWait: 80 }],
];

type LoginPhase = 'at the start of a run' | 'after the session expires mid-run';

/** A uContact whose logins hiccup on demand and whose session expires after `expireAfter` dispositions. */
function hiccuppingUContact() {
	const state = {
		hiccups: 0,
		reply: { status: 503 } as Reply,
		session: '',
		sessions: 0,
		recorded: [] as string[],
		logins: 0,
		expireAfter: Infinity,
		onExpire: () => {},
	};
	const issue = (): Reply => {
		state.sessions++;
		state.session = `${SESSION_TOKEN.slice(0, 20)}${state.sessions}`;
		return {
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(['api', state.session]),
		};
	};
	const handler = (request: Received): Reply => {
		const form = new URLSearchParams(request.body);
		if (request.path === LOGIN_PATH) {
			state.logins++;
			if (form.get('user') !== 'api' || form.get('password') !== PASSWORD) return { body: '0' };
			if (state.hiccups > 0) {
				state.hiccups--;
				return state.reply;
			}
			return issue();
		}
		if (request.path === DISPOSITION_PATH) {
			if (state.session === '' || request.headers.authorization !== `Basic ${state.session}`)
				return { status: 401 };
			const guid = form.get('guid');
			if (!guid) return { body: '"0"' };
			state.recorded.push(guid);
			if (state.recorded.length === state.expireAfter) {
				state.session = `${SESSION_TOKEN.slice(0, 20)}expired`;
				state.onExpire();
			}
			return { body: '"OK"' };
		}
		return { status: 404 };
	};
	return { state, handler };
}

describe('login hiccups', () => {
	let server: HostileServer;
	let uc: ReturnType<typeof hiccuppingUContact>;
	let dns: ReturnType<typeof flakyDns>;

	beforeAll(async () => {
		dns = flakyDns('ucontact-matrix-hiccup.test');
		server = await startHostileServer((request) => uc.handler(request));
	});
	afterAll(async () => {
		dns.restore();
		await server.close();
	});
	beforeEach(() => {
		uc = hiccuppingUContact();
		dns.failNext(0);
	});

	const baseUrlFor = (hiccup: LoginHiccup) =>
		hiccup.reply === 'dns' ? `http://${dns.host}:${server.port}` : server.url;
	const arm = (hiccup: LoginHiccup, count: number) => {
		if (hiccup.reply === 'dns') dns.failNext(count);
		else {
			uc.state.reply = hiccup.reply;
			uc.state.hiccups = count;
		}
	};

	const RUN_CASES = LOGIN_HICCUPS.flatMap(([name, hiccup]) =>
		(['at the start of a run', 'after the session expires mid-run'] as LoginPhase[]).map(
			(phase): [string, LoginPhase, LoginHiccup] => [name, phase, hiccup],
		),
	);

	it.each(RUN_CASES)(
		'getUserToken hiccups twice (%s) %s: every item recorded once, in order, nothing leaked',
		async (_name, phase, hiccup) => {
			const count = 30;
			if (phase === 'at the start of a run') arm(hiccup, 2);
			else {
				uc.state.expireAfter = 10;
				uc.state.onExpire = () => arm(hiccup, 2);
			}
			harnessLogger.clear();
			const result = await runDisposition({
				parameters: {
					...MAPPED,
					options: { safeRetries: 2, maxRetryWait: hiccup.maxRetryWait, timeout: 5000 },
				},
				items: Array.from({ length: count }, (_, index) => call(index)),
				credentials: credentialsFor(PATHS[0], baseUrlFor(hiccup)),
			});

			expect(result.error).toBeUndefined();
			expect(
				result.items.map((item) => [
					item.json.success,
					(item.json.disposition as { guid?: string } | null)?.guid,
					item.pairedItem,
				]),
			).toEqual(
				Array.from({ length: count }, (_, index) => [true, `guid-${index}`, { item: index }]),
			);
			expect(uc.state.recorded.slice().sort()).toEqual(
				Array.from({ length: count }, (_, index) => `guid-${index}`).sort(),
			);
			if (hiccup.reply === 'dns') expect(dns.failed).toBeGreaterThanOrEqual(2);
			else expect(uc.state.hiccups).toBe(0);
			expect(uc.state.sessions).toBe(phase === 'at the start of a run' ? 1 : 2);
			const everything = everythingReturned(result);
			expect(SECRETS.filter((secret) => everything.includes(secret))).toEqual([]);
		},
	);

	it('a slow getUserToken answer (1.5 s) at the start of a run: every item recorded once', async () => {
		const slow = uc.handler;
		let first = true;
		uc.handler = (request) => {
			const reply = slow(request);
			if (request.path !== LOGIN_PATH || !first) return reply;
			first = false;
			return { delayMs: 1500, then: reply };
		};
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { safeRetries: 2, maxRetryWait: 80, timeout: 5000 } },
			items: Array.from({ length: 10 }, (_, index) => call(index)),
			credentials: credentialsFor(PATHS[0], server.url),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.success)).toEqual(Array(10).fill(true));
		expect(uc.state.recorded).toHaveLength(10);
		expect(new Set(uc.state.recorded).size).toBe(10);
	});

	it("a disposition's Timeout counts from when it is sent: a 1.5 s login before it takes none of its 1 s", async () => {
		const normal = uc.handler;
		uc.handler = (request) =>
			request.path === LOGIN_PATH ? { delayMs: 1500, then: normal(request) } : normal(request);
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { safeRetries: 0, timeout: 1000 } },
			items: [call(0)],
			credentials: credentialsFor(PATHS[0], server.url),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.success)).toEqual([true]);
		expect(uc.state.recorded).toEqual(['guid-0']);
	});

	// n8n resends a disposition refused with 401 after logging in again, from a copy of the first
	// send's options (deadline.ts): the resend's time counts from the first send. A Timeout counted
	// from the resend would end REFUSED_AFTER_MS + RESEND_TIMEOUT_MS after the first send at the
	// earliest; from the first send it ends at RESEND_TIMEOUT_MS, and the bound lies between.
	const RESEND_TIMEOUT_MS = 4000;
	const REFUSED_AFTER_MS = 3000;
	const SLOW_RESENDS: Array<[string, Reply, RegExp]> = [
		[
			'its headers come late',
			{ delayMs: 5 * RESEND_TIMEOUT_MS, then: { body: '"OK"' } },
			new RegExp(`^uContact did not answer within ${RESEND_TIMEOUT_MS} ms; the disposition may`),
		],
		[
			'its body drips',
			{ drip: 'body', everyMs: 100, forMs: 5 * RESEND_TIMEOUT_MS, then: { body: '"OK"' } },
			new RegExp(
				`^uContact's answer was still arriving after ${RESEND_TIMEOUT_MS} ms and was read no further; the disposition may`,
			),
		],
	];

	it.each(SLOW_RESENDS)(
		'a disposition refused (401) after 3 s, logged in again and resent, whose resend is slow (%s): the Timeout counts from the first send',
		async (_name, slow, says) => {
			const normal = uc.handler;
			const arrivals: Array<{ path: string; at: number }> = [];
			uc.handler = (request) => {
				arrivals.push({ path: request.path, at: Date.now() });
				if (request.path !== DISPOSITION_PATH) return normal(request);
				const dispositions = arrivals.filter((arrival) => arrival.path === DISPOSITION_PATH);
				return dispositions.length === 1
					? { delayMs: REFUSED_AFTER_MS, then: { status: 401 } }
					: slow;
			};
			server.deliveries.length = 0;
			const result = await runDisposition({
				parameters: { ...MAPPED, options: { safeRetries: 0, timeout: RESEND_TIMEOUT_MS } },
				items: [call(0)],
				credentials: credentialsFor(PATHS[0], server.url),
			});
			const ended = Date.now();

			expect(arrivals.map((arrival) => arrival.path)).toEqual([
				LOGIN_PATH,
				DISPOSITION_PATH,
				LOGIN_PATH,
				DISPOSITION_PATH,
			]);
			expect(result.error?.message).toMatch(says);
			const firstSend = arrivals[1].at;
			expect(ended - firstSend).toBeLessThan(RESEND_TIMEOUT_MS + 2000);
			for (const delivery of server.deliveries) {
				await delivery.over;
				expect(delivery.complete).toBe(false);
			}
		},
	);

	it.each(LOGIN_HICCUPS)(
		'the credential test meets a login that keeps hiccupping (%s): it says to try again, not to check the password',
		async (_name, hiccup) => {
			arm(hiccup, 1000);
			const outcome = await viaCredentialTest(credentialsFor(PATHS[1], baseUrlFor(hiccup)));
			expect(outcome.ok).toBe(false);
			expect(outcome.message).toMatch(/try again/i);
			expect(outcome.message).not.toMatch(/check[^.]*password/i);
			expect(SECRETS.filter((secret) => outcome.everything.includes(secret))).toEqual([]);
		},
	);

	it('the credential test waits for a slow getUserToken answer (1.5 s) and passes', async () => {
		const normal = uc.handler;
		uc.handler = (request) =>
			request.path === LOGIN_PATH ? { delayMs: 1500, then: normal(request) } : normal(request);
		const outcome = await viaCredentialTest(credentialsFor(PATHS[1], server.url));
		expect(outcome).toMatchObject({ ok: true });
	});
});
