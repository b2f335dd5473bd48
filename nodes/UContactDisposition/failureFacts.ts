/**
 * The safe facts of a failed request: n8n wraps the HTTP client's error (which carries the
 * request, Authorization header included) in a NodeApiError; this walks down the causes and
 * keeps only status, network code, answer, a few headers and our own errors' messages.
 */

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
