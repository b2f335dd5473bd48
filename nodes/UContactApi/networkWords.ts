/**
 * Network failures and redirects in words, shared by the messages of requests and logins. n8n
 * replaces any error message that contains a network code such as ECONNRESET with its own
 * generic sentence, so codes go in descriptions (codeNote), never in messages.
 */
import { CERT_CODES, PROTOCOL_CODES } from './errorFacts';

const CODE_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection closed by the server',
	EPIPE: 'connection closed by the server',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'DNS lookup failed for now',
	ETIMEDOUT: 'timed out',
	ECONNABORTED: 'timed out',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	EADDRNOTAVAIL: 'address not available',
	ERR_CANCELED: 'canceled',
};

/** A network code in words: errno names lose their E, Node's ERR_ codes their prefix. */
export function codeInWords(code: string): string {
	const upper = code.toUpperCase();
	if (CODE_WORDS[upper] !== undefined) return CODE_WORDS[upper];
	const bare = upper.startsWith('ERR_') ? upper.slice(4) : /^E[A-Z]+$/.test(upper) ? upper.slice(1) : upper;
	return bare.toLowerCase().replace(/_/g, ' ');
}

export const codeNote = (code: string | undefined) => (code ? ` Network error code: ${code}.` : '');

/** Where a redirect pointed, origin and path only: its query may carry anything. */
export function redirectTarget(location: string | undefined, baseUrl: string): string {
	if (location === undefined) return '';
	try {
		const url = new URL(location, baseUrl);
		return ` to ${url.origin}${url.pathname}`;
	} catch {
		return '';
	}
}

export function redirectAdvice(secret: string): string {
	return (
		`Redirects are not followed, so the ${secret} is never sent to another address. If the address it ` +
		'redirected to is your uContact server, put that address (often https://, without /Integra/...) in the credential.'
	);
}

/** Network failures that are the address's fault, or pass by themselves, in words. */
export function networkProblem(code: string | undefined, baseUrl: string): { problem: string; advice: string } | undefined {
	if (code === 'ECONNREFUSED') {
		return {
			problem: `could not connect to uContact at ${baseUrl} (connection refused)`,
			advice: 'Check the base URL and port, and that the server is running and reachable from n8n.',
		};
	}
	if (code === 'ENOTFOUND') {
		return {
			problem: `the host of ${baseUrl} was not found (${codeInWords(code)})`,
			advice: 'Check the instance name or base URL in the uContact credential.',
		};
	}
	if (code === 'EAI_AGAIN') {
		return {
			problem: `the host of ${baseUrl} could not be looked up just now (${codeInWords(code)})`,
			advice: 'The DNS server did not answer in time; this usually passes.',
		};
	}
	if (code !== undefined && CERT_CODES.has(code)) {
		return {
			problem: `the certificate of ${baseUrl} is not trusted`,
			advice:
				'For an on-premise server with a self-signed certificate, enable "Ignore SSL Issues" in the uContact credential.',
		};
	}
	if (code !== undefined && PROTOCOL_CODES.has(code) && baseUrl.startsWith('https://')) {
		return {
			problem: `the server at ${baseUrl} does not speak HTTPS on that port`,
			advice:
				'It answered with something other than TLS, most likely plain HTTP: use http:// in the base URL, or the port where the server offers HTTPS.',
		};
	}
	return undefined;
}

