/**
 * Behaviours of the simulated DispositionCall endpoint: how it answers a request whose wire
 * format and token are fine. `validateBehaviour` throws on a malformed behaviour so a typo
 * in a test fails at the call site, not as a puzzling answer later.
 */

/** Style of "OK"/"0" answers: `"OK"` application/json (default) or bare `OK` text/plain. */
export type BodyStyle = 'quoted' | 'bare';

/**
 * How DispositionCall answers. Wire problems (405/400) and a bad token (401) always win over
 * 'status', 'body', 'normal', 'bare' and 'reject'; 'slow' delays everything; 'close' destroys
 * the socket whatever the request was.
 */
export type Behaviour =
	| { kind: 'normal'; bodyStyle?: BodyStyle; headers?: Record<string, string> }
	/** Answers OK / 0 without quotes, text/plain. */
	| { kind: 'bare'; headers?: Record<string, string> }
	/** Answers "0" even to a valid request (nothing is recorded in `dispositions`). */
	| { kind: 'reject'; bodyStyle?: BodyStyle; headers?: Record<string, string> }
	/** Answers this status; body defaults to the status text, content type to text/plain. */
	| {
			kind: 'status';
			status: number;
			body?: string;
			contentType?: string;
			headers?: Record<string, string>;
	  }
	/** Answers any body (an HTML page, `"ERROR"`, ...); status defaults to 200. */
	| {
			kind: 'body';
			body: string;
			status?: number;
			contentType?: string;
			headers?: Record<string, string>;
	  }
	/** Waits `ms`, then behaves as `then` (default normal). */
	| { kind: 'slow'; ms: number; then?: Behaviour }
	/**
	 * Destroys the socket after reading the request, no answer. With `record: true` a valid
	 * disposition is recorded first (the server did it, the answer was lost).
	 */
	| { kind: 'close'; record?: boolean }
	/** Drops the connection before reading the request (nothing can have been recorded). */
	| { kind: 'reset' }
	/** Starts a 200 answer, then drops the connection mid-body; `record: true` records it first. */
	| { kind: 'truncated'; record?: boolean }
	/** Answers a page that echoes part of the request (see Echo); nothing is recorded. */
	| Echo;

/**
 * How an echoing server writes back a value it received: as decoded (`raw`), percent-encoded
 * (`percent`, encodeURIComponent), form-encoded (`form`, + for space), as a JSON string with its
 * quotes (`json`), base64 of its UTF-8 bytes (`base64`), or base64 of `<user field>:<value>`
 * (`basic-user`, an Authorization: Basic header built from the login form).
 */
export type EchoEncoding = 'raw' | 'percent' | 'form' | 'json' | 'base64' | 'basic-user';

export const ECHO_ENCODINGS: readonly EchoEncoding[] = [
	'raw',
	'percent',
	'form',
	'json',
	'base64',
	'basic-user',
];

/**
 * A page that echoes the request, as misconfigured proxies and error pages do:
 * `before` + the echoed text + `after`, with this status (default 200) and content type
 * (default text/html). What is echoed (`of`):
 * - 'body': the body exactly as received (a form arrives form-encoded);
 * - 'field': the decoded value of form field `field`, written in `encoding`;
 * - 'token': what follows "Basic " in the Authorization header, written in `encoding`;
 * - 'headers': every request header as JSON (`{"authorization":"Basic ...",...}`).
 */
export interface Echo {
	kind: 'echo';
	of: 'body' | 'field' | 'token' | 'headers';
	field?: string;
	encoding?: EchoEncoding;
	status?: number;
	contentType?: string;
	before?: string;
	after?: string;
	/**
	 * Where in the body the echoed secret starts (the password for 'body' and 'field', the token
	 * for 'token' and 'headers'): 'x' filler goes after `before` to put it there, none when
	 * `before` already reaches past it. Puts a secret at a chosen offset around a cut.
	 */
	placeAt?: number;
	headers?: Record<string, string>;
}

/**
 * How getUserToken answers (one-shot with `queueLogin`, standing with `setLoginBehaviour`):
 * 'normal' checks the form and issues a token in the current login shape; 'refuse' answers "0"
 * even to the right password; 'status', 'body', 'slow', 'close', 'reset' and 'echo' are as for
 * DispositionCall ('status', 'body' and 'echo' answer without checking the user or issuing a
 * token; 'reset' drops the connection before reading the request).
 */
export type LoginBehaviour =
	| { kind: 'normal' }
	| { kind: 'refuse' }
	| Extract<Behaviour, { kind: 'status' | 'body' | 'close' | 'reset' }>
	| { kind: 'slow'; ms: number; then?: LoginBehaviour }
	| Echo;

export const LOGIN_KINDS: ReadonlyArray<LoginBehaviour['kind']> = [
	'normal',
	'refuse',
	'status',
	'body',
	'slow',
	'close',
	'reset',
	'echo',
];

export const KINDS: ReadonlyArray<Behaviour['kind']> = [
	'normal',
	'bare',
	'reject',
	'status',
	'body',
	'slow',
	'close',
	'reset',
	'truncated',
	'echo',
];
const BODY_STYLES: readonly BodyStyle[] = ['quoted', 'bare'];

