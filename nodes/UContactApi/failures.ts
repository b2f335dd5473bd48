/**
 * Failures in words a uContact admin can act on. Built from the status, code and answer only:
 * n8n's raw HTTP errors carry the request, Authorization header included, so they never leave here.
 */
import type { Failure } from 'n8n-workflow';

import type { Disposition } from './api';

export interface FailureFacts {
	status?: number;
	code?: string;
	body?: unknown;
	location?: string;
	retryAfter?: string;
	/** The message of an error this package raised itself (login, server address). */
	ownMessage?: string;
}

const OWN_ERRORS = new Set(['UContactLoginError', 'ServerAddressError']);

type Loose = Record<string, unknown> & {
	cause?: unknown;
	response?: { status?: unknown; data?: unknown; headers?: Record<string, unknown> };
};

/**
 * The safe facts of a failed request: n8n wraps the HTTP client's error (which carries the
 * request, Authorization header included) in a NodeApiError; this walks down the causes and
 * keeps only status, network code, answer, a few headers and our own errors' messages.
 */
export function failureFacts(error: unknown): FailureFacts {
	const facts: FailureFacts = {};
	let current: unknown = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
		const err = current as Loose;
		if (
			typeof err.name === 'string' &&
			OWN_ERRORS.has(err.name) &&
			typeof err.message === 'string'
		) {
			facts.ownMessage = err.message;
		}
		if (facts.status === undefined && typeof err.response?.status === 'number') {
			facts.status = err.response.status;
			facts.body = err.response.data;
			const { location, 'retry-after': retryAfter } = err.response.headers ?? {};
			if (typeof location === 'string') facts.location = location;
			if (typeof retryAfter === 'string') facts.retryAfter = retryAfter;
		}
		if (facts.code === undefined && typeof err.code === 'string' && !/^\d+$/.test(err.code)) {
			facts.code = err.code;
		}
		current = err.cause;
	}
	if (facts.status === undefined && typeof error === 'object' && error !== null) {
		const httpCode = Number((error as Loose).httpCode);
		if (Number.isInteger(httpCode) && httpCode >= 100) facts.status = httpCode;
	}
	return facts;
}

export interface FailureReport {
	message: string;
	description?: string;
	httpCode?: string;
	failure?: Failure;
}

export const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);
export const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_BAD_RESPONSE', 'ECONNCLOSED']);
const CERT_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);
// What a TLS client meets when the port speaks something else, e.g. "wrong version number".
const PROTOCOL_CODES = new Set(['EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER']);

const MAX_QUOTED = 200;

const CODE_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection closed by the server',
	EPIPE: 'connection closed by the server',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'DNS lookup failed',
	ETIMEDOUT: 'timed out',
	ECONNABORTED: 'timed out',
	EHOSTUNREACH: 'host unreachable',
	EADDRNOTAVAIL: 'address not available',
};

/**
 * A network error code in words. n8n replaces any error message that contains a code such as
 * ECONNRESET with its own generic sentence, so codes go in descriptions, never in messages.
 */
export function codeInWords(code: string): string {
	return CODE_WORDS[code.toUpperCase()] ?? code.toLowerCase().replace(/^e/, '').replace(/_/g, ' ');
}

function codeNote(code: string): string {
	return ` Network error code: ${code}.`;
}

/** A server's answer, shortened for a message. */
export function quote(body: unknown): string {
	const text = (typeof body === 'string' ? body : (JSON.stringify(body) ?? ''))
		.replace(/\s+/g, ' ')
		.trim();
	return text.length > MAX_QUOTED
		? `${text.slice(0, MAX_QUOTED)}… (${text.length} characters)`
		: text;
}

/** Where a redirect pointed, origin and path only: its query may carry anything. */
function redirectTarget(location: string | undefined, baseUrl: string): string {
	if (location === undefined) return '';
	try {
		const url = new URL(location, baseUrl);
		return ` to ${url.origin}${url.pathname}`;
	} catch {
		return '';
	}
}

function redirectAdvice(secret: string): string {
	return (
		`Redirects are not followed, so the ${secret} is never sent to another address. If the address it ` +
		'redirected to is your uContact server, put that address (often https://, without /Integra/...) in the credential.'
	);
}

/** How a request relates to the credential, so a message can say what really happened. */
export interface RequestContext {
	/** User and Password mode; `again` when n8n logged in anew after this request was refused. */
	login?: { again: boolean };
	/** The credential test: nothing was being recorded, so no word about dispositions. */
	test?: boolean;
}

interface NetworkProblem {
	problem: string;
	advice: string;
	cause: NonNullable<Failure['cause']>;
}

