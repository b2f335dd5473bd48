/**
 * Sending one prepared item: safe retries, reading uContact's answer, and a failure report
 * with the credential's secrets masked.
 */
import { sleep, type ICredentialDataDecryptedObject } from 'n8n-workflow';

import { interpretAnswer, type Disposition } from '../../UContactApi/api';
import { activeToken, credentialSecrets, usesLogin } from '../../UContactApi/credential';
import {
	describeRejection,
	describeRequestFailure,
	describeUnexpectedAnswer,
	redactSecrets,
	type FailureReport,
} from '../../UContactApi/failures';
import { loginCount } from '../../UContactApi/login';
import type { UContactSession } from '../../UContactApi/transport';
import { DEFAULT_TIMEOUT_MS, type Options } from '../description';
import { DEFAULT_MAX_RETRY_WAIT_MS, DEFAULT_SAFE_RETRIES, retryDelay } from './retryPolicy';

export type SendResult = { ok: true; response: string } | { ok: false; report: FailureReport };

export async function sendItem(
	session: UContactSession,
	item: { disposition: Disposition; form: string; options: Options },
	baseUrl: string,
	credentials: ICredentialDataDecryptedObject,
): Promise<SendResult> {
	const timeout = item.options.timeout ?? DEFAULT_TIMEOUT_MS;
	const retry = {
		maxRetries: item.options.safeRetries ?? DEFAULT_SAFE_RETRIES,
		maxDelayMs: item.options.maxRetryWait ?? DEFAULT_MAX_RETRY_WAIT_MS,
	};
	let report: FailureReport | undefined;
	for (let attempt = 1; ; attempt++) {
		let failure: unknown;
		// A first login for a credential with no token yet is not "logging in again".
		const loginsBefore = loginCount(credentials) + (activeToken(credentials) === '' ? 1 : 0);
		try {
			const answer = interpretAnswer(await session.postDisposition(item.form, timeout));
			if (answer.outcome === 'success') return { ok: true, response: answer.response };
			report =
				answer.outcome === 'rejected'
					? describeRejection(item.disposition)
					: describeUnexpectedAnswer(answer.response);
			break;
		} catch (error) {
			failure = error;
		}
		const wait = retryDelay(failure, attempt, retry);
		if (wait === undefined) {
			const login = usesLogin(credentials)
				? { again: loginCount(credentials) > loginsBefore }
				: undefined;
			report = describeRequestFailure(failure, baseUrl, timeout, { login });
			if (attempt > 1) report.message += ` (after ${attempt} attempts)`;
			break;
		}
		await sleep(wait);
	}
	return { ok: false, report: redactSecrets(report, credentialSecrets(credentials)) };
}