/** Any of the optional fields a behaviour may carry, for checking values that came untyped. */
type LooseBehaviour = {
	kind?: unknown;
	bodyStyle?: unknown;
	status?: unknown;
	body?: unknown;
	ms?: unknown;
	then?: unknown;
	headers?: unknown;
	of?: unknown;
	field?: unknown;
	encoding?: unknown;
	before?: unknown;
	after?: unknown;
};

const ECHO_OF = ['body', 'field', 'token', 'headers'];

function validateEcho(b: LooseBehaviour): void {
	if (!ECHO_OF.includes(b.of as string)) fail(`of must be one of ${ECHO_OF.join(', ')}`, b);
	if (b.of === 'field' && (typeof b.field !== 'string' || b.field === '')) {
		fail('field must name a form field', b);
	}
	if (b.encoding !== undefined && !ECHO_ENCODINGS.includes(b.encoding as EchoEncoding)) {
		fail(`encoding must be one of ${ECHO_ENCODINGS.join(', ')}`, b);
	}
	if (b.status !== undefined && !isStatusCode(b.status))
		fail('status must be an HTTP status code', b);
	const placeAt = (b as { placeAt?: unknown }).placeAt;
	if (placeAt !== undefined && !(Number.isInteger(placeAt) && (placeAt as number) >= 0)) {
		fail('placeAt must be an integer >= 0', b);
	}
	for (const key of ['before', 'after', 'contentType'] as const) {
		const value = (b as Record<string, unknown>)[key];
		if (value !== undefined && typeof value !== 'string') fail(`${key} must be a string`, b);
	}
}

function fail(message: string, behaviour: unknown): never {
	throw new TypeError(`uContact simulator: ${message} in behaviour ${JSON.stringify(behaviour)}`);
}

const isStatusCode = (value: unknown): boolean =>
	Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599;

export function validateBehaviour(behaviour: Behaviour): Behaviour {
	const b = behaviour as unknown as LooseBehaviour | null;
	if (b === null || typeof b !== 'object') fail('a behaviour must be an object', b);
	if (!KINDS.includes(b.kind as Behaviour['kind'])) {
		fail(`unknown kind (expected one of ${KINDS.join(', ')})`, b);
	}
	if (b.bodyStyle !== undefined && !BODY_STYLES.includes(b.bodyStyle as BodyStyle)) {
		fail(`bodyStyle must be ${BODY_STYLES.join(' or ')}`, b);
	}
	switch (b.kind) {
		case 'status':
			if (!isStatusCode(b.status)) fail('status must be an HTTP status code', b);
			if (b.body !== undefined && typeof b.body !== 'string') fail('body must be a string', b);
			break;
		case 'body':
			if (typeof b.body !== 'string') fail('body must be a string', b);
			if (b.status !== undefined && !isStatusCode(b.status)) {
				fail('status must be an HTTP status code', b);
			}
			break;
		case 'slow':
			if (typeof b.ms !== 'number' || !(b.ms >= 0)) fail('ms must be a number >= 0', b);
			if (b.then !== undefined) validateBehaviour(b.then as Behaviour);
			break;
		case 'echo':
			validateEcho(b);
			break;
		default:
			break;
	}
	if (b.headers !== undefined && (b.headers === null || typeof b.headers !== 'object')) {
		fail('headers must be an object', b);
	}
	return behaviour;
}

export function validateLoginBehaviour(behaviour: LoginBehaviour): LoginBehaviour {
	const b = behaviour as unknown as LooseBehaviour | null;
	if (b === null || typeof b !== 'object') fail('a login behaviour must be an object', b);
	if (!LOGIN_KINDS.includes(b.kind as LoginBehaviour['kind'])) {
		fail(`unknown login kind (expected one of ${LOGIN_KINDS.join(', ')})`, b);
	}
	if (b.kind === 'slow') {
		if (typeof b.ms !== 'number' || !(b.ms >= 0)) fail('ms must be a number >= 0', b);
		if (b.then !== undefined) validateLoginBehaviour(b.then as LoginBehaviour);
		return behaviour;
	}
	if (b.kind === 'normal' || b.kind === 'refuse') return behaviour;
	validateBehaviour(behaviour as Behaviour);
	return behaviour;
}

/** Writes `value` as an echoing server would (see EchoEncoding); `user` for 'basic-user'. */
export function echoEncode(value: string, encoding: EchoEncoding, user = ''): string {
	switch (encoding) {
		case 'percent':
			return encodeURIComponent(value);
		case 'form':
			return new URLSearchParams([['', value]]).toString().slice(1);
		case 'json':
			return JSON.stringify(value);
		case 'base64':
			return Buffer.from(value, 'utf8').toString('base64');
		case 'basic-user':
			return Buffer.from(`${user}:${value}`, 'utf8').toString('base64');
		default:
			return value;
	}
}

export const NORMAL_LOGIN: LoginBehaviour = Object.freeze({ kind: 'normal' });

export const NORMAL: Behaviour = Object.freeze({ kind: 'normal' });
