/**
 * Sending a run's prepared items through the pool: dry run, the stop after a failure that would
 * repeat for every later item, and which failure stops the workflow.
 */
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';

import type { UContactSession } from '../../UContactApi/transport';
import type { RunOptions } from '../input/options';
import type { ReadyItem } from '../input/prepareItem';
import { alreadyRecorded, notResent } from '../output/earlierTry';
import {
	dryRun,
	noteRecorded,
	notSent,
	recorded,
	sendFailed,
	type Outcome,
} from '../output/results';
import type { Attempt } from './attemptMemory';
import { dispatch } from './pool';
import { sendItem } from './sendItem';

export interface SendItemsInput {
	node: INode;
	/** Items ready to send, or already failed the checks before sending. */
	items: Array<ReadyItem | Outcome>;
	session: UContactSession;
	credentials: ICredentialDataDecryptedObject;
	/** The server address, or why it is unusable (then nothing is sent). */
	baseUrl: { ok: true; url: string } | { ok: false; problem: string };
	settings: RunOptions;
	continueOnFail: boolean;
	/** This try of the run when n8n may retry the node (Retry On Fail): what earlier tries did. */
	memory?: Attempt;
}

export interface SendItemsResult {
	outcomes: Outcome[];
	/** The first failed item when the workflow must stop (On Error: Stop Workflow). */
	stopAt?: number;
}

export async function sendItems(input: SendItemsInput): Promise<SendItemsResult> {
	const { node, items, session, credentials, settings, continueOnFail } = input;
	const baseUrl = input.baseUrl.ok ? input.baseUrl.url : '';
	// After a refused credential or a wrong address every further request would fail the same
	// way (and repeated failed logins can lock the uContact user), so the rest is not sent.
	let stopReason = input.baseUrl.ok ? undefined : input.baseUrl.problem;
	let stopAt: number | undefined;
	const outcomes: Outcome[] = new Array(items.length);

	const run = async (itemIndex: number): Promise<Outcome> => {
		const item = items[itemIndex];
		if (!('form' in item)) return item;
		if (stopReason !== undefined) return notSent(node, itemIndex, item.disposition, stopReason);
		if (item.options.dryRun) return dryRun(item.disposition, item.form, baseUrl);
		// n8n's Retry On Fail: what an earlier try recorded, or may have, is not sent again.
		const earlier = input.memory?.earlier(itemIndex, item.form);
		if (earlier?.kind === 'recorded') return alreadyRecorded(item.disposition, earlier.response);
		if (earlier?.kind === 'uncertain' && !settings.resendUncertainOnRetry)
			return notResent(node, itemIndex, item.disposition, earlier.report);
		const sent = await sendItem(session, item, baseUrl, credentials);
		input.memory?.remember(itemIndex, item.form, sent);
		if (sent.ok) return recorded(item.disposition, sent.response);
		const cause = sent.report.failure?.cause;
		if (cause === 'credential-invalid' || cause === 'configuration-invalid')
			stopReason ??= sent.report.message;
		return sendFailed(node, itemIndex, item.disposition, sent.report);
	};

	await dispatch(
		items.length,
		{
			concurrency: settings.concurrency,
			batchSize: settings.batchSize,
			batchIntervalMs: settings.batchInterval,
		},
		async (itemIndex) => {
			const outcome = await run(itemIndex);
			const item = items[itemIndex];
			if ('form' in item) outcome.scheduleTimezone = item.scheduleTimezone;
			outcomes[itemIndex] = outcome;
			if (!outcome.ok && !continueOnFail && (stopAt === undefined || itemIndex < stopAt)) {
				stopAt = itemIndex;
			}
		},
		() => stopAt !== undefined,
	);
	// Counted only now that the requests in flight have finished: the user decides from it
	// whether to send the run again.
	if (stopAt !== undefined) noteRecorded(outcomes[stopAt], outcomes);
	return { outcomes, stopAt };
}
