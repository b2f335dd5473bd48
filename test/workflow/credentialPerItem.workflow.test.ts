/**
 * A credential given by expressions (issue 29): n8n resolves a credential's expressions per item
 * (`getCredentials(type, itemIndex)`), so every item goes to the server, with the token or login,
 * that its own resolved credential names. Base URL `={{ $json.server }}` and Token
 * `={{ $json.token }}` across items and two simulators: each server receives exactly its items
 * with its own token, and nothing else anywhere; the Dry Run shows each item's own address; a
 * login per resolved credential; a failure stays with the items of its credential.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { harnessLogger, MANUAL_TRIGGER_NAME } from '../support/harness';
import { CredentialsStore } from '../support/harness/credentials-store';
import {
	startVmExpressionEngine,
	stopExpressionEngines,
	useExpressionEngine,
	type EngineName,
} from '../support/harness/expression-engine';
import { call, MAPPED, runDisposition } from '../support/runDisposition';
import { makeToken } from '../support/simulator/simulator';
import { useSimulator } from '../support/useSimulator';

const DISPOSITION_PATH = '/Integra/resources/api/DispositionCall';

// Built at run time: made-up values a test checks go nowhere else, not secrets.
const tokenA = makeToken('api-a');
const tokenB = makeToken('api-b');
const passwordA = ['pass', 'a', String(Date.now())].join('-');
const passwordB = ['pass', 'b', String(Date.now())].join('-');

const a = useSimulator({ tokens: [tokenA], users: { 'user-a': passwordA } });
const b = useSimulator({ tokens: [tokenB], users: { 'user-b': passwordB } });
beforeAll(async () => await startVmExpressionEngine());
afterAll(async () => await stopExpressionEngines());
beforeEach(() => harnessLogger.clear());

type Server = 'A' | 'B';
const sim = (server: Server) => (server === 'A' ? a : b);
const other = (server: Server): Server => (server === 'A' ? 'B' : 'A');

/** What an item carries for its credential's expressions, by server. */
function route(server: Server): IDataObject {
	return server === 'A'
		? { server: a.url, token: tokenA, user: 'user-a', password: passwordA }
		: { server: b.url, token: tokenB, user: 'user-b', password: passwordB };
}

const TOKEN_BY_EXPRESSION: ICredentialDataDecryptedObject = {
	server: 'custom',
	baseUrl: '={{ $json.server }}',
	authentication: 'token',
	token: '={{ $json.token }}',
};

const LOGIN_BY_EXPRESSION: ICredentialDataDecryptedObject = {
	server: 'custom',
	baseUrl: '={{ $json.server }}',
	authentication: 'userPassword',
	user: '={{ $json.user }}',
	password: '={{ $json.password }}',
};

const secretsOf = (server: Server) => (server === 'A' ? [tokenA, passwordA] : [tokenB, passwordB]);

/** Every request a server received carries nothing of the other server's credential. */
function expectNothingOfTheOther(server: Server): void {
	const seen = JSON.stringify(sim(server).requests);
	for (const secret of secretsOf(other(server))) expect(seen).not.toContain(secret);
	for (const request of sim(server).requests) expect(request.problems).toEqual([]);
}

interface Row {
	name: string;
	credentials: ICredentialDataDecryptedObject;
	/** Which server each item's credential names, in item order. */
	routes: Server[];
	options?: IDataObject;
	/** Stored before the run (e.g. a session token another run left in the credential). */
	stored?: () => ICredentialDataDecryptedObject;
	/** Each server's logins (user/password mode). */
	logins?: number;
}

const rows: Row[] = [
	{
		name: 'the issue: item 0 for A, items 1-2 for B',
		credentials: TOKEN_BY_EXPRESSION,
		routes: ['A', 'B', 'B'],
	},
	{
		name: 'interleaved, one at a time',
		credentials: TOKEN_BY_EXPRESSION,
		routes: ['B', 'A', 'B', 'A'],
		options: { concurrency: 1 },
	},
	{
		name: 'interleaved, all in flight at once',
		credentials: TOKEN_BY_EXPRESSION,
		routes: ['A', 'B', 'A', 'B', 'B', 'A'],
		options: { concurrency: 6 },
	},
	{
		name: 'only the base URL by expression, text around it',
		credentials: { ...TOKEN_BY_EXPRESSION, baseUrl: '={{ $json.server }}/' },
		routes: ['B', 'A', 'A'],
	},
	{
		name: 'a login per resolved credential',
		credentials: LOGIN_BY_EXPRESSION,
		routes: ['A', 'B', 'B', 'A'],
		logins: 1,
	},
	{
		name: "a login per resolved credential, the stored session token being A's",
		credentials: LOGIN_BY_EXPRESSION,
		routes: ['B', 'A', 'B'],
		// A session token A issued, left in the credential by an earlier run: B must never get it.
		stored: () => ({ sessionToken: tokenA }),
		logins: 1,
	},
];

