// The OpenAI chat-completions wire format the e2e's stand-in chat models answer in (n8n's OpenAI
// Chat Model reads it, as JSON or as server-sent events), and the text of a message's content.

/** What a model answers: tool calls, or its final text. */
export type ModelAnswer =
	| { kind: 'tools'; calls: Array<{ id: string; name: string; arguments: string }> }
	| { kind: 'text'; content: string };

const USAGE = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
const finishReason = (answer: ModelAnswer) => (answer.kind === 'tools' ? 'tool_calls' : 'stop');

function header(object: string, model: string) {
	return {
		id: `chatcmpl-e2e-${Date.now()}`,
		object,
		created: Math.floor(Date.now() / 1000),
		model,
	};
}

/** The assistant's message; `indexed` numbers the tool calls, as a streamed delta does. */
function assistantMessage(answer: ModelAnswer, indexed: boolean) {
	if (answer.kind === 'text') return { role: 'assistant', content: answer.content };
	return {
		role: 'assistant',
		content: null,
		tool_calls: answer.calls.map((call, index) => ({
			...(indexed ? { index } : {}),
			id: call.id,
			type: 'function',
			function: { name: call.name, arguments: call.arguments },
		})),
	};
}

/** A whole chat completion (`stream: false`). */
export function completion(answer: ModelAnswer, model: string) {
	return {
		...header('chat.completion', model),
		choices: [
			{
				index: 0,
				message: assistantMessage(answer, false),
				logprobs: null,
				finish_reason: finishReason(answer),
			},
		],
		usage: USAGE,
	};
}

/** The same answer as stream chunks (`stream: true`), each sent as `data: <json>`. */
export function streamChunks(answer: ModelAnswer, model: string) {
	const base = header('chat.completion.chunk', model);
	return [
		{
			...base,
			choices: [{ index: 0, delta: assistantMessage(answer, true), finish_reason: null }],
		},
		{ ...base, choices: [{ index: 0, delta: {}, finish_reason: finishReason(answer) }] },
		{ ...base, choices: [], usage: USAGE },
	];
}

/** A message's content as text: a string, or the text parts of a list. */
export function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content
			.map((part) =>
				typeof part === 'string' ? part : String((part as { text?: string })?.text ?? ''),
			)
			.join('\n');
	return content === null || content === undefined ? '' : JSON.stringify(content);
}
