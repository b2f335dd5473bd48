/**
 * n8n glue for attemptMemory: which tries n8n's Retry On Fail makes of the same work, and
 * whether another try follows. Read from n8n-core 1.122 and 2.41 alike, which run a node in
 * one of three ways:
 *
 * - WorkflowExecute (a plain run, and the AI Agent v3's tool calls): it calls `execute` again
 *   with the same execution id, node, run index and input items, after the node threw or
 *   returned a first item with `json.error`, up to min(5, max(2, maxTries || 3)) tries.
 * - A tool invocation (`makeHandleToolInvocation`: AI Agent v1/v2, the MCP Server Trigger in
 *   regular mode, which has no execution id): each try gets a new run index and context, but
 *   the same arguments object on the ai_tool input; only a throw is retried, up to
 *   min(5, max(2, maxTries ?? 3)) tries.
 * - The MCP Server Trigger's queue-mode worker: one try, the tool's arguments on the ai_tool
 *   input and the call's input on main.
 */
import { NodeConnectionTypes, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { toolArguments } from '../toolCall';
import { attemptMemory, type Attempt } from './attemptMemory';

type Runner = 'workflowExecute' | 'toolInvocation' | 'queuedToolCall';

function runnerOf(context: IExecuteFunctions): Runner {
	if (toolArguments(context) === undefined) return 'workflowExecute';
	return context.getInputData(0, NodeConnectionTypes.Main).length > 0
		? 'queuedToolCall'
		: 'toolInvocation';
}

/** How many times n8n runs the node for one run or tool call. */
export function n8nTries(node: INode, runner: Runner = 'workflowExecute'): number {
	if (node.retryOnFail !== true || runner === 'queuedToolCall') return 1;
	// The tool invocation bounds with `??`, WorkflowExecute with `||`: they differ for 0.
	const asked = runner === 'toolInvocation' ? (node.maxTries ?? 3) : node.maxTries || 3;
	return Math.min(5, Math.max(2, asked));
}

// A tool call's name in the memory, kept only while n8n holds its arguments.
const toolCallKeys = new WeakMap<object, string>();
let toolCalls = 0;

function toolCallKey(args: object): string {
	let key = toolCallKeys.get(args);
	if (key === undefined) {
		key = `tool-call:${++toolCalls}`;
		toolCallKeys.set(args, key);
	}
	return key;
}

function runKeyOf(context: IExecuteFunctions, node: INode, runner: Runner): string | undefined {
	const args = toolArguments(context);
	if (runner === 'toolInvocation' && args !== undefined) return toolCallKey(args);
	const executionId = context.getExecutionId();
	if (!executionId) return undefined;
	const runIndex = Number(context.getWorkflowDataProxy(0).$runIndex);
	return JSON.stringify([executionId, context.getWorkflow().id ?? '', node.id ?? '', node.name, runIndex]);
}

/**
 * How a try ended: n8n retries a throw, and WorkflowExecute also a first output item that
 * carries an error (the node continuing on fail); a tool invocation retries only a throw.
 */
export type TryEnding = 'threw' | 'first-item-failed' | 'answered';

export interface RetryAttempt {
	attempt: Attempt;
	/** Ends the try: the memory is kept only when n8n will run this again. */
	finish(ending: TryEnding): void;
}

/** A try of this node run, or undefined when n8n will not retry it (nothing is remembered). */
export function openRetryAttempt(
	context: IExecuteFunctions,
	node: INode = context.getNode(),
): RetryAttempt | undefined {
	const runner = runnerOf(context);
	const tries = n8nTries(node, runner);
	if (tries < 2) return undefined;
	const runKey = runKeyOf(context, node, runner);
	if (runKey === undefined) return undefined;
	const attempt = attemptMemory.open(runKey);
	return {
		attempt,
		finish(ending) {
			const retried =
				ending === 'threw' || (ending === 'first-item-failed' && runner === 'workflowExecute');
			const cancelled = context.getExecutionCancelSignal()?.aborted === true;
			attempt.close(retried && !cancelled && attempt.tries < tries);
		},
	};
}
