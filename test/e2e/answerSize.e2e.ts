/**
 * Answers of any length, in a real `n8n start` (2.x and 1.x) with the packed package (issue 29):
 * uContact's answer is read up to the cap and until the Timeout, never held whole. A local server
 * streams each answer chunk by chunk (never built in memory) and stops when the client hangs up:
 *  - three answers of 100 MB at Concurrency 3, and one of 1 GB: each item reports an answer cut at
 *    the cap that may have been recorded, and n8n's RSS (its whole process group, the task runner
 *    included) grows by less than 50 MiB over its value once warm (printed beside it: the same
 *    execution with 64 KiB answers, what n8n's RSS grows by whatever the answer's size);
 *  - an endless drip (a byte every 200 ms) against a Timeout of 3,000 ms: the execution ends, the
 *    item says uContact may have recorded it, and the server sees the client close the connection.
 * The same limits in n8n's engine in-process: test/workflow/hostileServer.workflow.test.ts.
 */
import * as fs from 'node:fs';

import { ANSWER_CAP_BYTES } from '../../nodes/UContactApi/answerLimits';
import { DISPOSITION_PATH } from '../../nodes/UContactApi/api';
import { startHostileServer, type HostileServer, type Reply } from '../support/hostileServer';
import { makeToken } from '../support/simulator/simulator';
import { selectedRuntimes } from './support/cli';
import { dispositionWorkflow, NODE } from './support/dispositionWorkflow';
import { restClient, waitForExecution, type Execution, type RestClient } from './support/rest';
import { MANUAL_TRIGGER } from './support/retryExecution';
import { makeUserFolder, packPackage, runtime, type Runtime } from './support/runtime';
import {
	memoryNowKiB,
	processGroup,
	startMemorySampler,
	startN8n,
	type N8nServer,
} from './support/server';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
// The goal for three 100 MB answers and one 1 GB answer.
const GROWTH_UNDER_MIB = 50;
const DRIP_TIMEOUT_MS = 3000;
// An endless drip ends only when the client lets go; a hang is left to waitForExecution's limit.
const SANITY_MS = DRIP_TIMEOUT_MS + 30_000;

const TOKEN = makeToken('answer-size-e2e');

/** What the server answers a disposition with, by the GUID's prefix. */
const REPLIES: Record<string, Reply> = {
	ok: { body: '"OK"' },
	kib: { stream: 64 * 1024 },
	mb: { stream: 100 * MiB },
	gb: { stream: GiB },
	drip: { drip: 'body', everyMs: 200, forMs: 24 * 60 * 60 * 1000, then: { body: '"OK"' } },
};

const guidOf = (body: string) => new URLSearchParams(body).get('guid') ?? '';

/** The answer cut at the cap, as the item's error gives it. */
// Messages count items from 1; `index` is n8n's.
const cutAtCap = (index: number) =>
	new RegExp(
		`^uContact gave an unexpected answer, longer than ${ANSWER_CAP_BYTES} bytes: "A{200}…"; the disposition may or may not have been recorded.* \\(item ${index + 1}\\)$`,
	);
/** The answer still arriving at the Timeout. */
const cutAtTimeout = (index: number) =>
	new RegExp(
		`^uContact's answer was still arriving after ${DRIP_TIMEOUT_MS} ms and was read no further; the disposition may or may not have been recorded.* \\(item ${index + 1}\\)$`,
	);

interface Case {
	name: string;
	/** The GUIDs' prefix: which of REPLIES the server gives. */
	prefix: keyof typeof REPLIES;
	items: number;
	options: Record<string, unknown>;
	error: (index: number) => RegExp;
	/** The bound on n8n's RSS growth, where the case measures it. */
	growthUnderMiB?: number;
}

const CASES: Case[] = [
	{
		name: 'three answers of 100 MB at Concurrency 3',
		prefix: 'mb',
		items: 3,
		options: { concurrency: 3 },
		error: cutAtCap,
		growthUnderMiB: GROWTH_UNDER_MIB,
	},
	{
		name: 'one answer of 1 GB',
		prefix: 'gb',
		items: 1,
		options: {},
		error: cutAtCap,
		growthUnderMiB: GROWTH_UNDER_MIB,
	},
	{
		name: `an endless drip (a byte every 200 ms) against a Timeout of ${DRIP_TIMEOUT_MS} ms`,
		prefix: 'drip',
		items: 1,
		options: { timeout: DRIP_TIMEOUT_MS },
		error: cutAtTimeout,
	},
];

