import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';

import { interpretAnswer } from './answer';
import { autoMapInputData } from './autoMap';
import {
	DEFAULT_CONCURRENCY,
	DEFAULT_TIMEOUT_MS,
	dispositionProperties,
	MAX_CONCURRENCY,
	WORKFLOW_TIMEZONE,
} from './description';
import { buildDisposition, DispositionInputError, type DispositionInput } from './disposition';
import { dispatch } from './dispatch';
import {
	describeRejection,
	describeRequestFailure,
	describeUnexpectedAnswer,
	redactSecrets,
	type FailureReport,
} from './errors';
import { checkTimeZone, ScheduleError } from './schedule';
import { DEFAULT_MAX_RETRY_WAIT_MS, DEFAULT_SAFE_RETRIES, retryDelay } from './retry';
import { resolveBaseUrl } from './serverAddress';
import { CREDENTIAL_TYPE, UContactSession } from './transport';
import {
	DISPOSITION_PATH,
	encodeDispositionForm,
	FORM_CONTENT_TYPE,
	type Disposition,
} from './wire';

interface Options {
	dryRun?: boolean;
	scheduleTimezone?: string;
	timeout?: number;
	concurrency?: number;
	safeRetries?: number;
	maxRetryWait?: number;
	batching?: { batch?: { batchSize?: number; batchInterval?: number } };
}

type Failed = { ok: false; error: NodeOperationError | NodeApiError; disposition?: Disposition };
type Prepared = { ok: true; disposition: Disposition; form: string; options: Options } | Failed;
type Outcome = { ok: true; json: IDataObject } | Failed;

