import { sleep } from 'n8n-workflow';

import {
	DISPOSITION_KEYS,
	ECHO_ENCODINGS,
	startSimulator,
	type EchoEncoding,
	type Recorded,
	type Simulator,
} from './simulator';

const DISPOSITION = '/Integra/resources/api/DispositionCall';
const LOGIN = '/Integra/resources/auth/getUserToken';
const LOGOUT = '/Integra/resources/auth/EndSession';
const FORM = 'application/x-www-form-urlencoded';

/** The vendor's own example body, verbatim: d2 twice, no d1. */
const VENDOR_SAMPLE =
	'campaign=campana-%3E&agent=Vcisneros&callerid=1234567890&guid=f9b7ada3-a4e5-4795-834d-aa1c1a37ee57&l1=Tipificacion1&l2=&l3=&d2=&d2=&comment=&schedule=&camptoreschedule=&tag=';

const TRICKY_COMMENT = 'Llamó el señor Núñez: ¿mañana? 😀\nsegunda línea & a=b + 100% ';

type Fields = Record<string, string>;

function validFields(overrides: Fields = {}): Array<[string, string]> {
	const base: Fields = {
		campaign: 'campana->',
		agent: 'Vcisneros',
		callerid: '1234567890',
		guid: 'f9b7ada3-a4e5-4795-834d-aa1c1a37ee57',
		l1: 'Tipificacion1',
		l2: '',
		l3: '',
		d1: '',
		d2: '',
		comment: '',
		schedule: '',
		camptoreschedule: '',
		tag: '',
	};
	return DISPOSITION_KEYS.map((key) => [key, overrides[key] ?? base[key]] as [string, string]);
}

function encode(pairs: Array<[string, string]>): string {
	return new URLSearchParams(pairs).toString();
}

interface Answer {
	status: number;
	text: string;
	contentType: string | null;
	headers: Headers;
}

async function post(
	sim: Simulator,
	path: string,
	body: string,
	headers: Record<string, string> = {},
	signal?: AbortSignal,
): Promise<Answer> {
	const response = await fetch(sim.url + path, {
		method: 'POST',
		headers: { 'content-type': FORM, ...headers },
		body,
		signal,
	});
	return {
		status: response.status,
		text: await response.text(),
		contentType: response.headers.get('content-type'),
		headers: response.headers,
	};
}

function dispose(
	sim: Simulator,
	body: string = encode(validFields()),
	headers: Record<string, string> = {},
	signal?: AbortSignal,
): Promise<Answer> {
	return post(sim, DISPOSITION, body, { authorization: `Basic ${sim.token}`, ...headers }, signal);
}

/** The parts of a record worth comparing; never the headers or body (they hold secrets). */
function summary(record: Recorded) {
	const { endpoint, status, answer, problems, auth } = record;
	return { endpoint, status, answer, problems, auth };
}

async function waitFor(check: () => boolean, ms = 2000): Promise<void> {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > ms) throw new Error('condition not met in time');
		await sleep(5);
	}
}

