import { WorkflowExecute, WorkflowHasIssuesError } from 'n8n-core';
import { createRunExecutionData, Workflow } from 'n8n-workflow';
import type {
	INode,
	IRun,
	IRunExecutionData,
	IWorkflowBase,
	IWorkflowSettings,
} from 'n8n-workflow';

import { createAdditionalData } from './additional-data';
import { deduplicationStore } from './deduplication-store';
import { HarnessCredentialsHelper } from './credentials-helper';
import { CredentialsStore } from './credentials-store';
import { nextExecutionId } from './ids';
import { installHarnessLogger } from './logger';
import {
	MANUAL_TRIGGER_NAME,
	MANUAL_TRIGGER_TYPE,
	createManualTriggerNodeType,
} from './manual-trigger';
import { HarnessNodeTypes } from './node-types';
import type { RunWorkflowOptions, RunWorkflowResult } from './types';

function latestVersion(version: number | number[]): number {
	return Array.isArray(version) ? Math.max(...version) : version;
}

/** A failed run's data, made ready for a retry the way n8n 1.x and 2.x's ExecutionService.retry does. */
function retryData(failed: IRun): IRunExecutionData {
	// As saved in and read back from the database.
	const data = JSON.parse(JSON.stringify(failed.data)) as IRunExecutionData;
	const { lastNodeExecuted } = data.resultData;
	if (lastNodeExecuted) {
		delete data.resultData.error;
		const runs = data.resultData.runData?.[lastNodeExecuted];
		if (runs && runs.length > 0 && runs[runs.length - 1].error !== undefined) runs.pop();
	}
	return data;
}

/**
 * Runs Manual Trigger -> node under test through n8n-core's own engine
 * (`new WorkflowExecute(additionalData, 'manual').run({ workflow })`, as a manual run in the editor).
 */
export async function runWorkflow(opts: RunWorkflowOptions): Promise<RunWorkflowResult> {
	installHarnessLogger();
	deduplicationStore();
	const { description } = opts.nodeType;
	const nodeName = opts.nodeName ?? description.defaults.name ?? description.displayName;
	const credentialsStore = new CredentialsStore(opts.credentialType.name, opts.credentialsData);
	const credentialsHelper = new HarnessCredentialsHelper(opts.credentialType, credentialsStore);

	const triggerNode: INode = {
		id: 'harness-trigger',
		name: MANUAL_TRIGGER_NAME,
		type: MANUAL_TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodeUnderTest: INode = {
		id: opts.nodeId ?? 'harness-node',
		name: nodeName,
		type: opts.nodeTypeName,
		typeVersion: opts.typeVersion ?? latestVersion(description.version),
		position: [220, 0],
		parameters: structuredClone(opts.parameters),
		credentials: {
			[opts.credentialType.name]: { id: credentialsStore.id, name: credentialsStore.name },
		},
		...(opts.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...opts.nodeSettings,
	};

	const settings: IWorkflowSettings = { executionOrder: 'v1' };
	if (opts.timezone !== undefined) settings.timezone = opts.timezone;

	const workflowData: IWorkflowBase = {
		id: opts.workflowId ?? 'harness-workflow',
		name: 'Harness workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(0),
		updatedAt: new Date(0),
		nodes: [triggerNode, nodeUnderTest],
		connections: {
			[triggerNode.name]: { main: [[{ node: nodeUnderTest.name, type: 'main', index: 0 }]] },
		},
		settings,
	};

	const nodeTypes = new HarnessNodeTypes({
		[MANUAL_TRIGGER_TYPE]: createManualTriggerNodeType(opts.inputItems, opts.inputBinary),
		[opts.nodeTypeName]: opts.nodeType,
	});
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes,
		settings,
		staticData: opts.staticData,
	});

	const executionId = nextExecutionId();
	const additionalData = createAdditionalData({ executionId, workflowData, credentialsHelper });

	// A workflow failing the pre-run check (e.g. a required parameter empty) is rejected before
	// anything runs; report it like a failed run instead of throwing.
	let issues: WorkflowHasIssuesError | undefined;
	let unexpected: unknown;
	let run: IRun | undefined;
	try {
		const mode = opts.mode ?? 'manual';
		if (opts.retryOf !== undefined) {
			run = await new WorkflowExecute(
				additionalData,
				'retry',
				retryData(opts.retryOf),
			).processRunExecutionData(workflow);
		} else if (mode === 'manual') {
			run = await new WorkflowExecute(additionalData, mode).run({
				workflow,
				pinData: opts.pinData,
			});
		} else {
			// A production execution starts the way n8n's webhook and trigger runners start it: the
			// trigger's output already on the stack (a trigger outside manual mode passes it on).
			const output = opts.inputItems.map((json) => ({
				json: structuredClone(json),
				pairedItem: { item: 0 },
			}));
			const data = createRunExecutionData({
				executionData: {
					nodeExecutionStack: [{ node: triggerNode, data: { main: [output] }, source: null }],
				},
			});
			run = await new WorkflowExecute(additionalData, mode, data).processRunExecutionData(workflow);
		}
	} catch (failure) {
		if (failure instanceof WorkflowHasIssuesError) issues = failure;
		else unexpected = failure ?? new Error('WorkflowExecute.run rejected');
	}
	if (unexpected !== undefined) throw unexpected;
	if (issues !== undefined || run === undefined) {
		return {
			items: [],
			outputs: [],
			error: issues,
			runData: {},
			credentialsStore,
			nodeName,
			run: undefined,
			executionId,
		};
	}

	const { runData, error } = run.data.resultData;
	const outputs = (runData[nodeName]?.[0]?.data?.main ?? []).map((output) => output ?? []);
	const items = outputs[0] ?? [];
	return { items, outputs, error, runData, credentialsStore, nodeName, run, executionId };
}
