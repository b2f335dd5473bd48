/**
 * The wrong scheme for the port, as Node 24 and n8n report it (shapes recorded from real servers
 * through the workflow harness, see test/workflow/wrongScheme.workflow.test.ts): each row is what
 * the failure looked like and what the request, the login and the credential test must say.
 */
import { classify, type FailureKind } from '../../../nodes/UContactApi/errorFacts';
import { describeLoginFailure } from '../../../nodes/UContactApi/loginMessages';
import { answerQuoter } from '../../../nodes/UContactApi/redaction';
import { describeRequestFailure } from '../../../nodes/UContactApi/requestMessages';

const quote = answerQuoter([]);
const PLAIN = 'http://10.0.0.5:8443';
const TLS = 'https://10.0.0.5:8085';
const CLOUD = 'https://acme.ucontactcloud.com';

/** n8n 2.x: NodeApiError (its own words) -> the HTTP client's error -> Node's error. */
function n8n2(node: Record<string, unknown>, response?: { status: number; data: string }) {
	const client = { message: node.message, code: node.code, response, cause: node };
	return {
		name: 'NodeApiError',
		message: 'The connection to the server was closed unexpectedly',
		cause: client,
	};
}

/** n8n 1.x: a NodeApiError without cause; the client's code in httpCode, its words in messages. */
function n8n1(code: string, said: string) {
	return {
		name: 'NodeApiError',
		message: 'The connection to the server was closed unexpectedly',
		httpCode: code,
		messages: [said],
	};
}

const HANDSHAKE_CUT = {
	code: 'ECONNRESET',
	message: 'Client network socket disconnected before secure TLS connection was established',
};
// What a TLS port that answers a plain request with an alert (Java servers) gives Node's parser.
const TLS_ALERT = {
	code: 'HPE_INVALID_CONSTANT',
	message: 'Parse Error: Expected HTTP/, RTSP/ or ICE/',
	rawPacket: Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]),
};
const NGINX_PAGE =
	'<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n</body>\r\n</html>\r\n';
const APACHE_PAGE =
	"<p>Reason: You're speaking plain HTTP to an SSL-enabled server port.<br />\n Instead use the HTTPS scheme to access this URL, please.<br />\n</p>";

interface Row {
	error: unknown;
	baseUrl: string;
	kind: FailureKind;
	/** In the request's message itself (an AI agent sees only the message). */
	message: RegExp;
	/** In the request's message or description. */
	anywhere?: RegExp;
	/** In the login's message. */
	login: RegExp;
}

