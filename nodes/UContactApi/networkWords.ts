/**
 * Network failures and redirects in words, shared by the messages of requests and logins. n8n
 * replaces any error message that contains a network code such as ECONNRESET with its own
 * generic sentence, so codes go in descriptions (codeNote), never in messages.
 */
import { CERT_CODES, PROTOCOL_CODES, RESET_CODES, type FailureFacts } from './errorFacts';
import { CLOUD_DOMAIN } from './serverAddress';

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
	// Node's HTTP parser (llhttp) names what it choked on, which tells an admin nothing.
	if (upper.startsWith('HPE_')) return 'its answer was not HTTP';
	const bare = upper.startsWith('ERR_')
		? upper.slice(4)
		: /^E[A-Z]+$/.test(upper)
			? upper.slice(1)
			: upper;
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
export function networkProblem(
	code: string | undefined,
	baseUrl: string,
): { problem: string; advice: string } | undefined {
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

/** Whether the address is uContact Cloud's, whose scheme and port the user does not choose. */
function isCloud(baseUrl: string): boolean {
	try {
		return new URL(baseUrl).hostname.endsWith(`.${CLOUD_DOMAIN}`);
	} catch {
		return false;
	}
}

/**
 * A failure that shows the port speaks the other scheme (errorFacts' `tls`), in words that say
 * which scheme to use. EPROTO on https:// is networkProblem's.
 */
export function schemeProblem(
	failure: Pick<FailureFacts, 'tls' | 'status'>,
	baseUrl: string,
): { problem: string; advice: string } | undefined {
	if (failure.tls === 'port-speaks-tls' && baseUrl.startsWith('http://')) {
		const how = failure.status === undefined ? 'in TLS' : `with HTTP ${failure.status}, saying so`;
		return {
			problem: `the server at ${baseUrl} expects HTTPS on that port, not plain HTTP: use https://`,
			advice: `It answered the plain HTTP request ${how}. Keep the host and port in the base URL; only the scheme changes.`,
		};
	}
	if (failure.tls === 'handshake-cut' && baseUrl.startsWith('https://')) {
		if (isCloud(baseUrl)) {
			return {
				problem: `the connection to ${baseUrl} closed before HTTPS was set up`,
				advice:
					'Something between n8n and uContact Cloud (a firewall or proxy) may be cutting HTTPS connections.',
			};
		}
		return {
			problem: `the server at ${baseUrl} closed the connection before HTTPS was set up; if that port serves plain HTTP, use http://`,
			advice:
				'Otherwise use the port where the server offers HTTPS; if it does offer HTTPS on this one, a firewall or proxy may be cutting the connection.',
		};
	}
	return undefined;
}

/**
 * For failures the wrong scheme can cause without proving it (a closed connection, an answer that
 * is not HTTP): the scheme to try, as a sentence; '' when there is nothing to suggest.
 */
export function schemeGuess(code: string | undefined, baseUrl: string): string {
	if (code === undefined) return '';
	if (baseUrl.startsWith('https://') && RESET_CODES.has(code) && !isCloud(baseUrl))
		return 'If this happens on every request, the port may serve plain HTTP: try http:// in the base URL.';
	if (
		baseUrl.startsWith('http://') &&
		(RESET_CODES.has(code) || code.toUpperCase().startsWith('HPE_'))
	)
		return 'If this happens on every request, the port may expect HTTPS (a TLS port drops a plain HTTP request, or answers it in TLS): try https:// in the base URL.';
	return '';
}
