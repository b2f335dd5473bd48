import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';

import {
	DEFAULT_CONCURRENCY,
	dispositionProperties,
	MAX_CONCURRENCY,
	WORKFLOW_TIMEZONE,
} from './description';
import { dispatch } from './dispatch';
import { optionsReader, prepareItem } from './prepare';
import { sendItem } from './send';
import { resolveBaseUrl } from './serverAddress';
import { CREDENTIAL_TYPE, UContactSession } from './transport';
import { DISPOSITION_PATH, FORM_CONTENT_TYPE, type Disposition } from './wire';

type Outcome =
	| { ok: true; json: IDataObject }
	| { ok: false; error: NodeOperationError | NodeApiError; disposition?: Disposition };

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
		const node = this.getNode();
		const count = this.getInputData().length;
		const continueOnFail = this.continueOnFail();
		const autoMap = this.getNodeParameter('mappingMode', 0, 'defineBelow') === 'autoMapInputData';
		const optionsOf = optionsReader(this);

		// Every item is checked before the first request, so bad input never leaves half a run sent.
		const prepared = Array.from({ length: count }, (_, itemIndex) => {
			const item = prepareItem(this, itemIndex, autoMap, optionsOf(itemIndex));
			if (item.ok) return item;
			const error = new NodeOperationError(node, `${item.problem} (item ${itemIndex})`, {
				itemIndex,
				description: 'Nothing was sent to uContact.',
			});
			if (!continueOnFail) throw error;
			return { ok: false as const, error };
		});

		const credentials = await this.getCredentials(CREDENTIAL_TYPE);
		const session = new UContactSession(this, {
			id: node.credentials?.[CREDENTIAL_TYPE]?.id ?? '',
			name: node.credentials?.[CREDENTIAL_TYPE]?.name ?? '',
			type: CREDENTIAL_TYPE,
			data: credentials,
		});
		let baseUrl = '';
		// After a refused credential or a wrong address every further request would fail the same
		// way (and repeated failed logins can lock the uContact user), so the rest is not sent.
		let stopReason: string | undefined;
		try {
			baseUrl = resolveBaseUrl(credentials);
		} catch (error) {
			stopReason = error instanceof Error ? error.message : String(error);
		}

		const outcomes: Outcome[] = new Array(count);
		let recorded = 0;
		let firstThrown: number | undefined;

		const run = async (itemIndex: number): Promise<Outcome> => {
			const item = prepared[itemIndex];
			if (!item.ok) return item;
			if (stopReason !== undefined) {
				return {
					ok: false,
					disposition: item.disposition,
					error: new NodeOperationError(node, `Not sent: ${stopReason} (item ${itemIndex})`, {
						itemIndex,
						description:
							'An earlier failure would repeat for every later item, so nothing more was sent.',
					}),
				};
			}
			if (item.options.dryRun === true) {
				const request = {
					method: 'POST',
					url: `${baseUrl}${DISPOSITION_PATH}`,
					headers: { 'Content-Type': FORM_CONTENT_TYPE, Authorization: 'Basic ***' },
					body: item.form,
				};
				return {
					ok: true,
					json: { success: true, dryRun: true, request, disposition: item.disposition },
				};
			}
			const sent = await sendItem(session, item, baseUrl, credentials);
			if (sent.ok) {
				recorded++;
				return {
					ok: true,
					json: { success: true, response: sent.response, disposition: item.disposition },
				};
			}
			const { report } = sent;
			const cause = report.failure?.cause;
			if (cause === 'credential-invalid' || cause === 'configuration-invalid')
				stopReason ??= report.message;
			const already =
				recorded > 0
					? ` ${recorded} other item(s) of this run were already recorded in uContact.`
					: '';
			return {
				ok: false,
				disposition: item.disposition,
				error: new NodeApiError(node, { message: report.message } as JsonObject, {
					itemIndex,
					message: `${report.message} (item ${itemIndex})`,
					description: `${report.description ?? ''}${already}`.trim(),
					httpCode: report.httpCode,
					failure: report.failure,
				}),
			};
		};

		const settings = optionsOf(0);
		await dispatch(
			count,
			{
				concurrency: Math.min(settings.concurrency ?? DEFAULT_CONCURRENCY, MAX_CONCURRENCY),
				batchSize: settings.batching?.batch?.batchSize ?? -1,
				batchIntervalMs: settings.batching?.batch?.batchInterval ?? 0,
			},
			async (itemIndex) => {
				const outcome = await run(itemIndex);
				outcomes[itemIndex] = outcome;
				if (
					!outcome.ok &&
					!continueOnFail &&
					(firstThrown === undefined || itemIndex < firstThrown)
				) {
					firstThrown = itemIndex;
				}
			},
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
