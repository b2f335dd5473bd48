/**
 * A strict local stand-in for the uContact legacy REST API, for tests, the demo and the
 * benchmark. It serves DispositionCall, getUserToken and EndSession under
 * /Integra/resources/..., records every request, and flags every deviation from the wire
 * contract (see /work/shared/ucontact-api.md) with a 400 listing the problems.
 */

import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import {
	echoEncode,
	NORMAL,
	NORMAL_LOGIN,
	validateBehaviour,
	validateLoginBehaviour,
	type Behaviour,
	type Echo,
	type LoginBehaviour,
} from './behaviours';
import {
	DISPOSITION_KEYS,
	REQUIRED_DISPOSITION_KEYS,
	checkFormContentType,
	parseForm,
	checkKeys,
	checkSchedule,
} from './form';

export type { Behaviour, BodyStyle, Echo, EchoEncoding, LoginBehaviour } from './behaviours';
export { ECHO_ENCODINGS, echoEncode } from './behaviours';
/** The 13 DispositionCall keys, in the order they must be sent. */
export { DISPOSITION_KEYS };

export interface SimulatorOptions {
	/** Port on 127.0.0.1; 0 (default) picks a free one. */
	port?: number;
	/** Valid tokens; default one token, base64('<first user>:' + uuid). `token` is the first. */
	tokens?: string[];
	/** Portal API tokens: accepted only as "Authorization: Bearer <token>" (uContact's API Token page). */
	apiTokens?: string[];
	/** Users for getUserToken; default { api: 'secret-pass' }. */
	users?: Record<string, string>;
	/** Known campaigns; when set, DispositionCall answers "0" for any other campaign. */
	campaigns?: string[];
	/** Delay before every answer (all endpoints), in ms. */
	latencyMs?: number;
	/** Called once per request after it was answered (or its socket destroyed). */
	onRequest?: (record: Recorded) => void;
}

export type Endpoint = 'DispositionCall' | 'getUserToken' | 'EndSession' | 'unknown';

/** Outcome of the Authorization check (DispositionCall only). */
export type AuthOutcome = 'ok' | 'missing' | 'malformed' | 'unknown' | 'expired';

export interface Recorded {
	endpoint: Endpoint;
	method: string;
	/** Request target as received, query string included. */
	path: string;
	/** Lowercased names; Authorization kept as received (do not print it). */
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	/** Decoded pairs in order, duplicates kept. */
	form: Array<[string, string]>;
	/** First value of each key. */
	fields: Record<string, string>;
	/** Every contract violation found (wire format, keys, schedule, Authorization shape). */
	problems: string[];
	/** HTTP status sent; null while pending, or when the socket was destroyed ('close'). */
	status: number | null;
	/** Body sent; null while pending or when the socket was destroyed. */
	answer: string | null;
	/** Which reset() period it arrived in; only the current one records dispositions. */
	generation: number;
	/** When it arrived (Date.now()). */
	at: number;
	/** DispositionCall: how the Authorization header fared. */
	auth?: AuthOutcome;
	/** getUserToken: the token issued by a successful login. */
	issuedToken?: string;
}

/** getUserToken answer shape: `["<user>","<token>"]`, `"<token>"`, bare token, or a 404. */
export type LoginShape = 'list' | 'string' | 'bare' | '404';

