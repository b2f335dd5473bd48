/**
 * Sending a run's prepared items through the pool: dry run, the stop after a failure that would
 * repeat for every later item, and which failure stops the workflow.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { credentialSecrets } from '../../UContactApi/credential';
import { bugFailure, stopsTheRun } from '../../UContactApi/errorFacts';
import { redactReport, secretForms } from '../../UContactApi/redaction';
import { describeRequestFailure } from '../../UContactApi/requestMessages';
import type { UContactSession } from '../../UContactApi/transport';
import type { RunOptions } from '../input/options';
import type { ReadyItem } from '../input/prepareItem';
import { alreadyRecorded, notResent, recordedByExecution } from '../output/earlierTry';
import { dryRun, notSent, recorded, sendFailed, type Outcome } from '../output/results';
import type { Attempt } from './attemptMemory';
import type { ExecutionRecord } from './executionRecord';
import type { RecordedLedger } from './recordedLedger';
import { dispatch } from './pool';
import { sendItem } from './sendItem';

export interface SendItemsInput {
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
	/** What the execution n8n's Retry re-runs recorded (read in retry mode only). */
	record?: ExecutionRecord;
	/** Skip Already Recorded Dispositions: what this workflow recorded within the window. */
	ledger?: RecordedLedger;
}

export interface SendItemsResult {
	/** One per item, in input order. */
	outcomes: Outcome[];
	/** The first failed item when the workflow must stop (On Error: Stop Workflow). */
	stopAt?: number;
	/** Items this execution recorded (this try or an earlier try of it), for a Retry of it. */
	recordedHere: Array<{ itemIndex: number; form: string }>;
}

export async function sendItems(input: SendItemsInput): Promise<SendItemsResult> {
	const { items, session, credentials, settings, continueOnFail } = input;
	const baseUrl = input.baseUrl.ok ? input.baseUrl.url : '';
	// After a refused credential, a wrong address or a bug every further request would fail the
	// same way (and repeated failed logins can lock the uContact user), so the rest is not sent.
	let stopReason = input.baseUrl.ok ? undefined : input.baseUrl.problem;
	let stopAt: number | undefined;
	const outcomes: Array<Outcome | undefined> = new Array(items.length).fill(undefined);
	const recordedHere: SendItemsResult['recordedHere'] = [];

	const run = async (itemIndex: number, item: ReadyItem): Promise<Outcome> => {
		if (stopReason !== undefined) return notSent(itemIndex, item.disposition, stopReason);
		if (item.options.dryRun) return dryRun(item.disposition, item.form, baseUrl);
		// n8n's Retry of a failed execution: what that execution recorded is not sent again.
		const recordedBy = input.record?.recordedBy(itemIndex, item.form);
		if (recordedBy !== undefined) return recordedByExecution(item.disposition, recordedBy, 'retry');
		const skipped = input.ledger?.recordedBy(item.form);
		if (skipped !== undefined) return recordedByExecution(item.disposition, skipped, 'skip');
		// n8n's Retry On Fail: what an earlier try recorded, or may have, is not sent again.
		const earlier = input.memory?.earlier(itemIndex, item.form);
		if (earlier?.kind === 'recorded') {
			recordedHere.push({ itemIndex, form: item.form });
			return alreadyRecorded(item.disposition, earlier.response);
		}
		if (earlier?.kind === 'uncertain' && !settings.resendUncertainOnRetry)
			return notResent(itemIndex, item.disposition, earlier.report);
		const sent = await sendItem(session, item, baseUrl, credentials);
		input.memory?.remember(itemIndex, item.form, sent);
		if (sent.ok) {
			recordedHere.push({ itemIndex, form: item.form });
			input.ledger?.keep(item.form);
			return recorded(item.disposition, sent.response);
		}
		if (stopsTheRun(sent.kind)) stopReason ??= sent.report.message;
		return sendFailed(itemIndex, item.disposition, sent.report);
	};

	const settle = (itemIndex: number, outcome: Outcome) => {
		outcomes[itemIndex] = outcome;
		if (!outcome.ok && !continueOnFail && (stopAt === undefined || itemIndex < stopAt)) stopAt = itemIndex;
	};

	await dispatch(
		items.length,
		{
			concurrency: settings.concurrency,
			batchSize: settings.batchSize,
			batchIntervalMs: settings.batchInterval,
		},
		async (itemIndex) => {
			const item = items[itemIndex];
			if (!('form' in item)) return settle(itemIndex, item);
			let outcome: Outcome;
			try {
				outcome = await run(itemIndex, item);
			} catch (error) {
				// Our own code broke: said as such, and nothing more is sent.
				const report = redactReport(
					describeRequestFailure(bugFailure(error), {
						baseUrl,
						timeoutMs: item.options.timeout,
						quote: () => '',
					}),
					secretForms(credentialSecrets(credentials), credentials.user),
				);
				stopReason ??= report.message;
				outcome = sendFailed(itemIndex, item.disposition, report);
			}
			outcome.scheduleTimezone = item.scheduleTimezone;
			settle(itemIndex, outcome);
		},
		() => stopAt !== undefined,
	);
	// Items never started (the run stopped first) still get an output of their own.
	const complete = outcomes.map((outcome, itemIndex) => {
		if (outcome !== undefined) return outcome;
		const item = items[itemIndex];
		const reason = stopAt === undefined ? 'the run stopped before this item' : `the run stopped at item ${stopAt}`;
		return notSent(itemIndex, 'form' in item ? item.disposition : undefined, reason);
	});
	return { outcomes: complete, stopAt, recordedHere };
}
