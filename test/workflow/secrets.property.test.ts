/**
 * A property test of secrets (issue 19): random passwords and tokens (spaces, tabs, runs of
 * whitespace, accents, emoji, +&%=()!'*~@", 4 to 200 characters) x servers that echo the
 * request (raw, percent-encoded, form-encoded, JSON-escaped, base64 of the secret, base64 of
 * user:password, JSON of the headers, an HTML page, the secret at every offset around a
 * 200-character cut) x every request path. No 6-character piece of the secret, in any of those
 * encodings, may appear in the output items, error messages and descriptions, n8n's log (every
 * level, debug included) or the saved execution (run data).
 */
import fc from 'fast-check';

import { harnessLogger } from '../support/harness';
import {
	call,
	everythingReturned,
	MAPPED,
	runDisposition,
	testCredential,
} from '../support/runDisposition';
import { echoEncode, type Echo, type EchoEncoding } from '../support/simulator/simulator';
import { useSimulator } from '../support/useSimulator';

jest.setTimeout(120_000);

/** Runs per request path and echoing server (6 or 7 servers a path: 150 to 175 runs a path). */
const RUNS = Number(process.env.SECRETS_PROPERTY_RUNS ?? 25);
const USER = 'api';
/** Where a quoted answer is cut today (200 characters); secrets are placed all around it. */
const CUT = 200;
const PIECE = 6;

// ---------------------------------------------------------------- secrets

const WHITESPACE = [' ', '\t', '  ', ' \t ', '   ', '\t\t'];
const SPECIAL = [...`+&%=()!'*~@"`];
const ACCENTS = [...'áéíóúñüÖçÃ'];
const EMOJI = ['😀', '🔑', '🎉', '👍🏽'];
const alnum = fc.constantFrom(
	...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''),
);
const codePoints = (text: string) => [...text].length;

/** A password: any mix of the above, 4 to 200 characters. */
const password = fc
	.array(
		fc.oneof(
			{ arbitrary: alnum, weight: 4 },
			{ arbitrary: fc.constantFrom(...WHITESPACE), weight: 2 },
			{ arbitrary: fc.constantFrom(...SPECIAL), weight: 2 },
			{ arbitrary: fc.constantFrom(...ACCENTS), weight: 1 },
			{ arbitrary: fc.constantFrom(...EMOJI), weight: 1 },
		),
		{ minLength: 4, maxLength: 120 },
	)
	.map((parts) => [...parts.join('')].slice(0, 200).join(''))
	// n8n reads a credential value that starts with "=" as an expression.
	.filter((text) => codePoints(text) >= 4 && text.trim() !== '' && !text.startsWith('='));

/**
 * A token the simulator accepts in "Authorization: Basic TOKEN": no whitespace (the header is
 * one word after the scheme), only Latin-1 (an HTTP header carries bytes; emoji cannot be sent),
 * not starting with "=" (n8n would read it as an expression). Accents and +&%=()!'*~@" are kept.
 */
const token = fc
	.array(
		fc.oneof(
			{ arbitrary: alnum, weight: 5 },
			{ arbitrary: fc.constantFrom(...SPECIAL), weight: 2 },
			{ arbitrary: fc.constantFrom(...'áéíóúñüÖç'), weight: 1 },
		),
		{ minLength: 4, maxLength: 200 },
	)
	.map((parts) => parts.join(''))
	// n8n reads a credential value that starts with "=" as an expression.
	.filter((text) => !text.startsWith('='));

/** A session token getUserToken may issue: one token68 word (what the node accepts from a login). */
const sessionToken = fc
	.array(fc.oneof({ arbitrary: alnum, weight: 8 }, fc.constantFrom(...'._~+/-')), {
		minLength: 8,
		maxLength: 200,
	})
	.map((parts) => parts.join(''));

// ---------------------------------------------------------------- what must not appear

// base64 of "api:password": its first characters encode "api:", no secret; from this one on,
// each character encodes bits of the password only.
const USER_PART = Math.ceil(((USER.length + 1) * 8) / 6);

/** Every form the secret travels in or can be echoed in. */
function encodings(secret: string): string[] {
	const jsonEscaped = JSON.stringify(secret).slice(1, -1);
	return [
		secret,
		encodeURIComponent(secret),
		echoEncode(secret, 'form'),
		jsonEscaped,
		// What JSON.stringify of a saved execution or a log line makes of the JSON-escaped form.
		JSON.stringify(jsonEscaped).slice(1, -1),
		echoEncode(secret, 'base64'),
		echoEncode(secret, 'basic-user', USER).slice(USER_PART),
	];
}

/**
 * The 6-character pieces to look for. A piece of mostly ASCII punctuation and whitespace
 * ("  \t  ", "******", or OK\\\" from a doubly escaped "OK" in the node's own words) could be
 * anything, so a piece counts when it holds at least three letters, digits or non-ASCII
 * characters (base64 of user:password is taken from its first character that encodes only the
 * password).
 */