const ROWS: Array<[string, Row]> = [
	[
		'https:// to a plain port that answers in plain HTTP (EPROTO)',
		{
			error: n8n2({
				code: 'EPROTO',
				message: 'write EPROTO ...:SSL routines:tls_validate_record_header:wrong version number',
			}),
			baseUrl: TLS,
			kind: 'configuration',
			message:
				/^The server at https:\/\/10\.0\.0\.5:8085 does not speak HTTPS on that port; the disposition was not sent$/,
			anywhere: /use http:\/\/ in the base URL/,
			login:
				/^Could not log in: the server at https:\/\/10\.0\.0\.5:8085 does not speak HTTPS on that port\. .*use http:\/\/ in the base URL/,
		},
	],
	[
		'https:// to a plain port that closes without a word (n8n 2.x)',
		{
			error: n8n2(HANDSHAKE_CUT),
			baseUrl: TLS,
			kind: 'configuration',
			message:
				/^The server at https:\/\/10\.0\.0\.5:8085 closed the connection before HTTPS was set up; if that port serves plain HTTP, use http:\/\/; the disposition was not sent$/,
			anywhere: /Otherwise use the port where the server offers HTTPS; .*firewall or proxy/,
			login:
				/^Could not log in: the server at https:\/\/10\.0\.0\.5:8085 closed the connection before HTTPS was set up; if that port serves plain HTTP, use http:\/\/\. /,
		},
	],
	[
		'https:// to a plain port that closes without a word (n8n 1.x)',
		{
			error: n8n1('ECONNRESET', HANDSHAKE_CUT.message),
			baseUrl: TLS,
			kind: 'configuration',
			message:
				/closed the connection before HTTPS was set up; if that port serves plain HTTP, use http:\/\/; the disposition was not sent$/,
			login: /use http:\/\//,
		},
	],
	[
		'https:// to uContact Cloud, cut before HTTPS was set up: no scheme to change',
		{
			error: n8n2(HANDSHAKE_CUT),
			baseUrl: CLOUD,
			kind: 'configuration',
			message:
				/^The connection to https:\/\/acme\.ucontactcloud\.com closed before HTTPS was set up; the disposition was not sent$/,
			anywhere: /firewall or proxy/,
			login:
				/^Could not log in: the connection to https:\/\/acme\.ucontactcloud\.com closed before HTTPS was set up\. .*firewall/,
		},
	],
	[
		'https:// and a reset that proves nothing: a hint, and the disposition may have been recorded',
		{
			error: n8n2({ code: 'ECONNRESET', message: 'read ECONNRESET' }),
			baseUrl: TLS,
			kind: 'maybe-recorded',
			message: /closed before it answered; the disposition may or may not have been recorded/,
			anywhere: /the port may serve plain HTTP: try http:\/\/ in the base URL/,
			login:
				/closed before it answered the login\. If this happens on every request, the port may serve plain HTTP: try http:\/\//,
		},
	],
	[
		'http:// to a TLS port that answers with a TLS alert',
		{
			error: n8n2(TLS_ALERT),
			baseUrl: PLAIN,
			kind: 'configuration',
			message:
				/^The server at http:\/\/10\.0\.0\.5:8443 expects HTTPS on that port, not plain HTTP: use https:\/\/; the disposition was not recorded$/,
			anywhere:
				/answered the plain HTTP request in TLS\. Keep the host and port in the base URL; only the scheme changes\./,
			login:
				/^Could not log in: the server at http:\/\/10\.0\.0\.5:8443 expects HTTPS on that port, not plain HTTP: use https:\/\/\. /,
		},
	],
	[
		"http:// to a TLS port answering in TLS, on n8n 1.x (the answer's bytes are lost): a hint",
		{
			error: n8n1('HPE_INVALID_CONSTANT', TLS_ALERT.message),
			baseUrl: PLAIN,
			kind: 'maybe-recorded',
			message:
				/^The request to uContact at http:\/\/10\.0\.0\.5:8443 failed \(its answer was not HTTP\); the disposition may or may not/,
			anywhere: /the port may expect HTTPS .*try https:\/\/ in the base URL/,
			login: /\(its answer was not HTTP\).*try https:\/\//,
		},
	],
	[
		"http:// to nginx's HTTPS port (HTTP 400, its page says so)",
		{
			error: n8n2(
				{ code: 'ERR_BAD_REQUEST', message: 'Request failed with status code 400' },
				{ status: 400, data: NGINX_PAGE },
			),
			baseUrl: PLAIN,
			kind: 'configuration',
			message:
				/^The server at http:\/\/10\.0\.0\.5:8443 expects HTTPS on that port, not plain HTTP: use https:\/\/; the disposition was not recorded$/,
			anywhere: /with HTTP 400, saying so/,
			login: /expects HTTPS on that port, not plain HTTP: use https:\/\//,
		},
	],
	[
		"http:// to Apache's HTTPS port (HTTP 400, its page says so)",
		{
			error: n8n2(
				{ code: 'ERR_BAD_REQUEST', message: 'Request failed with status code 400' },
				{ status: 400, data: APACHE_PAGE },
			),
			baseUrl: PLAIN,
			kind: 'configuration',
			message: /expects HTTPS on that port, not plain HTTP: use https:\/\//,
			login: /expects HTTPS on that port, not plain HTTP: use https:\/\//,
		},
	],
	[
		'http:// to a TLS port that hangs up on a plain request (Node, OpenSSL): a hint',
		{
			error: n8n2({ code: 'ECONNRESET', message: 'socket hang up' }),
			baseUrl: PLAIN,
			kind: 'maybe-recorded',
			message: /closed before it answered; the disposition may or may not have been recorded/,
			anywhere: /the port may expect HTTPS .*try https:\/\/ in the base URL/,
			login:
				/closed before it answered the login\. If this happens on every request, the port may expect HTTPS/,
		},
	],
];

describe.each(ROWS)('%s', (_name, row) => {
	it('is classified once for the retry, the stop and the words', () => {
		expect(classify(row.error).kind).toBe(row.kind);
	});

	it('the request says which scheme to use', () => {
		const report = describeRequestFailure(classify(row.error), {
			baseUrl: row.baseUrl,
			timeoutMs: 5000,
			quote,
		});
		expect(report.message).toMatch(row.message);
		if (row.anywhere) expect(`${report.message} ${report.description ?? ''}`).toMatch(row.anywhere);
		// n8n replaces a message holding a network code with its own sentence.
		expect(report.message).not.toMatch(/\b(E[A-Z]{4,}|HPE_[A-Z_]+)\b/);
	});

	it('the login says it, with no doubled full stop once the run adds its words', () => {
		const login = describeLoginFailure(classify(row.error, 'login'), row.baseUrl, quote);
		expect(login).toMatch(row.login);
		expect(login).not.toMatch(/\b(E[A-Z]{4,}|HPE_[A-Z_]+)\b/);
	});

	it('the credential test says it (no word about dispositions)', () => {
		const report = describeRequestFailure(classify(row.error), {
			baseUrl: row.baseUrl,
			timeoutMs: 5000,
			quote,
			test: true,
		});
		expect(report.message).not.toMatch(/disposition/);
		if (row.anywhere) expect(`${report.message} ${report.description ?? ''}`).toMatch(row.anywhere);
	});
});

it('suggests no scheme where none fits', () => {
	const reset = n8n2({ code: 'ECONNRESET', message: 'read ECONNRESET' });
	expect(
		describeRequestFailure(classify(reset), { baseUrl: CLOUD, timeoutMs: 5000, quote }).description,
	).toBe('Network error code: ECONNRESET.');
	const refused = n8n2({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
	expect(
		JSON.stringify(
			describeRequestFailure(classify(refused), { baseUrl: PLAIN, timeoutMs: 5000, quote }),
		),
	).not.toMatch(/https:\/\/ in|http:\/\/ in/);
	// Bytes the parser could not read prove nothing unless they are a TLS record.
	expect(
		classify(
			n8n2({
				code: 'HPE_INVALID_CONSTANT',
				message: 'Parse Error',
				rawPacket: Buffer.from('HTTX/1.1'),
			}),
		).kind,
	).toBe('maybe-recorded');
});
