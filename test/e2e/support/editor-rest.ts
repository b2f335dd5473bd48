/**
 * n8n's REST API as the signed-in editor page calls it, for set-up steps a test does not need to
 * click through (saving a workflow to open it). The page's cookies sign the requests; n8n also
 * wants the browser id the editor keeps in localStorage, or it refuses the session.
 */
import type { Page } from 'playwright-core';

import type { Simulator } from '../../support/simulator/simulator';

async function browserId(page: Page): Promise<string> {
	// A string expression: evaluated in the page, where localStorage exists (tests have no DOM types).
	const id = await page.evaluate<string | null>("localStorage.getItem('n8n-browserId')");
	if (!id) throw new Error('The editor has no n8n-browserId in localStorage: sign in first');
	return id;
}

/** POSTs JSON to `<baseUrl>/rest/<path>` as the signed-in user; resolves n8n's `data`. */
export async function restPost<T>(
	page: Page,
	baseUrl: string,
	path: string,
	body: unknown,
): Promise<T> {
	const response = await page.request.post(`${baseUrl}/rest/${path}`, {
		data: body,
		headers: { 'browser-id': await browserId(page) },
	});
	const text = await response.text();
	if (!response.ok()) {
		throw new Error(`POST /rest/${path} answered HTTP ${response.status()}: ${text.slice(0, 500)}`);
	}
	return (JSON.parse(text) as { data: T }).data;
}

export interface SavedWorkflow {
	id: string;
	name: string;
}

/** Saves a workflow (nodes, connections) and resolves its id, to open it at /workflow/<id>. */
export async function saveWorkflow(
	page: Page,
	baseUrl: string,
	workflow: { name: string; nodes: unknown[]; connections: unknown; settings?: unknown },
): Promise<SavedWorkflow> {
	return await restPost<SavedWorkflow>(page, baseUrl, 'workflows', {
		active: false,
		settings: { executionOrder: 'v1' },
		...workflow,
	});
}

/** The credential body n8n's REST API takes for a token credential on the simulator. */
export function simulatorCredential(
	simulator: Pick<Simulator, 'url' | 'token'>,
	name = 'uContact simulator',
) {
	return {
		name,
		type: 'uContactApi',
		data: {
			server: 'custom',
			baseUrl: simulator.url,
			authentication: 'token',
			token: simulator.token,
		},
	};
}
