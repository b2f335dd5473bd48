/** The one place that sends requests to uContact, through n8n's authenticated HTTP helper. */
import type { ICredentialsDecrypted, IExecuteFunctions } from 'n8n-workflow';

import { failureFacts } from './failureFacts';
import { DISPOSITION_PATH, FORM_CONTENT_TYPE } from './wire';

export const CREDENTIAL_TYPE = 'uContactApi';

/**
 * One run's connection to uContact. The decrypted credential is handed to n8n with every
 * request, so n8n does not decrypt it again each time. With user and password, logging in is
 * single-flight: while one request logs in (token missing, or a 401 on the current token), the
 * others wait and then reuse the new token, so many requests in flight cause one login, not many.
 */
export class UContactSession {
	private loggingIn: Promise<void> | undefined;
	private loginFailure: unknown;
	private hasLoginFailure = false;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly credentials: ICredentialsDecrypted,
	) {}

	private get data() {
		return this.credentials.data ?? {};
	}

	private get logsIn(): boolean {
		return this.data.authentication === 'userPassword';
	}

	private get token(): unknown {
		return this.data.sessionToken;
	}

	private async send(form: string, timeoutMs: number): Promise<unknown> {
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
			// 401s are handled below, once per token, instead of by n8n once per request.
			{ credentialsDecrypted: this.credentials, preAuthenticationRetryStatusCode: [] },
		);
	}

	/** Sends with an empty token field, so n8n logs in first (and stores the new token). */
	private async loginAndSend(form: string, timeoutMs: number): Promise<unknown> {
		let release = () => {};
		this.loggingIn = new Promise<void>((resolve) => (release = resolve));
		let result: unknown;
		let failure: unknown;
		let failed = false;
		try {
			result = await this.send(form, timeoutMs);
		} catch (error) {
			failed = true;
			failure = error;
		}
		this.loggingIn = undefined;
		release();
		if (failed) {
			if (!this.token) {
				this.hasLoginFailure = true;
				this.loginFailure = failure;
			}
			throw failure;
		}
		return result;
	}

	/** POSTs an encoded disposition form; resolves with uContact's raw answer. */
	async postDisposition(form: string, timeoutMs: number): Promise<unknown> {
		// The wait and the token check must run with no await between them (single-flight).
		while (this.loggingIn) await this.loggingIn;
		if (this.hasLoginFailure) throw this.loginFailure;
		if (this.logsIn && !this.token) return await this.loginAndSend(form, timeoutMs);
		const tokenUsed = this.token;
		let failure: unknown;
		try {
			return await this.send(form, timeoutMs);
		} catch (error) {
			failure = error;
		}
		if (!this.logsIn || failureFacts(failure).status !== 401) throw failure;
		// The token expired: the first request to notice clears it and logs in; the rest wait.
		if (!this.loggingIn && this.token === tokenUsed) this.data.sessionToken = '';
		while (this.loggingIn) await this.loggingIn;
		if (this.hasLoginFailure) throw this.loginFailure;
		if (!this.token) return await this.loginAndSend(form, timeoutMs);
		return await this.send(form, timeoutMs);
	}
}