export class UContactDisposition implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'uContact Disposition',
		name: 'uContactDisposition',
		icon: { light: 'file:../../icons/ucontact.svg', dark: 'file:../../icons/ucontact.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{"Disposition: " + ($parameter["mappingMode"] === "autoMapInputData" ? "mapped automatically" : ($parameter["l1"] || "…"))}}',
		description:
			'Record the disposition (outcome) of a finished uContact call: campaign, agent, caller ID, call GUID and disposition levels, with optional extra data, comment, tag and a scheduled callback',
		defaults: { name: 'uContact Disposition' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: dispositionProperties,
	};

	methods = {
		loadOptions: {
			async getTimezones(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return [
					{ name: 'Workflow Time Zone', value: WORKFLOW_TIMEZONE },
					...Intl.supportedValuesOf('timeZone').map((zone) => ({ name: zone, value: zone })),
				];
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const node = this.getNode();
		const continueOnFail = this.continueOnFail();
		const workflowZone = this.getTimezone();
		const autoMap = this.getNodeParameter('mappingMode', 0, 'defineBelow') === 'autoMapInputData';
		// In automatic mode nothing is an expression per item, so options are read once.
		const sharedOptions = autoMap
			? (this.getNodeParameter('options', 0, {}) as Options)
			: undefined;

		const readInput = (itemIndex: number): DispositionInput => {
			if (autoMap) return autoMapInputData(items[itemIndex].json);
			return {
				campaign: this.getNodeParameter('campaign', itemIndex, ''),
				agent: this.getNodeParameter('agent', itemIndex, ''),
				callerid: this.getNodeParameter('callerid', itemIndex, ''),
				guid: this.getNodeParameter('guid', itemIndex, ''),
				l1: this.getNodeParameter('l1', itemIndex, ''),
				l2: this.getNodeParameter('l2', itemIndex, ''),
				l3: this.getNodeParameter('l3', itemIndex, ''),
				...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
			};
		};

		// Every item is checked before the first request, so bad input never leaves half a batch sent.
		const prepared: Prepared[] = items.map((_item, itemIndex) => {
			const options = sharedOptions ?? (this.getNodeParameter('options', itemIndex, {}) as Options);
			let problem: string | undefined;
			try {
				const requested = options.scheduleTimezone;
				const zone =
					!requested || requested === WORKFLOW_TIMEZONE ? workflowZone : checkTimeZone(requested);
				const disposition = buildDisposition(readInput(itemIndex), zone);
				return { ok: true, disposition, form: encodeDispositionForm(disposition), options };
			} catch (error) {
				if (error instanceof DispositionInputError) problem = error.message;
				else if (error instanceof ScheduleError)
					problem = `Schedule Time Zone (scheduleTimezone) ${error.message}`;
				else problem = String(error);
			}
			const error = new NodeOperationError(node, `${problem} (item ${itemIndex})`, {
				itemIndex,
				description: 'Nothing was sent to uContact.',
			});
			if (!continueOnFail) throw error;
			return { ok: false, error };
		});

		const data = await this.getCredentials(CREDENTIAL_TYPE);
		// Handing n8n the decrypted credential saves it decrypting it again for every request.
		const session = new UContactSession(this, {
			id: node.credentials?.[CREDENTIAL_TYPE]?.id ?? '',
			name: node.credentials?.[CREDENTIAL_TYPE]?.name ?? '',
			type: CREDENTIAL_TYPE,
			data,
		});
		let baseUrl = '';
		let stopReason: string | undefined;
		try {
			baseUrl = resolveBaseUrl(data);
		} catch (error) {
			stopReason = error instanceof Error ? error.message : String(error);
		}

		const outcomes: Outcome[] = new Array(prepared.length);
		let recorded = 0;
		let firstThrown: number | undefined;

		const settle = (itemIndex: number, outcome: Outcome) => {
			outcomes[itemIndex] = outcome;
			if (
				!outcome.ok &&
				!continueOnFail &&
				(firstThrown === undefined || itemIndex < firstThrown)
			) {
				firstThrown = itemIndex;
			}
		};

		const send = async (itemIndex: number) => {
			const item = prepared[itemIndex];
			if (!item.ok) return settle(itemIndex, item);
			if (stopReason !== undefined) {
				// After a refused credential or a wrong address every further request would fail the
				// same way (and repeated logins can lock the uContact user), so the rest is not sent.
				return settle(itemIndex, {
					ok: false,
					disposition: item.disposition,
					error: new NodeOperationError(node, `Not sent: ${stopReason} (item ${itemIndex})`, {
						itemIndex,
						description:
							'An earlier failure would repeat for every later item, so nothing more was sent.',
					}),
				});
			}
			if (item.options.dryRun === true) {
				return settle(itemIndex, {
					ok: true,
					json: {
						success: true,
						dryRun: true,
						request: {
							method: 'POST',
							url: `${baseUrl}${DISPOSITION_PATH}`,
							headers: { 'Content-Type': FORM_CONTENT_TYPE, Authorization: 'Basic ***' },
							body: item.form,
						},
						disposition: item.disposition,
					},
				});
			}
			const timeout = item.options.timeout ?? DEFAULT_TIMEOUT_MS;
			const retry = {
				maxRetries: item.options.safeRetries ?? DEFAULT_SAFE_RETRIES,
				maxDelayMs: item.options.maxRetryWait ?? DEFAULT_MAX_RETRY_WAIT_MS,
			};
			let report: FailureReport | undefined;
			let response = '';
			for (let attempt = 1; ; attempt++) {
				let failure: unknown;
				try {
					const answer = interpretAnswer(await session.postDisposition(item.form, timeout));
					response = answer.response;
					if (answer.outcome === 'rejected') report = describeRejection(item.disposition);
					if (answer.outcome === 'unexpected') report = describeUnexpectedAnswer(answer.response);
					break;
				} catch (error) {
					failure = error;
				}
				const wait = retryDelay(failure, attempt, retry);
				if (wait === undefined) {
					report = describeRequestFailure(failure, baseUrl, timeout);
					if (attempt > 1) report.message += ` (after ${attempt} attempts)`;
					break;
				}
				await sleep(wait);
			}
			if (report !== undefined)
				report = redactSecrets(report, [data.token, data.password, data.sessionToken]);
			if (report === undefined) {
				recorded++;
				return settle(itemIndex, {
					ok: true,
					json: { success: true, response, disposition: item.disposition },
				});
			}
			const cause = report.failure?.cause;
			if (cause === 'credential-invalid' || cause === 'configuration-invalid')
				stopReason ??= report.message;
			const already =
				recorded > 0
					? ` ${recorded} other item(s) of this run were already recorded in uContact.`
					: '';
			settle(itemIndex, {
				ok: false,
				disposition: item.disposition,
				error: new NodeApiError(node, { message: report.message } as JsonObject, {
					itemIndex,
					message: `${report.message} (item ${itemIndex})`,
					description: `${report.description ?? ''}${already}`.trim(),
					httpCode: report.httpCode,
					failure: report.failure,
				}),
			});
		};

		const settings = sharedOptions ?? (this.getNodeParameter('options', 0, {}) as Options);
		await dispatch(
			prepared.length,
			{
				concurrency: Math.min(settings.concurrency ?? DEFAULT_CONCURRENCY, MAX_CONCURRENCY),
				batchSize: settings.batching?.batch?.batchSize ?? -1,
				batchIntervalMs: settings.batching?.batch?.batchInterval ?? 0,
			},
			send,
			() => firstThrown !== undefined,
		);

		if (firstThrown !== undefined) {
			const failed = outcomes[firstThrown];
			if (!failed.ok) throw failed.error;
		}
		return [
			outcomes.map((outcome, itemIndex) => ({
				json: outcome.ok
					? outcome.json
					: {
							success: false,
							error: outcome.error.message,
							disposition: outcome.disposition ?? null,
						},
				pairedItem: { item: itemIndex },
			})),
		];
	}
}
