/**
 * The helper's ceiling: a minimal n8n node, kept with the benchmark and never shipped (it is not
 * in package.json's n8n.nodes nor under nodes/), that posts the same disposition forms as the
 * uContact node through `this.helpers.httpRequest`, with the same number of requests in flight,
 * and does nothing else: no credential, no options, no checks, no retries, no result shaping.
 * What the uContact node reaches against it is what its own code costs; what this node reaches
 * against C/L is what n8n's helper costs.
 *
 * ceilingPackage.ts bundles this file with esbuild into a tiny community package
 * (n8n-nodes-ucontact-bench-ceiling) that the bench installs next to ours, so n8n loads and runs
 * both the same way. Only type imports from n8n-workflow: the bundle needs nothing at run time.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import {
	DISPOSITION_PATH,
	encodeDispositionForm,
	FORM_CONTENT_TYPE,
	type Disposition,
} from '../../nodes/UContactApi/api';

export const CEILING_PACKAGE = 'n8n-nodes-ucontact-bench-ceiling';
export const CEILING_TYPE = `${CEILING_PACKAGE}.benchCeiling`;

export class BenchCeiling implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bench Ceiling (not shipped)',
		name: 'benchCeiling',
		group: ['output'],
		version: 1,
		description: 'Posts disposition forms through this.helpers.httpRequest, nothing else',
		defaults: { name: 'Bench Ceiling' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
			{
				displayName: 'Token',
				name: 'token',
				type: 'string',
				typeOptions: { password: true },
				default: '',
			},
			{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 10 },
			// '' when the item is the call (Code node), 'body' behind a Webhook node.
			{ displayName: 'Call Property', name: 'callProperty', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const url = (this.getNodeParameter('baseUrl', 0) as string) + DISPOSITION_PATH;
		const authorization = `Basic ${this.getNodeParameter('token', 0) as string}`;
		const concurrency = Math.max(1, this.getNodeParameter('concurrency', 0) as number);
		// The same form the uContact node posts: the 13 keys of the item, in the same order.
		const property = this.getNodeParameter('callProperty', 0, '') as string;
		const forms = items.map((item) =>
			encodeDispositionForm((property ? item.json[property] : item.json) as unknown as Disposition),
		);
		const out: INodeExecutionData[] = new Array(items.length);
		let next = 0;
		const lane = async () => {
			while (next < forms.length) {
				const index = next++;
				const answer: unknown = await this.helpers.httpRequest({
					method: 'POST',
					url,
					headers: { 'Content-Type': FORM_CONTENT_TYPE, Authorization: authorization },
					body: forms[index],
					encoding: 'text',
					json: false,
					timeout: 30000,
					disableFollowRedirect: true,
				});
				out[index] = { json: { response: answer as string }, pairedItem: { item: index } };
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, forms.length) }, lane));
		return [out];
	}
}
