/**
 * What each item becomes: the success, dry-run and failure results, the n8n errors that carry
 * a failure, and the output items n8n receives (one per input item, in input order).
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type JsonObject,
	type NodeExecutionHint,
} from 'n8n-workflow';

import { DISPOSITION_PATH, FORM_CONTENT_TYPE, type Disposition } from '../../UContactApi/api';
import { basicAuthorization, endpointUrl } from '../../UContactApi/credential';
import type { FailureKind } from '../../UContactApi/errorFacts';
import type { FailureReport } from '../../UContactApi/requestMessages';
import { repeatedHourNote } from '../input/schedule';

/**
 * What a failed item's `errorKind` says, for workflows to branch on instead of reading words: how
 * a request failed (errorFacts.ts: not-recorded, maybe-recorded, rejected, refused, configuration,
 * bug), or that nothing was sent because the item failed the checks before sending
 * (invalid-input) or an earlier failure would repeat for it (not-sent).
 */
export type ErrorKind = FailureKind | 'invalid-input' | 'not-sent';

/**
 * A failed item, as words: the n8n error is made from it only when one is thrown (failureError),
 * so the error that stops a run is built once, with the count of what was recorded.
 */
interface Failed {
	ok: false;
	itemIndex: number;
	kind: ErrorKind;
	/** Ends with "(item N)". */
	message: string;
	description: string;
	/** From a request (NodeApiError), or from the checks before sending (NodeOperationError). */
	api?: Pick<FailureReport, 'httpCode' | 'failure'>;
	disposition?: Disposition;
}

export type Outcome = ({ ok: true; json: IDataObject } | Failed) & {
	scheduleTimezone?: string | null;
};

/**
 * Every output item has the same keys (null where unused), so n8n's table view and the next
 * node's mapping see one shape. `success` means uContact recorded it; nothing else says true.
 * `error` is the exception: only a failed item has it, because n8n 1.x counts a first output
 * item with any `error` key, even null, as a failed run and, with Retry On Fail, runs the node
 * again (2.x looks at its value). `errorKind` goes with it: what kind of failure (ErrorKind).
 */
function outputJson(fields: IDataObject): IDataObject {
	return {
		success: false,
		dryRun: false,
		alreadyRecorded: false,
		response: null,
		disposition: null,
		request: null,
		scheduleTimezone: null,
		hint: null,
		...fields,
	};
}

/**
 * How messages name an item: counted from 1, as a person counts the rows of a sheet or the items
 * n8n lists ("item 2" is the second). n8n's itemIndex and $itemIndex count from 0.
 */
export const itemRef = (itemIndex: number) => `item ${itemIndex + 1}`;

/** An item that failed the checks before sending. */
export function invalidItem(itemIndex: number, problem: string): Failed {
	return {
		ok: false,
		itemIndex,
		kind: 'invalid-input',
		message: `${problem} (${itemRef(itemIndex)})`,
		description: 'Nothing was sent to uContact.',
	};
}

export function recorded(
	disposition: Disposition,
	response: string,
): { ok: true; json: IDataObject } {
	return { ok: true, json: outputJson({ success: true, response, disposition }) };
}

/**
 * The request that would have been sent, token masked: the exact body, and beside it the values
 * it encodes (`disposition`), since a URL-encoded body is hard to check by eye.
 */
export function dryRun(
	disposition: Disposition,
	form: string,
	baseUrl: string,
	authorization = basicAuthorization('***'),
): Outcome {
	const request = {
		method: 'POST',
		url: endpointUrl(baseUrl, DISPOSITION_PATH),
		headers: { 'Content-Type': FORM_CONTENT_TYPE, Authorization: authorization },
		body: form,
	};
	return {
		ok: true,
		json: outputJson({
			dryRun: true,
			request,
			disposition,
			hint: 'Dry run: nothing was sent to uContact. "disposition" holds the values "request.body" encodes.',
		}),
	};
}

/**
 * The warning n8n shows above the output of a run with Dry Run on, so a green "success" is not
 * taken for recorded calls; undefined when no item was a dry run.
 */
export function dryRunExecutionHint(outcomes: Outcome[]): NodeExecutionHint | undefined {
	const dry = outcomes.filter((outcome) => outcome.ok && outcome.json.dryRun === true).length;
	if (dry === 0) return undefined;
	const which =
		dry === outcomes.length
			? dry === 1
				? 'The item shows'
				: `All ${dry} items show`
			: `${dry} of the ${outcomes.length} items show`;
	return {
		message: `Dry Run is on: nothing was sent to uContact. ${which} the request that would have been sent. To record the calls, turn off Options > Dry Run.`,
		type: 'warning',
		location: 'outputPane',
	};
}

