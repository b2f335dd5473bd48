/**
 * What n8n's editor computes from the node's description for a node on the canvas, done the
 * editor's way (n8n-editor-ui 2.41: the subtitle and a hint's display condition are resolved by
 * `workflow.expression.getSimpleParameterValue(node, expression, 'internal', {})`), with n8n's own
 * Workflow and expression engine.
 */
import {
	NodeHelpers,
	Workflow,
	type INode,
	type INodeParameters,
	type INodeType,
} from 'n8n-workflow';

import { UContactDisposition } from '../../nodes/UContactDisposition/UContactDisposition.node';
import { HarnessNodeTypes } from './harness';
import { asTool } from './runAsTool';
import { NODE_TYPE } from './runDisposition';

// What the editor passes for values only a run knows (its PLACEHOLDER_FILLED_AT_EXECUTION_TIME).
const FILLED_AT_EXECUTION_TIME = '[filled at execution time]';

function editorNode(parameters: INodeParameters): { workflow: Workflow; node: INode } {
	const nodeType = new UContactDisposition();
	const node: INode = {
		id: 'editor-node',
		name: 'uContact Disposition',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const workflow = new Workflow({
		id: 'editor-workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes({ [NODE_TYPE]: nodeType }),
	});
	return { workflow, node };
}

/** The subtitle the canvas shows under the node's name; undefined where the editor shows none. */
export function canvasSubtitle(parameters: INodeParameters): unknown {
	const { workflow, node } = editorNode(parameters);
	const { subtitle } = new UContactDisposition().description;
	try {
		return workflow.expression.getSimpleParameterValue(
			node,
			subtitle as string,
			'internal',
			{},
			undefined,
			FILLED_AT_EXECUTION_TIME,
		);
	} catch {
		return undefined;
	}
}

/**
 * The parameters the editor shows and keeps for a node with these values, as n8n-workflow's
 * NodeHelpers decide it for the editor (getNodeParameters, then displayParameter for each): on
 * the canvas as a workflow node, or as an AI tool (the type n8n's loader makes, named ...Tool).
 */
export function editorParameters(
	parameters: INodeParameters,
	{ asAiTool = false } = {},
): { shown: string[]; kept: INodeParameters } {
	const nodeType: INodeType = asAiTool
		? asTool(new UContactDisposition())
		: new UContactDisposition();
	const { description } = nodeType;
	const node = { typeVersion: 1 };
	const kept =
		NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			node,
			description,
		) ?? {};
	const shown = description.properties
		.filter((property) => NodeHelpers.displayParameter(kept, property, node, description))
		.map((property) => property.name);
	return { shown, kept };
}

/** What the model reads about the tool, as n8n builds it for a node used as a tool. */
export function toolDescriptionFor(parameters: INodeParameters): string {
	const nodeType = asTool(new UContactDisposition());
	const node: INode = {
		id: 'editor-tool',
		name: 'uContact Disposition',
		type: `${NODE_TYPE}Tool`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	return NodeHelpers.getToolDescriptionForNode(node, nodeType);
}

/** Whether the editor offers an option of a collection (Options), given the node's values. */
export function collectionOptionShown(
	parameters: INodeParameters,
	collection: string,
	option: string,
): boolean {
	const { description } = new UContactDisposition();
	const property = description.properties.find((candidate) => candidate.name === collection);
	const child = (property?.options ?? []).find(
		(candidate) => 'name' in candidate && candidate.name === option,
	);
	if (child === undefined) throw new Error(`${collection} has no option ${option}`);
	return NodeHelpers.displayParameterPath(
		parameters,
		child as Parameters<typeof NodeHelpers.displayParameterPath>[1],
		collection,
		{ typeVersion: 1 },
		description,
	);
}