// n8n 2.x evaluates expressions in an isolate by default (vm); 1.x and N8N_EXPRESSION_ENGINE=legacy in the host.
describe.each<EngineName>(['legacy', 'vm'])(
	'a credential by expressions (%s engine): each item goes where its own credential says',
	(engine) => {
		beforeEach(async () => await useExpressionEngine(engine));
		afterAll(async () => await useExpressionEngine('legacy'));

		it.each(rows)('$name', async (row) => {
			const items = row.routes.map((server, i) => call(i, route(server)));
			const result = await runDisposition({
				parameters: { ...MAPPED, options: row.options ?? {} } as INodeParameters,
				items,
				credentials: { ...row.credentials, ...row.stored?.() },
			});

			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => item.json.success)).toEqual(row.routes.map(() => true));
			for (const server of ['A', 'B'] as const) {
				const own = row.routes.flatMap((to, i) => (to === server ? [`guid-${i}`] : []));
				const calls = sim(server).requests.filter(
					(request) => request.endpoint === 'DispositionCall',
				);
				const logins = sim(server).requests.filter(
					(request) => request.endpoint === 'getUserToken',
				);
				// Exactly its items, each once, and nothing else.
				expect(calls.map((request) => request.fields.guid).sort()).toEqual(own.sort());
				expect(sim(server).requests).toHaveLength(calls.length + logins.length);
				const user = server === 'A' ? 'user-a' : 'user-b';
				if (row.logins === undefined) {
					expect(logins).toHaveLength(0);
					expect(calls.map((request) => request.headers.authorization)).toEqual(
						own.map(() => `Basic ${server === 'A' ? tokenA : tokenB}`),
					);
				} else {
					expect(logins.map((login) => login.fields)).toEqual(
						Array(row.logins).fill({ user, password: server === 'A' ? passwordA : passwordB }),
					);
					const issued = logins.map((login) => `Basic ${String(login.issuedToken)}`);
					for (const request of calls) expect(issued).toContain(request.headers.authorization);
				}
				expectNothingOfTheOther(server);
			}
		});
	},
);

describe('a credential by expressions: the Dry Run', () => {
	it("shows each item's own address and sends nothing anywhere", async () => {
		const routes: Server[] = ['A', 'B', 'B', 'A'];
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { dryRun: true } },
			items: routes.map((server, i) => call(i, route(server))),
			credentials: TOKEN_BY_EXPRESSION,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => (item.json.request as IDataObject).url)).toEqual(
			routes.map((server) => `${sim(server).url}${DISPOSITION_PATH}`),
		);
		expect(JSON.stringify(result.items)).not.toContain(tokenA);
		expect(JSON.stringify(result.items)).not.toContain(tokenB);
		expect(a.requests).toHaveLength(0);
		expect(b.requests).toHaveLength(0);
	});
});

describe('a credential by expressions: a failure stays with its credential', () => {
	const wrong = makeToken('intruder');

	it('a refused token stops the later items of that credential only (On Error: Continue)', async () => {
		const items = [
			call(0, { server: a.url, token: wrong }),
			call(1, route('B')),
			call(2, { server: a.url, token: wrong }),
			call(3, route('B')),
		];
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 1 } },
			items,
			credentials: TOKEN_BY_EXPRESSION,
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.success)).toEqual([false, true, false, true]);
		expect(result.items.map((item) => item.json.errorKind ?? null)).toEqual([
			'refused',
			null,
			'not-sent',
			null,
		]);
		expect(a.requests.map((request) => request.fields.guid)).toEqual(['guid-0']);
		expect(b.requests.map((request) => request.fields.guid)).toEqual(['guid-1', 'guid-3']);
		expect(JSON.stringify(result.items)).not.toContain(wrong);
	});

	it.each([
		['an empty base URL', ''],
		['an address with user info', 'http://someone@127.0.0.1:9'],
	])('%s for item 1: refused before anything is sent, naming the item', async (_name, server) => {
		const items = [call(0, route('A')), call(1, { server, token: tokenB }), call(2, route('B'))];
		const stopped = await runDisposition({ items, credentials: TOKEN_BY_EXPRESSION });
		expect(stopped.error?.message).toMatch(/\(item 2\)$/);
		expect(a.requests).toHaveLength(0);
		expect(b.requests).toHaveLength(0);

		const continued = await runDisposition({
			items,
			credentials: TOKEN_BY_EXPRESSION,
			continueOnFail: true,
		});
		expect(continued.items.map((item) => item.json.success)).toEqual([true, false, true]);
		expect(String(continued.items[1].json.error)).toMatch(/\(item 2\)$/);
		expect(a.requests.map((request) => request.fields.guid)).toEqual(['guid-0']);
		expect(b.requests.map((request) => request.fields.guid)).toEqual(['guid-2']);
	});

	it("masks each item's own secrets in its message", async () => {
		b.setBehaviour({ kind: 'echo', of: 'token', status: 500, before: '<pre>', after: '</pre>' });
		const result = await runDisposition({
			items: [call(0, route('A')), call(1, route('B'))],
			credentials: TOKEN_BY_EXPRESSION,
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.success)).toEqual([true, false]);
		const shown = JSON.stringify(result.items) + JSON.stringify(harnessLogger.entries);
		expect(b.requests[0].headers.authorization).toBe(`Basic ${tokenB}`);
		expect(shown).not.toContain(tokenB);
		expect(shown).not.toContain(tokenA);
	});
});

