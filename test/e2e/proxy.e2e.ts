/**
 * n8n behind a company proxy: which of the node's requests go through HTTP_PROXY, and how
 * NO_PROXY keeps an on-premise uContact off the proxy.
 *
 * A real n8n (the CLI: import:credentials, import:workflow, execute --id) runs a workflow that
 * records one disposition on the uContact simulator, whose base URL is plain http://127.0.0.1.
 * A recording proxy (support/proxy.ts) stands for the company's proxy: it records what it is asked
 * and forwards loopback requests. Two runs of the same workflow in the same n8n user folder:
 *   1. HTTP_PROXY set and NO_PROXY naming the simulator's host: the disposition is recorded and the
 *      proxy sees nothing.
 *   2. the control, HTTP_PROXY set and no NO_PROXY: n8n sends the request to the proxy, in absolute
 *      form, its Authorization header included; the proxy forwards it and the disposition is
 *      recorded.
 *   3. HTTPS_PROXY alone: it is for https:// addresses; the plain-http request goes direct.
 * The n8n is the one pinned in test/e2e/runtimes/<name>/package.json (checked, and printed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSimulator, type Simulator } from '../support/simulator/simulator';
import {
	assertExit0,
	nodeOutput,
	packPackage,
	parseRunOutput,
	prepareN8n,
	printTimings,
	removeDir,
	selectedRuntimes,
	tempDir,
	timed,
	writeJson,
	type PreparedN8n,
} from './support/cli';
import { startRecordingProxy, type RecordingProxy } from './support/proxy';
import { PACKAGE_NAME, ROOT } from './support/runtime';

const NODE = 'uContact Disposition';
const WORKFLOW_ID = 'uCtE2eProxyRun01';
const CREDENTIAL = { id: 'uCtE2eProxyCred1', name: 'uContact (e2e, proxy)' };
const GUID = 'proxy-e2e-call-1';

/** Every proxy variable n8n (proxy-from-env) reads, emptied: the test sets exactly what it means. */
const NO_PROXY_ENV: Record<string, string> = Object.fromEntries(
	[
		'HTTP_PROXY',
		'HTTPS_PROXY',
		'ALL_PROXY',
		'NO_PROXY',
		'npm_config_proxy',
		'npm_config_http_proxy',
		'npm_config_https_proxy',
		'npm_config_no_proxy',
	].flatMap((name) => [
		[name, ''],
		[name.toLowerCase(), ''],
	]),
);

function workflow() {
	return {
		id: WORKFLOW_ID,
		name: 'uContact behind a proxy (e2e)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'c3d0e1f4-0001-4f00-9000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'c3d0e1f4-0002-4f00-9000-000000000002',
				name: NODE,
				type: `${PACKAGE_NAME}.uContactDisposition`,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					campaign: 'Ventas->',
					agent: 'jperez',
					callerid: '59899123456',
					guid: GUID,
					l1: 'Venta',
					l2: 'Contado',
					options: {},
				},
				credentials: { uContactApi: CREDENTIAL },
			},
		],
		connections: { Start: { main: [[{ node: NODE, type: 'main', index: 0 }]] } },
	};
}

let tarball: string;
beforeAll(async () => {
	tarball = await timed('both', 'build + npm pack', () => packPackage());
});
afterAll(() => printTimings('Proxy e2e: time per stage'));