function pieces(secret: string): string[] {
	const found = new Set<string>();
	for (const text of encodings(secret)) {
		for (let at = 0; at + PIECE <= text.length; at++) {
			const piece = text.slice(at, at + PIECE);
			if ((piece.match(/[\p{L}\p{N}]|[^\x20-\x7e]/gu) ?? []).length < 3) continue;
			found.add(piece);
		}
	}
	return [...found];
}

/** Every string in a value, deep (keys too), with the value's JSON as one more. */
function strings(value: unknown): string[] {
	const out: string[] = [];
	const seen = new Set<unknown>();
	const walk = (v: unknown, depth: number) => {
		if (depth > 40) return;
		if (typeof v === 'string') out.push(v);
		else if (typeof v === 'object' && v !== null && !seen.has(v)) {
			seen.add(v);
			if (v instanceof Error) {
				out.push(v.message, String(v.stack ?? ''));
			}
			for (const [key, inner] of Object.entries(v)) {
				out.push(key);
				walk(inner, depth + 1);
			}
		}
	};
	walk(value, 0);
	try {
		out.push(JSON.stringify(value) ?? '');
	} catch {
		// A cycle: the walk above has it all.
	}
	return out;
}

function leaks(secret: string, haystack: string[]): string[] {
	return pieces(secret)
		.filter((piece) => haystack.some((text) => text.includes(piece)))
		.slice(0, 5)
		.map((piece) => JSON.stringify(piece));
}

// ---------------------------------------------------------------- servers that echo

interface Server {
	name: string;
	/** The echo, given where the cut falls in it (0 = on the secret's first character). */
	echo(cutAt: number, status: number): Echo;
	/** The text the answer must hold, for a secret (so the property cannot hold vacuously). */
	echoed(secret: string): string;
}

const PAGE = '<html><body><h1>Error</h1><pre>';
const END = '</pre></body></html>';

/** Echo of one value (a form field or the token) in an encoding, at a chosen offset. */
const echoOf = (of: 'field' | 'token', encoding: EchoEncoding): Server => ({
	name: `${of === 'field' ? 'the password' : 'the token'} echoed ${encoding}`,
	echo: (cutAt, status) => ({
		kind: 'echo',
		of,
		field: of === 'field' ? 'password' : undefined,
		encoding,
		status,
		before: PAGE,
		placeAt: Math.max(0, CUT - cutAt),
		after: END,
	}),
	echoed: (secret) => echoEncode(secret, encoding, USER),
});

const loginServers: Server[] = [
	{
		// The issue's page: the posted form echoed as received, form-encoded.
		name: 'an HTML page echoing the posted form',
		echo: (cutAt, status) => ({
			kind: 'echo',
			of: 'body',
			status,
			before: PAGE,
			placeAt: Math.max(0, CUT - cutAt),
			after: END,
		}),
		echoed: (secret) => `password=${echoEncode(secret, 'form')}`,
	},
	...(['raw', 'percent', 'form', 'json', 'base64', 'basic-user'] as const).map((encoding) =>
		echoOf('field', encoding),
	),
];

const tokenServers: Server[] = [
	{
		name: 'a page echoing the request headers as JSON',
		echo: (cutAt, status) => ({
			kind: 'echo',
			of: 'headers',
			status,
			contentType: 'application/json',
			placeAt: Math.max(0, CUT - cutAt),
		}),
		echoed: (secret) => JSON.stringify(secret).slice(1, -1),
	},
	...(['raw', 'percent', 'form', 'json', 'base64'] as const).map((encoding) =>
		echoOf('token', encoding),
	),
];

// ---------------------------------------------------------------- request paths

const sim = useSimulator();

interface Probe {
	secret: string;
	server: Server;
	cutAt: number;
	status: number;
}

/** Runs one request path against an echoing server; returns every string n8n gave back or logged. */
type RequestPath = (probe: Probe) => Promise<string[]>;

const custom = () => ({ server: 'custom', baseUrl: sim.url });
const runOptions = { ...MAPPED, options: { safeRetries: 0, timeout: 5000 } };

async function viaRun(credentials: Record<string, unknown>, continueOnFail: boolean) {
	const result = await runDisposition({
		parameters: runOptions,
		items: [call(0), call(1)],
		credentials: credentials as never,
		continueOnFail,
	});
	return [
		...strings(result.items),
		...strings(result.error),
		...strings(result.runData),
		...strings(harnessLogger.entries),
		everythingReturned(result),
	];
}

async function viaTest(credentials: Record<string, unknown>) {
	const test = await testCredential(credentials as never);
	expect(test.status).toBe('Error');
	return [...strings(test), ...strings(harnessLogger.entries)];
}

