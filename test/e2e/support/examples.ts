// Local stand-ins the example workflows need in the end-to-end tests, on one loopback HTTP server:
//  - GET  /files/<name>           a file the test put there (the CSV a published spreadsheet serves);
//  - POST /v1/chat/completions    a fake OpenAI-compatible chat model: the first turn answers with a
//                                 call to the first tool it was offered, its arguments read from the
//                                 call summary in the prompt (the levels from its Resumen or
//                                 Conversación line when it has one); once the tool result is in the
//                                 conversation it answers with a final text. With a Structured Output
//                                 Parser the tool is n8n's format_final_json_response, and that one
//                                 call is the agent's answer. Plain JSON or server-sent events.
//  - GET  /v1/models              a one-model list (the editor's model picker asks for it).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { completion, streamChunks, textOf, type ModelAnswer } from './openAiWire';

export interface ChatRequest {
	body: {
		model?: string;
		stream?: boolean;
		messages?: Array<{ role: string; content: unknown }>;
		tools?: Array<{
			type: string;
			function: {
				name: string;
				description?: string;
				parameters?: { properties?: Record<string, unknown> };
			};
		}>;
	};
	answer: Answer;
	authorization: string | null;
}

export type Answer =
	| { kind: 'tool'; name: string; arguments: string; id: string }
	| { kind: 'text'; content: string };

export interface ExampleServices {
	/** http://127.0.0.1:PORT */
	readonly url: string;
	/** Every chat-completion request, in order, with what was answered. */
	readonly chatRequests: ChatRequest[];
	/** Serves `text` at /files/<name>. */
	setFile(name: string, text: string, type?: string): void;
	reset(): void;
	close(): Promise<void>;
}

export const MODEL = 'gpt-4o-mini';
/** The key the test's OpenAI credential holds; the fake only checks that it arrives. */
export const FAKE_OPENAI_KEY = 'sk-e2e-not-a-real-key';

/** The fields a call summary states, "Label: value" per line (Spanish or English labels). */
const LABELS: Record<string, string[]> = {
	campaign: ['campaña', 'campana', 'campaign'],
	agent: ['agente', 'agent'],
	callerid: ['teléfono', 'telefono', 'caller id', 'callerid', 'phone'],
	guid: ['guid', 'call guid', 'id de llamada'],
};

export function readSummaryFields(text: string): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const line of String(text).split('\n')) {
		const match = /^\s*([^:]+?)\s*:\s*(.+?)\s*$/.exec(line);
		if (!match) continue;
		const label = match[1].toLowerCase();
		for (const [key, names] of Object.entries(LABELS)) {
			if (names.includes(label) && fields[key] === undefined) fields[key] = match[2];
		}
	}
	return fields;
}

/** What a (very small) model would decide from the summary: the disposition levels and a comment. */
export function decide(text: string): { l1: string; l2: string; comment: string } {
	const lower = String(text).toLowerCase();
	if (/volver a llamar|llamar (de nuevo|mañana|más tarde)|call back/.test(lower)) {
		return { l1: 'Volver a llamar', l2: '', comment: 'El cliente pidió que lo llamen más tarde' };
	}
	if (/compr|acept|contrat|venta/.test(lower)) {
		return {
			l1: 'Venta',
			l2: /contado/.test(lower) ? 'Contado' : '',
			comment: 'El cliente aceptó la oferta',
		};
	}
	return { l1: 'No interesado', l2: '', comment: 'El cliente no está interesado' };
}

/** What a call's conversation is labelled with in a prompt: a model decides from it, not the campaign's name. */
const CONVERSATION = /^\s*(resumen|conversación|conversacion|summary|conversation)\s*:(.*)$/i;

/** The prompt's conversation lines when it labels them, else the whole prompt. */
function conversationOf(prompt: string): string {
	const lines = prompt.split('\n').flatMap((line) => {
		const match = CONVERSATION.exec(line);
		return match ? [match[2]] : [];
	});
	return lines.length > 0 ? lines.join('\n') : prompt;
}

/** A tool's JSON-schema properties. */
type Properties = Record<string, { type?: string; properties?: Properties }>;

/**
 * Arguments for each wanted property from `values`; an object property (a Structured Output
 * Parser's `output` wrapper) gets its own properties filled the same way.
 */
function argumentsFor(
	properties: Properties,
	values: Record<string, string>,
): Record<string, unknown> {
	const args: Record<string, unknown> = {};
	for (const [key, schema] of Object.entries(properties)) {
		args[key] =
			schema?.type === 'object' && schema.properties
				? argumentsFor(schema.properties, values)
				: (values[key] ?? '');
	}
	return args;
}

