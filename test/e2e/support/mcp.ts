/**
 * An MCP client the way other AI applications connect to n8n's MCP Server Trigger: the official
 * TypeScript SDK over Streamable HTTP, with the bearer token the trigger's authentication asks for.
 */
import { sleep } from 'n8n-workflow';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
	StreamableHTTPClientTransport,
	StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface McpTool {
	name: string;
	description?: string;
	inputSchema: {
		type: string;
		properties?: Record<string, { type?: string; description?: string; default?: unknown }>;
		required?: string[];
		[key: string]: unknown;
	};
}

export interface McpToolResult {
	isError?: boolean;
	content: Array<{ type: string; text?: string }>;
}

export interface McpSession {
	readonly client: Client;
	listTools(): Promise<McpTool[]>;
	callTool(name: string, args: Record<string, unknown>): Promise<McpToolResult>;
	close(): Promise<void>;
}

/** An HTTP 404: n8n 2.x registers an activated workflow's webhooks a moment after it starts. */
function notRegisteredYet(error: unknown): boolean {
	return error instanceof StreamableHTTPError && error.code === 404;
}

/**
 * Connects to an MCP endpoint (initialize handshake included), retrying while n8n still answers
 * 404 for it, up to `timeoutMs`.
 */
export async function connectMcp(
	url: string,
	headers: Record<string, string>,
	timeoutMs = 60000,
): Promise<McpSession> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const client = new Client({ name: 'ucontact-e2e', version: '1.0.0' });
		const transport = new StreamableHTTPClientTransport(new URL(url), {
			requestInit: { headers },
		});
		const failure = await client.connect(transport).then(
			() => undefined,
			(error: unknown) => error ?? new Error('unknown error'),
		);
		if (failure !== undefined) {
			await client.close().catch(() => undefined);
			if (!notRegisteredYet(failure) || Date.now() > deadline) {
				throw new Error(`MCP client could not connect to ${url}: ${String(failure)}`, {
					cause: failure,
				});
			}
			await sleep(250);
			continue;
		}
		return {
			client,
			async listTools() {
				return (await client.listTools()).tools as McpTool[];
			},
			async callTool(name, args) {
				return (await client.callTool({ name, arguments: args })) as McpToolResult;
			},
			async close() {
				await transport.terminateSession().catch(() => undefined);
				await client.close();
			},
		};
	}
}

/** The text parts of a tool result, joined. */
export function resultText(result: McpToolResult): string {
	return result.content.map((part) => part.text ?? '').join('\n');
}

/**
 * The first request any MCP client sends, as a plain POST, to see how the endpoint answers
 * someone without (or with the wrong) credentials. Resolves the HTTP status.
 */
export async function initializeStatus(
	url: string,
	headers: Record<string, string>,
): Promise<number> {
	const response = await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			accept: 'application/json, text/event-stream',
			...headers,
		},
		body: JSON.stringify({
			jsonrpc: '2.0',
			id: 1,
			method: 'initialize',
			params: {
				protocolVersion: '2025-06-18',
				capabilities: {},
				clientInfo: { name: 'ucontact-e2e-probe', version: '1.0.0' },
			},
		}),
		signal: AbortSignal.timeout(30000),
	});
	await response.body?.cancel();
	return response.status;
}