const PATHS: Array<[string, Server[], fc.Arbitrary<string>, RequestPath]> = [
	[
		'DispositionCall with a token',
		tokenServers,
		token,
		async ({ secret, server, cutAt, status }) => {
			sim.addToken(secret);
			sim.setBehaviour(server.echo(cutAt, status));
			const credentials = { ...custom(), authentication: 'token', token: secret };
			return [...(await viaRun(credentials, true)), ...(await viaRun(credentials, false))];
		},
	],
	[
		'DispositionCall with the session token of a login',
		tokenServers,
		sessionToken,
		async ({ secret, server, cutAt, status }) => {
			sim.issueTokens(secret);
			sim.setBehaviour(server.echo(cutAt, status));
			const credentials = {
				...custom(),
				authentication: 'userPassword',
				user: USER,
				password: 'plain-password-1',
			};
			sim.setUser(USER, 'plain-password-1');
			return await viaRun(credentials, true);
		},
	],
	[
		'getUserToken in a run',
		loginServers,
		password,
		async ({ secret, server, cutAt, status }) => {
			sim.setUser(USER, secret);
			sim.setLoginBehaviour(server.echo(cutAt, status));
			const credentials = {
				...custom(),
				authentication: 'userPassword',
				user: USER,
				password: secret,
			};
			return [...(await viaRun(credentials, true)), ...(await viaRun(credentials, false))];
		},
	],
	[
		'the credential test with a token',
		tokenServers,
		token,
		async ({ secret, server, cutAt, status }) => {
			sim.addToken(secret);
			sim.setBehaviour(server.echo(cutAt, status));
			return await viaTest({ ...custom(), authentication: 'token', token: secret });
		},
	],
	[
		'the credential test with a login',
		loginServers,
		password,
		async ({ secret, server, cutAt, status }) => {
			sim.setUser(USER, secret);
			sim.setLoginBehaviour(server.echo(cutAt, status));
			return await viaTest({
				...custom(),
				authentication: 'userPassword',
				user: USER,
				password: secret,
			});
		},
	],
];

describe.each(PATHS)('%s', (_name, servers, secrets, path) => {
	it.each(servers.map((server): [string, Server] => [server.name, server]))(
		'leaks no piece of the secret through %s (500 or a 200 HTML page, the secret anywhere around the cut)',
		async (_server, server) => {
			await fc.assert(
				fc.asyncProperty(
					secrets,
					fc.nat({ max: 10_000 }),
					fc.constantFrom(500, 200),
					fc.boolean(),
					async (secret, offset, status, inside) => {
						sim.reset();
						harnessLogger.clear();
						// Where the cut falls: mostly inside the echoed secret, leaving 6 characters or more
						// on both sides; else anywhere from just before it to just after it.
						const length = server.echoed(secret).length;
						const cutAt =
							inside && length > 12 ? 6 + (offset % (length - 11)) : (offset % (length + 16)) - 8;
						const returned = await path({ secret, server, cutAt, status });
						// The echo was really served (otherwise the property would hold vacuously).
						const echoed = server.echoed(secret);
						expect(
							sim.requests.some(
								(request) => request.status === status && request.answer?.includes(echoed),
							),
						).toBe(true);
						expect(leaks(secret, returned)).toEqual([]);
					},
				),
				{ numRuns: RUNS, endOnFailure: true },
			);
		},
	);
});

describe("the issue's examples", () => {
	beforeEach(() => {
		sim.reset();
		harnessLogger.clear();
	});

	it('a login page echoing the posted form leaks no piece of "p@ss wörd! (x)" (form-encoded p%40ss+w%C3%B6rd%21+%28x%29)', async () => {
		const secret = 'p@ss wörd! (x)';
		sim.setUser(USER, secret);
		sim.setLoginBehaviour({ kind: 'echo', of: 'body', before: PAGE, after: END });
		const credentials = {
			...custom(),
			authentication: 'userPassword',
			user: USER,
			password: secret,
		};
		const returned = [...(await viaRun(credentials, true)), ...(await viaTest(credentials))];
		expect(sim.requests[0].answer).toContain('p%40ss+w%C3%B6rd%21+%28x%29');
		expect(leaks(secret, returned)).toEqual([]);
	});

	it('a password with two spaces and a tab (two++spaces%09here) leaks no piece', async () => {
		const secret = 'two  spaces\there';
		sim.setUser(USER, secret);
		sim.setLoginBehaviour({ kind: 'echo', of: 'body', before: PAGE, after: END });
		const credentials = {
			...custom(),
			authentication: 'userPassword',
			user: USER,
			password: secret,
		};
		const returned = [...(await viaRun(credentials, true)), ...(await viaTest(credentials))];
		expect(sim.requests[0].answer).toContain('two++spaces%09here');
		expect(leaks(secret, returned)).toEqual([]);
	});

	it('a 500 page echoing the headers as JSON, the token across the 200-character cut, leaves no piece in hint', async () => {
		const secret = Buffer.from('user:s3cret-token-1234567890-abcdef-ghijkl').toString('base64');
		sim.addToken(secret);
		sim.setBehaviour({
			kind: 'echo',
			of: 'headers',
			status: 500,
			contentType: 'application/json',
			placeAt: CUT - 50,
		});
		const result = await runDisposition({
			parameters: runOptions,
			items: [call(0)],
			credentials: { ...custom(), authentication: 'token', token: secret } as never,
			continueOnFail: true,
		});
		expect(result.items[0].json.success).toBe(false);
		expect(leaks(secret, strings(result.items[0].json))).toEqual([]);
		expect(leaks(secret, [everythingReturned(result)])).toEqual([]);
	});
});
