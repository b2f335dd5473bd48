/**
 * Exchanging a user name and password for a uContact token (getUserToken).
 * Used by the credential's preAuthentication; kept apart so its parsing is tested without n8n.
 */

import { codeInWords } from './errors';

export const LOGIN_PATH = '/Integra/resources/auth/getUserToken';

export class UContactLoginError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UContactLoginError';
	}
}

function unquote(value: string): string {
	const trimmed = value.trim();
	if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
		return trimmed.slice(1, -1).trim();
	}
	return trimmed;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/**
 * The token in a getUserToken answer, or undefined when the login was refused.
 * Servers answer a JSON list with the token last, a JSON string, or a bare string;
 * "0" or an empty body means bad credentials.
 */
export function tokenFromLoginAnswer(body: unknown): string | undefined {
	let value: unknown = body;
	if (typeof value === 'string') {
		const trimmed = value.trim();
		if (trimmed.startsWith('[') || trimmed.startsWith('"')) {
			const parsed = parseJson(trimmed);
			value = parsed === undefined ? trimmed : parsed;
		} else {
			value = trimmed;
		}
	}
	if (Array.isArray(value)) {
		const strings = value.filter((entry): entry is string => typeof entry === 'string');
		value = strings.length > 0 ? strings[strings.length - 1] : undefined;
	}
	if (typeof value !== 'string') return undefined;
	const token = unquote(value);
	if (token === '' || token === '0' || /\s/.test(token)) return undefined;
	return token;
}

/** The form body of a login request. */
export function loginBody(user: string, password: string): string {
	return new URLSearchParams([
		['user', user],
		['password', password],
	]).toString();
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