describe('uContact simulator', () => {
	let sim: Simulator;

	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => {
		await sim.close();
	});
	beforeEach(() => sim.reset());

	describe('DispositionCall, valid requests', () => {
		it('listens on 127.0.0.1 and issues a base64(user:uuid) token', () => {
			expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
			expect(sim.port).toBeGreaterThan(0);
			expect(atob(sim.token)).toMatch(/^api:[0-9a-f-]{36}$/);
		});

		it('answers "OK" (quoted, application/json) and records the fields decoded exactly', async () => {
			const pairs = validFields({
				comment: TRICKY_COMMENT,
				d1: '&=+%',
				d2: 'a+b c%20d',
				l2: 'Sí, ñandú',
				tag: '<-',
				schedule: '2024-02-29 23:59:59',
				camptoreschedule: 'campana->',
			});
			const body = encode(pairs);
			const answer = await dispose(sim, body);

			expect(answer).toMatchObject({ status: 200, text: '"OK"', contentType: 'application/json' });
			expect(sim.requests).toHaveLength(1);
			expect(sim.dispositions).toHaveLength(1);
			const record = sim.dispositions[0];
			expect(record).toBe(sim.requests[0]);
			expect(record.endpoint).toBe('DispositionCall');
			expect(record.method).toBe('POST');
			expect(record.path).toBe(DISPOSITION);
			expect(record.problems).toEqual([]);
			expect(record.auth).toBe('ok');
			expect(record.status).toBe(200);
			expect(record.answer).toBe('"OK"');
			expect(record.rawBody).toBe(body);
			expect(record.rawBody).toContain('campaign=campana-%3E&');
			expect(record.headers.authorization).toBe(`Basic ${sim.token}`);
			expect(record.headers['content-type']).toBe(FORM);
			expect(record.form).toEqual(pairs);
			expect(record.fields.campaign).toBe('campana->');
			expect(record.fields.comment).toBe(TRICKY_COMMENT);
			expect(record.fields.d1).toBe('&=+%');
			expect(record.fields.d2).toBe('a+b c%20d');
			expect(record.fields.l2).toBe('Sí, ñandú');
			expect(record.fields.tag).toBe('<-');
		});

		it('accepts "; charset=utf-8" on the content type and %20 for spaces', async () => {
			const body = encode(validFields({ comment: 'x' })).replace('comment=x', 'comment=a%20b+c');
			const answer = await dispose(sim, body, {
				'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
			});
			expect(answer.text).toBe('"OK"');
			expect(sim.dispositions[0].fields.comment).toBe('a b c');
		});

		it('answers "0" when a required field is empty, and records nothing', async () => {
			for (const key of ['campaign', 'agent', 'callerid', 'guid', 'l1']) {
				const answer = await dispose(sim, encode(validFields({ [key]: '' })));
				expect(answer).toMatchObject({ status: 200, text: '"0"' });
			}
			expect(sim.dispositions).toHaveLength(0);
			expect(sim.requests.every((r) => r.problems.length === 0)).toBe(true);
		});
	});

	describe('DispositionCall, wire problems answer 400 naming them', () => {
		async function expectProblem(answer: Answer, ...problems: string[]): Promise<void> {
			expect(answer.status).toBe(400);
			for (const problem of problems) expect(answer.text).toContain(problem);
			const record = sim.requests[sim.requests.length - 1];
			expect(record.status).toBe(400);
			for (const problem of problems) {
				expect(record.problems.some((p) => p.includes(problem))).toBe(true);
			}
			expect(sim.dispositions.includes(record)).toBe(false);
		}

		it("rejects the vendor's own sample (d2 twice, no d1)", async () => {
			const answer = await dispose(sim, VENDOR_SAMPLE);
			await expectProblem(answer, 'missing key "d1"', 'duplicated key "d2" (sent 2 times)');
			expect(sim.requests[0].form.filter(([key]) => key === 'd2')).toHaveLength(2);
			expect(sim.requests[0].fields.campaign).toBe('campana->');
		});

		it('names a missing key', async () => {
			const pairs = validFields().filter(([key]) => key !== 'tag');
			await expectProblem(await dispose(sim, encode(pairs)), 'missing key "tag"');
		});

		it('names an unexpected key', async () => {
			const pairs = [...validFields(), ['token', 'x'] as [string, string]];
			await expectProblem(await dispose(sim, encode(pairs)), 'unexpected key "token"');
		});

		it('names keys out of order', async () => {
			const pairs = validFields();
			[pairs[7], pairs[8]] = [pairs[8], pairs[7]];
			await expectProblem(await dispose(sim, encode(pairs)), 'keys out of order');
		});

		it('names a wrong content type', async () => {
			const body = encode(validFields());
			await expectProblem(
				await dispose(sim, body, { 'content-type': 'text/plain;charset=UTF-8' }),
				'content-type is "text/plain;charset=UTF-8"',
			);
			await expectProblem(
				await dispose(sim, body, { 'content-type': 'application/json' }),
				'content-type',
			);
			await expectProblem(
				await dispose(sim, body, { 'content-type': `${FORM}; charset=latin1` }),
				'charset=latin1',
			);
		});

		it('names a multipart body', async () => {
			const form = new FormData();
			for (const [key, value] of validFields()) form.append(key, value);
			const response = await fetch(sim.url + DISPOSITION, {
				method: 'POST',
				headers: { authorization: `Basic ${sim.token}` },
				body: form,
			});
			expect(response.status).toBe(400);
			expect(await response.text()).toContain('multipart/form-data');
		});

		it('names malformed percent-escapes, bad UTF-8, raw characters and unencoded "="', async () => {
			const ok = encode(validFields({ comment: 'X' }));
			await expectProblem(
				await dispose(sim, ok.replace('comment=X', 'comment=%ZZ')),
				'malformed percent-escape "%ZZ"',
			);
			await expectProblem(
				await dispose(sim, ok.replace('comment=X', 'comment=50%')),
				'malformed percent-escape',
			);
			await expectProblem(
				await dispose(sim, ok.replace('comment=X', 'comment=%C3%28')),
				'not valid UTF-8',
			);
			await expectProblem(
				await dispose(sim, ok.replace('comment=X', 'comment=a b')),
				'must be percent-encoded',
			);
			await expectProblem(
				await dispose(sim, ok.replace('comment=X', 'comment=ñ')),
				'must be percent-encoded',
			);
			await expectProblem(
				await dispose(sim, ok.replace('comment=X', 'comment=a=b')),
				'unencoded "="',
			);
			await expectProblem(await dispose(sim, `${ok}&`), 'empty pair');
		});

		it('checks schedule: empty or a real YYYY-MM-DD HH:MM:SS', async () => {
			for (const schedule of ['', '2024-02-29 00:00:00', '2030-12-31 23:59:59']) {
				expect((await dispose(sim, encode(validFields({ schedule })))).text).toBe('"OK"');
			}
			for (const schedule of [
				'2023-02-29 10:00:00',
				'2024-13-01 10:00:00',
				'2024-04-31 10:00:00',
				'2024-01-01 24:00:00',
				'2024-01-01 10:60:00',
			]) {
				await expectProblem(
					await dispose(sim, encode(validFields({ schedule }))),
					'not a real date',
				);
			}
			for (const schedule of [
				'2024-01-01T10:00:00',
				'2024-1-1 10:00:00',
				'2024-01-01 10:00',
				'mañana',
			]) {
				await expectProblem(
					await dispose(sim, encode(validFields({ schedule }))),
					'not YYYY-MM-DD HH:MM:SS',
				);
			}
		});

		it('names a query string', async () => {
			const response = await fetch(`${sim.url}${DISPOSITION}?campaign=x`, {
				method: 'POST',
				headers: { 'content-type': FORM, authorization: `Basic ${sim.token}` },
				body: encode(validFields()),
			});
			expect(response.status).toBe(400);
			expect(await response.text()).toContain('unexpected query string');
		});

		it('answers 405 to another method', async () => {
			const response = await fetch(sim.url + DISPOSITION, {
				headers: { authorization: `Basic ${sim.token}` },
			});
			expect(response.status).toBe(405);
			expect(response.headers.get('allow')).toBe('POST');
			expect(sim.requests[0].problems[0]).toContain('method GET');
		});
	});

	describe('DispositionCall, authorization', () => {
		it('answers 401 to an unknown token, with no wire problem', async () => {
			const answer = await dispose(sim, undefined, { authorization: 'Basic bm9ib2R5Onh4eA==' });
			expect(answer).toMatchObject({ status: 401, text: 'Unauthorized' });
			expect(summary(sim.requests[0])).toMatchObject({
				auth: 'unknown',
				problems: [],
				status: 401,
			});
			expect(sim.dispositions).toHaveLength(0);
		});

		it('answers 401 and names a missing header or another scheme', async () => {
			const body = encode(validFields());
			const missing = await post(sim, DISPOSITION, body);
			expect(missing.status).toBe(401);
			expect(sim.requests[0].problems[0]).toContain('missing Authorization header');
			const bearer = await dispose(sim, body, { authorization: `Bearer ${sim.token}` });
			expect(bearer.status).toBe(401);
			expect(sim.requests[1].problems[0]).toContain('scheme is "Bearer"');
		});

		it('names a token encoded again, and user:password in place of a token', async () => {
			await dispose(sim, undefined, { authorization: `Basic ${btoa(sim.token)}` });
			expect(sim.requests[0].problems).toEqual([
				'Authorization token was base64-encoded again: send the token as given',
			]);
			await dispose(sim, undefined, { authorization: `Basic ${btoa('api:secret-pass')}` });
			expect(sim.requests[1].problems[0]).toContain('base64(user:password)');
			expect(sim.requests.every((r) => r.status === 401)).toBe(true);
		});

		it('checks the token before the body: a bad token and a bad body give 401', async () => {
			const answer = await dispose(sim, VENDOR_SAMPLE, { authorization: 'Basic nope' });
			expect(answer.status).toBe(401);
			expect(sim.requests[0].problems).toContain('missing key "d1"');
		});

		it('expireToken makes later requests 401; reset makes the initial token valid again', async () => {
			expect((await dispose(sim)).text).toBe('"OK"');
			sim.expireToken(sim.token);
			expect((await dispose(sim)).status).toBe(401);
			expect(sim.requests[1].auth).toBe('expired');
			expect(sim.activeTokens()).not.toContain(sim.token);
			sim.reset();
			expect((await dispose(sim)).text).toBe('"OK"');
		});
	});

	describe('DispositionCall, behaviours', () => {
		it('bare: OK without quotes, text/plain', async () => {
			sim.setBehaviour({ kind: 'bare' });
			const ok = await dispose(sim);
			expect(ok.text).toBe('OK');
			expect(ok.contentType).toMatch(/^text\/plain/);
			expect((await dispose(sim, encode(validFields({ l1: '' })))).text).toBe('0');
		});

		it('reject: "0" to a valid request, nothing recorded', async () => {
			sim.setBehaviour({ kind: 'reject' });
			expect(await dispose(sim)).toMatchObject({ status: 200, text: '"0"' });
			expect(sim.dispositions).toHaveLength(0);
			sim.setBehaviour({ kind: 'reject', bodyStyle: 'bare' });
			expect((await dispose(sim)).text).toBe('0');
		});

		it('status: any status, default status text body, custom body and headers', async () => {
			sim.setBehaviour({ kind: 'status', status: 500 });
			expect(await dispose(sim)).toMatchObject({ status: 500, text: 'Internal Server Error' });
			sim.setBehaviour({
				kind: 'status',
				status: 503,
				body: 'maintenance',
				headers: { 'retry-after': '2' },
			});
			const answer = await dispose(sim);
			expect(answer).toMatchObject({ status: 503, text: 'maintenance' });
			expect(answer.headers.get('retry-after')).toBe('2');
			for (const status of [401, 403, 404]) {
				sim.setBehaviour({ kind: 'status', status });
				expect((await dispose(sim)).status).toBe(status);
			}
			expect(sim.dispositions).toHaveLength(0);
		});

		it('body: answers anything, HTML or "ERROR"', async () => {
			sim.setBehaviour({
				kind: 'body',
				body: '<html><body>Login</body></html>',
				contentType: 'text/html',
			});
			const html = await dispose(sim);
			expect(html).toMatchObject({
				status: 200,
				text: '<html><body>Login</body></html>',
				contentType: 'text/html',
			});
			sim.setBehaviour({
				kind: 'body',
				status: 200,
				body: '"ERROR"',
				contentType: 'application/json',
			});
			expect((await dispose(sim)).text).toBe('"ERROR"');
			expect(sim.dispositions).toHaveLength(0);
		});

		it('wire problems and bad tokens win over status and body behaviours', async () => {
			sim.setBehaviour({ kind: 'status', status: 503 });
			expect((await dispose(sim, VENDOR_SAMPLE)).status).toBe(400);
			expect((await dispose(sim, undefined, { authorization: 'Basic nope' })).status).toBe(401);
		});

		it('slow: answers after the delay, then as told', async () => {
			sim.setBehaviour({ kind: 'slow', ms: 150 });
			let start = Date.now();
			expect((await dispose(sim)).text).toBe('"OK"');
			expect(Date.now() - start).toBeGreaterThanOrEqual(140);
			sim.setBehaviour({ kind: 'slow', ms: 50, then: { kind: 'status', status: 502 } });
			start = Date.now();
			expect((await dispose(sim)).status).toBe(502);
			expect(Date.now() - start).toBeGreaterThanOrEqual(45);
		});

		it('slow: a client that gives up sees a timeout; the server still records it', async () => {
			sim.queue({ kind: 'slow', ms: 300 });
			await expect(dispose(sim, undefined, {}, AbortSignal.timeout(50))).rejects.toThrow();
			expect(sim.requests[0].status).toBeNull();
			await waitFor(() => sim.requests[0].status !== null);
			expect(sim.dispositions).toHaveLength(1);
		});

		it('close: destroys the socket, no answer, nothing recorded (unless record: true)', async () => {
			sim.queue({ kind: 'close' }, { kind: 'close', record: true });
			await expect(dispose(sim)).rejects.toThrow();
			expect(summary(sim.requests[0])).toMatchObject({ status: null, answer: null, problems: [] });
			expect(sim.dispositions).toHaveLength(0);
			await expect(dispose(sim)).rejects.toThrow();
			expect(sim.dispositions).toHaveLength(1);
			expect((await dispose(sim)).text).toBe('"OK"');
		});

		it('queue: one-shot behaviours in order, then the standing behaviour', async () => {
			sim.setBehaviour({ kind: 'bare' });
			sim.queue({ kind: 'status', status: 500 }, { kind: 'reject' });
			expect((await dispose(sim)).status).toBe(500);
			expect((await dispose(sim)).text).toBe('"0"');
			expect((await dispose(sim)).text).toBe('OK');
			expect((await dispose(sim)).text).toBe('OK');
		});

		it('reset: standing behaviour back to normal, queue emptied, records cleared', async () => {
			sim.setBehaviour({ kind: 'reject' });
			sim.queue({ kind: 'status', status: 500 });
			await dispose(sim, encode(validFields()));
			sim.reset();
			expect(sim.requests).toHaveLength(0);
			expect((await dispose(sim)).text).toBe('"OK"');
			expect(sim.dispositions).toHaveLength(1);
		});

		it('refuses malformed behaviours at the call site', () => {
			expect(() => sim.setBehaviour({ kind: 'nope' } as never)).toThrow(TypeError);
			expect(() => sim.queue({ kind: 'status', status: 99 })).toThrow(TypeError);
			expect(() => sim.queue({ kind: 'slow', ms: 10, then: { kind: 'x' } as never })).toThrow(
				TypeError,
			);
		});
	});

	describe('getUserToken and EndSession', () => {
		const credentials = encode([
			['user', 'api'],
			['password', 'secret-pass'],
		]);

		it("'list' (default): a JSON list with the token last; the token works", async () => {
			const answer = await post(sim, LOGIN, credentials);
			expect(answer.status).toBe(200);
			expect(answer.contentType).toBe('application/json');
			const list = JSON.parse(answer.text) as string[];
			expect(Array.isArray(list)).toBe(true);
			const token = list[list.length - 1];
			expect(token).not.toBe(sim.token);
			expect(atob(token)).toMatch(/^api:[0-9a-f-]{36}$/);
			expect(sim.activeTokens()).toContain(token);
			expect(summary(sim.requests[0])).toMatchObject({ endpoint: 'getUserToken', problems: [] });
			expect(sim.requests[0].issuedToken === token).toBe(true);
			expect(sim.requests[0].fields.password).toBe('secret-pass');
			expect(sim.requests[0].headers.authorization).toBeUndefined();
			expect((await dispose(sim, undefined, { authorization: `Basic ${token}` })).text).toBe(
				'"OK"',
			);
		});

		it("'string', 'bare' and '404' shapes", async () => {
			sim.loginShape('string');
			const quoted = await post(sim, LOGIN, credentials);
			const token = JSON.parse(quoted.text) as string;
			expect(typeof token).toBe('string');
			expect(sim.activeTokens()).toContain(token);

			sim.loginShape('bare');
			const bare = await post(sim, LOGIN, credentials);
			expect(bare.contentType).toMatch(/^text\/plain/);
			expect(sim.activeTokens()).toContain(bare.text);
			expect((await dispose(sim, undefined, { authorization: `Basic ${bare.text}` })).text).toBe(
				'"OK"',
			);

			sim.loginShape('404');
			expect((await post(sim, LOGIN, credentials)).status).toBe(404);
			expect(() => sim.loginShape('xml' as never)).toThrow(TypeError);
		});

		it('bad credentials answer 0 and issue nothing', async () => {
			const before = sim.activeTokens().length;
			for (const [user, password] of [
				['api', 'wrong'],
				['nobody', 'secret-pass'],
				['', ''],
			]) {
				const answer = await post(
					sim,
					LOGIN,
					encode([
						['user', user],
						['password', password],
					]),
				);
				expect(answer).toMatchObject({ status: 200, text: '0' });
			}
			expect(sim.activeTokens()).toHaveLength(before);
		});

		it('names a missing password key, a wrong content type', async () => {
			expect((await post(sim, LOGIN, 'user=api')).text).toContain('missing key "password"');
			const wrongType = await post(sim, LOGIN, credentials, { 'content-type': 'application/json' });
			expect(wrongType.status).toBe(400);
		});

		it('EndSession ends the token: later requests with it get 401', async () => {
			const token = (JSON.parse((await post(sim, LOGIN, credentials)).text) as string[])[1];
			const answer = await post(
				sim,
				LOGOUT,
				encode([
					['user', 'api'],
					['token', token],
				]),
			);
			expect(answer).toMatchObject({ status: 200, text: '"OK"' });
			expect(sim.activeTokens()).not.toContain(token);
			expect((await dispose(sim, undefined, { authorization: `Basic ${token}` })).status).toBe(401);
		});

		it('anything else is 404', async () => {
			expect((await post(sim, '/Integra/resources/api/Other', '')).status).toBe(404);
			expect((await fetch(`${sim.url}/`)).status).toBe(404);
			expect(sim.requests.map((r) => r.endpoint)).toEqual(['unknown', 'unknown']);
		});
	});

	describe('getUserToken behaviours, echoes and extra tokens', () => {
		const credentials = encode([
			['user', 'api'],
			['password', 'secret-pass'],
		]);

		it('queueLogin: one-shot login behaviours in order, then the standing one', async () => {
			sim.queueLogin(
				{ kind: 'status', status: 503, headers: { 'retry-after': '1' } },
				{ kind: 'refuse' },
			);
			expect(sim.queuedLogins()).toBe(2);
			const unavailable = await post(sim, LOGIN, credentials);
			expect(unavailable.status).toBe(503);
			expect(unavailable.headers.get('retry-after')).toBe('1');
			expect((await post(sim, LOGIN, credentials)).text).toBe('0');
			expect(sim.queuedLogins()).toBe(0);
			expect(JSON.parse((await post(sim, LOGIN, credentials)).text)).toHaveLength(2);
			expect(sim.requests.map((r) => r.status)).toEqual([503, 200, 200]);
			expect(sim.requests.filter((r) => r.issuedToken)).toHaveLength(1);
			expect(sim.requests[0].fields.user).toBe('api');
		});

		it('setLoginBehaviour: standing; reset() puts it back to normal', async () => {
			sim.setLoginBehaviour({ kind: 'status', status: 401 });
			expect((await post(sim, LOGIN, credentials)).status).toBe(401);
			expect((await post(sim, LOGIN, credentials)).status).toBe(401);
			sim.queueLogin({ kind: 'refuse' });
			sim.reset();
			expect(sim.queuedLogins()).toBe(0);
			expect((await post(sim, LOGIN, credentials)).status).toBe(200);
			expect(sim.requests[0].issuedToken).toBeDefined();
		});

		it('reset and close drop the login connection; slow answers later', async () => {
			sim.queueLogin({ kind: 'reset' }, { kind: 'close' }, { kind: 'slow', ms: 80 });
			await expect(post(sim, LOGIN, credentials)).rejects.toThrow();
			await expect(post(sim, LOGIN, credentials)).rejects.toThrow();
			const start = Date.now();
			expect((await post(sim, LOGIN, credentials)).status).toBe(200);
			expect(Date.now() - start).toBeGreaterThanOrEqual(75);
			expect(sim.requests.map((r) => [r.endpoint, r.status])).toEqual([
				['getUserToken', null],
				['getUserToken', null],
				['getUserToken', 200],
			]);
			expect(sim.requests[2].at).toBeGreaterThanOrEqual(sim.requests[0].at);
		});

		it('echo: the posted form, a field in every encoding, the token, the headers', async () => {
			const password = 'p@ss wörd! (x)';
			const form = encode([
				['user', 'api'],
				['password', password],
			]);
			sim.queueLogin({ kind: 'echo', of: 'body', before: '<pre>', after: '</pre>' });
			const page = await post(sim, LOGIN, form);
			expect(page).toMatchObject({ status: 200, text: `<pre>${form}</pre>` });
			expect(page.text).toContain('p%40ss+w%C3%B6rd%21+%28x%29');
			expect(page.contentType).toMatch(/^text\/html/);

			const expected: Array<[EchoEncoding, string]> = [
				['raw', password],
				['percent', encodeURIComponent(password)],
				['form', 'p%40ss+w%C3%B6rd%21+%28x%29'],
				['json', JSON.stringify(password)],
				['base64', Buffer.from(password).toString('base64')],
				['basic-user', Buffer.from(`api:${password}`).toString('base64')],
			];
			for (const [encoding, text] of expected) {
				sim.queueLogin({ kind: 'echo', of: 'field', field: 'password', encoding, status: 500 });
				expect(await post(sim, LOGIN, form)).toMatchObject({ status: 500, text });
			}
			expect(ECHO_ENCODINGS.slice().sort()).toEqual(expected.map(([e]) => e).sort());

			sim.queue(
				{ kind: 'echo', of: 'headers', status: 500, contentType: 'application/json' },
				{ kind: 'echo', of: 'token', encoding: 'percent', before: 'x'.repeat(3) },
			);
			const headers = await dispose(sim);
			expect(headers.status).toBe(500);
			expect(JSON.parse(headers.text).authorization).toBe(`Basic ${sim.token}`);
			expect((await dispose(sim)).text).toBe(`xxx${encodeURIComponent(sim.token)}`);
			sim.queue({ kind: 'echo', of: 'headers', before: '<p>', placeAt: 150 });
			expect((await dispose(sim)).text.indexOf(sim.token)).toBe(150);
			sim.queueLogin({ kind: 'echo', of: 'body', before: '<p>', placeAt: 190 });
			expect((await post(sim, LOGIN, form)).text.indexOf('p%40ss')).toBe(190);
			sim.queueLogin({ kind: 'echo', of: 'field', field: 'password', placeAt: 7 });
			expect((await post(sim, LOGIN, form)).text).toBe(`xxxxxxx${password}`);
			expect(sim.dispositions).toHaveLength(0);
			expect(() => sim.queueLogin({ kind: 'echo', of: 'field' } as never)).toThrow(TypeError);
			expect(() => sim.queue({ kind: 'echo', of: 'nothing' } as never)).toThrow(TypeError);
			expect(() => sim.queueLogin({ kind: 'truncated' } as never)).toThrow(TypeError);
		});

		it('issueTokens, addToken and setUser', async () => {
			sim.setUser('bot', 'pw: "quoted" ü');
			sim.issueTokens('chosen-token-1234');
			const login = await post(
				sim,
				LOGIN,
				encode([
					['user', 'bot'],
					['password', 'pw: "quoted" ü'],
				]),
			);
			expect(JSON.parse(login.text)).toEqual(['bot', 'chosen-token-1234']);
			expect(sim.activeTokens()).toContain('chosen-token-1234');
			sim.addToken("odd!token'*~@é");
			expect((await dispose(sim, undefined, { authorization: "Basic odd!token'*~@é" })).text).toBe(
				'"OK"',
			);
		});
	});

	describe('options', () => {
		it('tokens, users, campaigns and latencyMs', async () => {
			const other = await startSimulator({
				tokens: ['tok-1', 'tok-2'],
				users: { bot: 'pw' },
				campaigns: ['campana->'],
				latencyMs: 80,
			});
			try {
				expect(other.token).toBe('tok-1');
				const start = Date.now();
				expect((await dispose(other, undefined, { authorization: 'Basic tok-2' })).text).toBe(
					'"OK"',
				);
				expect(Date.now() - start).toBeGreaterThanOrEqual(75);
				expect((await dispose(other, encode(validFields({ campaign: 'otra' })))).text).toBe('"0"');
				expect(other.dispositions).toHaveLength(1);
				const login = await post(other, LOGIN, 'user=bot&password=pw');
				expect(JSON.parse(login.text)).toHaveLength(2);
			} finally {
				await other.close();
			}
		});

		it('close() cuts a slow answer short and does not hang', async () => {
			const other = await startSimulator();
			other.setBehaviour({ kind: 'slow', ms: 60_000 });
			const pending = dispose(other);
			await waitFor(() => other.requests.length === 1);
			const start = Date.now();
			await other.close();
			expect(Date.now() - start).toBeLessThan(1000);
			await expect(pending).rejects.toThrow();
			await other.close();
		});
	});
});
