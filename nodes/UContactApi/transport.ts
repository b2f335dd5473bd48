/**
 * Every request this package sends to uContact leaves from here, through n8n's HTTP helpers,
 * and none of them follows a redirect: the token or password would go wherever it points.
 */
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	IHttpRequestHelper,
} from 'n8n-workflow';

import {
	DISPOSITION_PATH,
	emptyDispositionForm,
	encodeDispositionForm,
	FORM_CONTENT_TYPE,
	LOGIN_PATH,
	loginBody,
} from './api';
import { basicAuthorization, CREDENTIAL_TYPE, endpointUrl, usesLogin } from './credential';
import { requestCopy } from './requestCredentials';

export const LOGIN_TIMEOUT_MS = 30000;
export const CREDENTIAL_TEST_TIMEOUT_MS = 30000;

/** A form POST to uContact, whichever n8n helper sends it. */
export interface FormPost {
	url: string;
	body: string;
	headers?: Record<string, string>;
	timeout: number;
	skipSslCertificateValidation: boolean;
}

/** Sends a form POST; resolves with the answer of a 2xx, throws otherwise. */
export type FormSender = (post: FormPost) => Promise<unknown>;

/** The answer of a request that was not 2xx, shaped as n8n's HTTP errors are (response.status...). */
class UContactHttpAnswer extends Error {
	constructor(readonly response: { status: number; data: unknown; headers: Record<string, unknown> }) {
		super(`HTTP ${response.status}`);
		this.name = 'UContactHttpAnswer';
	}
}

/** Through n8n's httpRequest helper: what runs in workflows (login before a request). */
export function httpRequestSender(helper: IHttpRequestHelper): FormSender {
	return async (post) =>
		await helper.helpers.httpRequest({
			method: 'POST',
			url: post.url,
			headers: { 'Content-Type': FORM_CONTENT_TYPE, ...post.headers },
			body: post.body,
			encoding: 'text',
			json: false,
			timeout: post.timeout,
			skipSslCertificateValidation: post.skipSslCertificateValidation,
			disableFollowRedirect: true,
		});
}

/**
 * Through the one helper n8n gives a credential test (on 1.x and 2.x alike): its request-style
 * options, asking for the full answer so that a 3xx comes back as it is instead of being followed.
 */
export function credentialTestSender(functions: ICredentialTestFunctions): FormSender {
	return async (post) => {
		const answer = (await functions.helpers.request({
			method: 'POST',
			uri: post.url,
			headers: { 'Content-Type': FORM_CONTENT_TYPE, ...post.headers },
			body: post.body,
			json: false,
			timeout: post.timeout,
			rejectUnauthorized: !post.skipSslCertificateValidation,
			followRedirect: false,
			followAllRedirects: false,
			simple: false,
			resolveWithFullResponse: true,
		})) as { statusCode?: unknown; body?: unknown; headers?: Record<string, unknown> };
		const status = Number(answer?.statusCode);
		if (status >= 200 && status < 300) return answer.body;
		throw new UContactHttpAnswer({ status, data: answer?.body, headers: answer?.headers ?? {} });
	};
}

export type LoginAnswer = { ok: true; body: unknown } | { ok: false; error: unknown };

/** getUserToken. A failure is handed back whole, to be classified where it is caught. */
export async function requestUserToken(
	send: FormSender,
	login: { baseUrl: string; user: string; password: string; skipSslCertificateValidation: boolean },
): Promise<LoginAnswer> {
	try {
		const body: unknown = await send({
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
	test: { baseUrl: string; token: string; skipSslCertificateValidation: boolean },
): Promise<unknown> {
	return await send({
		url: endpointUrl(test.baseUrl, DISPOSITION_PATH),
		headers: { Authorization: basicAuthorization(test.token) },
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

	/** POSTs an encoded disposition form; resolves with uContact's raw answer. */
	async postDisposition(form: string, timeoutMs: number): Promise<unknown> {
		const data = this.credentials.data;
		return await this.context.helpers.httpRequestWithAuthentication.call(
			this.context,
			CREDENTIAL_TYPE,
			{
				method: 'POST',
				url: DISPOSITION_PATH,
				headers: { 'Content-Type': FORM_CONTENT_TYPE },
				body: form,
				encoding: 'text',
				json: false,
				timeout: timeoutMs,
				// A redirect is reported instead of followed, so the token never travels to another host.
				disableFollowRedirect: true,
			},
			{
				credentialsDecrypted: {
					...this.credentials,
					data: data === undefined ? undefined : requestCopy(data),
				},
				preAuthenticationRetryStatusCode: this.retryStatusCodes,
			},
		);
	}
}
