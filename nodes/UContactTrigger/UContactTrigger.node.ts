import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { checkCaller, type Refusal } from './callerCheck';
import { testBasicAuth, testHeaderSecret } from './credentialTests';
import { triggerProperties } from './description';
import { eventItem } from './events';
import { judge, listOf } from './filters';
import { readEvent } from './requestBody';

export class UContactTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'uContact Trigger',
		name: 'uContactTrigger',
		icon: { light: 'file:../../icons/ucontact.svg', dark: 'file:../../icons/ucontact.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description:
			'Start a workflow when uContact sends an event: an interaction ended, a disposition was recorded, an agent logged in, went on a break or missed a call',
		defaults: { name: 'uContact Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'uContactTriggerHeaderApi',
				required: true,
				testedBy: 'uContactTriggerHeaderTest',
				displayOptions: { show: { authentication: ['headerAuth'] } },
			},
			{
				name: 'uContactTriggerBasicApi',
				required: true,
				testedBy: 'uContactTriggerBasicTest',
				displayOptions: { show: { authentication: ['basicAuth'] } },
			},
		],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'ucontact' },
		],
		properties: triggerProperties,
	};

	methods = {
		credentialTest: {
			uContactTriggerHeaderTest: testHeaderSecret,
			uContactTriggerBasicTest: testBasicAuth,
		},
	};

	// uContact has no API to register webhooks: its administrator enters the URL in uContact, so
	// activating and deactivating the workflow has nothing to create or delete there.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const refusal = await checkCaller(this);
		if (refusal) return refuse(this, refusal);
		const read = await readEvent(this);
		if ('refusal' in read) return refuse(this, read.refusal);
		const filters = this.getNodeParameter('filters', {}) as IDataObject;
		const verdict = judge(read.body, {
			events: this.getNodeParameter('events', []) as string[],
			campaigns: listOf(filters.campaigns),
			agents: listOf(filters.agents),
		});
		if (!verdict.start) {
			if (verdict.unknown) return refuse(this, { status: 400, message: verdict.reason });
			return { webhookResponse: { received: true, started: false, reason: verdict.reason } };
		}
		return { workflowData: [[{ json: eventItem(read.body) }]] };
	}
}

function refuse(context: IWebhookFunctions, refusal: Refusal): IWebhookResponseData {
	const response = context.getResponseObject();
	response.writeHead(refusal.status, {
		'Content-Type': 'application/json; charset=utf-8',
		...refusal.headers,
	});
	response.end(JSON.stringify({ message: refusal.message }));
	return { noWebhookResponse: true };
}
