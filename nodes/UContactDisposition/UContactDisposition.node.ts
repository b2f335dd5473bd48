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

import { DEFAULT_TIMEOUT_MS, dispositionFields, WORKFLOW_TIMEZONE } from './description';
import { buildDisposition, DispositionInputError, type DispositionInput } from './disposition';
import { interpretAnswer } from './answer';
import {
	describeRejection,
	describeRequestFailure,
	describeUnexpectedAnswer,
	type FailureReport,
} from './errors';
import { checkTimeZone, ScheduleError } from './schedule';
import { resolveBaseUrl } from './serverAddress';
import { CREDENTIAL_TYPE, postDisposition } from './transport';
import { DISPOSITION_PATH, encodeDispositionForm, FORM_CONTENT_TYPE, type Disposition } from './wire';

interface ItemOptions {
	dryRun?: boolean;
	scheduleTimezone?: string;
	timeout?: number;
}

interface Failed {
	ok: false;
	error: NodeOperationError | NodeApiError;
	disposition?: Disposition;
}

/** An item ready to send, or the error that stopped it. */
type Prepared = { ok: true; disposition: Disposition; form: string; options: ItemOptions } | Failed;

type Outcome = { ok: true; json: IDataObject } | Failed;

export class UContactDisposition implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'uContact Disposition',
		name: 'uContactDisposition',
		icon: { light: 'file:../../icons/ucontact.svg', dark: 'file:../../icons/ucontact.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{"Disposition: " + ($parameter["l1"] || "…")}}',
		description:
			'Record the disposition (outcome) of a finished uContact call: campaign, agent, caller ID, call GUID and disposition levels, with optional extra data, comment, tag and a scheduled callback',
		defaults: { name: 'uContact Disposition' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: dispositionFields,
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

		// Every item is checked before the first request, so bad input never leaves half a batch sent.
		const prepared: Prepared[] = items.map((_item, itemIndex) => {
			const input = {
				campaign: this.getNodeParameter('campaign', itemIndex, ''),
				agent: this.getNodeParameter('agent', itemIndex, ''),
				callerid: this.getNodeParameter('callerid', itemIndex, ''),
				guid: this.getNodeParameter('guid', itemIndex, ''),
				l1: this.getNodeParameter('l1', itemIndex, ''),
				l2: this.getNodeParameter('l2', itemIndex, ''),
				l3: this.getNodeParameter('l3', itemIndex, ''),
				...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
			} as DispositionInput;
			const options = this.getNodeParameter('options', itemIndex, {}) as ItemOptions;
			let problem: string | undefined;
			try {
				const requested = options.scheduleTimezone;
				const zone = !requested || requested === WORKFLOW_TIMEZONE ? workflowZone : checkTimeZone(requested);
				const disposition = buildDisposition(input, zone);
				return { ok: true, disposition, form: encodeDispositionForm(disposition), options };
			} catch (error) {
				if (error instanceof DispositionInputError) problem = error.message;
				else if (error instanceof ScheduleError) problem = `Schedule Time Zone (scheduleTimezone) ${error.message}`;
				else problem = String(error);
			}
			const error = new NodeOperationError(node, `${problem} (item ${itemIndex})`, {
				itemIndex,
				description: 'Nothing was sent to uContact.',
			});
			if (!continueOnFail) throw error;
			return { ok: false, error };
		});

		const credentials = await this.getCredentials(CREDENTIAL_TYPE);
		let baseUrl = '';
		let addressProblem: string | undefined;
		try {
			baseUrl = resolveBaseUrl(credentials);
		} catch (error) {
			addressProblem = error instanceof Error ? error.message : String(error);
		}

		const results: INodeExecutionData[] = [];
		let recorded = 0;
		// After a refused credential or a wrong address every further request would fail the same
		// way (and repeated logins can lock the uContact user), so the rest is not sent.
		let stopReason: string | undefined;
		for (let itemIndex = 0; itemIndex < prepared.length; itemIndex++) {
			const item = prepared[itemIndex];
			let outcome: Outcome;
			if (!item.ok) outcome = item;
			else if (addressProblem !== undefined) {
				outcome = {
					ok: false,
					disposition: item.disposition,
					error: new NodeOperationError(node, `${addressProblem} (item ${itemIndex})`, {
						itemIndex,
						description: 'Fix the uContact credential. Nothing was sent.',
					}),
				};
			} else if (item.options.dryRun === true) {
				outcome = {
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
				};
			} else if (stopReason !== undefined) {
				outcome = {
					ok: false,
					disposition: item.disposition,
					error: new NodeOperationError(node, `Not sent: ${stopReason} (item ${itemIndex})`, {
						itemIndex,
						description: 'An earlier item failed in a way every later item would too, so nothing more was sent.',
					}),
				};
			} else {
				const timeout = item.options.timeout ?? DEFAULT_TIMEOUT_MS;
				let report: FailureReport | undefined;
				let response = '';
				try {
					const answer = interpretAnswer(await postDisposition(this, item.form, timeout));
					response = answer.response;
					if (answer.outcome === 'rejected') report = describeRejection(item.disposition);
					if (answer.outcome === 'unexpected') report = describeUnexpectedAnswer(answer.response);
				} catch (error) {
					report = describeRequestFailure(error, baseUrl, timeout);
				}
				if (report === undefined) {
					recorded++;
					outcome = { ok: true, json: { success: true, response, disposition: item.disposition } };
				} else {
					const cause = report.failure?.cause;
					if (cause === 'credential-invalid' || cause === 'configuration-invalid') stopReason = report.message;
					const already =
						recorded > 0 ? ` ${recorded} earlier item(s) of this run were already recorded in uContact.` : '';
					outcome = {
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
				}
			}

			if (outcome.ok) {
				results.push({ json: outcome.json, pairedItem: { item: itemIndex } });
				continue;
			}
			if (!continueOnFail) throw outcome.error;
			results.push({
				json: { success: false, error: outcome.error.message, disposition: outcome.disposition ?? null },
				pairedItem: { item: itemIndex },
			});
		}
		return [results];
	}
}
