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

export type Outcome =
	| { ok: true; json: IDataObject }
	| { ok: false; error: NodeOperationError | NodeApiError; disposition?: Disposition };

/** An item that failed the checks before sending. */
export function invalidItem(node: INode, itemIndex: number, problem: string): Outcome {
	return {
		ok: false,
		error: new NodeOperationError(node, `${problem} (item ${itemIndex})`, {
			itemIndex,
			description: 'Nothing was sent to uContact.',
		}),
	};
}

export function recorded(disposition: Disposition, response: string): Outcome {
	return { ok: true, json: { success: true, response, disposition } };
}

/** The request that would have been sent, token masked. */
export function dryRun(disposition: Disposition, form: string, baseUrl: string): Outcome {
	const request = {
		method: 'POST',
		url: `${baseUrl}${DISPOSITION_PATH}`,
		headers: { 'Content-Type': FORM_CONTENT_TYPE, Authorization: 'Basic ***' },
		body: form,
	};
	return { ok: true, json: { success: true, dryRun: true, request, disposition } };
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
		error: new NodeOperationError(node, `Not sent: ${reason} (item ${itemIndex})`, {
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
			message: `${report.message} (item ${itemIndex})`,
			description: `${report.description ?? ''}${note}`.trim(),
			httpCode: report.httpCode,
			failure: report.failure,
		}),
	};
}

export function toOutputItems(outcomes: Outcome[]): INodeExecutionData[] {
	return outcomes.map((outcome, itemIndex) => ({
		json: outcome.ok
			? outcome.json
			: { success: false, error: outcome.error.message, disposition: outcome.disposition ?? null },
		pairedItem: { item: itemIndex },
	}));
}
