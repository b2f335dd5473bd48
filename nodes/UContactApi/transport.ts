/**
 * Every request this package sends to uContact leaves from here, through n8n's HTTP helpers.
 * (The credential test is declared in the credential and sent by n8n itself.)
 */
import type {
	ICredentialsDecrypted,
	IExecuteFunctions,
	IHttpRequestHelper,
} from 'n8n-workflow';

import { DISPOSITION_PATH, FORM_CONTENT_TYPE, LOGIN_PATH, loginBody } from './api';
import { CREDENTIAL_TYPE, usesLogin } from './credential';

export const LOGIN_TIMEOUT_MS = 30000;

export type LoginAnswer =
	| { ok: true; body: unknown }
	| { ok: false; status?: number; code?: string };

/** getUserToken; a failure keeps only its status and code, since the error carries the password. */
export async function requestUserToken(
	helper: IHttpRequestHelper,
	login: { baseUrl: string; user: string; password: string; skipSslCertificateValidation: boolean },
): Promise<LoginAnswer> {
	try {
		const body: unknown = await helper.helpers.httpRequest({
			method: 'POST',
			url: `${login.baseUrl}${LOGIN_PATH}`,
			headers: { 'Content-Type': FORM_CONTENT_TYPE },
			body: loginBody(login.user, login.password),
			encoding: 'text',
			json: false,
			timeout: LOGIN_TIMEOUT_MS,
			skipSslCertificateValidation: login.skipSslCertificateValidation,
		});
		return { ok: true, body };
	} catch (error) {
		const status = error?.response?.status ?? error?.httpCode ?? undefined;
		return {
			ok: false,
			status: status === undefined ? undefined : Number(status),
			code: typeof error?.code === 'string' ? error.code : undefined,
		};
	}
}

/**
 * One run's connection to uContact. The decrypted credential is handed to n8n with every
 * request, so n8n does not decrypt it again each time, and every request of the run shares one
 * credential object: when requests in flight meet an expired token, n8n pre-authenticates each
 * of them and the credential's shared login turns that into one login.
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
				credentialsDecrypted: this.credentials,
				preAuthenticationRetryStatusCode: this.retryStatusCodes,
			},
		);
	}
}
