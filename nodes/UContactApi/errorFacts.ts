/**
 * What a failed request or login was, decided once where it is caught: the safe facts (status,
 * network code, answer, a few headers) and the one classification that the retry decision, the
 * stop of a run and the wording all read. n8n's raw HTTP errors carry the request, Authorization
 * header included, so nothing else of them is kept.
 */

export interface FailureFacts {
	status?: number;
	code?: string;
	body?: unknown;
	location?: string;
	retryAfter?: string;
	/**
	 * What the failure shows of the port's protocol: it speaks TLS (a plain HTTP request got a
	 * TLS record, or the server's page saying so), or it closed the connection before the TLS
	 * handshake was done (so the request was never written).
	 */
	tls?: 'port-speaks-tls' | 'handshake-cut';
	/**
	 * A success answer that was not read to its end: longer than the cap ('size'), or still
	 * arriving when the Timeout passed ('time'). `body` then holds what was read.
	 */
	cut?: AnswerLimit;
}

/**
 * - not-recorded: certainly nothing recorded, and trying again may work (429, 503, a refused
 *   connection, a DNS hiccup, a login that failed in passing): the only kind retried.
 * - maybe-recorded: uContact may have recorded it (a timeout, a dropped connection, a 5xx other
 *   than 503, an answer cut off): never sent again on its own.
 * - rejected: this request was not accepted (another 4xx); later items may still go through.
 * - refused: the credentials were refused; every later request would be too.
 * - configuration: the address, certificate or server is wrong; every later request would fail.
 * - bug: an error in this package's own code.
 */
export type FailureKind =
	| 'not-recorded'
	| 'maybe-recorded'
	| 'rejected'
	| 'refused'
	| 'configuration'
	| 'bug';

/** Where the failure happened: the request itself, or the getUserToken login before it. */
type FailureStep = 'request' | 'login';

export interface Failure extends FailureFacts {
	kind: FailureKind;
	step: FailureStep;
	/** For failures this package raised itself (a login answer, an address): its words. */
	ownMessage?: string;
	/** For a bug: what broke, for the report. */
	detail?: string;
}

// Symbol.for: the brand survives however n8n loads the credential and the node.
const OWN = Symbol.for('n8n-nodes-ucontact.failure');

/** An error this package raised on purpose, carrying its classification. */
export class UContactError extends Error {
	readonly [OWN]: Failure;

	constructor(message: string, failure: Omit<Failure, 'ownMessage'>) {
		super(message);
		this.name = 'UContactError';
		this[OWN] = { ...failure, ownMessage: message };
	}
}

function ownFailure(error: unknown): Failure | undefined {
	return typeof error === 'object' && error !== null && OWN in error
		? (error as { [OWN]: Failure })[OWN]
		: undefined;
}

type AnswerLimit = 'size' | 'time';

const LIMIT = Symbol.for('n8n-nodes-ucontact.answer-limit');

/**
 * This package stopped waiting for an answer (the Timeout passed) or reading it (it outgrew the
 * cap). `answer`: the success status and what was read, when the answer had begun.
 */
export class AnswerLimitError extends Error {
	readonly [LIMIT]: { limit: AnswerLimit; answer?: { status: number; body: string } };

	constructor(limit: AnswerLimit, answer?: { status: number; body: string }) {
		super(
			limit === 'time'
				? 'The Timeout passed before the answer was complete'
				: 'The answer was longer than the cap',
		);
		this.name = 'AnswerLimitError';
		this[LIMIT] = { limit, answer };
	}
}

function answerLimit(error: unknown): AnswerLimitError[typeof LIMIT] | undefined {
	return typeof error === 'object' && error !== null && LIMIT in error
		? (error as AnswerLimitError)[LIMIT]
		: undefined;
}

type Loose = Record<string, unknown> & {
	cause?: unknown;
	response?: {
		status?: unknown;
		statusCode?: unknown;
		data?: unknown;
		headers?: Record<string, unknown>;
	};
};

// The pages nginx and Apache httpd answer a plain HTTP request on their HTTPS port with.
const PLAIN_ON_TLS_PORT =
	/plain HTTP request was sent to HTTPS port|speaking plain HTTP to an SSL-enabled server port/i;
// Node's words for a server that closed the connection before the TLS handshake was done. n8n
// 1.x keeps them only in its NodeApiError's `messages`.
const HANDSHAKE_CUT = /before secure TLS connection was established/i;

/** What one error of the chain shows of the port's protocol (FailureFacts.tls). */
function tlsSign(err: Loose): FailureFacts['tls'] {
	// Node's HTTP parser keeps the bytes it could not read: a TLS record (alert or handshake,
	// version 3.x) where "HTTP/1.1" should be is a TLS port answering a plain request.
	const packet = err.rawPacket;
	if (
		packet instanceof Uint8Array &&
		(packet[0] === 0x15 || packet[0] === 0x16) &&
		packet[1] === 0x03
	)
		return 'port-speaks-tls';
	const data = err.response?.data;
	if (typeof data === 'string' && PLAIN_ON_TLS_PORT.test(data.slice(0, 4096)))
		return 'port-speaks-tls';
	const said = [err.message, ...(Array.isArray(err.messages) ? err.messages : [])];
	if (said.some((text) => typeof text === 'string' && HANDSHAKE_CUT.test(text)))
		return 'handshake-cut';
	return undefined;
}

