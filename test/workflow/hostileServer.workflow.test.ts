/**
 * The hostile-server matrix: every request path this package sends to uContact, against a
 * server that redirects, breaks TLS, resets, answers nonsense or takes its time. For each:
 * no redirect is followed (the hosts it points at, recorders here, get nothing at all, so
 * nothing secret), the message names what happened and the address, nothing secret appears
 * in anything n8n returns or logs, and no session token is stored that should not be.
 *
 * A new request path joins PATHS; a new way to misbehave joins SCENARIOS.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DISPOSITION_PATH, LOGIN_PATH } from '../../nodes/UContactApi/api';
import { harnessLogger } from '../support/harness';
import {
	closedPort,
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
let misbehave: { endpoint: Endpoint; reply: Reply } | undefined;

beforeAll(async () => {
	hostile = await startHostileServer((request) =>
		misbehave !== undefined && request.path === misbehave.endpoint
			? misbehave.reply
			: uContact(request),
	);
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
	for (const server of [hostile, tlsServer, otherHost, otherPort]) server.requests.length = 0;
});

interface Scenario {
	name: string;
	/** The misbehaving reply on the path's endpoint. */
	reply?: Reply;
	/** Or a server-wide problem: the base URL to use (the path must be the first request). */
	baseUrl?: () => string;
	onlyWithTimeoutOption?: boolean;
	/** What the message must say, for this path and base URL. */
	says(path: RequestPath, baseUrl: string): RegExp[];
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
	{
		name: 'a huge answer',
		reply: { body: 'A'.repeat(1_000_000) },
		says: () => [/"A{200}… \(1000000 characters\)"/],
	},
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
	it('follows nothing, leaks nothing, stores nothing and says what happened', async () => {
		const baseUrl = scenario.baseUrl?.() ?? hostile.url;
		if (scenario.reply !== undefined)
			misbehave = { endpoint: path.endpoint, reply: scenario.reply };

		const outcome = await path.run(credentialsFor(path, baseUrl));

		expect(outcome.ok).toBe(false);
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
