/**
 * The uContact API contract as documented: paths, the DispositionCall form, what its answers
 * mean, and the getUserToken login form and answer.
 */

export const DISPOSITION_PATH = '/Integra/resources/api/DispositionCall';
export const LOGIN_PATH = '/Integra/resources/auth/getUserToken';

// The vendor's samples send no charset; we name UTF-8 so servlet containers that would
// otherwise assume ISO-8859-1 decode accents (Tipificación, Montevideo) correctly.
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=UTF-8';

/** Every key, in the documented order. All are always sent, "" when unset. */
export const DISPOSITION_KEYS = [
	'campaign',
	'agent',
	'callerid',
	'guid',
	'l1',
	'l2',
	'l3',
	'd1',
	'd2',
	'comment',
	'schedule',
	'camptoreschedule',
	'tag',
] as const;

export type DispositionKey = (typeof DISPOSITION_KEYS)[number];

export type Disposition = Record<DispositionKey, string>;

export const REQUIRED_KEYS: readonly DispositionKey[] = [
	'campaign',
	'agent',
	'callerid',
	'guid',
	'l1',
];

/** UTF-8 form encoding, keys in documented order (e.g. "campana->" becomes "campana-%3E"). */
export function encodeDispositionForm(disposition: Disposition): string {
	return new URLSearchParams(
		DISPOSITION_KEYS.map((key): [string, string] => [key, disposition[key]]),
	).toString();
}

/** A disposition with every key present and empty: what the credential test sends. */
export function emptyDispositionForm(): Record<DispositionKey, string> {
	return Object.fromEntries(DISPOSITION_KEYS.map((key) => [key, ''])) as Disposition;
}

export interface Answer {
	outcome: 'success' | 'rejected' | 'unexpected';
	/** The answer as uContact sent it, trimmed and without surrounding quotes. */
	response: string;
}

function unquote(value: string): string {
	const trimmed = value.trim();
	if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
		return trimmed.slice(1, -1).trim();
	}
	return trimmed;
}

/**
 * The vendor shows `"OK"` and `"0"` with quotes; whether servers send them is unverified, so
 * both are read: trim, drop one pair of quotes, then `OK` in any case is success, `0` a rejection.
 */
export function interpretAnswer(text: string): Answer {
	const response = unquote(text);
	if (response.toUpperCase() === 'OK') return { outcome: 'success', response };
	if (response === '0') return { outcome: 'rejected', response };
	return { outcome: 'unexpected', response };
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

// A token is one token68 word (RFC 7235: what fits after "Basic "), long enough not to be a
// status word; error words that servers and proxies answer with are never tokens.
const TOKEN_SHAPE = /^[A-Za-z0-9._~+/-]{8,4096}=*$/;
const NOT_TOKENS = new Set([
	'error',
	'unauthorized',
	'forbidden',
	'invalid',
	'denied',
	'failed',
	'failure',
	'undefined',
	'null',
	'false',
	'true',
]);

/**
 * The token in a getUserToken answer, or undefined when there is none. The documented shape is
 * a JSON list with the user first and the token last; servers also answer a JSON string or a
 * bare string. Anything else (an error object, an error word, a list holding only the user
 * name, an HTML page) is not a token: sending it as one would only hide the real problem.
 */
export function tokenFromLoginAnswer(text: string, user?: string): string | undefined {
	const trimmed = text.trim();
	let value: unknown = trimmed;
	if (trimmed.startsWith('[') || trimmed.startsWith('"')) value = parseJson(trimmed) ?? trimmed;
	if (Array.isArray(value)) {
		const strings = value.filter((entry): entry is string => typeof entry === 'string');
		value = strings.length > 0 ? strings[strings.length - 1] : undefined;
	}
	if (typeof value !== 'string') return undefined;
	const token = unquote(value);
	if (!TOKEN_SHAPE.test(token) || NOT_TOKENS.has(token.toLowerCase())) return undefined;
	if (user !== undefined && token.toLowerCase() === user.trim().toLowerCase()) return undefined;
	return token;
}

/** Whether a getUserToken answer is the documented refusal: "0" or nothing. */
export function isRefusedLogin(text: string): boolean {
	const answer = unquote(text);
	return (
		answer === '' || answer === '0' || answer === '[]' || answer === '[0]' || answer === '["0"]'
	);
}

/** The form body of a login request. */
export function loginBody(user: string, password: string): string {
	return new URLSearchParams([
		['user', user],
		['password', password],
	]).toString();
}
