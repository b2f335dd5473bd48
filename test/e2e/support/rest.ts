// n8n's REST API as the editor calls it, signed in as the owner: for end-to-end steps that are
// not what a test clicks through (creating a workflow, reading an execution, the 1.x install).
import * as path from 'node:path';

import type { Runtime } from './runtime';
import type { Owner } from './server';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface RestClient {
	/** Resolves to the answer's `data`; throws on a non-2xx status. */
	get<T = unknown>(route: string): Promise<T>;
	post<T = unknown>(route: string, body?: unknown): Promise<T>;
	patch<T = unknown>(route: string, body?: unknown): Promise<T>;
}

export interface RunItem {
	json: Record<string, unknown>;
}

export interface Execution {
	id: string;
	mode: string;
	status: string;
	finished: boolean;
	workflowId: string;
	startedAt: string;
	stoppedAt: string;
	/** Run data, parsed from n8n's flatted string. */
	data: {
		resultData: {
			error?: { message: string };
			lastNodeExecuted?: string;
			runData: Record<string, Array<{ executionStatus?: string; data?: { main: RunItem[][] } }>>;
		};
	};
}

/** A logged-in REST client for n8n at `baseUrl`; calls resolve to the answer's `data`. */
export async function restClient(baseUrl: string, owner: Owner): Promise<RestClient> {
	let cookie = '';
	// The auth cookie is bound to the browser id sent at login; any constant will do.
	const browserId = 'ucontact-e2e';
	async function call<T>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await fetch(baseUrl + route, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': browserId,
				...(cookie ? { cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			// Installing a community package runs npm, which can take a while on a busy machine.
			signal: AbortSignal.timeout(180000),
		});
		const text = await response.text();
		if (!response.ok)
			throw new Error(`${method} ${route}: HTTP ${response.status}: ${text.slice(0, 500)}`);
		for (const header of response.headers.getSetCookie()) {
			if (header.startsWith('n8n-auth=')) cookie = header.split(';')[0];
		}
		return JSON.parse(text).data;
	}
	await call('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	return {
		get: <T>(route: string) => call<T>('GET', route),
		post: <T>(route: string, body?: unknown) => call<T>('POST', route, body),
		patch: <T>(route: string, body?: unknown) => call<T>('PATCH', route, body),
	};
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/**
 * Waits until workflow `workflowId` has `count` finished executions (or the one with id
 * `executionId`), then returns the newest (or that one) with its run data parsed.
 */
export async function waitForExecution(
	api: RestClient,
	rt: Runtime,
	{
		workflowId,
		executionId,
		timeoutMs = 60000,
	}: { workflowId: string; executionId?: string; timeoutMs?: number },
): Promise<Execution> {
	// A runtime require: flatted comes with the runtime's n8n (which wrote the data), not with this package.
	const flatted = require(path.join(rt.dir, 'node_modules/flatted')) as {
		parse(text: string): Execution['data'];
	};
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const deadline = Date.now() + timeoutMs;
	let summary: { id: string; status: string } | undefined;
	for (;;) {
		const list = await api.get<{ results: Array<{ id: string; status: string }> }>(
			`/rest/executions?filter=${filter}&limit=10`,
		);
		summary =
			executionId === undefined
				? list.results[0]
				: list.results.find((entry) => String(entry.id) === String(executionId));
		if (summary && FINISHED.has(summary.status)) break;
		if (Date.now() > deadline) {
			throw new Error(
				`execution ${executionId ?? '(any)'} of workflow ${workflowId} did not finish within ${timeoutMs} ms: ${JSON.stringify(summary)}`,
			);
		}
		await delay(200);
	}
	const execution = await api.get<Omit<Execution, 'data'> & { data: string }>(
		`/rest/executions/${summary.id}`,
	);
	return { ...execution, data: flatted.parse(execution.data) };
}