/**
 * The facts of a failed request. n8n wraps the HTTP client's error (and its credential test's
 * helper wraps certificate errors) in errors of its own: this walks down the causes.
 */
function failureFacts(error: unknown): FailureFacts & { own?: Failure } {
	const facts: FailureFacts & { own?: Failure } = {};
	let current: unknown = error;
	for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
		const err = current as Loose;
		facts.own ??= ownFailure(err);
		const stopped = answerLimit(err);
		if (stopped !== undefined && facts.status === undefined && facts.cut === undefined) {
			// Our own timeout: reported with the code a client's timeout has, so it reads as one.
			if (stopped.limit === 'time') facts.code ??= 'ETIMEDOUT';
			if (stopped.answer !== undefined) {
				facts.cut = stopped.limit;
				facts.body = stopped.answer.body;
			}
		}
		const status = Number(err.response?.status ?? err.response?.statusCode);
		if (facts.status === undefined && Number.isInteger(status) && status >= 100) {
			facts.status = status;
			facts.body = err.response?.data;
			const { location, 'retry-after': retryAfter } = err.response?.headers ?? {};
			if (typeof location === 'string') facts.location = location;
			if (typeof retryAfter === 'string') facts.retryAfter = retryAfter;
		}
		facts.code ??= networkCode(err.code);
		facts.tls ??= tlsSign(err);
		current = err.cause;
	}
	if (facts.status === undefined && typeof error === 'object' && error !== null) {
		const httpCode = Number((error as Loose).httpCode);
		if (Number.isInteger(httpCode) && httpCode >= 100) facts.status = httpCode;
		// n8n 1.x's NodeApiError keeps no cause: the client's code survives only as its httpCode.
		else facts.code ??= networkCode((error as Loose).httpCode);
	}
	return facts;
}

/** A network error code ("ECONNRESET", "DEPTH_ZERO_SELF_SIGNED_CERT"), not an HTTP status. */
function networkCode(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' && !/^\d+$/.test(value) ? value : undefined;
}

export const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);
export const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_BAD_RESPONSE', 'ECONNCLOSED']);
/** Failures before anything reached the server, that may pass. */
const UNREACHED_CODES = new Set([
	'ECONNREFUSED',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EADDRNOTAVAIL',
]);
export const CERT_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);
// What a TLS client meets when the port speaks something else, e.g. "wrong version number".
export const PROTOCOL_CODES = new Set(['EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER']);

function networkKind(code: string | undefined, step: FailureStep): FailureKind {
	if (code === undefined) return step === 'login' ? 'not-recorded' : 'maybe-recorded';
	if (UNREACHED_CODES.has(code)) return 'not-recorded';
	if (code === 'ENOTFOUND' || CERT_CODES.has(code) || PROTOCOL_CODES.has(code))
		return 'configuration';
	// A login records nothing, so whatever broke it, trying again is safe.
	if (step === 'login') return 'not-recorded';
	return 'maybe-recorded';
}

/** What a status means, for DispositionCall or getUserToken. */
function statusKind(status: number, step: FailureStep): FailureKind {
	if (status === 401 || status === 403) return 'refused';
	if (status === 404 || (status >= 300 && status < 400)) return 'configuration';
	if (status === 429 || status === 503) return 'not-recorded';
	if (step === 'login')
		return status >= 500 || (status >= 200 && status < 300) ? 'not-recorded' : 'configuration';
	if (status >= 500 || (status >= 200 && status < 300)) return 'maybe-recorded';
	return 'rejected';
}

/**
 * A success answer longer than the cap: not one uContact documents, so a disposition may have
 * been recorded; a login answer that long holds no token, an address problem like any other.
 */
function cutKind(step: FailureStep): FailureKind {
	return step === 'login' ? 'configuration' : 'maybe-recorded';
}

/** Classifies a failed request (or the login n8n ran before it). */
export function classify(error: unknown, step: FailureStep = 'request'): Failure {
	const { own, ...facts } = failureFacts(error);
	if (own !== undefined) return own;
	// The wrong scheme for the port: nothing was recorded, and every later request would meet it.
	const kind =
		facts.tls !== undefined
			? 'configuration'
			: facts.status !== undefined
				? statusKind(facts.status, step)
				: facts.cut === 'size'
					? cutKind(step)
					: networkKind(facts.code, step);
	return { ...facts, kind, step };
}

/** An unexpected error in this package's own code: named as such, never as a send failure. */
export function bugFailure(error: unknown): Failure {
	const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
	return { kind: 'bug', step: 'request', detail };
}

/** Failures that every later request of the run would meet too. */
export function stopsTheRun(kind: FailureKind): boolean {
	return kind === 'refused' || kind === 'configuration' || kind === 'bug';
}
