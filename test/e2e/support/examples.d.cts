/** Types for examples.cjs: local stand-ins for the example workflows (CSV file, fake OpenAI). */

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
	answer:
		| { kind: 'tool'; name: string; arguments: string; id: string }
		| { kind: 'text'; content: string };
	authorization: string | null;
}

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

export declare const MODEL: string;
export declare const FAKE_OPENAI_KEY: string;
export declare function startExampleServices(): Promise<ExampleServices>;
export declare function postWhenRegistered(
	url: string,
	payload: unknown,
	timeoutMs?: number,
): Promise<{ status: number; body: unknown; attempts: number }>;
export declare function readSummaryFields(text: string): Record<string, string>;
export declare function decide(text: string): { l1: string; l2: string; comment: string };
