/**
 * What n8n's editor computes from the node's description for a node on the canvas, done the
 * editor's way (n8n-editor-ui 2.41: the subtitle and a hint's display condition are resolved by
 * `workflow.expression.getSimpleParameterValue(node, expression, 'internal', {})`), with n8n's own
 * Workflow and expression engine.
 */
import { Workflow, type INode, type INodeParameters } from 'n8n-workflow';

import { UContactDisposition } from '../../nodes/UContactDisposition/UContactDisposition.node';
import { HarnessNodeTypes } from './harness';
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
