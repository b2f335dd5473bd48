/**
 * Every request this package sends to uContact leaves from here, through n8n's HTTP helpers,
 * and none of them follows a redirect: the token or password would go wherever it points.
 * Every answer arrives as a stream and is read within its request's Timeout and no further than
 * ANSWER_CAP_BYTES (answerReading.ts): n8n's helpers alone would read any length, for any time.
 */
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	IHttpRequestHelper,
} from 'n8n-workflow';

import { CREDENTIAL_TEST_TIMEOUT_MS, LOGIN_TIMEOUT_MS } from './answerLimits';
import {
	dropAnswer,
	failureOf,
	fullAnswer,
	readAnswer,
	successText,
	UContactHttpAnswer,
	type FullAnswer,
} from './answerReading';
import {
	DISPOSITION_PATH,
	emptyDispositionForm,
	encodeDispositionForm,
	FORM_CONTENT_TYPE,
	LOGIN_PATH,
	loginBody,
} from './api';
import { CREDENTIAL_TYPE, endpointUrl, usesLogin } from './credential';
import { Deadline, deadlinePerSend } from './deadline';
import { requestCopy } from './requestCredentials';

/** A form POST to uContact, whichever n8n helper sends it. */
interface FormPost {
	url: string;
	body: string;
	headers?: Record<string, string>;
	timeout: number;
	skipSslCertificateValidation: boolean;
}

/** Sends a form POST; resolves with the text of a 2xx answer, throws otherwise. */
export type FormSender = (post: FormPost) => Promise<string>;

/** Through n8n's httpRequest helper: what runs in workflows (login before a request). */
export function httpRequestSender(helper: IHttpRequestHelper): FormSender {
	return async (post) => {
		const deadline = new Deadline(post.timeout);
		let answer: unknown;
		try {
			answer = await deadline.race(
				helper.helpers.httpRequest({
					method: 'POST',
					url: post.url,
					headers: { 'Content-Type': FORM_CONTENT_TYPE, ...post.headers },
					body: post.body,
					encoding: 'stream',
					json: false,
					returnFullResponse: true,
					timeout: post.timeout,
					abortSignal: deadline.signal,
					skipSslCertificateValidation: post.skipSslCertificateValidation,
					disableFollowRedirect: true,
				}),
				dropAnswer,
			);
		} catch (error) {
			throw await failureOf(error, deadline);
		}
		try {
			return await successText(fullAnswer(answer), deadline);
		} finally {
			deadline.end();
		}
	};
}

/**
 * Through the one helper n8n gives a credential test (on 1.x and 2.x alike): its request-style
 * options, asking for the full answer so that a 3xx comes back as it is instead of being followed.
 * It takes no abort signal: its own timeout bounds the wait for the headers, the deadline the rest.
 */
export function credentialTestSender(functions: ICredentialTestFunctions): FormSender {
	return async (post) => {
		const deadline = new Deadline(post.timeout);
		let answer: FullAnswer;
		try {
			answer = fullAnswer(
				await deadline.race(
					functions.helpers.request({
						method: 'POST',
						uri: post.url,
						headers: { 'Content-Type': FORM_CONTENT_TYPE, ...post.headers },
						body: post.body,
						json: false,
						useStream: true,
						timeout: post.timeout,
						rejectUnauthorized: !post.skipSslCertificateValidation,
						followRedirect: false,
						followAllRedirects: false,
						simple: false,
						resolveWithFullResponse: true,
					}) as Promise<unknown>,
					dropAnswer,
				),
			);
		} catch (error) {
			throw await failureOf(error, deadline);
		}
		try {
			if (answer.status >= 200 && answer.status < 300) return await successText(answer, deadline);
			const read = await readAnswer(answer.body, deadline);
			throw new UContactHttpAnswer({
				status: answer.status,
				data: read.text,
				headers: answer.headers,
			});
		} finally {
			deadline.end();
		}
	};
}

type LoginAnswer = { ok: true; body: string } | { ok: false; error: unknown };

/** getUserToken. A failure is handed back whole, to be classified where it is caught. */
export async function requestUserToken(
	send: FormSender,
	login: { baseUrl: string; user: string; password: string; skipSslCertificateValidation: boolean },
): Promise<LoginAnswer> {
	try {
		const body = await send({
			url: endpointUrl(login.baseUrl, LOGIN_PATH),
			body: loginBody(login.user, login.password),
			timeout: LOGIN_TIMEOUT_MS,
			skipSslCertificateValidation: login.skipSslCertificateValidation,
		});
		return { ok: true, body };
	} catch (error) {
		return { ok: false, error };
	}
}

/**
 * The credential test's request: a disposition with every key empty. It proves the address
 * (the endpoint exists) and the token (no 401) while uContact, finding no call with an empty
 * guid, records nothing.
 */
export async function postEmptyDisposition(
	send: FormSender,
	test: { baseUrl: string; authorization: string; skipSslCertificateValidation: boolean },
): Promise<string> {
	return await send({
		url: endpointUrl(test.baseUrl, DISPOSITION_PATH),
		headers: { Authorization: test.authorization },
		body: encodeDispositionForm(emptyDispositionForm()),
		timeout: CREDENTIAL_TEST_TIMEOUT_MS,
		skipSslCertificateValidation: test.skipSslCertificateValidation,
	});
}

/**
 * One run's connection to uContact. The decrypted credential is handed to n8n with every
 * request, so n8n does not decrypt it again each time. Each request gets its own copy of it,
 * linked to the run's: when n8n pre-authenticates a request after a 401, the copy shows which
 * token that request sent (login.ts).
 */
export class UContactSession {
	// A token cannot be refreshed, so n8n's re-authenticate-and-resend on 401 would only send twice.
	private readonly retryStatusCodes: number[] | undefined;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly credentials: ICredentialsDecrypted,
	) {
		this.retryStatusCodes =
			credentials.data !== undefined && usesLogin(credentials.data) ? undefined : [];
	}

	/** POSTs an encoded disposition form; resolves with uContact's answer as text. */
	async postDisposition(form: string, timeoutMs: number): Promise<string> {
		const data = this.credentials.data;
		const send = deadlinePerSend(
			{
				method: 'POST',
				url: DISPOSITION_PATH,
				headers: { 'Content-Type': FORM_CONTENT_TYPE },
				body: form,
				encoding: 'stream',
				json: false,
				returnFullResponse: true,
				timeout: timeoutMs,
				// A redirect is reported instead of followed, so the token never travels to another host.
				disableFollowRedirect: true,
			},
			timeoutMs,
		);
		let answer: unknown;
		try {
			answer = await this.context.helpers.httpRequestWithAuthentication.call(
				this.context,
				CREDENTIAL_TYPE,
				send.options,
				{
					credentialsDecrypted: {
						...this.credentials,
						data: data === undefined ? undefined : requestCopy(data),
					},
					preAuthenticationRetryStatusCode: this.retryStatusCodes,
				},
			);
		} catch (error) {
			throw await failureOf(error, send.deadline());
		}
		const deadline = send.deadline();
		try {
			return await successText(fullAnswer(answer), deadline);
		} finally {
			deadline.end();
		}
	}
}