export interface Simulator {
	/** http://127.0.0.1:PORT, no trailing slash. */
	readonly url: string;
	readonly port: number;
	/** The first valid token given at start. */
	readonly token: string;
	/** Every request, in arrival order (pushed on arrival, completed when answered). */
	readonly requests: Recorded[];
	/** Accepted DispositionCall requests (answered OK). */
	readonly dispositions: Recorded[];
	/** Standing behaviour for DispositionCall. */
	setBehaviour(behaviour: Behaviour): void;
	/** One-shot behaviours, used in order by the next DispositionCall requests. */
	queue(...behaviours: Behaviour[]): void;
	/** Later requests with this token get 401. */
	expireToken(token: string): void;
	/** Shape of getUserToken answers (default 'list'). */
	loginShape(shape: LoginShape): void;
	/** Standing behaviour for getUserToken (default normal). */
	setLoginBehaviour(behaviour: LoginBehaviour): void;
	/** One-shot behaviours, used in order by the next getUserToken requests. */
	queueLogin(...behaviours: LoginBehaviour[]): void;
	/** One-shot behaviours not used yet by getUserToken requests. */
	queuedLogins(): number;
	/** The next successful logins issue these tokens, in order (then base64(user:uuid) again). */
	issueTokens(...tokens: string[]): void;
	/** Makes a token valid (as if given in `tokens`, but not restored by reset()). */
	addToken(token: string): void;
	/** Adds a user for getUserToken, or changes its password. */
	setUser(user: string, password: string): void;
	/** Tokens currently valid (initial ones plus those issued by logins, minus expired). */
	activeTokens(): string[];
	/**
	 * Clears records and the queues, standing behaviours back to normal, login shape back to
	 * 'list', tokens to issue forgotten, initial tokens valid again. Tokens issued by logins (and
	 * added ones) and users are left as they are.
	 */
	reset(): void;
	/** Stops listening, cuts pending slow answers short, destroys open sockets. */
	close(): Promise<void>;
}

const PATHS: Record<string, Endpoint> = {
	'/Integra/resources/api/DispositionCall': 'DispositionCall',
	'/Integra/resources/auth/getUserToken': 'getUserToken',
	'/Integra/resources/auth/EndSession': 'EndSession',
};

const LOGIN_SHAPES: readonly LoginShape[] = ['list', 'string', 'bare', '404'];
const MAX_BODY = 1024 * 1024;
const JSON_TYPE = 'application/json';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/** A uContact-style token: base64 of `<user>:<uuid>`. */
export function makeToken(user: string): string {
	return Buffer.from(`${user}:${randomUUID()}`, 'utf8').toString('base64');
}

function firstValues(form: Array<[string, string]>): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const [key, value] of form) {
		if (!Object.prototype.hasOwnProperty.call(fields, key)) fields[key] = value;
	}
	return fields;
}

