/**
 * Whether n8n runs the node as a tool (an AI Agent's, or the MCP Server Trigger's). Every way n8n
 * calls a tool, in 1.x and 2.x alike, hands the node the call's arguments on its ai_tool input;
 * a workflow run never does.
 */
import { NodeConnectionTypes, type IExecuteFunctions } from 'n8n-workflow';

/** The object n8n hands every try of one tool call, and no other call; undefined outside a tool call. */
export function toolArguments(context: IExecuteFunctions): object | undefined {
	return context.getInputData(0, NodeConnectionTypes.AiTool)[0]?.json;
}
