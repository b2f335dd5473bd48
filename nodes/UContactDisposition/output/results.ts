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
} from 'n8n-workflow';

import { DISPOSITION_PATH, FORM_CONTENT_TYPE, type Disposition } from '../../UContactApi/api';
import type { FailureReport } from '../../UContactApi/failures';

export type Outcome = (
	| { ok: true; json: IDataObject }
	| { ok: false; error: NodeOperationError | NodeApiError; disposition?: Disposition }
) & { scheduleTimezone?: string | null };

export type Failed = Extract<Outcome, { ok: false }>;

/**
 * Every output item has the same keys (null where unused), so n8n's table view and the next
 * node's mapping see one shape. `success` means uContact recorded it; nothing else says true.
 * `error` is the exception: only a failed item has it, because n8n 1.x counts a first output
 * item with any `error` key, even null, as a failed run and, with Retry On Fail, runs the node
 * again (2.x looks at its value).
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
 * How messages name an item: its index from 0, the number n8n's own messages ("[item 2]"),
 * the error's itemIndex and $itemIndex give the same item.
 */
export const itemRef = (itemIndex: number) => `item ${itemIndex}`;

/** An item that failed the checks before sending. */
export function invalidItem(node: INode, itemIndex: number, problem: string): Failed {
	return {
		ok: false,
		error: new NodeOperationError(node, `${problem} (${itemRef(itemIndex)})`, {
			itemIndex,
			description: 'Nothing was sent to uContact.',
		}),
	};
}

export function recorded(disposition: Disposition, response: string): Outcome {
	return { ok: true, json: outputJson({ success: true, response, disposition }) };
}

/**
 * The request that would have been sent, token masked: the exact body, and beside it the values
 * it encodes (`disposition`), since a URL-encoded body is hard to check by eye.
 */
export function dryRun(disposition: Disposition, form: string, baseUrl: string): Outcome {
	const request = {
		method: 'POST',
		url: `${baseUrl}${DISPOSITION_PATH}`,
		headers: { 'Content-Type': FORM_CONTENT_TYPE, Authorization: 'Basic ***' },
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

/** An item not sent because an earlier failure would repeat for it. */
export function notSent(
	node: INode,
	itemIndex: number,
	disposition: Disposition,
	reason: string,
): Outcome {
	return {
		ok: false,
		disposition,
		error: new NodeOperationError(node, `Not sent: ${reason} (${itemRef(itemIndex)})`, {
			itemIndex,
			description:
				'An earlier failure would repeat for every later item, so nothing more was sent.',
		}),
	};
}

/** A request uContact did not accept; `note` adds what the user must know about the run. */
export function sendFailed(
	node: INode,
	itemIndex: number,
	disposition: Disposition,
	report: FailureReport,
	note = '',
): Outcome {
	return {
		ok: false,
		disposition,
		error: new NodeApiError(node, { message: report.message } as JsonObject, {
			itemIndex,
			message: `${report.message} (${itemRef(itemIndex)})`,
			description: `${report.description ?? ''}${note}`.trim(),
			httpCode: report.httpCode,
			failure: report.failure,
		}),
	};
}

const MAX_NAMED = 10;

/**
 * Adds to the error that stops the run which other items uContact recorded (up to ten named,
 * by item and GUID), so the user knows what not to send again.
 */
export function noteRecorded(stopping: Outcome | undefined, outcomes: Outcome[]): void {
	if (stopping === undefined || stopping.ok) return;
	const named: string[] = [];
	let count = 0;
	outcomes.forEach((outcome, itemIndex) => {
		if (outcome === undefined || !outcome.ok || outcome.json.success !== true) return;
		count++;
		const guid = (outcome.json.disposition as Disposition | undefined)?.guid;
		if (named.length < MAX_NAMED) named.push(`${itemRef(itemIndex)} (GUID ${guid})`);
	});
	const more = count > named.length ? ` and ${count - named.length} more` : '';
	const note =
		count === 0
			? 'No other item of this run was recorded in uContact.'
			: `${count} other item(s) of this run were recorded in uContact: ${named.join(', ')}${more}. Do not send those again.`;
	const { error } = stopping;
	error.description = `${error.description ?? ''} ${note}`.trim();
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
		if (outcome.ok) {
			const json = scheduleTimezone ? { ...outcome.json, scheduleTimezone } : outcome.json;
			return { json, pairedItem };
		}
		const { message, description } = outcome.error;
		if (routeErrors)
			return { json: { error: message, message: description || message }, pairedItem };
		const json = outputJson({
			error: message,
			hint: description || null,
			disposition: outcome.disposition ?? null,
			scheduleTimezone,
		});
		return { json, pairedItem };
	});
}
