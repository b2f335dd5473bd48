/**
 * n8n glue for attemptMemory: which node run a try belongs to, and whether n8n will try it
 * again. Read from n8n-core's WorkflowExecute (1.122 and 2.41 alike): with Retry On Fail it
 * calls the node's `execute` again in the same process, with the same execution id, node, run
 * index and input items, after the node threw or returned a first item with `json.error`, up
 * to min(5, max(2, maxTries || 3)) tries.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { attemptMemory, type Attempt } from './attemptMemory';

export function n8nTries(node: INode): number {
	return node.retryOnFail === true ? Math.min(5, Math.max(2, node.maxTries || 3)) : 1;
}

export interface RetryAttempt {
	attempt: Attempt;
	/** Ends the try; `failed`: the node threw, or its first output item carries an error. */
	finish(failed: boolean): void;
}

/** A try of this node run, or undefined when n8n will not retry it (nothing is remembered). */
export function openRetryAttempt(context: IExecuteFunctions): RetryAttempt | undefined {
	const node = context.getNode();
	const tries = n8nTries(node);
	const executionId = context.getExecutionId();
	if (tries < 2 || !executionId) return undefined;
	const runIndex = Number(context.getWorkflowDataProxy(0).$runIndex);
	const runKey = JSON.stringify([
		executionId,
		context.getWorkflow().id ?? '',
		node.id ?? '',
		node.name,
		runIndex,
	]);
	const attempt = attemptMemory.open(runKey);
	return {
		attempt,
		finish(failed) {
			const cancelled = context.getExecutionCancelSignal()?.aborted === true;
			attempt.close(failed && !cancelled && attempt.tries < tries);
		},
	};
}
