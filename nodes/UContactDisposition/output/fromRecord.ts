/**
 * What an item becomes when the record says the same disposition (same server, every key the
 * same) was recorded, or may have been, and the policy does not send it again. It says who did:
 * an earlier try of this run (Retry On Fail), an equal item of this run, another execution, or
 * only "an earlier execution" when n8n's shared store is all that knew it.
 */
import type { Disposition } from '../../UContactApi/api';
import type { FailureReport } from '../../UContactApi/requestMessages';
import type { Known } from '../record/dispositionRecord';
import type { Policy } from '../record/policy';
import { itemRef, recorded, sendFailed, type Outcome } from './results';

function who(known: Known, itemIndex: number): string {
	const { entry } = known;
	if (entry === undefined) return 'an earlier execution of this workflow';
	if (known.sameRun)
		return entry.itemIndex === itemIndex
			? 'an earlier try'
			: `${itemRef(entry.itemIndex)} of this run, which is the same disposition`;
	return `execution ${entry.executionId}, ${timeAgo(entry.at, Date.now())}`;
}

/**
 * When an earlier execution recorded it, as people say it: "3 minutes ago" reads the same in
 * every time zone, where a timestamp needs one (the execution itself, in n8n's list, has the exact time).
 */
export function timeAgo(at: number, now: number): string {
	const minutes = Math.floor(Math.max(0, now - at) / 60_000);
	const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
	if (minutes < 1) return 'less than a minute ago';
	if (minutes < 60) return count(minutes, 'minute');
	const hours = Math.floor(minutes / 60);
	if (hours < 48) return count(hours, 'hour');
	return count(Math.floor(hours / 24), 'day');
}

function why(known: Known, policy: Policy): string {
	if (known.sameRun) return '';
	return policy.retryMode
		? '; this retry of it did not send it again'
		: ', with every key the same; not sent again (Skip Repeats)';
}

/** Recorded before: a success, marked so the user sees this run did not send it. */
export function knownRecorded(
	disposition: Disposition,
	known: Known,
	itemIndex: number,
	policy: Policy,
): Outcome {
	const earlierTry = known.sameRun && known.entry?.itemIndex === itemIndex;
	const response = known.entry?.response;
	const outcome = recorded(disposition, earlierTry ? (response ?? '') : '');
	if (earlierTry) return { ok: true, json: { ...outcome.json, alreadyRecorded: true } };
	const hint = `Recorded by ${who(known, itemIndex)}${why(known, policy)}.`;
	return { ok: true, json: { ...outcome.json, alreadyRecorded: true, response: null, hint } };
}

/** Maybe recorded before: not sent again unless the user opted in, and a failure item that says so. */
export function knownUncertain(disposition: Disposition, known: Known, itemIndex: number): Outcome {
	const earlier = known.entry?.report;
	// "item 2 of this run, which is the same disposition," and "execution 7, 3 minutes ago," close
	// their aside before "may have".
	const named = who(known, itemIndex);
	const sender = named.includes(',') ? `${named},` : named;
	const message =
		known.sameRun && known.entry?.itemIndex === itemIndex
			? `Not sent again by Retry On Fail, because an earlier try may have recorded it: ${earlier?.message ?? ''}`
			: earlier !== undefined
				? `Not sent, because ${sender} may have recorded it: ${earlier.message}`
				: `Not sent, because ${sender} sent the same disposition and may have recorded it: it may still be waiting for uContact's answer (on this or another n8n worker), or it had no answer in time, an answer cut off, or n8n stopped while it was in flight`;
	const report: FailureReport = {
		...(earlier ?? {}),
		kind: 'maybe-recorded',
		message,
		description:
			'Check in uContact whether it was recorded. To send such items again, turn on Options > Resend Uncertain Items.',
	};
	return sendFailed(itemIndex, disposition, report);
}