/** An item not sent because an earlier failure would repeat for it. */
export function notSent(
	itemIndex: number,
	disposition: Disposition | undefined,
	reason: string,
): Failed {
	return {
		ok: false,
		itemIndex,
		kind: 'not-sent',
		disposition,
		message: `Not sent: ${reason} (${itemRef(itemIndex)})`,
		description: 'An earlier failure would repeat for every later item, so nothing more was sent.',
	};
}

/** A request that failed or that uContact did not accept. */
export function sendFailed(
	itemIndex: number,
	disposition: Disposition,
	report: FailureReport,
): Failed {
	return {
		ok: false,
		itemIndex,
		// Every report of a request carries its kind; one without could have been recorded.
		kind: report.kind ?? 'maybe-recorded',
		disposition,
		message: `${report.message} (${itemRef(itemIndex)})`,
		description: report.description ?? '',
		api: { httpCode: report.httpCode, failure: report.failure },
	};
}

const MAX_NAMED = 10;

/**
 * Which other items uContact recorded (up to ten named, by item and GUID), so the user knows
 * what not to send again; when there are none, it says so.
 */
function recordedNote(outcomes: Outcome[]): string {
	const named: string[] = [];
	let count = 0;
	outcomes.forEach((outcome, itemIndex) => {
		if (!outcome.ok || outcome.json.success !== true) return;
		count++;
		const guid = (outcome.json.disposition as Disposition | undefined)?.guid;
		if (named.length < MAX_NAMED) named.push(`${itemRef(itemIndex)} (GUID ${guid})`);
	});
	const more = count > named.length ? ` and ${count - named.length} more` : '';
	return count === 0
		? 'No other item of this run was recorded in uContact.'
		: `${count} other item(s) of this run were recorded in uContact: ${named.join(', ')}${more}. Do not send those again.`;
}

/** The n8n error for a failed item; `outcomes` given when it stops a run that sent others. */
export function failureError(
	node: INode,
	failed: Failed,
	outcomes?: Outcome[],
): NodeApiError | NodeOperationError {
	const description =
		outcomes === undefined
			? failed.description
			: `${failed.description} ${recordedNote(outcomes)}`.trim();
	const { itemIndex } = failed;
	const error =
		failed.api === undefined
			? new NodeOperationError(node, failed.message, { itemIndex, description })
			: new NodeApiError(node, { message: failed.message } as JsonObject, {
					itemIndex,
					message: failed.message,
					description,
					httpCode: failed.api.httpCode,
					failure: failed.api.failure,
				});
	// The same kind an output item carries, where an error workflow reads the error's context.
	error.context.errorKind = failed.kind;
	return error;
}

/**
 * A schedule uContact may call back at twice (the hour the clocks go back), read from what the
 * item carries, so a sent item and its Dry Run say the same.
 */
function scheduleNote(outcome: Outcome): string | undefined {
	const zone = outcome.scheduleTimezone;
	const disposition = outcome.ok
		? (outcome.json.disposition as Disposition | null)
		: outcome.disposition;
	if (!zone || !disposition?.schedule) return undefined;
	return repeatedHourNote(disposition.schedule, zone);
}

function joined(...parts: unknown[]): string | null {
	return parts.filter((part) => typeof part === 'string' && part !== '').join(' ') || null;
}

/**
 * The output items. With `routeErrors` (On Error: Continue (using error output)) a failed item is
 * `{ error, message }`: n8n 1.x and 2.x move to the error output only an item holding `error`
 * alone or with `message` (an item with an n8n error attached is cut down to `{ error }`), and
 * add the input item's fields to it there. `message` says what to do.
 */
export function toOutputItems(outcomes: Outcome[], routeErrors = false): INodeExecutionData[] {
	return outcomes.map((outcome, itemIndex) => {
		const pairedItem = { item: itemIndex };
		const scheduleTimezone = outcome.scheduleTimezone ?? null;
		const note = scheduleNote(outcome);
		if (outcome.ok) {
			const json = scheduleTimezone ? { ...outcome.json, scheduleTimezone } : outcome.json;
			if (note !== undefined)
				return { json: { ...json, hint: joined(json.hint, note) }, pairedItem };
			return { json, pairedItem };
		}
		const { message, description } = outcome;
		if (routeErrors)
			return { json: { error: message, message: description || message }, pairedItem };
		const json = outputJson({
			error: message,
			errorKind: outcome.kind,
			hint: joined(description, note),
			disposition: outcome.disposition ?? null,
			scheduleTimezone,
		});
		return { json, pairedItem };
	});
}