/** Network failures that are the address's fault, in words; shared by requests and logins. */
function networkProblem(code: string | undefined, baseUrl: string): NetworkProblem | undefined {
	if (code === undefined) return undefined;
	if (code === 'ECONNREFUSED') {
		return {
			problem: `could not connect to uContact at ${baseUrl} (connection refused)`,
			advice: 'Check the base URL and port, and that the server is running and reachable from n8n.',
			cause: 'temporarily-unavailable',
		};
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return {
			problem: `the host of ${baseUrl} was not found (${codeInWords(code)})`,
			advice: 'Check the instance name or base URL in the uContact credential.',
			cause: 'configuration-invalid',
		};
	}
	if (CERT_CODES.has(code)) {
		return {
			problem: `the certificate of ${baseUrl} is not trusted`,
			advice:
				'For an on-premise server with a self-signed certificate, enable "Ignore SSL Issues" in the uContact credential.',
			cause: 'configuration-invalid',
		};
	}
	if (PROTOCOL_CODES.has(code) && baseUrl.startsWith('https://')) {
		return {
			problem: `the server at ${baseUrl} does not speak HTTPS on that port`,
			advice:
				'It answered with something other than TLS, most likely plain HTTP: use http:// in the base URL, or the port where the server offers HTTPS.',
			cause: 'configuration-invalid',
		};
	}
	return undefined;
}

function capitalized(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

function unauthorized(context: RequestContext): { message: string; description: string } {
	if (context.login === undefined) {
		return {
			message: 'uContact refused the credentials (HTTP 401): the token is wrong or has expired',
			description: 'Check the token in the uContact credential.',
		};
	}
	if (context.login.again) {
		return {
			message: 'uContact refused the session token even after n8n logged in again (HTTP 401)',
			description:
				'The user name and password were accepted, but the token uContact issued for them was refused: check that this user may use the API.',
		};
	}
	return {
		message: 'uContact refused the session token from the latest login (HTTP 401)',
		description: context.test
			? 'The user name and password were accepted, but the token uContact issued for them was refused: check that this user may use the API.'
			: 'n8n did not log in again, because that token came from a login only moments before. Check that this user may use the API, then run the workflow again.',
	};
}

/** What went wrong with a request that did not return a usable answer. */
export function describeRequestFailure(
	error: unknown,
	baseUrl: string,
	timeoutMs: number,
	context: RequestContext = {},
): FailureReport {
	const { status, code, body, location, ownMessage } = failureFacts(error);
	// The credential test records nothing, so it says nothing about dispositions.
	const outcome = (text: string) => (context.test ? '' : text);
	if (ownMessage !== undefined) {
		return { message: ownMessage, failure: { cause: 'configuration-invalid' } };
	}
	if (status !== undefined) {
		const httpCode = String(status);
		const answered = body === undefined || body === '' ? '' : ` It answered: ${quote(body)}`;
		if (status === 401) {
			return {
				...unauthorized(context),
				httpCode,
				failure: { cause: 'credential-invalid' },
			};
		}
		if (status === 403) {
			return {
				message: 'uContact denied access (HTTP 403): the user behind the token may not use the API',
				description: `Ask the uContact administrator to allow API access for this user.${answered}`,
				httpCode,
				failure: { cause: 'credential-invalid' },
			};
		}
		if (status === 404) {
			return {
				message: `No uContact DispositionCall endpoint at ${baseUrl} (HTTP 404)`,
				description: 'Check the instance name or base URL in the uContact credential.',
				httpCode,
				failure: { cause: 'configuration-invalid' },
			};
		}
		if (status >= 300 && status < 400) {
			return {
				message: `uContact at ${baseUrl} redirected the request${redirectTarget(location, baseUrl)} (HTTP ${status})`,
				description: redirectAdvice('token'),
				httpCode,
				failure: { cause: 'configuration-invalid' },
			};
		}
		if (status >= 200 && status < 300) {
			// A success status on a failed request: the answer broke off before it was complete.
			return {
				message: `uContact's answer broke off before it was complete (HTTP ${status})${outcome('; the disposition may or may not have been recorded')}`,
				description:
					`${outcome('Check in uContact before sending it again.')}${code ? codeNote(code) : ''}`.trim(),
				httpCode,
				failure: { cause: 'temporarily-unavailable' },
			};
		}
		if (status === 429 || status === 503) {
			return {
				message: `uContact is ${status === 429 ? 'limiting requests' : 'temporarily unavailable'} (HTTP ${status})${outcome('; the disposition was not recorded')}`,
				description: `Try again later, or send fewer items at once.${answered}`,
				httpCode,
				failure: { cause: status === 429 ? 'rate-limited' : 'temporarily-unavailable' },
			};
		}
		if (status >= 500) {
			return {
				message: `uContact had a server error (HTTP ${status})${outcome('; the disposition may or may not have been recorded')}`,
				description: `${outcome('Check in uContact before sending it again.')}${answered}`.trim(),
				httpCode,
				failure: { cause: 'temporarily-unavailable' },
			};
		}
		return {
			message: `uContact did not accept the request (HTTP ${status})`,
			description: answered.trim() || undefined,
			httpCode,
		};
	}
	const network = networkProblem(code, baseUrl);
	if (network !== undefined) {
		return {
			message: `${capitalized(network.problem)}${outcome('; the disposition was not sent')}`,
			description: `${network.advice}${codeNote(code ?? '')}`,
			failure: { cause: network.cause },
		};
	}
	if (code !== undefined && TIMEOUT_CODES.has(code)) {
		return {
			message: `uContact did not answer within ${timeoutMs} ms${outcome('; the disposition may or may not have been recorded')}`,
			description:
				`${outcome('Check in uContact before sending it again, or raise the Timeout option.')}${codeNote(code)}`.trim(),
			failure: { cause: 'temporarily-unavailable' },
		};
	}
	if (code !== undefined && RESET_CODES.has(code)) {
		return {
			message: `The connection to uContact at ${baseUrl} closed before it answered${outcome('; the disposition may or may not have been recorded')}`,
			description:
				`${outcome('Check in uContact before sending it again.')}${codeNote(code)}`.trim(),
			failure: { cause: 'temporarily-unavailable' },
		};
	}
	return {
		message: `The request to uContact at ${baseUrl} failed${code ? ` (${codeInWords(code)})` : ''}`,
		description: code ? codeNote(code).trim() : undefined,
		failure: { cause: 'temporarily-unavailable' },
	};
}

/** uContact answered "0". */
export function describeRejection(disposition: Disposition): FailureReport {
	return {
		message: 'uContact rejected the disposition (it answered "0")',
		description:
			`Usual causes: campaign "${disposition.campaign}" or agent "${disposition.agent}" does not exist, ` +
			`no call with GUID "${disposition.guid}" was found, or "${disposition.l1}" is not a disposition ` +
			'defined for that campaign.',
	};
}

/** uContact answered something other than OK or 0. */
export function describeUnexpectedAnswer(response: string): FailureReport {
	return {
		message: `uContact gave an unexpected answer: "${quote(response)}"`,
		description: 'Expected "OK" or "0". Check that the credential points at a uContact server.',
	};
}

/**
 * Masks secrets in a report. Messages quote uContact's answers, and a proxy's error page may
 * echo the request, Authorization header included.
 */
export function redactSecrets(report: FailureReport, secrets: unknown[]): FailureReport {
	const words = secrets
		.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4)
		.flatMap((secret) => [secret, encodeURIComponent(secret)]);
	const mask = (text: string | undefined) =>
		text === undefined
			? undefined
			: words.reduce((masked, word) => masked.split(word).join('***'), text);
	return { ...report, message: mask(report.message) ?? '', description: mask(report.description) };
}

