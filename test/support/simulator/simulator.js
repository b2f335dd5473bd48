'use strict';
/**
 * A strict local stand-in for the uContact legacy REST API, for tests, the demo and the
 * benchmark. It serves DispositionCall, getUserToken and EndSession under
 * /Integra/resources/..., records every request, and flags every deviation from the wire
 * contract (see /work/shared/ucontact-api.md) with a 400 listing the problems.
 *
 * Node builtins only; CommonJS so jest and `node` load it without a build step.
 */

const http = require('node:http');
const { randomUUID } = require('node:crypto');
const {
	DISPOSITION_KEYS,
	REQUIRED_DISPOSITION_KEYS,
	checkFormContentType,
	parseForm,
	checkKeys,
	checkSchedule,
} = require('./form');
const { NORMAL, validateBehaviour } = require('./behaviours');

const PATHS = {
	'/Integra/resources/api/DispositionCall': 'DispositionCall',
	'/Integra/resources/auth/getUserToken': 'getUserToken',
	'/Integra/resources/auth/EndSession': 'EndSession',
};

const LOGIN_SHAPES = ['list', 'string', 'bare', '404'];
const MAX_BODY = 1024 * 1024;
const JSON_TYPE = 'application/json';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/** A uContact-style token: base64 of `<user>:<uuid>`. */
function makeToken(user) {
	return Buffer.from(`${user}:${randomUUID()}`, 'utf8').toString('base64');
}

function firstValues(form) {
	const fields = {};
	for (const [key, value] of form) {
		if (!Object.prototype.hasOwnProperty.call(fields, key)) fields[key] = value;
	}
	return fields;
}

/**
 * Start a simulator on 127.0.0.1.
 * @param {import('./simulator').SimulatorOptions} [options]
 * @returns {Promise<import('./simulator').Simulator>}
 */
function startSimulator(options = {}) {
	const users = { ...(options.users || { api: 'secret-pass' }) };
	const defaultUser = Object.keys(users)[0] || 'api';
	const initialTokens =
		options.tokens && options.tokens.length > 0 ? [...options.tokens] : [makeToken(defaultUser)];
	const campaigns = options.campaigns ? new Set(options.campaigns) : null;
	const latencyMs = options.latencyMs || 0;
	const onRequest = typeof options.onRequest === 'function' ? options.onRequest : null;

	const valid = new Set(initialTokens);
	const expired = new Set();
	const requests = [];
	const dispositions = [];
	let standing = NORMAL;
	let queued = [];
	let loginShape = 'list';
	let closed = false;
	// Bumped by reset(): a slow request from before a reset must not record into the next test.
	let generation = 0;

	const sockets = new Set();
	/** Pending waits: timer -> resolve, so close() can cut them short. */
	const waits = new Map();

	function wait(ms) {
		if (!(ms > 0) || closed) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				waits.delete(timer);
				resolve();
			}, ms);
			waits.set(timer, resolve);
		});
	}

	function finish(record) {
		if (onRequest) {
			try {
				onRequest(record);
			} catch {
				// A logging hook must not break the simulator.
			}
		}
	}

	function send(res, record, status, body, contentType, headers = {}) {
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

	function sendProblems(res, record) {
		const body =
			`Bad Request: the uContact simulator found ${record.problems.length} problem(s):\n` +
			record.problems.map((p) => `- ${p}`).join('\n') +
			'\n';
		send(res, record, 400, body, TEXT_TYPE);
	}

	/** Checks Authorization; returns 'ok' | 'missing' | 'malformed' | 'unknown' | 'expired'. */
	function checkAuth(header, problems) {
		if (header === undefined || header === '') {
			problems.push('missing Authorization header (expected "Basic <token>")');
			return 'missing';
		}
		const m = /^(\S+) (.*)$/s.exec(header);
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
	function checkForm(req, record, keys, ordered) {
		record.problems.push(...checkFormContentType(req.headers['content-type']));
		const parsed = parseForm(record.rawBody);
		record.form = parsed.form;
		record.fields = firstValues(parsed.form);
		record.problems.push(...parsed.problems);
		record.problems.push(...checkKeys(parsed.form, keys, ordered));
	}

	async function handleDisposition(req, res, record, behaviour) {
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
		if (b.kind === 'status') {
			send(
				res,
				record,
				b.status,
				b.body !== undefined ? b.body : http.STATUS_CODES[b.status] || '',
				b.contentType || TEXT_TYPE,
				b.headers,
			);
			return;
		}
		if (b.kind === 'body') {
			send(res, record, b.status || 200, b.body, b.contentType || TEXT_TYPE, b.headers);
			return;
		}

		const bare = b.kind === 'bare' || b.bodyStyle === 'bare';
		const f = record.fields;
		const accepted =
			b.kind !== 'reject' &&
			REQUIRED_DISPOSITION_KEYS.every((key) => f[key] !== '') &&
			(campaigns === null || campaigns.has(f.campaign));
		const word = accepted ? 'OK' : '0';
		if (accepted && record.generation === generation) dispositions.push(record);
		send(res, record, 200, bare ? word : `"${word}"`, bare ? TEXT_TYPE : JSON_TYPE, b.headers);
	}

	async function handleLogin(req, res, record) {
		await wait(latencyMs);
		if (closed) return;
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
			user !== '' && Object.prototype.hasOwnProperty.call(users, user) && users[user] === password;
		const bareShape = loginShape === 'bare';
		if (!good) {
			send(res, record, 200, '0', bareShape ? TEXT_TYPE : JSON_TYPE);
			return;
		}
		const token = makeToken(user);
		valid.add(token);
		record.issuedToken = token;
		if (loginShape === 'list') send(res, record, 200, JSON.stringify([user, token]), JSON_TYPE);
		else if (loginShape === 'string') send(res, record, 200, JSON.stringify(token), JSON_TYPE);
		else send(res, record, 200, token, TEXT_TYPE);
	}

	async function handleEndSession(req, res, record) {
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

	function dispatch(req, res, raw, tooLarge) {
		const url = new URL(req.url || '/', 'http://127.0.0.1');
		const endpoint = PATHS[url.pathname] || 'unknown';
		const record = {
			endpoint,
			method: req.method,
			path: req.url,
			headers: { ...req.headers },
			rawBody: raw.toString('utf8'),
			form: [],
			fields: {},
			problems: [],
			status: null,
			answer: null,
			generation,
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
			const behaviour = queued.length > 0 ? queued.shift() : standing;
			return handleDisposition(req, res, record, behaviour);
		}
		if (endpoint === 'getUserToken') return handleLogin(req, res, record);
		return handleEndSession(req, res, record);
	}

	const server = http.createServer((req, res) => {
		const upcoming = queued.length > 0 ? queued[0] : standing;
		if (PATHS[new URL(req.url || '/', 'http://127.0.0.1').pathname] === 'DispositionCall' && upcoming.kind === 'reset') {
			// Drops the connection before reading the request: certainly nothing was recorded.
			if (queued.length > 0) queued.shift();
			const record = { endpoint: 'DispositionCall', method: req.method, path: req.url, headers: { ...req.headers },
				rawBody: '', form: [], fields: {}, problems: [], status: null, answer: null };
			requests.push(record);
			req.socket.destroy();
			finish(record);
			return;
		}
		const chunks = [];
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

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port || 0, '127.0.0.1', () => {
			server.off('error', reject);
			const { port } = server.address();
			const simulator = {
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
					return new Promise((done) => {
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

module.exports = { startSimulator, makeToken, DISPOSITION_KEYS };