/** Start a simulator on 127.0.0.1. */
export function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const users = { ...(options.users || { api: 'secret-pass' }) };
	const defaultUser = Object.keys(users)[0] || 'api';
	const initialTokens =
		options.tokens && options.tokens.length > 0 ? [...options.tokens] : [makeToken(defaultUser)];
	const campaigns = options.campaigns ? new Set(options.campaigns) : null;
	const apiTokens = new Set(options.apiTokens ?? []);
	const latencyMs = options.latencyMs || 0;
	const onRequest = typeof options.onRequest === 'function' ? options.onRequest : null;

	const valid = new Set(initialTokens);
	const expired = new Set<string>();
	const requests: Recorded[] = [];
	const dispositions: Recorded[] = [];
	let standing: Behaviour = NORMAL;
	let queued: Behaviour[] = [];
	let loginShape: LoginShape = 'list';
	let loginStanding: LoginBehaviour = NORMAL_LOGIN;
	let loginQueued: LoginBehaviour[] = [];
	let toIssue: string[] = [];
	let closed = false;
	// Bumped by reset(): a slow request from before a reset must not record into the next test.
	let generation = 0;

	const sockets = new Set<Socket>();
	/** Pending waits: timer -> resolve, so close() can cut them short. */
	const waits = new Map<NodeJS.Timeout, () => void>();

	function wait(ms: number): Promise<void> {
		if (!(ms > 0) || closed) return Promise.resolve();
		return new Promise<void>((resolve) => {
			const timer = setTimeout(() => {
				waits.delete(timer);
				resolve();
			}, ms);
			waits.set(timer, resolve);
		});
	}

	function finish(record: Recorded): void {
		if (onRequest) {
			try {
				onRequest(record);
			} catch {
				// A logging hook must not break the simulator.
			}
		}
	}

	function send(
		res: http.ServerResponse,
		record: Recorded,
		status: number,
		body: string,
		contentType: string,
		headers: Record<string, string> = {},
	): void {
		record.status = status;
		record.answer = body;
		if (!closed && !res.destroyed && !res.headersSent) {
			res.writeHead(status, {
				'content-type': contentType,
				'content-length': Buffer.byteLength(body),
				...headers,
			});
			res.end(body);
		}
		finish(record);
	}

	function sendProblems(res: http.ServerResponse, record: Recorded): void {
		const body =
			`Bad Request: the uContact simulator found ${record.problems.length} problem(s):\n` +
			record.problems.map((p) => `- ${p}`).join('\n') +
			'\n';
		send(res, record, 400, body, TEXT_TYPE);
	}

	function checkAuth(header: string | undefined, problems: string[]): AuthOutcome {
		if (header === undefined || header === '') {
			problems.push('missing Authorization header (expected "Basic <token>")');
			return 'missing';
		}
		const m = /^(\S+) (.*)$/s.exec(header);
		if (m && m[1].toLowerCase() === 'bearer') {
			if (apiTokens.has(m[2])) return 'ok';
			// A getUserToken token sent as Bearer is a scheme mix-up, named as such below.
			if (apiTokens.size > 0 && !valid.has(m[2]) && !expired.has(m[2])) {
				problems.push('Bearer token is not a portal API token');
				return 'unknown';
			}
		}
		if (!m || m[1].toLowerCase() !== 'basic') {
			const scheme = m ? m[1] : header.split(/\s/)[0];
			problems.push(`Authorization scheme is "${scheme}" (expected "Basic <token>")`);
			return 'malformed';
		}
		const token = m[2];
		if (token === '' || /\s/.test(token)) {
			problems.push('Authorization token is empty or contains whitespace');
			return 'malformed';
		}
		if (valid.has(token)) return 'ok';
		if (expired.has(token)) return 'expired';
		if (apiTokens.has(token)) {
			problems.push('a portal API token was sent as Basic (expected "Bearer <token>")');
			return 'malformed';
		}
		let decoded = '';
		try {
			decoded = Buffer.from(token, 'base64').toString('utf8');
		} catch {
			decoded = '';
		}
		if (valid.has(decoded) || expired.has(decoded)) {
			problems.push('Authorization token was base64-encoded again: send the token as given');
		} else {
			const colon = decoded.indexOf(':');
			const user = decoded.slice(0, colon);
			if (
				colon > 0 &&
				Object.prototype.hasOwnProperty.call(users, user) &&
				users[user] === decoded.slice(colon + 1)
			) {
				problems.push(
					'Authorization carries base64(user:password): it must carry a token from getUserToken',
				);
			}
		}
		return 'unknown';
	}

	/** Shared checks for form endpoints: content type, strict parse, keys. */
	function checkForm(
		req: http.IncomingMessage,
		record: Recorded,
		keys: readonly string[],
		ordered: boolean,
	): void {
		record.problems.push(...checkFormContentType(req.headers['content-type']));
		const parsed = parseForm(record.rawBody);
		record.form = parsed.form;
		record.fields = firstValues(parsed.form);
		record.problems.push(...parsed.problems);
		record.problems.push(...checkKeys(parsed.form, keys, ordered));
	}

	/** The body of an echo page for this request. */
	function echoPage(req: http.IncomingMessage, record: Recorded, echo: Echo): string {
		const encoding = echo.encoding ?? 'raw';
		const token = String(req.headers.authorization ?? '').replace(/^\S+ /, '');
		let echoed: string;
		// Where the secret starts in `echoed`.
		let secretAt = 0;
		if (echo.of === 'body') {
			echoed = record.rawBody;
			const password = /(?:^|&)password=/.exec(echoed);
			secretAt = password ? password.index + password[0].length : 0;
		} else if (echo.of === 'headers') {
			echoed = JSON.stringify(req.headers);
			const quoted = JSON.stringify(token).slice(1, -1);
			secretAt = token === '' ? 0 : Math.max(0, echoed.indexOf(quoted));
		} else {
			const value = echo.of === 'token' ? token : (record.fields[echo.field ?? ''] ?? '');
			echoed = echoEncode(value, encoding, record.fields.user ?? '');
		}
		const before = echo.before ?? '';
		const filler =
			echo.placeAt === undefined ? 0 : Math.max(0, echo.placeAt - before.length - secretAt);
		return `${before}${'x'.repeat(filler)}${echoed}${echo.after ?? ''}`;
	}

	function sendEcho(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		record: Recorded,
		echo: Echo,
	): void {
		send(
			res,
			record,
			echo.status ?? 200,
			echoPage(req, record, echo),
			echo.contentType ?? 'text/html; charset=utf-8',
			echo.headers,
		);
	}

	async function handleDisposition(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		record: Recorded,
		behaviour: Behaviour,
	): Promise<void> {
		let b = behaviour;
		await wait(latencyMs);
		while (b.kind === 'slow') {
			await wait(b.ms);
			b = b.then || NORMAL;
		}
		if (closed) return;

		if (req.method !== 'POST') {
			record.problems.push(`method ${req.method} is not allowed (use POST)`);
			send(res, record, 405, 'Method Not Allowed', TEXT_TYPE, { allow: 'POST' });
			return;
		}
		checkForm(req, record, DISPOSITION_KEYS, true);
		record.problems.push(...checkSchedule(record.fields.schedule));
		record.auth = checkAuth(req.headers.authorization, record.problems);

		const fine = record.auth === 'ok' && record.problems.length === 0;
		if (b.kind === 'truncated') {
			// Promises a longer body than it sends, then drops the connection mid-answer.
			if (fine && b.record && record.generation === generation) dispositions.push(record);
			record.status = 200;
			record.answer = null;
			res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': '64' });
			res.write('"O');
			setImmediate(() => res.socket?.destroy());
			finish(record);
			return;
		}
		if (b.kind === 'close') {
			if (fine && b.record && record.generation === generation) dispositions.push(record);
			record.status = null;
			record.answer = null;
			res.socket?.destroy();
			finish(record);
			return;
		}
		if (record.auth !== 'ok') {
			send(res, record, 401, 'Unauthorized', TEXT_TYPE, {
				'www-authenticate': 'Basic realm="uContact"',
			});
			return;
		}
		if (record.problems.length > 0) {
			sendProblems(res, record);
			return;
		}
		if (sendCanned(req, res, record, b)) return;

		const bare = b.kind === 'bare' || ('bodyStyle' in b && b.bodyStyle === 'bare');
		const f = record.fields;
		const accepted =
			b.kind !== 'reject' &&
			REQUIRED_DISPOSITION_KEYS.every((key) => f[key] !== '') &&
			(campaigns === null || campaigns.has(f.campaign));
		const word = accepted ? 'OK' : '0';
		if (accepted && record.generation === generation) dispositions.push(record);
		const headers = 'headers' in b ? b.headers : undefined;
		send(res, record, 200, bare ? word : `"${word}"`, bare ? TEXT_TYPE : JSON_TYPE, headers);
	}

	/** The answers DispositionCall and getUserToken give alike: a status, any body, an echo. */
	function sendCanned(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		record: Recorded,
		b: Behaviour | LoginBehaviour,
	): boolean {
		if (b.kind === 'status') {
			const body = b.body !== undefined ? b.body : http.STATUS_CODES[b.status] || '';
			send(res, record, b.status, body, b.contentType || TEXT_TYPE, b.headers);
		} else if (b.kind === 'body') {
			send(res, record, b.status || 200, b.body, b.contentType || TEXT_TYPE, b.headers);
		} else if (b.kind === 'echo') {
			sendEcho(req, res, record, b);
		} else return false;
		return true;
	}

	async function handleLogin(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		record: Recorded,
		behaviour: LoginBehaviour,
	): Promise<void> {
		let b = behaviour;
		await wait(latencyMs);
		while (b.kind === 'slow') {
			await wait(b.ms);
			b = b.then || NORMAL_LOGIN;
		}
		if (closed) return;
		if (b.kind === 'close') {
			record.status = null;
			record.answer = null;
			res.socket?.destroy();
			finish(record);
			return;
		}
		if (b.kind === 'status' || b.kind === 'body' || b.kind === 'echo') {
			// Read the form anyway, so the record (and an echo) holds what was posted.
			const parsed = parseForm(record.rawBody);
			record.form = parsed.form;
			record.fields = firstValues(parsed.form);
		}
		if (sendCanned(req, res, record, b)) return;
		if (loginShape === '404') {
			send(res, record, 404, 'Not Found', TEXT_TYPE);
			return;
		}
		if (req.method !== 'POST') {
			record.problems.push(`method ${req.method} is not allowed (use POST)`);
			send(res, record, 405, 'Method Not Allowed', TEXT_TYPE, { allow: 'POST' });
			return;
		}
		checkForm(req, record, ['user', 'password'], false);
		if (record.problems.length > 0) {
			sendProblems(res, record);
			return;
		}
		const { user, password } = record.fields;
		const good =
			b.kind !== 'refuse' &&
			user !== '' &&
			Object.prototype.hasOwnProperty.call(users, user) &&
			users[user] === password;
		const bareShape = loginShape === 'bare';
		if (!good) {
			send(res, record, 200, '0', bareShape ? TEXT_TYPE : JSON_TYPE);
			return;
		}
		const token = toIssue.shift() ?? makeToken(user);
		valid.add(token);
		record.issuedToken = token;
		if (loginShape === 'list') send(res, record, 200, JSON.stringify([user, token]), JSON_TYPE);
		else if (loginShape === 'string') send(res, record, 200, JSON.stringify(token), JSON_TYPE);
		else send(res, record, 200, token, TEXT_TYPE);
	}

	async function handleEndSession(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		record: Recorded,
	): Promise<void> {
		await wait(latencyMs);
		if (closed) return;
		if (req.method !== 'POST') {
			record.problems.push(`method ${req.method} is not allowed (use POST)`);
			send(res, record, 405, 'Method Not Allowed', TEXT_TYPE, { allow: 'POST' });
			return;
		}
		checkForm(req, record, ['user', 'token'], false);
		if (record.problems.length > 0) {
			sendProblems(res, record);
			return;
		}
		const { token } = record.fields;
		if (valid.delete(token)) expired.add(token);
		send(res, record, 200, '"OK"', JSON_TYPE);
	}

	function dispatch(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		raw: Buffer,
		tooLarge: boolean,
	): Promise<void> {
		const url = new URL(req.url || '/', 'http://127.0.0.1');
		const endpoint = PATHS[url.pathname] || 'unknown';
		const record: Recorded = {
			endpoint,
			method: req.method ?? '',
			path: req.url ?? '',
			headers: { ...req.headers },
			rawBody: raw.toString('utf8'),
			form: [],
			fields: {},
			problems: [],
			status: null,
			answer: null,
			generation,
			at: Date.now(),
		};
		requests.push(record);
		if (tooLarge) record.problems.push(`body larger than ${MAX_BODY} bytes (truncated)`);
		if (url.search !== '') {
			record.problems.push(`unexpected query string "${url.search}" (fields go in the body)`);
		}

		if (endpoint === 'unknown') {
			return wait(latencyMs).then(() => {
				if (!closed) send(res, record, 404, 'Not Found', TEXT_TYPE);
			});
		}
		if (endpoint === 'DispositionCall') {
			const behaviour = queued.shift() ?? standing;
			return handleDisposition(req, res, record, behaviour);
		}
		if (endpoint === 'getUserToken') {
			return handleLogin(req, res, record, loginQueued.shift() ?? loginStanding);
		}
		return handleEndSession(req, res, record);
	}

	const server = http.createServer((req, res) => {
		const target = PATHS[new URL(req.url || '/', 'http://127.0.0.1').pathname];
		const upcoming = queued.length > 0 ? queued[0] : standing;
		const upcomingLogin = loginQueued.length > 0 ? loginQueued[0] : loginStanding;
		if (
			(target === 'DispositionCall' && upcoming.kind === 'reset') ||
			(target === 'getUserToken' && upcomingLogin.kind === 'reset')
		) {
			// Drops the connection before reading the request: certainly nothing was recorded.
			if (target === 'DispositionCall' && queued.length > 0) queued.shift();
			if (target === 'getUserToken' && loginQueued.length > 0) loginQueued.shift();
			const record: Recorded = {
				endpoint: target,
				method: req.method ?? '',
				path: req.url ?? '',
				headers: { ...req.headers },
				rawBody: '',
				form: [],
				fields: {},
				problems: [],
				status: null,
				answer: null,
				generation,
				at: Date.now(),
			};
			requests.push(record);
			req.socket.destroy();
			finish(record);
			return;
		}
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_BODY) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('error', () => {});
		req.on('end', () => {
			Promise.resolve()
				.then(() => dispatch(req, res, Buffer.concat(chunks), tooLarge))
				.catch((error) => {
					if (!res.headersSent && !res.destroyed) {
						res.writeHead(500, { 'content-type': TEXT_TYPE });
						res.end(`uContact simulator internal error: ${error && error.message}`);
					}
				});
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => {});
	});
	server.on('clientError', (_error, socket) => socket.destroy());

	return new Promise<Simulator>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port || 0, '127.0.0.1', () => {
			server.off('error', reject);
			const { port } = server.address() as AddressInfo;
			const simulator: Simulator = {
				url: `http://127.0.0.1:${port}`,
				port,
				token: initialTokens[0],
				requests,
				dispositions,
				setBehaviour(b) {
					standing = validateBehaviour(b);
				},
				queue(...bs) {
					bs.forEach(validateBehaviour);
					queued.push(...bs);
				},
				expireToken(token) {
					valid.delete(token);
					expired.add(token);
				},
				loginShape(shape) {
					if (!LOGIN_SHAPES.includes(shape)) {
						throw new TypeError(
							`uContact simulator: login shape must be one of ${LOGIN_SHAPES.join(', ')}`,
						);
					}
					loginShape = shape;
				},
				setLoginBehaviour(b) {
					loginStanding = validateLoginBehaviour(b);
				},
				queueLogin(...bs) {
					bs.forEach(validateLoginBehaviour);
					loginQueued.push(...bs);
				},
				queuedLogins() {
					return loginQueued.length;
				},
				issueTokens(...tokens) {
					toIssue.push(...tokens);
				},
				addToken(token) {
					expired.delete(token);
					valid.add(token);
				},
				setUser(user, password) {
					users[user] = password;
				},
				activeTokens() {
					return [...valid];
				},
				reset() {
					generation++;
					requests.length = 0;
					dispositions.length = 0;
					standing = NORMAL;
					queued = [];
					loginShape = 'list';
					loginStanding = NORMAL_LOGIN;
					loginQueued = [];
					toIssue = [];
					for (const token of initialTokens) {
						expired.delete(token);
						valid.add(token);
					}
				},
				close() {
					if (closed) return Promise.resolve();
					closed = true;
					for (const [timer, done] of waits) {
						clearTimeout(timer);
						done();
					}
					waits.clear();
					return new Promise<void>((done) => {
						server.close(() => done());
						server.closeAllConnections();
						for (const socket of sockets) socket.destroy();
					});
				},
			};
			resolve(simulator);
		});
	});
}
