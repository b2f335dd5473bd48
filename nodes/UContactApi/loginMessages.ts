/** getUserToken failures in words an admin can act on; never the password. */
import { RESET_CODES, TIMEOUT_CODES, type Failure } from './errorFacts';
import {
	codeInWords,
	networkProblem,
	redirectAdvice,
	redirectTarget,
	schemeGuess,
	schemeProblem,
} from './networkWords';
import type { Quoter } from './redaction';

/** What to do about a refused login, in the words of the credential's fields. */
const FIX_LOGIN =
	'Check User and Password in the uContact credential: log in to uContact with them to be sure, and correct them there, or choose Token if you have one';

/**
 * A getUserToken failure in words; never includes the password. `quote` masks the secrets in a
 * quoted answer.
 */
export function describeLoginFailure(failure: Failure, baseUrl: string, quote: Quoter): string {
	const { status, code } = failure;
	const scheme = schemeProblem(failure, baseUrl);
	if (scheme !== undefined) return `Could not log in: ${scheme.problem}. ${scheme.advice}`;
	if (status === 404) {
		return (
			`uContact at ${baseUrl} has no getUserToken endpoint (HTTP 404). Older uContact versions do not offer ` +
			'login by user and password: check the server address, or use a token instead'
		);
	}
	if (status === 401 || status === 403) {
		return `uContact at ${baseUrl} refused the user name or password (HTTP ${status}). ${FIX_LOGIN}`;
	}
	if (status !== undefined && status >= 300 && status < 400) {
		return (
			`uContact at ${baseUrl} redirected the login${redirectTarget(failure.location, baseUrl)} (HTTP ${status}). ` +
			redirectAdvice('password')
		);
	}
	if (status === 429)
		return `uContact at ${baseUrl} is limiting requests and did not log in (getUserToken answered HTTP 429)`;
	if (status !== undefined) {
		const answered =
			failure.body === undefined || failure.body === '' ? '' : `: ${quote(failure.body)}`;
		return `uContact at ${baseUrl} could not log in: getUserToken answered HTTP ${status}${answered}`;
	}
	const network = networkProblem(code, baseUrl);
	if (network !== undefined) return `Could not log in: ${network.problem}. ${network.advice}`;
	if (code !== undefined && TIMEOUT_CODES.has(code))
		return `uContact at ${baseUrl} did not answer the login in time`;
	const guess = schemeGuess(code, baseUrl);
	if (code !== undefined && RESET_CODES.has(code))
		return `The connection to uContact at ${baseUrl} closed before it answered the login${guess ? `. ${guess}` : ''}`;
	return `Could not reach uContact at ${baseUrl} to log in${code ? ` (${codeInWords(code)})` : ''}: check the server address and that n8n can reach it${guess ? `. ${guess}` : ''}`;
}

/** getUserToken answered, but not with a token. */
export function describeLoginAnswer(
	body: unknown,
	baseUrl: string,
	refused: boolean,
	quote: Quoter,
): string {
	if (refused) {
		return `uContact at ${baseUrl} refused the user name or password. ${FIX_LOGIN}`;
	}
	return (
		`uContact at ${baseUrl} did not answer the login with a token: getUserToken answered "${quote(body)}". ` +
		'Check that the base URL points at a uContact server, and the user name and password'
	);
}
