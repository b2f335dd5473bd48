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

function redirectTarget(location: string | undefined): string {
	if (location === undefined) return '';
	try {
		const url = new URL(location);
		return ` to ${url.origin}${url.pathname}`;
	} catch {
		return '';
	}
}

/** What went wrong with a request that did not return a usable answer. */
export function describeRequestFailure(
	error: unknown,
	baseUrl: string,
	timeoutMs: number,
): FailureReport {
	const { status, code, body, location, ownMessage } = failureFacts(error);
	if (ownMessage !== undefined) {
		return { message: ownMessage, failure: { cause: 'configuration-invalid' } };
	}
	if (status !== undefined) {
		const httpCode = String(status);
		const answered = body === undefined || body === '' ? '' : ` It answered: ${quote(body)}`;
		if (status === 401) {
			return {
				message: 'uContact refused the credentials (HTTP 401): the token is wrong or has expired',
				description:
					'Check the token in the uContact credential. With user and password, n8n already logged in again once and the new token was refused too.',
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
				message: `uContact at ${baseUrl} redirected the request${redirectTarget(location)} (HTTP ${status})`,
				description:
					'Redirects are not followed, so the token is never sent to another address. Put the final address (often https://) in the credential.',
				httpCode,
				failure: { cause: 'configuration-invalid' },
			};
		}
		if (status >= 200 && status < 300) {
			// A success status on a failed request: the answer broke off before it was complete.
			return {
				message: `uContact's answer broke off before it was complete (HTTP ${status}); the disposition may or may not have been recorded`,
				description: `Check in uContact before sending it again.${code ? codeNote(code) : ''}`,
				httpCode,
				failure: { cause: 'temporarily-unavailable' },
			};
		}
		if (status === 429 || status === 503) {
			return {
				message: `uContact is ${status === 429 ? 'limiting requests' : 'temporarily unavailable'} (HTTP ${status}); the disposition was not recorded`,
				description: `Try again later, or send fewer items at once.${answered}`,
				httpCode,
				failure: { cause: status === 429 ? 'rate-limited' : 'temporarily-unavailable' },
			};
		}
		if (status >= 500) {
			return {
				message: `uContact had a server error (HTTP ${status}); the disposition may or may not have been recorded`,
				description: `Check in uContact before sending it again.${answered}`,
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
	if (code === 'ECONNREFUSED') {
		return {
			message: `Could not connect to uContact at ${baseUrl} (connection refused); the disposition was not sent`,
			description: `Check the base URL and port, and that the server is running and reachable from n8n.${codeNote(code)}`,
			failure: { cause: 'temporarily-unavailable' },
		};
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return {
			message: `The host of ${baseUrl} was not found (${codeInWords(code)}); the disposition was not sent`,
			description: `Check the instance name or base URL in the uContact credential.${codeNote(code)}`,
			failure: { cause: 'configuration-invalid' },
		};
	}
	if (code !== undefined && CERT_CODES.has(code)) {
		return {
			message: `The certificate of ${baseUrl} is not trusted; the disposition was not sent`,
			description: `For an on-premise server with a self-signed certificate, enable "Ignore SSL Issues" in the uContact credential.${codeNote(code)}`,
			failure: { cause: 'configuration-invalid' },
		};
	}
	if (code !== undefined && TIMEOUT_CODES.has(code)) {
		return {
			message: `uContact did not answer within ${timeoutMs} ms; the disposition may or may not have been recorded`,
			description: `Check in uContact before sending it again, or raise the Timeout option.${codeNote(code)}`,
			failure: { cause: 'temporarily-unavailable' },
		};
	}
	if (code !== undefined && RESET_CODES.has(code)) {
		return {
			message: `The connection to uContact closed before it answered; the disposition may or may not have been recorded`,
			description: `Check in uContact before sending it again.${codeNote(code)}`,
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

/** A login failure in words an admin can act on; never includes the password or the answer body. */
export function describeLoginFailure(
	status: number | undefined,
	code: string | undefined,
	baseUrl: string,
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
	if (status !== undefined) {
		return `uContact at ${baseUrl} could not log in: getUserToken answered HTTP ${status}`;
	}
	return `Could not reach uContact at ${baseUrl} to log in${code ? ` (${codeInWords(code)})` : ''}: check the server address and that n8n can reach it`;
}
