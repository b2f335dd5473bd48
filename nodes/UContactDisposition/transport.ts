/** The one place that sends requests to uContact, through n8n's authenticated HTTP helper. */
import type { ICredentialsDecrypted, IExecuteFunctions } from 'n8n-workflow';

import { DISPOSITION_PATH, FORM_CONTENT_TYPE } from './wire';

export const CREDENTIAL_TYPE = 'uContactApi';

/**
 * One run's connection to uContact. The decrypted credential is handed to n8n with every
 * request, so n8n does not decrypt it again each time, and every request of the run shares one
 * credential object: when requests in flight meet an expired token, n8n pre-authenticates each
 * of them and the credential (UContactApi.preAuthentication) turns that into one login.
 */
export class UContactSession {
	// A token cannot be refreshed, so n8n's re-authenticate-and-resend on 401 would only send twice.
	private readonly retryStatusCodes: number[] | undefined;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly credentials: ICredentialsDecrypted,
	) {
		this.retryStatusCodes = credentials.data?.authentication === 'userPassword' ? undefined : [];
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
