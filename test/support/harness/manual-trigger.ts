import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IBinaryKeyData,
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';

export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-harness.manualTrigger';
export const MANUAL_TRIGGER_NAME = 'When clicking ‘Execute workflow’';

/**
 * A Manual Trigger shaped like n8n-nodes-base's (a `trigger()` returning `manualTriggerFunction`,
 * which `emit`s), except it emits the given items instead of one empty item. Each item is paired
 * to the trigger's single start item, as a Code node fanning out one item into many would do.
 */
export function createManualTriggerNodeType(
	items: IDataObject[],
	binary: Array<IBinaryKeyData | undefined> = [],
): INodeType {
	const description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: MANUAL_TRIGGER_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n, emitting fixed items',
		maxNodes: 1,
		defaults: { name: MANUAL_TRIGGER_NAME },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};
	return {
		description,
		async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
			const output: INodeExecutionData[] = items.map((json, index) => ({
				json: structuredClone(json),
				...(binary[index] ? { binary: structuredClone(binary[index]) } : {}),
				pairedItem: { item: 0 },
			}));
			const manualTriggerFunction = async () => {
				this.emit([output]);
			};
			return { manualTriggerFunction };
		},
	};
}
