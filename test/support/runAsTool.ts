/**
 * Runs uContact Disposition as an AI agent's tool, through n8n-core's own tool invocation:
 * Manual Trigger -> Agent, the node on the Agent's ai_tool input, run by WorkflowExecute.
 *
 * The Agent stands in for n8n's AI Agent v1/v2 with a scripted model: it asks n8n-core for its
 * tools (`getInputConnectionData`, which builds the tool with `createNodeAsTool` and calls it
 * through `makeHandleToolInvocation`, Retry On Fail included, as the MCP Server Trigger's
 * regular mode does too) and calls the tool as the script says. The node type is given the
 * Tool variant n8n's loader makes of a `usableAsTool` node (cli 2.41 `convertNodeToAiTool`):
 * name + 'Tool', no main input, an ai_tool output and a Tool Description parameter.
 */
import { WorkflowExecute } from 'n8n-core';
import {
	NodeConnectionTypes,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IRun,
	type IWorkflowBase,
	type IWorkflowSettings,
} from 'n8n-workflow';

import { UContactApi } from '../../credentials/UContactApi.credentials';
import { UContactDisposition } from '../../nodes/UContactDisposition/UContactDisposition.node';
import {
	createAdditionalData,
	createManualTriggerNodeType,
	CredentialsStore,
	HarnessCredentialsHelper,
	HarnessNodeTypes,
	installHarnessLogger,
	MANUAL_TRIGGER_NAME,
	MANUAL_TRIGGER_TYPE,
} from './harness';
import { nextExecutionId } from './harness/ids';
import { NODE_TYPE } from './runDisposition';

export const TOOL_TYPE = `${NODE_TYPE}Tool`;
const AGENT_TYPE = 'n8n-nodes-harness.scriptedAgent';
const AGENT_NAME = 'AI Agent';
const TOOL_NAME = 'uContact Disposition';

/** What one tool call gave the agent: the tool's answer, or the error it threw. */
export type ToolCallResult = { answer: unknown } | { error: string };

/**
 * One call of the tool: its arguments, and which of the agent's tool sets makes it (n8n's AI
 * Agent v2 builds one per item it works on, each with its own tool invocation).
 */
export interface ToolCall {
	args?: IDataObject;
	toolSet?: number;
}

/** Tool calls, turn by turn: the calls of one turn are made in parallel, as a model may ask. */
export type ToolScript = ToolCall[][];

/** The node type as n8n's loader offers it to an agent. */
export function asTool(nodeType: INodeType): INodeType {
	const { description } = nodeType;
	return Object.create(nodeType, {
		description: {
			value: {
				...description,
				name: `${description.name}Tool`,
				displayName: `${description.displayName} Tool`,
				inputs: [],
				outputs: [NodeConnectionTypes.AiTool],
				properties: [
					...description.properties,
					{
						displayName: 'Description',
						name: 'toolDescription',
						type: 'string',
						default: description.description,
					},
				],
			},
		},
	}) as INodeType;
}

interface Tool {
	invoke(args: IDataObject): Promise<unknown>;
}

function scriptedAgent(script: ToolScript): INodeType {
	return {
		description: {
			displayName: 'Scripted Agent',
			name: AGENT_TYPE,
			group: ['transform'],
			version: 1,
			description: 'Calls its tools as a script says, as a chat model would',
			defaults: { name: AGENT_NAME },
			inputs: [
				NodeConnectionTypes.Main,
				{ type: NodeConnectionTypes.AiTool, displayName: 'Tools' },
			],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const sets = Math.max(0, ...script.flat().map((call) => call.toolSet ?? 0)) + 1;
			const tools: Tool[] = [];
			for (let set = 0; set < sets; set++) {
				const [tool] = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as Tool[];
				tools.push(tool);
			}
			const calls: ToolCallResult[] = [];
			for (const turn of script) {
				const settled = await Promise.allSettled(
					turn.map(async (call) => await tools[call.toolSet ?? 0].invoke(call.args ?? {})),
				);
				for (const outcome of settled)
					calls.push(
						outcome.status === 'fulfilled'
							? { answer: outcome.value }
							: { error: String((outcome.reason as Error)?.message ?? outcome.reason) },
					);
			}
			return [[{ json: { calls } as unknown as IDataObject }]];
		},
	};
}

export interface ToolRun {
	parameters: INodeParameters;
	/** The agent's input items: what `$json` is in the tool's expressions. */
	agentItems: IDataObject[];
	script: ToolScript;
	credentials: ICredentialDataDecryptedObject;
	nodeSettings?: Partial<Pick<INode, 'onError' | 'retryOnFail' | 'maxTries' | 'waitBetweenTries'>>;
	/** The MCP Server Trigger's regular mode runs its tools with no execution id. */
	withoutExecutionId?: boolean;
}

export interface ToolRunResult {
	calls: ToolCallResult[];
	run: IRun;
}

export async function runAsTool(options: ToolRun): Promise<ToolRunResult> {
	installHarnessLogger();
	const credentialType = new UContactApi();
	const credentialsStore = new CredentialsStore(credentialType.name, options.credentials);
	const credentialsHelper = new HarnessCredentialsHelper(credentialType, credentialsStore);
	const trigger: INode = {
		id: 'harness-trigger',
		name: MANUAL_TRIGGER_NAME,
		type: MANUAL_TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const agent: INode = {
		id: 'harness-agent',
		name: AGENT_NAME,
		type: AGENT_TYPE,
		typeVersion: 1,
		position: [220, 0],
		parameters: {},
	};
	const tool: INode = {
		id: 'harness-tool',
		name: TOOL_NAME,
		type: TOOL_TYPE,
		typeVersion: 1,
		position: [220, 200],
		parameters: structuredClone(options.parameters),
		credentials: {
			[credentialType.name]: { id: credentialsStore.id, name: credentialsStore.name },
		},
		...options.nodeSettings,
	};
	const settings: IWorkflowSettings = { executionOrder: 'v1' };
	const workflowData: IWorkflowBase = {
		id: 'harness-tool-workflow',
		name: 'Harness tool workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(0),
		updatedAt: new Date(0),
		nodes: [trigger, agent, tool],
		connections: {
			[trigger.name]: { main: [[{ node: agent.name, type: NodeConnectionTypes.Main, index: 0 }]] },
			[tool.name]: {
				ai_tool: [[{ node: agent.name, type: NodeConnectionTypes.AiTool, index: 0 }]],
			},
		},
		settings,
	};
	const nodeTypes = new HarnessNodeTypes({
		[MANUAL_TRIGGER_TYPE]: createManualTriggerNodeType(options.agentItems),
		[AGENT_TYPE]: scriptedAgent(options.script),
		[TOOL_TYPE]: asTool(new UContactDisposition()),
	});
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes,
		settings,
	});
	const additionalData = createAdditionalData({
		executionId: nextExecutionId(),
		workflowData,
		credentialsHelper,
	});
	if (options.withoutExecutionId === true) additionalData.executionId = undefined;
	const run = await new WorkflowExecute(additionalData, 'manual').run({ workflow });
	const output = run.data.resultData.runData[AGENT_NAME]?.[0]?.data?.main?.[0]?.[0]?.json;
	const error = run.data.resultData.error;
	if (output === undefined)
		throw new Error(`The agent did not finish: ${error?.message ?? 'no output'}`);
	return { calls: (output as unknown as { calls: ToolCallResult[] }).calls, run };
}
