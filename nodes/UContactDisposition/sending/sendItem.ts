/**
 * Sending one prepared item: safe retries (of the request, and of a login n8n runs before it),
 * reading uContact's answer, and a failure report with the credential's secrets masked.
 */
import { sleep, type ICredentialDataDecryptedObject } from 'n8n-workflow';

import { interpretAnswer, type Disposition } from '../../UContactApi/api';
import { activeToken, credentialSecrets, usesLogin } from '../../UContactApi/credential';
import { classify, type FailureKind } from '../../UContactApi/errorFacts';
import { loginCount } from '../../UContactApi/login';
import { answerQuoter, redactReport, secretForms } from '../../UContactApi/redaction';
import {
	describeRejection,
	describeRequestFailure,
	describeUnexpectedAnswer,
	type FailureReport,
} from '../../UContactApi/requestMessages';
import type { UContactSession } from '../../UContactApi/transport';
import type { ItemOptions } from '../input/options';
import { retryDecision } from './retryPolicy';

export type SendResult =
	| { ok: true; response: string }
	/** `kind` "maybe-recorded": the request failed in a way that may still have recorded it. */
	| { ok: false; report: FailureReport; kind: FailureKind };

export async function sendItem(
	session: UContactSession,
	item: { disposition: Disposition; form: string; options: ItemOptions },
	baseUrl: string,
	credentials: ICredentialDataDecryptedObject,
): Promise<SendResult> {
	const { timeout } = item.options;
	const retry = { maxRetries: item.options.safeRetries, maxDelayMs: item.options.maxRetryWait };
	// Worked out only for a failure, and then once: success, the usual case, quotes nothing.
	let secretsShown: string[] | undefined;
	const forms = () =>
		(secretsShown ??= secretForms(credentialSecrets(credentials), credentials.user));
	for (let attempt = 1; ; attempt++) {
		// A first login for a credential with no token yet is not "logging in again".
		const loginsBefore = loginCount(credentials) + (activeToken(credentials) === '' ? 1 : 0);
		let sent: { ok: true; body: string } | { ok: false; error: unknown };
		try {
			sent = { ok: true, body: await session.postDisposition(item.form, timeout) };
		} catch (error) {
			sent = { ok: false, error };
		}
		if (sent.ok) {
			const answer = interpretAnswer(sent.body);
			if (answer.outcome === 'success') return { ok: true, response: answer.response };
			const report =
				answer.outcome === 'rejected'
					? describeRejection(item.disposition)
					: describeUnexpectedAnswer(answer.response, answerQuoter(forms()), true);
			// Any 2xx means uContact processed the request: only its documented "0" says it recorded nothing.
			const kind = answer.outcome === 'rejected' ? 'rejected' : 'maybe-recorded';
			return { ok: false, report: redactReport(report, forms()), kind };
		}
		const failure = classify(sent.error);
		const decision = retryDecision(failure, attempt, retry);
		if (decision.retry) {
			await sleep(decision.waitMs);
			continue;
		}
		const login = usesLogin(credentials)
			? { again: loginCount(credentials) > loginsBefore }
			: undefined;
		const report = describeRequestFailure(failure, {
			baseUrl,
			timeoutMs: timeout,
			quote: answerQuoter(forms()),
			login,
		});
		if (attempt > 1) report.message += ` (after ${attempt} attempts)`;
		if (decision.reason === 'wait-too-long' && decision.askedMs !== undefined) {
			report.message += `; it asked to wait ${decision.askedMs / 1000} s before a retry, longer than Max Retry Wait (${retry.maxDelayMs / 1000} s)`;
			report.description =
				`Raise Max Retry Wait in the options to wait that long, or send later. ${report.description ?? ''}`.trim();
		}
		return { ok: false, report: redactReport(report, forms()), kind: failure.kind };
	}
}
