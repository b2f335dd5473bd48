/**
 * Failed requests in words a uContact admin can act on, from a classified failure only
 * (errorFacts.ts): what happened, whether the disposition may have been recorded, what to do.
 */
import type { Failure as N8nFailure } from 'n8n-workflow';

import { ANSWER_CAP_BYTES } from './answerLimits';
import type { Disposition } from './api';
import { RESET_CODES, TIMEOUT_CODES, type Failure, type FailureKind } from './errorFacts';
import {
	codeInWords,
	codeNote,
	networkProblem,
	redirectAdvice,
	redirectTarget,
	schemeGuess,
	schemeProblem,
} from './networkWords';
import type { Quoter } from './redaction';

export interface FailureReport {
	message: string;
	description?: string;
	/** The classification the words were made from: what the output and the error carry. */
	kind?: FailureKind;
	httpCode?: string;
	failure?: N8nFailure;
}

/** n8n's own failure cause, which its UI and error workflows read. */
function n8nCause(failure: Failure): N8nFailure {
	if (failure.kind === 'refused') return { cause: 'credential-invalid' };
	if (failure.kind === 'configuration' || failure.kind === 'bug')
		return { cause: 'configuration-invalid' };
	if (failure.status === 429) return { cause: 'rate-limited' };
	return { cause: 'temporarily-unavailable' };
}

/** How a request relates to the credential, so a message can say what really happened. */
export interface RequestContext {
	baseUrl: string;
	timeoutMs: number;
	quote: Quoter;
	/** User and Password mode; `again` when n8n logged in anew after this request was refused. */
	login?: { again: boolean };
	/** The credential test: nothing was being recorded, so no word about dispositions. */
	test?: boolean;
}

function unauthorized(context: RequestContext): { message: string; description: string } {
	const userMayNot =
		'The user name and password were accepted, but the token uContact issued for them was refused: check that this user may use the API.';
	if (context.login === undefined) {
		return {
			message: 'uContact refused the credentials (HTTP 401): the token is wrong or has expired',
			description: 'Check the token in the uContact credential.',
		};
	}
	if (context.login.again) {
		return {
			message: 'uContact refused the session token even after n8n logged in again (HTTP 401)',
			description: userMayNot,
		};
	}
	return {
		message: 'uContact refused the session token from the latest login (HTTP 401)',
		description: context.test
			? userMayNot
			: 'n8n did not log in again, because that token came from a login only moments before. Check that this user may use the API, then run the workflow again.',
	};
}

/** The login, or an address check, failed before the request could be sent. */
function ownFailureReport(failure: Failure, context: RequestContext): FailureReport {
	const message = failure.ownMessage ?? 'uContact could not be reached';
	if (context.test) {
		const again =
			failure.kind === 'not-recorded' ? ' This is usually temporary: try again in a moment.' : '';
		return {
			message,
			description: `${again}${codeNote(failure.code)}`.trim() || undefined,
			failure: n8nCause(failure),
		};
	}
	const notSent = failure.step === 'login' ? '; the disposition was not sent' : '';
	return {
		// A login message may end with its advice's full stop.
		message: `${notSent ? message.replace(/\.$/, '') : message}${notSent}`,
		description: codeNote(failure.code).trim() || undefined,
		httpCode: failure.status === undefined ? undefined : String(failure.status),
		failure: n8nCause(failure),
	};
}

/** Quotes an answer cut at the cap: the quoter's count would be of what was read, not of the answer. */
export function cutQuoter(quote: Quoter): Quoter {
	return (body) => quote(body).replace(/… \(\d+ characters\)$/, '…');
}

/** What went wrong with a request that did not return a usable answer. */
export function describeRequestFailure(failure: Failure, context: RequestContext): FailureReport {
	return { ...failureWords(failure, context), kind: failure.kind };
}