describe.each(selectedRuntimes())(
	"%s: HTTP_PROXY and NO_PROXY for the node's requests",
	(runtimeName) => {
		let simulator: Simulator;
		let proxy: RecordingProxy;
		let n8n: PreparedN8n;
		let filesDir: string;
		let simulatorHost: string;

		/** One `n8n execute` of the workflow with `env`; checks the run succeeded and the node said so. */
		async function runWorkflow(stage: string, env: Record<string, string>): Promise<void> {
			const result = assertExit0(
				await timed(runtimeName, `execute: ${stage}`, () =>
					n8n.run(['execute', '--id', WORKFLOW_ID, '--rawOutput'], {
						env: { ...NO_PROXY_ENV, ...env },
					}),
				),
				`n8n execute (${stage})`,
			);
			const run = parseRunOutput(result.stdout);
			expect(run?.data.resultData.error).toBeUndefined();
			expect(nodeOutput(run, NODE)?.map((item) => item.json.success)).toEqual([true]);
		}

		/** The one disposition the simulator recorded, checked on the wire. */
		function expectRecorded(): void {
			const calls = simulator.requests.filter((request) => request.endpoint === 'DispositionCall');
			expect(
				calls.map((request) => [
					request.status,
					request.auth,
					request.problems,
					request.fields.guid,
				]),
			).toEqual([[200, 'ok', [], GUID]]);
		}

		beforeAll(async () => {
			simulator = await startSimulator({ campaigns: ['Ventas->'] });
			simulatorHost = new URL(simulator.url).hostname;
			proxy = await startRecordingProxy();
			n8n = await prepareN8n(runtimeName, { tarball });
			filesDir = tempDir('ucontact-e2e-proxy-');
			const credentials = writeJson(filesDir, 'credentials.json', [
				{
					...CREDENTIAL,
					type: 'uContactApi',
					data: {
						server: 'custom',
						baseUrl: simulator.url,
						authentication: 'token',
						token: simulator.token,
					},
				},
			]);
			assertExit0(
				await timed(runtimeName, 'import:credentials', () =>
					n8n.run(['import:credentials', '--input', credentials]),
				),
				'n8n import:credentials',
			);
			const workflowFile = writeJson(filesDir, 'workflow.json', workflow());
			assertExit0(
				await timed(runtimeName, 'import:workflow', () =>
					n8n.run(['import:workflow', '--input', workflowFile]),
				),
				'n8n import:workflow',
			);
		});

		afterAll(async () => {
			await proxy?.stop();
			await simulator?.close();
			removeDir(filesDir);
			removeDir(n8n?.userFolder);
		});

		beforeEach(() => {
			simulator.reset();
			proxy.calls.length = 0;
		});

		it(`runs the n8n pinned in test/e2e/runtimes/${runtimeName}/package.json`, () => {
			const read = (file: string) =>
				JSON.parse(fs.readFileSync(file, 'utf8')) as {
					version: string;
					dependencies: Record<string, string>;
				};
			const pinned = read(path.join(ROOT, 'test/e2e/runtimes', runtimeName, 'package.json'))
				.dependencies.n8n;
			const installed = read(path.join(n8n.rt.dir, 'node_modules/n8n/package.json')).version;
			process.stderr.write(`${runtimeName}: n8n ${installed}\n`);
			expect(installed).toBe(pinned);
		});

		it('with NO_PROXY naming the on-premise host, the disposition goes straight to uContact and the proxy sees nothing', async () => {
			await runWorkflow('HTTP_PROXY + NO_PROXY', {
				HTTP_PROXY: proxy.url,
				http_proxy: proxy.url,
				NO_PROXY: simulatorHost,
				no_proxy: simulatorHost,
			});
			expectRecorded();
			// The simulator saw n8n itself, not the proxy: no proxy headers, no absolute-form target.
			expect(simulator.requests[0].path).toBe('/Integra/resources/api/DispositionCall');
			expect(proxy.calls).toEqual([]);
		});

		it('the control: without NO_PROXY the same request, Authorization included, goes to the proxy', async () => {
			await runWorkflow('HTTP_PROXY only', { HTTP_PROXY: proxy.url, http_proxy: proxy.url });
			expectRecorded();
			const seen = proxy.calls.map((call) => [call.method, call.target, call.status]);
			process.stderr.write(`${runtimeName}: the proxy was asked ${JSON.stringify(seen)}\n`);
			expect(seen).toEqual([
				['POST', `${simulator.url}/Integra/resources/api/DispositionCall`, 200],
			]);
			// What a proxy operator can read: the token, and the disposition itself.
			expect(proxy.calls[0].headers.authorization).toBe(`Basic ${simulator.token}`);
			expect(new URLSearchParams(proxy.calls[0].body).get('guid')).toBe(GUID);
		});

		it('HTTPS_PROXY alone is for https:// addresses: the plain-http request goes direct', async () => {
			await runWorkflow('HTTPS_PROXY only', { HTTPS_PROXY: proxy.url, https_proxy: proxy.url });
			expectRecorded();
			expect(proxy.calls).toEqual([]);
		});
	},
);