/**
 * The node is not shown the stored credential, only what n8n resolves for an item index: it reads
 * item 0's and one past the last item's. Equal answers mean one credential for the run (two reads
 * whatever the number of items); an expression reading the item fails past the last item, one
 * using $itemIndex differs there, and then every item's credential is read.
 */
describe.each<EngineName>(['legacy', 'vm'])(
	'how often the credential is read (%s engine)',
	(engine) => {
		// One token for both servers here: only the address decides.
		beforeAll(() => b.addToken(tokenA));
		beforeEach(async () => await useExpressionEngine(engine));
		afterAll(async () => await useExpressionEngine('legacy'));

		const ITEMS = 40;
		const trigger = `$('${MANUAL_TRIGGER_NAME}')`;
		// Items 0 and 1 name A, the rest B (the simulators' addresses known only once they run).
		const table: Array<{
			name: string;
			baseUrl: () => string;
			reads: 'two' | 'per item';
			toA: number;
		}> = [
			{ name: 'no expression', baseUrl: () => a.url, reads: 'two', toA: ITEMS },
			{
				name: 'an expression that reads no item',
				baseUrl: () => `={{ "${a.url}" }}`,
				reads: 'two',
				toA: ITEMS,
			},
			{
				name: "the first item of the trigger's output",
				baseUrl: () => `={{ ${trigger}.first().json.server }}`,
				reads: 'two',
				toA: ITEMS,
			},
			{ name: '$json', baseUrl: () => '={{ $json.server }}', reads: 'per item', toA: 2 },
			{
				name: '$json with optional chaining',
				baseUrl: () => '={{ $json?.server ?? "" }}',
				reads: 'per item',
				toA: 2,
			},
			{
				name: '$input.item',
				baseUrl: () => '={{ $input.item.json.server }}',
				reads: 'per item',
				toA: 2,
			},
			{
				name: 'the paired item of the trigger',
				baseUrl: () => `={{ ${trigger}.item.json.server }}`,
				reads: 'per item',
				toA: 2,
			},
			{
				name: '$itemIndex',
				baseUrl: () => `={{ $itemIndex < 2 ? "${a.url}" : "${b.url}" }}`,
				reads: 'per item',
				toA: 2,
			},
		];

		it.each(table)('$name: $reads', async (row) => {
			const reads = jest.spyOn(CredentialsStore.prototype, 'read');
			try {
				const result = await runDisposition({
					items: Array.from({ length: ITEMS }, (_, i) => call(i, route(i < 2 ? 'A' : 'B'))),
					credentials: {
						server: 'custom',
						baseUrl: row.baseUrl(),
						authentication: 'token',
						token: `={{ "${tokenA}" }}`,
					},
				});
				expect(result.error).toBeUndefined();
				expect(result.items.filter((item) => item.json.success === true)).toHaveLength(ITEMS);
				expect(a.dispositions).toHaveLength(row.toA);
				expect(b.dispositions).toHaveLength(ITEMS - row.toA);
				// One read per call of n8n's getCredentials here (the harness's getDecrypted).
				if (row.reads === 'two') expect(reads.mock.calls.length).toBeLessThanOrEqual(2);
				else expect(reads.mock.calls.length).toBe(ITEMS + 1);
			} finally {
				reads.mockRestore();
			}
		});
	},
);