/** A Code node's source making one call for each GUID. */
function callsCode(guids: string[]): string {
	return `return ${JSON.stringify(guids)}.map((guid) => ({ json: { campaign: 'Ventas->', agent: 'agente', callerid: '59899400000', guid, l1: 'Venta' } }));`;
}

/** Our node's output items in an execution (first run, first output). */
function nodeItems(execution: Execution) {
	return execution.data.resultData.runData[NODE]?.[0]?.data?.main?.[0] ?? [];
}

const mib = (kib: number) => (kib / 1024).toFixed(1);
const written = (bytes: number) => (bytes < MiB ? `${bytes} bytes` : `${mib(bytes / 1024)} MiB`);

describe.each(selectedRuntimes())(
	'%s: answers read up to the cap and the Timeout',
	(runtimeName) => {
		let hostile: HostileServer;
		let rt: Runtime;
		let userFolder: string;
		let n8n: N8nServer | undefined;
		let api: RestClient;
		let credential: { id: string; name: string };
		const log: string[] = [];
		const group = () => processGroup(n8n!.pid);

		/** Creates the workflow for `guids` with `options`, On Error: Continue, so every item shows. */
		async function createWorkflow(name: string, guids: string[], options: Record<string, unknown>) {
			const body = dispositionWorkflow(name, MANUAL_TRIGGER, callsCode(guids), credential, options);
			const nodes = body.nodes.map((node) =>
				node.name === NODE ? { ...node, onError: 'continueRegularOutput' } : node,
			);
			const created = await api.post<{ id: string }>('/rest/workflows', { ...body, nodes });
			const saved = await api.get<Record<string, unknown>>(`/rest/workflows/${created.id}`);
			return { id: created.id, saved };
		}

		/** Runs a workflow as the editor's Execute button does and waits for it to finish. */
		async function execute(workflow: { id: string; saved: Record<string, unknown> }) {
			const { executionId } = await api.post<{ executionId: string }>(
				`/rest/workflows/${workflow.id}/run`,
				{
					// n8n 1.x runs the workflow it is sent; 2.x reads the saved one.
					...(runtimeName === 'n8n-1' ? { workflowData: workflow.saved } : {}),
					triggerToStartFrom: { name: MANUAL_TRIGGER.name },
				},
			);
			return await waitForExecution(api, rt, {
				workflowId: workflow.id,
				executionId,
				timeoutMs: 5 * 60 * 1000,
			});
		}

		beforeAll(
			async () => {
				hostile = await startHostileServer((request) => {
					if (request.path !== DISPOSITION_PATH) return { status: 404 };
					if (request.headers.authorization !== `Basic ${TOKEN}`) return { status: 401 };
					return REPLIES[guidOf(request.body).split('-')[0]] ?? { body: '"0"' };
				});
				rt = runtime(runtimeName);
				userFolder = makeUserFolder(packPackage());
				n8n = await startN8n(rt, userFolder);
				api = await restClient(n8n.url, n8n.owner);
				credential = await api.post<{ id: string; name: string }>('/rest/credentials', {
					name: 'uContact answering at length',
					type: 'uContactApi',
					data: { server: 'custom', baseUrl: hostile.url, authentication: 'token', token: TOKEN },
				});
				// Warm: n8n has run this node, its error path and its Code node once, so what the cases
				// measure is the answers, not n8n's first execution.
				const warm = await createWorkflow(
					'uContact answers e2e (warm-up)',
					['ok-0', 'kib-1', 'kib-2'],
					{ concurrency: 3 },
				);
				const execution = await execute(warm);
				expect(nodeItems(execution).map((item) => item.json.success)).toEqual([true, false, false]);
				expect(nodeItems(execution)[2].json.error).toMatch(cutAtCap(2));
				log.push(
					`n8n ready after ${(n8n.readyMs / 1000).toFixed(1)} s; warm (a normal answer and two of 64 KiB): ` +
						`RSS ${mib(memoryNowKiB(group(), 'rss'))} MiB over ${group().length} processes`,
				);
			},
			5 * 60 * 1000,
		);

		afterAll(async () => {
			await n8n?.stop();
			await hostile?.close();
			if (userFolder && process.env.UCONTACT_KEEP_E2E !== '1')
				fs.rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
			if (log.length > 0)
				process.stderr.write(`answerSize e2e (${runtimeName}):\n  ${log.join('\n  ')}\n`);
		}, 60 * 1000);

		interface Measured {
			execution: Execution;
			beforeKiB: number;
			peakMiB: number;
			growthMiB: number;
		}

		/** Runs `guids` with `options`, sampling the RSS of n8n's process group every 50 ms. */
		async function measured(
			name: string,
			guids: string[],
			options: Record<string, unknown>,
		): Promise<Measured> {
			hostile.requests.length = 0;
			hostile.deliveries.length = 0;
			const workflow = await createWorkflow(`uContact answers e2e (${name})`, guids, options);
			const beforeKiB = memoryNowKiB(group(), 'rss');
			const sampler = startMemorySampler(group, 50, 'rss');
			let execution: Execution;
			try {
				execution = await execute(workflow);
			} catch (error) {
				// The numbers of a run that did not end are what tells why.
				const served = hostile.deliveries.map((d) => written(d.sent)).join(', ');
				log.push(
					`${name}: did not end; RSS ${mib(beforeKiB)} MiB before, ${sampler.stop()} MiB at peak; the server wrote ${served}`,
				);
				throw error;
			}
			const peakMiB = sampler.stop() ?? 0;
			// The server's side of each answer is over: written in full, or dropped by the client.
			await Promise.all(hostile.deliveries.map(async (delivery) => await delivery.over));
			return { execution, beforeKiB, peakMiB, growthMiB: peakMiB - beforeKiB / 1024 };
		}

		/**
		 * Each item failed with `error` and was sent once, with its token; `hungUp`: the client
		 * closed each answer before it was complete (64 KiB fits in the sockets' buffers whole).
		 */
		function expectCut(
			execution: Execution,
			guids: string[],
			error: (index: number) => RegExp,
			hungUp: boolean,
		) {
			expect([execution.status, execution.data.resultData.error]).toEqual(['success', undefined]);
			const items = nodeItems(execution);
			expect(items.map((item) => (item as { pairedItem?: unknown }).pairedItem)).toEqual(
				guids.map((_, item) => ({ item })),
			);
			items.forEach((item, index) => {
				expect(item.json).toMatchObject({
					success: false,
					dryRun: false,
					alreadyRecorded: false,
					response: null,
					request: null,
					disposition: { guid: guids[index] },
				});
				expect(item.json.error).toMatch(error(index));
				expect(typeof item.json.hint).toBe('string');
			});
			// Never sent again: a cut answer may have been recorded.
			expect(
				hostile.requests
					.map((r) => [r.method, r.path, r.headers.authorization, guidOf(r.body)])
					.sort((a, b) => String(a[3]).localeCompare(String(b[3]))),
			).toEqual(guids.map((guid) => ['POST', DISPOSITION_PATH, `Basic ${TOKEN}`, guid]));
			// Within sanity: a drip is endless.
			expect(hostile.deliveries.map((d) => d.complete)).toEqual(guids.map(() => !hungUp));
			for (const delivery of hostile.deliveries)
				expect((delivery.endedAt ?? Infinity) - delivery.startedAt).toBeLessThan(SANITY_MS);
		}

		const rss = (m: Measured) =>
			`RSS ${mib(m.beforeKiB)} MiB before, ${m.peakMiB} MiB at peak (+${m.growthMiB.toFixed(1)} MiB)`;

		it.each(CASES)('$name', async (c) => {
			const guidsOf = (prefix: string) =>
				Array.from({ length: c.items }, (_, index) => `${prefix}-${index}`);
			if (c.growthUnderMiB !== undefined) {
				// The same execution with answers of 64 KiB: what n8n's RSS grows by whatever the size.
				const control = await measured(`${c.prefix} control`, guidsOf('kib'), c.options);
				log.push(`${c.name}, control with 64 KiB answers: ${rss(control)}`);
				expectCut(control.execution, guidsOf('kib'), cutAtCap, false);
			}

			const guids = guidsOf(c.prefix);
			const run = await measured(c.prefix, guids, c.options);
			const { execution } = run;
			const sent = hostile.deliveries.map((d) => written(d.sent)).join(', ');
			const held = hostile.deliveries.map((d) => `${(d.endedAt ?? NaN) - d.startedAt} ms`);
			log.push(
				`${c.name}: ${rss(run)}; the server wrote ${sent} and the client closed after ` +
					`${held.join(', ')}; the execution took ${Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt)} ms`,
			);

			if (c.growthUnderMiB !== undefined) expect(run.growthMiB).toBeLessThan(c.growthUnderMiB);
			expectCut(execution, guids, c.error, true);
		});
	},
);
