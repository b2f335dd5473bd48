/**
 * Sending a run's prepared items through the pool: dry run, the stop after a failure that would
 * repeat for every later item of the same credential, and which failure stops the workflow.
 */
import { authorizationFor, credentialSecrets } from '../../UContactApi/credential';
import { bugFailure, stopsTheRun } from '../../UContactApi/errorFacts';
import { redactReport, secretForms } from '../../UContactApi/redaction';
import { describeRequestFailure } from '../../UContactApi/requestMessages';
import type { RunOptions } from '../input/options';
import type { ReadyItem } from '../input/prepareItem';
import { knownRecorded, knownUncertain } from '../output/fromRecord';
import { dryRun, notSent, recorded, sendFailed, type Outcome } from '../output/results';
import type { DispositionRecord } from '../record/dispositionRecord';
import { recordKey } from '../record/recordKey';
import type { ItemCredential } from './itemCredentials';
import { dispatch } from './pool';
import { sendItem } from './sendItem';

export interface SendItemsInput {
	/** Items ready to send, or already failed the checks before sending. */
	items: Array<ReadyItem | Outcome>;
	/**
	 * The credential a ready item is sent with (n8n resolves a credential's expressions per item):
	 * its session, its secrets, its server address (or why it is unusable: then nothing is sent with it).
	 */
	credentialOf: (itemIndex: number) => ItemCredential;
	settings: RunOptions;
	continueOnFail: boolean;
	/** What was recorded, or may have been, and what is in flight: every item takes a turn on it. */
	record: DispositionRecord;
}

export interface SendItemsResult {
	/** One per item, in input order. */
	outcomes: Outcome[];
	/** The first failed item when the workflow must stop (On Error: Stop Workflow). */
	stopAt?: number;
}

export async function sendItems(input: SendItemsInput): Promise<SendItemsResult> {
	const { items, credentialOf, settings, continueOnFail } = input;
	const baseUrlOf = (credential: ItemCredential) =>
		credential.baseUrl.ok ? credential.baseUrl.url : '';
	// After a refused credential or a wrong address every further request with that credential
	// would fail the same way (and repeated failed logins can lock the uContact user), so no more
	// is sent with it; after a bug in this node nothing more is sent at all.
	const stopped = new Map<ItemCredential, string>();
	let bugStop: string | undefined;
	const stopReasonOf = (credential: ItemCredential) =>
		bugStop ??
		stopped.get(credential) ??
		(credential.baseUrl.ok ? undefined : credential.baseUrl.problem);
	let stopAt: number | undefined;
	const outcomes: Array<Outcome | undefined> = new Array(items.length).fill(undefined);
	const keys = items.map((item, itemIndex) =>
		'form' in item ? recordKey(baseUrlOf(credentialOf(itemIndex)), item.form) : '',
	);
	input.record.expect(
		items.flatMap((item, itemIndex) =>
			'form' in item && !item.options.dryRun && credentialOf(itemIndex).baseUrl.ok
				? [{ itemIndex, key: keys[itemIndex] }]
				: [],
		),
	);

	const run = async (itemIndex: number, item: ReadyItem): Promise<Outcome> => {
		const credential = credentialOf(itemIndex);
		const { session, credentials } = credential;
		const baseUrl = baseUrlOf(credential);
		const stoppedBefore = stopReasonOf(credential);
		if (stoppedBefore !== undefined) return notSent(itemIndex, item.disposition, stoppedBefore);
		if (item.options.dryRun)
			return dryRun(item.disposition, item.form, baseUrl, authorizationFor(credentials, '***'));
		const turn = await input.record.turn(keys[itemIndex], itemIndex, item.options.timeout);
		if (!turn.send) {
			return turn.known.state === 'recorded'
				? knownRecorded(item.disposition, turn.known, itemIndex, input.record.policy)
				: knownUncertain(item.disposition, turn.known, itemIndex);
		}
		// The run may have stopped while this item waited for an equal one in flight.
		const stopping = stopReasonOf(credential);
		if (stopping !== undefined) {
			turn.abandon();
			return notSent(itemIndex, item.disposition, stopping);
		}
		let sent: Awaited<ReturnType<typeof sendItem>> | undefined;
		try {
			sent = await sendItem(session, item, baseUrl, credentials);
		} finally {
			// Our own code broke somewhere in the exchange (reported below): uContact may have the request.
			turn.done(
				sent ?? { ok: false, kind: 'maybe-recorded', report: { message: 'an error in this node' } },
			);
		}
		if (sent.ok) return recorded(item.disposition, sent.response);
		if (sent.kind === 'bug') bugStop ??= sent.report.message;
		else if (stopsTheRun(sent.kind) && !stopped.has(credential))
			stopped.set(credential, sent.report.message);
		return sendFailed(itemIndex, item.disposition, sent.report);
	};

	const settle = (itemIndex: number, outcome: Outcome) => {
		outcomes[itemIndex] = outcome;
		if (!outcome.ok && !continueOnFail && (stopAt === undefined || itemIndex < stopAt))
			stopAt = itemIndex;
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
				const credential = credentialOf(itemIndex);
				const { credentials } = credential;
				const report = redactReport(
					describeRequestFailure(bugFailure(error), {
						baseUrl: baseUrlOf(credential),
						timeoutMs: item.options.timeout,
						quote: () => '',
					}),
					secretForms(credentialSecrets(credentials), credentials.user),
				);
				bugStop ??= report.message;
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
		const reason =
			stopAt === undefined
				? 'the run stopped before this item'
				: `the run stopped at item ${stopAt}`;
		return notSent(itemIndex, 'form' in item ? item.disposition : undefined, reason);
	});
	// The run's outcomes are in n8n's shared store before the node hands its items on.
	await input.record.settled();
	return { outcomes: complete, stopAt };
}
