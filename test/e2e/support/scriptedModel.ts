// A SCRIPTED OpenAI-compatible chat model for the end-to-end tests of the node as an AI Agent's
// tool (aiAgentTool.e2e.ts): each test says exactly which tool calls the model makes, step by step.
//
//  - POST /v1/chat/completions: the request names its script by a `[scenario:<id>]` tag anywhere
//    in its messages (the test puts it in the agent's prompt). The model's step is read from the
//    tool call ids of its earlier answers in the conversation, so the answer depends on nothing
//    but the request (a client's retry gets the same answer). Step i < steps.length answers with
//    the tool calls of steps[i] (several in one answer are parallel tool calls); after the last
//    step it answers a final text that quotes every tool result in the conversation, so what the
//    tool returned shows in the agent's output. A request without a known scenario gets a 400.
//    Plain JSON or server-sent events (`stream: true`).
//  - GET /v1/models: a one-model list.
// Every request is recorded with its raw body, for the tests to read what n8n sent the model.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { completion, streamChunks, textOf } from './openAiWire';

export const SCRIPTED_MODEL = 'gpt-4o-mini';
/** The key the test's OpenAI credential holds; the server only records that it arrives. */
export const SCRIPTED_MODEL_KEY = 'sk-e2e-scripted-not-a-real-key';

/** One tool call the model makes: its arguments (JSON-encoded as the model would). */
export interface ScriptedCall {
	args: Record<string, unknown>;
}

/** The model's answers before its final text: each step one answer with these tool calls. */
export type Script = ScriptedCall[][];

export interface ChatMessage {
	role: string;
	content: unknown;
	tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}

export interface ModelRequest {
	scenario: string | undefined;
	step: number;
	/** The body as received (every byte n8n sent the model). */
	raw: string;
	body: {
		model?: string;
		stream?: boolean;
		messages?: ChatMessage[];
		tools?: Array<{
			type: string;
			function: { name: string; description?: string; parameters?: Record<string, unknown> };
		}>;
	};
	authorization: string | null;
	/** What the model answered: tool calls (id, name, arguments) or the final text. */
	answer:
		| { kind: 'tools'; calls: Array<{ id: string; name: string; arguments: string }> }
		| { kind: 'text'; content: string }
		| { kind: 'error'; message: string };
}

export interface ScriptedModelServer {
	/** http://127.0.0.1:PORT (the OpenAI credential's Base URL is this + '/v1'). */
	readonly url: string;
	/** Every chat-completion request, in arrival order. */
	readonly requests: ModelRequest[];
	/** Registers the script of scenario `id`. */
	script(id: string, steps: Script): void;
	/** The requests of scenario `id`, in arrival order. */
	requestsOf(id: string): ModelRequest[];
	close(): Promise<void>;
}

/** The tag that names a scenario in a prompt. */
export const scenarioTag = (id: string): string => `[scenario:${id}]`;
const TAG = /\[scenario:([A-Za-z0-9_.-]+)\]/;

/** The tool messages of a conversation (the results n8n handed the model), in order. */
export function toolMessages(request: ModelRequest): ChatMessage[] {
	return (request.body.messages ?? []).filter((message) => message.role === 'tool');
}

/**
 * How many of the script's steps the conversation holds: one more than the last step named by a
 * tool call id this server gave (`call_<scenario>_<step>_<index>`). Counting assistant messages
 * would not do: the AI Agent v3 of n8n 2.x hands one answer with two tool calls back as two
 * assistant messages.
 */
function stepOf(messages: ChatMessage[]): number {
	let step = 0;
	for (const message of messages) {
		for (const call of message.tool_calls ?? []) {
			const named = /^call_[A-Za-z0-9_.-]+?_(\d+)_\d+$/.exec(call.id);
			if (named) step = Math.max(step, Number(named[1]) + 1);
		}
	}
	return step;
}

function answerFor(
	scripts: Map<string, Script>,
	body: ModelRequest['body'],
): Pick<ModelRequest, 'scenario' | 'step' | 'answer'> {
	const messages = Array.isArray(body.messages) ? body.messages : [];
	const scenario = messages.map((message) => TAG.exec(textOf(message.content))?.[1]).find(Boolean);
	const step = stepOf(messages);
	const script = scenario === undefined ? undefined : scripts.get(scenario);
	if (script === undefined) {
		return {
			scenario,
			step,
			answer: { kind: 'error', message: `no script for scenario ${scenario}` },
		};
	}
	if (step < script.length) {
		const tool = body.tools?.[0]?.function?.name;
		if (!tool)
			return {
				scenario,
				step,
				answer: { kind: 'error', message: 'the model was offered no tool' },
			};
		return {
			scenario,
			step,
			answer: {
				kind: 'tools',
				calls: script[step].map((call, index) => ({
					id: `call_${scenario}_${step}_${index}`,
					name: tool,
					arguments: JSON.stringify(call.args),
				})),
			},
		};
	}
	const results = messages
		.filter((message) => message.role === 'tool')
		.map((message, index) => `Tool result ${index + 1}: ${textOf(message.content)}`);
	return {
		scenario,
		step,
		answer: { kind: 'text', content: [`Done with ${scenario}.`, ...results].join('\n') },
	};
}

/** Starts the scripted model on 127.0.0.1 (a free port). */
export function startScriptedModel(): Promise<ScriptedModelServer> {
	const scripts = new Map<string, Script>();
	const requests: ModelRequest[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const url = new URL(req.url as string, 'http://127.0.0.1');
			const json = (status: number, value: unknown) =>
				res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
			if (req.method === 'GET' && url.pathname.endsWith('/models')) {
				json(200, {
					object: 'list',
					data: [{ id: SCRIPTED_MODEL, object: 'model', owned_by: 'scripted' }],
				});
				return;
			}
			if (req.method !== 'POST' || !url.pathname.endsWith('/chat/completions')) {
				json(404, { error: { message: 'not found' } });
				return;
			}
			const raw = Buffer.concat(chunks).toString('utf8');
			let body: ModelRequest['body'];
			try {
				body = JSON.parse(raw);
			} catch {
				json(400, { error: { message: 'bad json' } });
				return;
			}
			const decided = answerFor(scripts, body);
			requests.push({ ...decided, raw, body, authorization: req.headers.authorization ?? null });
			const { answer } = decided;
			if (answer.kind === 'error') {
				// 400: the OpenAI client does not retry it, so a test's mistake fails at once.
				json(400, { error: { message: answer.message, type: 'invalid_request_error' } });
				return;
			}
			const model = body.model || SCRIPTED_MODEL;
			if (body.stream) {
				res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
				for (const chunk of streamChunks(answer, model))
					res.write(`data: ${JSON.stringify(chunk)}\n\n`);
				res.end('data: [DONE]\n\n');
				return;
			}
			json(200, completion(answer, model));
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			resolve({
				url: `http://127.0.0.1:${port}`,
				requests,
				script(id, steps) {
					if (!TAG.test(scenarioTag(id))) throw new Error(`scenario id "${id}" cannot be tagged`);
					scripts.set(id, steps);
				},
				requestsOf: (id) => requests.filter((request) => request.scenario === id),
				close() {
					server.closeAllConnections?.();
					return new Promise<void>((done) => server.close(() => done()));
				},
			});
		});
	});
}
