import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../UContactApi/credential';
import { testUContactCredential } from '../UContactApi/credentialTest';
import { resolveBaseUrl } from '../UContactApi/serverAddress';
import { UContactSession } from '../UContactApi/transport';
import { dispositionProperties } from './description';
import { WORKFLOW_TIMEZONE } from './input/options';
import { itemOptionsReader, readRunOptions } from './input/readOptions';
import { itemPreparer } from './input/prepareItem';
import { failureError, invalidItem, toOutputItems } from './output/results';
import { executionRecord } from './sending/executionRecord';
import { recordedLedger } from './sending/recordedLedger';
import { openRetryAttempt } from './sending/retryAttempt';
import { sendItems } from './sending/sendItems';

export class UContactDisposition implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'uContact Disposition',
		name: 'uContactDisposition',
		icon: { light: 'file:../../icons/ucontact.svg', dark: 'file:../../icons/ucontact.dark.svg' },
		group: ['output'],
		version: 1,
		// The editor resolves $parameter["l1"] for the subtitle; a dragged-in expression has no
		// data there and throws, which would blank the whole subtitle.
		subtitle:
			'={{ $parameter["mappingMode"] === "autoMapInputData" ? "Fields from input" : (() => { try { const level = $parameter["l1"]; return typeof level === "string" && level !== "" && !level.startsWith("[") ? "Disposition: " + level : "Record disposition"; } catch (error) { return "Record disposition"; } })() }}',
		description:
			'Record the disposition (outcome) of a finished uContact call: campaign, agent, caller ID, call GUID and disposition levels, with optional extra data, comment, tag and a scheduled callback',
		defaults: { name: 'uContact Disposition' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true, testedBy: 'uContactApiTest' }],
		properties: dispositionProperties,
	};

	methods = {
		credentialTest: { uContactApiTest: testUContactCredential },
		loadOptions: {
			async getTimezones(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				// n8n builds the list without the workflow's settings, so the zone known here is the
				// instance's default; a workflow may set its own, which the run then uses.
				return [
					{
						name: `Workflow Time Zone (default ${this.getTimezone()})`,
						value: WORKFLOW_TIMEZONE,
						description: `The zone in the workflow's settings; ${this.getTimezone()}, n8n's default, when they set none`,
					},
					...Intl.supportedValuesOf('timeZone').map((zone) => ({ name: zone, value: zone })),
				];
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const node = this.getNode();
		const continueOnFail = this.continueOnFail();
		const routeErrors = node.onError === 'continueErrorOutput';
		const autoMap = this.getNodeParameter('mappingMode', 0, 'defineBelow') === 'autoMapInputData';
		const inputItems = this.getInputData();
		if (inputItems.length === 0) return [[]];

		// Every item and option is checked before the first request, so bad input never leaves
		// half a run sent.
		const runOptions = readRunOptions(this, node.parameters.options, inputItems.length);
		if (!runOptions.ok) {
			const refused = (itemIndex: number) => invalidItem(itemIndex, runProblem(runOptions, itemIndex));
			if (!continueOnFail) throw failureError(node, refused(runOptions.itemIndex));
			return [toOutputItems(inputItems.map((_, i) => refused(i)), routeErrors)];
		}
		this.logger.debug('uContact Disposition: options of the run', {
			node: node.name,
			...runOptions.options,
		});
		const optionsOf = itemOptionsReader(this, node.parameters.options);
		const prepare = itemPreparer(this, autoMap);
		const items = inputItems.map((_, itemIndex) => {
			const options = optionsOf(itemIndex);
			const item = options.ok ? prepare(itemIndex, options.options) : options;
			if (item.ok) return item;
			const invalid = invalidItem(itemIndex, item.problem);
			if (!continueOnFail) throw failureError(node, invalid);
			return invalid;
		});

		const credentials = await this.getCredentials(CREDENTIAL_TYPE);
		const session = new UContactSession(this, {
			id: node.credentials?.[CREDENTIAL_TYPE]?.id ?? '',
			name: node.credentials?.[CREDENTIAL_TYPE]?.name ?? '',
			type: CREDENTIAL_TYPE,
			data: credentials,
		});
		let baseUrl: { ok: true; url: string } | { ok: false; problem: string };
		try {
			baseUrl = { ok: true, url: resolveBaseUrl(credentials) };
		} catch (error) {
			baseUrl = { ok: false, problem: error instanceof Error ? error.message : String(error) };
		}

		// With Retry On Fail, n8n may run this again: remember what this try records.
		const retry = openRetryAttempt(this);
		let failed = true;
		try {
			const record = executionRecord(this);
			const { outcomes, stopAt, recordedHere } = await sendItems({
				items,
				session,
				credentials,
				baseUrl,
				settings: runOptions.options,
				continueOnFail,
				memory: retry?.attempt,
				record,
				ledger: recordedLedger(this, runOptions.options),
			});
			const stopping = stopAt === undefined ? undefined : outcomes[stopAt];
			if (stopping !== undefined && !stopping.ok) {
				// The execution fails here: a Retry of it resumes at this node with these items.
				record?.keep(recordedHere);
				throw failureError(node, stopping, outcomes);
			}
			failed = outcomes[0]?.ok === false;
			return [toOutputItems(outcomes, routeErrors)];
		} finally {
			retry?.finish(failed);
		}
	}
}

/** A run option's refusal as each item reports it: the item whose value was refused, or a pointer to it. */
function runProblem(refusal: { problem: string; itemIndex: number }, itemIndex: number): string {
	const at = refusal.itemIndex;
	return at === itemIndex ? refusal.problem : `Not sent, because of item ${at}: ${refusal.problem}`;
}
