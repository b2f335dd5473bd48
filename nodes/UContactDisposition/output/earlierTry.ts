/**
 * What an item becomes when n8n runs the node again and an earlier try already recorded it, or
 * may have: n8n's Retry On Fail (a try of the same execution), or n8n's Retry of a failed
 * execution. It is not sent again, and its output says why.
 */
import type { Disposition } from '../../UContactApi/api';
import type { RecordedBy } from '../sending/executionRecord';
import type { FailureReport } from '../../UContactApi/requestMessages';
import { recorded, sendFailed, type Failed, type Outcome } from './results';

/** The earlier try's success, marked so the user sees this try did not send it. */
export function alreadyRecorded(disposition: Disposition, response: string): Outcome {
	const outcome = recorded(disposition, response);
	return outcome.ok ? { ok: true, json: { ...outcome.json, alreadyRecorded: true } } : outcome;
}

/** An item an earlier try may have recorded: not sent again unless the user opted in. */
export function notResent(itemIndex: number, disposition: Disposition, earlier: FailureReport): Failed {
	const report: FailureReport = {
		...earlier,
		message: `Not sent again by Retry On Fail, because an earlier try may have recorded it: ${earlier.message}`,
		description:
			'Check in uContact whether it was recorded. To send such items again when n8n retries the node, turn on Options > Resend Uncertain Items on Retry.',
	};
	return sendFailed(itemIndex, disposition, report);
}

/**
 * Recorded by an earlier execution, so not sent again: the failed execution n8n's Retry re-runs,
 * or (Skip Already Recorded Dispositions) any execution of this workflow within the window.
 */
export function recordedByExecution(
	disposition: Disposition,
	by: RecordedBy,
	why: 'retry' | 'skip',
): Outcome {
	const outcome = recorded(disposition, '');
	if (!outcome.ok) return outcome;
	const when = new Date(by.at).toISOString();
	const hint =
		why === 'retry'
			? `Recorded by execution ${by.executionId} at ${when}; this retry of it did not send it again.`
			: `Recorded by execution ${by.executionId} at ${when} with every key the same; not sent again (Skip Already Recorded Dispositions).`;
	return { ok: true, json: { ...outcome.json, alreadyRecorded: true, response: null, hint } };
}
