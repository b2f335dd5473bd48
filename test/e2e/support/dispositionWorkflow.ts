/** The workflow the queue and retry e2e tests run: trigger -> Code (the calls) -> uContact Disposition. */
export const NODE = 'uContact Disposition';
export const NODE_TYPE = 'n8n-nodes-ucontact.uContactDisposition';
export const CODE = 'Calls';
/** Our node's id: n8n's deduplication store keeps the node's record under it (context `n:<id>`). */
export const NODE_ID = 'b8e2d3f4-0003-4f00-9000-000000000003';

/** The required fields, each dragged from the call: `{{ $json.<key> }}`. */
export const MAPPED_FIELDS = {
	campaign: '={{ $json.campaign }}',
	agent: '={{ $json.agent }}',
	callerid: '={{ $json.callerid }}',
	guid: '={{ $json.guid }}',
	l1: '={{ $json.l1 }}',
};

/**
 * trigger -> Code (`jsCode` makes the calls) -> uContact Disposition with a token credential, the
 * required fields mapped from each call, On Error: Stop Workflow, and `options`.
 */
export function dispositionWorkflow(
	name: string,
	trigger: { name: string } & Record<string, unknown>,
	jsCode: string,
	credential: { id: string; name: string },
	options: Record<string, unknown> = {},
) {
	return {
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ position: [0, 0], ...trigger },
			{
				id: 'b8e2d3f4-0002-4f00-9000-000000000002',
				name: CODE,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode },
			},
			{
				id: NODE_ID,
				name: NODE,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [440, 0],
				parameters: { ...MAPPED_FIELDS, options },
				credentials: { uContactApi: credential },
			},
		],
		connections: {
			[trigger.name]: { main: [[{ node: CODE, type: 'main', index: 0 }]] },
			[CODE]: { main: [[{ node: NODE, type: 'main', index: 0 }]] },
		},
	};
}
