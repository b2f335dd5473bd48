/**
 * Which run an item belongs to, as the record tells "an earlier try of this run" from "another
 * execution". Read from n8n-core 1.122 and 2.41 alike:
 * - WorkflowExecute (a plain run, n8n's Retry, the AI Agent v3's tool calls) runs Retry On Fail's
 *   tries with the same execution id, node and run index (a loop's next pass has another);
 * - a tool invocation (AI Agent v1/v2, the MCP Server Trigger in regular mode, which has no
 *   execution id) gives each try a new run index but the same arguments object on the ai_tool
 *   input, and nothing on main;
 * - the MCP Server Trigger's queue-mode worker makes one try, with the call's input on main.
 */
import { NodeConnectionTypes, type IExecuteFunctions } from 'n8n-workflow';

import { toolArguments } from '../toolCall';
import type { RunIdentity } from './dispositionRecord';

// A tool call's name in the record, kept only while n8n holds its arguments.
const toolCallIds = new WeakMap<object, string>();
let toolCalls = 0;
let runsWithoutId = 0;

function toolCallId(args: object): string {
	let id = toolCallIds.get(args);
	if (id === undefined) {
		id = `tool-call:${++toolCalls}`;
		toolCallIds.set(args, id);
	}
	return id;
}

export function runIdentity(context: IExecuteFunctions): RunIdentity {
	const node = context.getNode();
	const scope = `${context.getWorkflow().id ?? ''}\n${node.id ?? node.name}`;
	const executionId = context.getExecutionId() ?? '';
	const args = toolArguments(context);
	if (args !== undefined && context.getInputData(0, NodeConnectionTypes.Main).length === 0)
		return { scope, executionId, runId: toolCallId(args) };
	if (executionId === '') return { scope, executionId, runId: `run:${++runsWithoutId}` };
	const runIndex = Number(context.getWorkflowDataProxy(0).$runIndex) || 0;
	return { scope, executionId, runId: `${executionId}:${node.id ?? node.name}:${runIndex}` };
}