/** The chat-completion answer for a request body: a tool call, or the final text. */
function answerFor(body: ChatRequest['body'], counter: number): Answer {
	const messages = Array.isArray(body.messages) ? body.messages : [];
	const toolResults = messages.filter((message) => message.role === 'tool');
	const tools = Array.isArray(body.tools) ? body.tools : [];
	if (toolResults.length > 0 || tools.length === 0) {
		const result =
			toolResults.length > 0 ? textOf(toolResults[toolResults.length - 1].content) : '';
		return {
			kind: 'text',
			content: `Listo: la llamada quedó tipificada. Respuesta de uContact: ${result.slice(0, 500)}`,
		};
	}
	const prompt = messages
		.filter((message) => message.role === 'user' || message.role === 'human')
		.map((message) => textOf(message.content))
		.join('\n');
	type Tool = { name: string; parameters?: { properties?: Properties } };
	const tool = (tools[0].function ?? tools[0]) as unknown as Tool;
	const values: Record<string, string> = {
		...readSummaryFields(prompt),
		...decide(conversationOf(prompt)),
	};
	const args = argumentsFor(tool.parameters?.properties ?? {}, values);
	return { kind: 'tool', name: tool.name, arguments: JSON.stringify(args), id: `call_${counter}` };
}

/** The one tool call this model makes, in the wire's shape. */
function wire(answer: Answer): ModelAnswer {
	return answer.kind === 'tool'
		? { kind: 'tools', calls: [{ id: answer.id, name: answer.name, arguments: answer.arguments }] }
		: answer;
}

/**
 * Starts the server on 127.0.0.1 (free port). Returns { url, files, chatRequests, setFile(name,
 * text, type), reset(), close() }: `chatRequests` holds every chat-completion request body and
 * what was answered, in order.
 */
export function startExampleServices(): Promise<ExampleServices> {
	const files = new Map<string, { text: string; type: string }>();
	const chatRequests: ChatRequest[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const url = new URL(req.url as string, 'http://127.0.0.1');
			if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
				const file = files.get(decodeURIComponent(url.pathname.slice('/files/'.length)));
				if (!file) {
					res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
					return;
				}
				res.writeHead(200, { 'content-type': file.type }).end(file.text);
				return;
			}
			if (req.method === 'GET' && url.pathname.endsWith('/models')) {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(
					JSON.stringify({
						object: 'list',
						data: [{ id: MODEL, object: 'model', owned_by: 'fake' }],
					}),
				);
				return;
			}
			if (req.method === 'POST' && url.pathname.endsWith('/chat/completions')) {
				let body: ChatRequest['body'];
				try {
					body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
				} catch {
					res
						.writeHead(400, { 'content-type': 'application/json' })
						.end('{"error":{"message":"bad json"}}');
					return;
				}
				const answer = answerFor(body, chatRequests.length + 1);
				chatRequests.push({ body, answer, authorization: req.headers.authorization ?? null });
				const model = body.model || MODEL;
				if (body.stream) {
					res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
					for (const chunk of streamChunks(wire(answer), model))
						res.write(`data: ${JSON.stringify(chunk)}\n\n`);
					res.end('data: [DONE]\n\n');
					return;
				}
				res
					.writeHead(200, { 'content-type': 'application/json' })
					.end(JSON.stringify(completion(wire(answer), model)));
				return;
			}
			res
				.writeHead(404, { 'content-type': 'application/json' })
				.end('{"error":{"message":"not found"}}');
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			resolve({
				url: `http://127.0.0.1:${port}`,
				chatRequests,
				setFile(name: string, text: string, type = 'text/csv; charset=utf-8') {
					files.set(name, { text, type });
				},
				reset() {
					chatRequests.length = 0;
				},
				close() {
					server.closeAllConnections?.();
					return new Promise<void>((done) => server.close(() => done()));
				},
			});
		});
	});
}

/**
 * POSTs JSON to an n8n production webhook until it is registered (n8n 2.x registers webhooks
 * asynchronously after start): retries while n8n answers 404, up to timeoutMs.
 * Resolves { status, body, attempts }.
 */
export async function postWhenRegistered(
	url: string,
	payload: unknown,
	timeoutMs = 60000,
	/** How long one POST may wait for n8n's answer (a long workflow answers late). */
	answerTimeoutMs = 30000,
): Promise<{ status: number; body: unknown; attempts: number }> {
	const deadline = Date.now() + timeoutMs;
	let attempts = 0;
	for (;;) {
		attempts++;
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(payload),
			signal: AbortSignal.timeout(answerTimeoutMs),
		});
		const text = await response.text();
		if (response.status !== 404 || Date.now() > deadline) {
			let body: unknown = text;
			try {
				body = JSON.parse(text);
			} catch {
				// not JSON
			}
			return { status: response.status, body, attempts };
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}