/**
 * A login failure in words an admin can act on; never includes the password. It becomes an
 * error message n8n may show as is, so network codes stay out of it (see codeInWords).
 */
export function describeLoginFailure(
	status: number | undefined,
	code: string | undefined,
	baseUrl: string,
	location?: string,
): string {
	if (status === 404) {
		return (
			`uContact at ${baseUrl} has no getUserToken endpoint (HTTP 404). Older uContact versions do not offer ` +
			'login by user and password: check the server address, or use a token instead'
		);
	}
	if (status === 401 || status === 403) {
		return `uContact at ${baseUrl} refused the user name or password (HTTP ${status})`;
	}
	if (status !== undefined && status >= 300 && status < 400) {
		return (
			`uContact at ${baseUrl} redirected the login${redirectTarget(location, baseUrl)} (HTTP ${status}). ` +
			redirectAdvice('password')
		);
	}
	if (status !== undefined) {
		return `uContact at ${baseUrl} could not log in: getUserToken answered HTTP ${status}`;
	}
	const network = networkProblem(code, baseUrl);
	if (network !== undefined) {
		return `Could not log in: ${network.problem}. ${network.advice}`;
	}
	return `Could not reach uContact at ${baseUrl} to log in${code ? ` (${codeInWords(code)})` : ''}: check the server address and that n8n can reach it`;
}

/** getUserToken answered, but not with a token: quote the answer (the caller masks secrets). */
export function describeLoginAnswer(body: unknown, baseUrl: string, refused: boolean): string {
	if (refused) {
		return `uContact at ${baseUrl} refused the user name or password (getUserToken answered "0" or nothing)`;
	}
	return (
		`uContact at ${baseUrl} did not answer the login with a token: getUserToken answered "${quote(body)}". ` +
		'Check that the base URL points at a uContact server, and the user name and password'
	);
}