function failureWords(failure: Failure, context: RequestContext): FailureReport {
	if (failure.ownMessage !== undefined) return ownFailureReport(failure, context);
	const { status, code, body } = failure;
	const { baseUrl, quote } = context;
	// The credential test records nothing, so it says nothing about dispositions.
	const outcome = (text: string) => (context.test ? '' : text);
	// In the message itself: an agent, or an MCP client in queue mode, is given only the message.
	const maybe = outcome(
		'; the disposition may or may not have been recorded, so check in uContact before sending it again',
	);
	const cause = n8nCause(failure);
	if (failure.kind === 'bug') {
		return {
			message: `The uContact node failed because of an error in its own code (${failure.detail})${maybe}`,
			description: 'This is a bug in n8n-nodes-ucontact: please report it with this message.',
			failure: cause,
		};
	}
	const scheme = schemeProblem(failure, baseUrl);
	if (scheme !== undefined) {
		// A cut handshake wrote nothing; a TLS port read a plain request as noise.
		const fate = failure.tls === 'handshake-cut' ? 'sent' : 'recorded';
		return {
			message: `${scheme.problem.charAt(0).toUpperCase()}${scheme.problem.slice(1)}${outcome(`; the disposition was not ${fate}`)}`,
			description: `${scheme.advice}${status === undefined ? codeNote(code) : ''}`,
			httpCode: status === undefined ? undefined : String(status),
			failure: cause,
		};
	}
	if (failure.cut === 'size') {
		return {
			message: `uContact gave an unexpected answer, longer than ${ANSWER_CAP_BYTES} bytes: "${cutQuoter(quote)(body)}"${maybe}`,
			description: `Expected "OK" or "0"; an answer is read no further than ${ANSWER_CAP_BYTES} bytes. Check that the credential points at a uContact server.`,
			failure: cause,
		};
	}
	if (failure.cut === 'time') {
		return {
			message: `uContact's answer was still arriving after ${context.timeoutMs} ms and was read no further${maybe}`,
			description: outcome('Raise the Timeout option if uContact is often this slow.') || undefined,
			failure: cause,
		};
	}
	if (status !== undefined) {
		const httpCode = String(status);
		const answered = body === undefined || body === '' ? '' : ` It answered: ${quote(body)}`;
		if (status === 401) return { ...unauthorized(context), httpCode, failure: cause };
		if (status === 403) {
			return {
				message: 'uContact denied access (HTTP 403): the user behind the token may not use the API',
				description: `Ask the uContact administrator to allow API access for this user.${answered}`,
				httpCode,
				failure: cause,
			};
		}
		if (status === 404) {
			return {
				message: `No uContact DispositionCall endpoint at ${baseUrl} (HTTP 404)`,
				description: 'Check the instance name or base URL in the uContact credential.',
				httpCode,
				failure: cause,
			};
		}
		if (status >= 300 && status < 400) {
			return {
				message: `uContact at ${baseUrl} redirected the request${redirectTarget(failure.location, baseUrl)} (HTTP ${status})`,
				description: redirectAdvice('token'),
				httpCode,
				failure: cause,
			};
		}
		if (status >= 200 && status < 300) {
			// A success status on a failed request: the answer broke off before it was complete.
			return {
				message: `uContact's answer broke off before it was complete (HTTP ${status})${maybe}`,
				description: codeNote(code).trim() || undefined,
				httpCode,
				failure: cause,
			};
		}
		if (status === 429 || status === 503) {
			return {
				message: `uContact is ${status === 429 ? 'limiting requests' : 'temporarily unavailable'} (HTTP ${status})${outcome('; the disposition was not recorded')}`,
				description: `Try again later, or send fewer items at once.${answered}`,
				httpCode,
				failure: cause,
			};
		}
		if (status >= 500) {
			return {
				message: `uContact had a server error (HTTP ${status})${maybe}`,
				description: answered.trim() || undefined,
				httpCode,
				failure: cause,
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
			message: `${network.problem.charAt(0).toUpperCase()}${network.problem.slice(1)}${outcome('; the disposition was not sent')}`,
			description: `${network.advice}${codeNote(code)}`,
			failure: cause,
		};
	}
	if (code !== undefined && TIMEOUT_CODES.has(code)) {
		return {
			message: `uContact did not answer within ${context.timeoutMs} ms${maybe}`,
			description:
				`${outcome('Raise the Timeout option if uContact is often this slow.')}${codeNote(code)}`.trim() ||
				undefined,
			failure: cause,
		};
	}
	if (code !== undefined && RESET_CODES.has(code)) {
		return {
			message: `The connection to uContact at ${baseUrl} closed before it answered${maybe}`,
			description: `${schemeGuess(code, baseUrl)}${codeNote(code)}`.trim() || undefined,
			failure: cause,
		};
	}
	return {
		message: `The request to uContact at ${baseUrl} failed${code ? ` (${codeInWords(code)})` : ''}${failure.kind === 'maybe-recorded' ? maybe : ''}`,
		description: `${schemeGuess(code, baseUrl)}${codeNote(code)}`.trim() || undefined,
		failure: cause,
	};
}

/** uContact answered "0". */
export function describeRejection(disposition: Disposition): FailureReport {
	return {
		kind: 'rejected',
		message: 'uContact rejected the disposition (it answered "0")',
		description:
			`Usual causes: campaign "${disposition.campaign}" or agent "${disposition.agent}" does not exist, ` +
			`no call with GUID "${disposition.guid}" was found, or "${disposition.l1}" is not a disposition ` +
			'defined for that campaign.',
	};
}

/**
 * A 2xx answer that is neither "OK" nor "0". uContact processed the request, so a disposition
 * (not the credential test's empty one) may have been recorded.
 */
export function describeUnexpectedAnswer(
	response: string,
	quote: Quoter,
	disposition = false,
): FailureReport {
	const maybe = disposition
		? '; the disposition may or may not have been recorded, so check in uContact before sending it again'
		: '';
	return {
		// A disposition may have been recorded; the credential test's empty one only shows a wrong address.
		kind: disposition ? 'maybe-recorded' : 'configuration',
		message: `uContact gave an unexpected answer: "${quote(response)}"${maybe}`,
		description: 'Expected "OK" or "0". Check that the credential points at a uContact server.',
	};
}
