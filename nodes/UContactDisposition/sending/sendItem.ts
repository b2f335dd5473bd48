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
import type { ItemOptions } from '../input/options';
import {
	mayHaveBeenRecorded,
	retryDelay,
	retryWaitTooLong,
} from './retryPolicy';

export type SendResult =
	| { ok: true; response: string }
	/** `uncertain`: the request failed in a way that may still have recorded the disposition. */
	| { ok: false; report: FailureReport; uncertain?: boolean };

export async function sendItem(
	session: UContactSession,
	item: { disposition: Disposition; form: string; options: ItemOptions },
	baseUrl: string,
	credentials: ICredentialDataDecryptedObject,
): Promise<SendResult> {
	const { timeout } = item.options;
	const retry = { maxRetries: item.options.safeRetries, maxDelayMs: item.options.maxRetryWait };
	let report: FailureReport | undefined;
	let uncertain = false;
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
			uncertain = mayHaveBeenRecorded(failure);
			if (attempt > 1) report.message += ` (after ${attempt} attempts)`;
			const asked = retryWaitTooLong(failure, attempt, retry);
			if (asked !== undefined) {
				report.message += `; it asked to wait ${asked / 1000} s before a retry, longer than Max Retry Wait (${retry.maxDelayMs / 1000} s)`;
				report.description =
					`Raise Max Retry Wait in the options to wait that long, or send later. ${report.description ?? ''}`.trim();
			}
			break;
		}
		await sleep(wait);
	}
	return { ok: false, report: redactSecrets(report, credentialSecrets(credentials)), uncertain };
}
