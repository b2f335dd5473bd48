/** The one place that sends a request to uContact, through n8n's authenticated HTTP helper. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { DISPOSITION_PATH, FORM_CONTENT_TYPE } from './wire';

export const CREDENTIAL_TYPE = 'uContactApi';

/**
 * POSTs an encoded disposition form and resolves with uContact's raw answer. The credential
 * adds the base URL and the token; n8n logs in again once if the answer is 401.
 */
export async function postDisposition(
	context: IExecuteFunctions,
	form: string,
	timeoutMs: number,
): Promise<unknown> {
	return await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, {
		method: 'POST',
		url: DISPOSITION_PATH,
		headers: { 'Content-Type': FORM_CONTENT_TYPE },
		body: form,
		encoding: 'text',
		json: false,
		timeout: timeoutMs,
		// A redirect is reported instead of followed, so the token never travels to another host.
		disableFollowRedirect: true,
	});
}
