import { classify, UContactError } from '../../../nodes/UContactApi/errorFacts';
import { describeLoginFailure } from '../../../nodes/UContactApi/loginMessages';
import { answerQuoter } from '../../../nodes/UContactApi/redaction';
import {
	describeRejection,
	describeRequestFailure,
	describeUnexpectedAnswer,
} from '../../../nodes/UContactApi/requestMessages';
import { buildDisposition } from '../../../nodes/UContactDisposition/input/disposition';

describe('describeLoginFailure', () => {
	it('explains a 404 as an older server without the endpoint', () => {
		expect(loginFailure(404, undefined, 'https://x')).toMatch(/use a token instead/);
		expect(loginFailure(undefined, 'ECONNREFUSED', 'https://x')).toMatch(
			/Could not log in: could not connect to uContact at https:\/\/x \(connection refused\)/,
		);
	});
});

const quote = answerQuoter([]);
const explain = (error: unknown, baseUrl: string, timeoutMs: number) =>
	describeRequestFailure(classify(error), { baseUrl, timeoutMs, quote });
const loginFailure = (status: number | undefined, code: string | undefined, baseUrl: string) =>
	describeLoginFailure(classify({ code, response: status && { status } }, 'login'), baseUrl, quote);

/** Shapes n8n's NodeApiError gives: the HTTP client's error, with the request, as `cause`. */
function wrapped(cause: object) {
	return { message: 'Request failed', httpCode: undefined, cause };
}

const MARKER = ['canary', 'value', 'in', 'header'].join('-');
const request = { config: { headers: { Authorization: `Basic ${MARKER}` }, data: 'campaign=x' } };

describe('describeRequestFailure', () => {
	it.each([
		[401, /refused the credentials \(HTTP 401\)/, 'credential-invalid'],
		[403, /denied access \(HTTP 403\)/, 'credential-invalid'],
		[
			404,
			/No uContact DispositionCall endpoint at https:\/\/acme\.ucontactcloud\.com \(HTTP 404\)/,
			'configuration-invalid',
		],
		[429, /limiting requests.*not recorded/, 'rate-limited'],
		[503, /temporarily unavailable.*not recorded/, 'temporarily-unavailable'],
		[
			500,
			/server error \(HTTP 500\); the disposition may or may not have been recorded/,
			'temporarily-unavailable',
		],
		[502, /server error \(HTTP 502\)/, 'temporarily-unavailable'],
	])('explains HTTP %i', (status, message, cause) => {
		const report = explain(
			wrapped({ ...request, response: { status, data: 'boom' } }),
			'https://acme.ucontactcloud.com',
			5000,
		);
		expect(report.message).toMatch(message);
		expect(report.httpCode).toBe(String(status));
		expect(report.failure).toEqual({ cause });
		expect(JSON.stringify(report)).not.toContain(MARKER);
	});

	it('reports a redirect with its target and does not follow it', () => {
		const report = explain(
			wrapped({
				response: { status: 301, headers: { location: 'https://other.example.com/path?token=x' } },
			}),
			'http://uc',
			5000,
		);
		expect(report.message).toBe(
			'uContact at http://uc redirected the request to https://other.example.com/path (HTTP 301)',
		);
	});

	it.each([
		['ECONNREFUSED', /connection refused\); the disposition was not sent/],
		['ENOTFOUND', /was not found \(host not found\).*code: ENOTFOUND/],
		[
			'ECONNABORTED',
			/did not answer within 5000 ms; the disposition may or may not have been recorded/,
		],
		['ETIMEDOUT', /did not answer within 5000 ms/],
		['ECONNRESET', /closed before it answered; .*code: ECONNRESET/],
		['DEPTH_ZERO_SELF_SIGNED_CERT', /Ignore SSL Issues/],
		['EWHATEVER', /failed \(whatever\)/],
	])('explains transport failure %s', (code, message) => {
		const report = explain(wrapped({ ...request, code }), 'http://uc', 5000);
		expect(`${report.message} ${report.description ?? ''}`).toMatch(message);
		expect(JSON.stringify(report)).not.toContain(MARKER);
	});

	// An AI agent, and an MCP client in queue mode, is given the message only, never the
	// description: what to do before sending again must be in the message.
	it.each([
		['HTTP 500', { response: { status: 500, data: 'boom' } }],
		['HTTP 502', { response: { status: 502 } }],
		['HTTP 504', { response: { status: 504 } }],
		['an answer broken off (HTTP 200)', { response: { status: 200 }, code: 'ERR_BAD_RESPONSE' }],
		['a timeout', { code: 'ECONNABORTED' }],
		['a connection closed', { code: 'ECONNRESET' }],
		['an unknown failure', { code: 'EWHATEVER' }],
		["n8n 1.x's timeout (its code kept as httpCode)", { httpCode: 'ECONNABORTED' }],
	])(
		'%s: the message itself says the disposition may have been recorded and to check before sending again',
		(_, failure) => {
			const report = explain(
				{ message: 'Request failed', ...('httpCode' in failure ? failure : { cause: failure }) },
				'http://uc',
				5000,
			);
			expect(report.message).toMatch(
				/; the disposition may or may not have been recorded, so check in uContact before sending it again$/,
			);
		},
	);

	it('keeps network codes out of messages, where n8n would replace the whole sentence', () => {
		for (const code of [
			'ECONNREFUSED',
			'ECONNRESET',
			'ENOTFOUND',
			'ETIMEDOUT',
			'ECONNABORTED',
			'EAI_AGAIN',
			'EHOSTUNREACH',
		]) {
			expect(explain(wrapped({ code }), 'http://uc', 5000).message).not.toMatch(/\bE[A-Z_]{4,}\b/);
		}
		expect(loginFailure(undefined, 'ECONNRESET', 'http://uc')).not.toContain('ECONNRESET');
	});

	it("passes the credential's own login and address errors through", () => {
		const own = new UContactError('uContact at http://uc refused the user name or password', {
			kind: 'refused',
			step: 'login',
		});
		expect(explain(wrapped(own), 'http://uc', 5000).message).toBe(
			`${own.message}; the disposition was not sent`,
		);
	});

	it('cuts long answers when quoting them', () => {
		expect(quote('x'.repeat(500))).toMatch(/^x{200}… \(500 characters\)$/);
		expect(describeUnexpectedAnswer('ERROR', quote).message).toBe(
			'uContact gave an unexpected answer: "ERROR"',
		);
	});

	it("says of a disposition's unexpected answer that it may have been recorded", () => {
		expect(describeUnexpectedAnswer('ERROR', quote, true)).toMatchObject({
			kind: 'maybe-recorded',
			message:
				'uContact gave an unexpected answer: "ERROR"; the disposition may or may not have been recorded, so check in uContact before sending it again',
		});
	});

	it('lists the usual causes of a rejection with the values sent', () => {
		const disposition = buildDisposition(
			{ campaign: 'Ventas->', agent: 'ana', callerid: '1', guid: 'g-9', l1: 'Venta' },
			'UTC',
		);
		expect(describeRejection(disposition)).toMatchObject({
			kind: 'rejected',
			message: 'uContact rejected the disposition (it answered "0")',
			description: expect.stringMatching(/campaign "Ventas->" or agent "ana".*GUID "g-9".*"Venta"/),
		});
	});
});
