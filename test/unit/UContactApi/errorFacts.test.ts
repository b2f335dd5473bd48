import { classify, stopsTheRun, UContactError } from '../../../nodes/UContactApi/errorFacts';
import { codeInWords } from '../../../nodes/UContactApi/networkWords';

const http = (status: number) => ({ message: 'Request failed', cause: { response: { status } } });

describe('classify: one answer for the retry, the stop and the words', () => {
	it.each([
		[200, 'maybe-recorded', 'not-recorded'],
		[301, 'configuration', 'configuration'],
		[400, 'rejected', 'configuration'],
		[401, 'refused', 'refused'],
		[403, 'refused', 'refused'],
		[404, 'configuration', 'configuration'],
		[409, 'rejected', 'configuration'],
		[429, 'not-recorded', 'not-recorded'],
		[500, 'maybe-recorded', 'not-recorded'],
		[502, 'maybe-recorded', 'not-recorded'],
		[503, 'not-recorded', 'not-recorded'],
		[504, 'maybe-recorded', 'not-recorded'],
	])('HTTP %i: a request is %s, a login %s', (status, request, login) => {
		expect(classify(http(status)).kind).toBe(request);
		expect(classify(http(status), 'login').kind).toBe(login);
	});

	it.each([
		['ECONNREFUSED', 'not-recorded', 'not-recorded'],
		['EAI_AGAIN', 'not-recorded', 'not-recorded'],
		['EHOSTUNREACH', 'not-recorded', 'not-recorded'],
		['ENOTFOUND', 'configuration', 'configuration'],
		['DEPTH_ZERO_SELF_SIGNED_CERT', 'configuration', 'configuration'],
		['EPROTO', 'configuration', 'configuration'],
		['ECONNRESET', 'maybe-recorded', 'not-recorded'],
		['ETIMEDOUT', 'maybe-recorded', 'not-recorded'],
		['ECONNABORTED', 'maybe-recorded', 'not-recorded'],
		['ERR_SOMETHING_NEW', 'maybe-recorded', 'not-recorded'],
	])('%s (wrapped twice): a request is %s, a login %s', (code, request, login) => {
		const error = { message: 'wrapped', cause: { message: 'inner', cause: { code } } };
		expect(classify(error).kind).toBe(request);
		expect(classify(error, 'login').kind).toBe(login);
	});

	// n8n 1.x (n8n-workflow 1.120) wraps the HTTP client's error in a NodeApiError that keeps no
	// cause, only the client's code as its httpCode; 2.x keeps the cause.
	it.each([
		['ECONNABORTED', 'maybe-recorded', 'not-recorded'],
		['ETIMEDOUT', 'maybe-recorded', 'not-recorded'],
		['ECONNREFUSED', 'not-recorded', 'not-recorded'],
		['ENOTFOUND', 'configuration', 'configuration'],
		['EPROTO', 'configuration', 'configuration'],
		['DEPTH_ZERO_SELF_SIGNED_CERT', 'configuration', 'configuration'],
	])(
		"n8n 1.x's NodeApiError with httpCode %s: a request is %s, a login %s, and the code is kept",
		(code, request, login) => {
			const error = { name: 'NodeApiError', message: 'The connection was aborted', httpCode: code };
			expect(classify(error)).toMatchObject({ kind: request, code });
			expect(classify(error, 'login')).toMatchObject({ kind: login, code });
		},
	);

	it("reads n8n 1.x's numeric httpCode as the status, not as a code", () => {
		const failure = classify({ name: 'NodeApiError', message: 'Bad gateway', httpCode: '502' });
		expect(failure).toMatchObject({ kind: 'maybe-recorded', status: 502 });
		expect(failure.code).toBeUndefined();
	});

	it("keeps the package's own classification through n8n's wrapping", () => {
		const own = new UContactError('uContact refused the user name or password', {
			kind: 'refused',
			step: 'login',
			status: 401,
		});
		const failure = classify({ message: 'n8n wrapper', cause: own });
		expect(failure).toMatchObject({
			kind: 'refused',
			step: 'login',
			status: 401,
			ownMessage: own.message,
		});
	});

	it('stops the run only for what every later request would meet', () => {
		expect(
			(
				['not-recorded', 'maybe-recorded', 'rejected', 'refused', 'configuration', 'bug'] as const
			).filter(stopsTheRun),
		).toEqual(['refused', 'configuration', 'bug']);
	});
});

describe('codeInWords', () => {
	it.each([
		['ECONNRESET', 'connection closed by the server'],
		['ERR_CANCELED', 'canceled'],
		['ERR_SOCKET_CLOSED', 'socket closed'],
		['EWHATEVER', 'whatever'],
	])('%s reads as "%s"', (code, words) => {
		expect(codeInWords(code)).toBe(words);
	});
});
