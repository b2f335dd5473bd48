/**
 * A credential given by expressions, in real n8n 2.x and 1.x (issue 29): n8n resolves it for each
 * item, and each item goes to its own server with its own token or login; Dry Run shows each
 * item's address. The harness's table is test/workflow/credentialPerItem.workflow.test.ts.
 */
import { dispositionWorkflow, NODE } from './support/dispositionWorkflow';
import {
	assertExit0,
	nodeOutput,
	parseRunOutput,
	prepareN8n,
	selectedRuntimes,
	tempDir,
	writeJson,
	type PreparedN8n,
} from './support/cli';
import { makeToken, startSimulator, type Simulator } from '../support/simulator/simulator';

const TRIGGER = {
	id: 'e0000000-0000-4000-8000-000000000001',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	parameters: {},
};

describe.each(selectedRuntimes())('%s: credential by expressions', (runtimeName) => {
	let a: Simulator;
	let b: Simulator;
	let n8n: PreparedN8n;
	const tokenA = makeToken('api-a');
	const tokenB = makeToken('api-b');
	const creds = {
		expr: { id: 'credExpr00000001', name: 'by expression' },
		login: { id: 'credLogin0000001', name: 'login by expression' },
	};
	beforeAll(async () => {
		a = await startSimulator({ tokens: [tokenA], users: { 'user-a': 'pass-a' } });
		b = await startSimulator({ tokens: [tokenB], users: { 'user-b': 'pass-b' } });
		n8n = await prepareN8n(runtimeName);
		const dir = tempDir('cred-e2e-');
		const file = writeJson(dir, 'c.json', [
			{
				...creds.expr,
				type: 'uContactApi',
				data: {
					server: 'custom',
					baseUrl: '={{ $json.server }}',
					authentication: 'token',
					token: '={{ $json.token }}',
				},
			},
			{
				...creds.login,
				type: 'uContactApi',
				data: {
					server: 'custom',
					baseUrl: '={{ $json.server }}',
					authentication: 'userPassword',
					user: '={{ $json.user }}',
					password: '={{ $json.password }}',
				},
			},
		]);
		assertExit0(await n8n.run(['import:credentials', '--input', file]), 'import:credentials');
		const calls = (n: number, routes: string) =>
			`const r = ${routes}; return Array.from({ length: ${n} }, (_, i) => ({ json: { campaign: 'Ventas->', agent: 'x', callerid: '1', guid: 'g-' + i, l1: 'Venta', ...r(i) } }));`;
		const A = `{ server: '${a.url}', token: '${tokenA}', user: 'user-a', password: 'pass-a' }`;
		const B = `{ server: '${b.url}', token: '${tokenB}', user: 'user-b', password: 'pass-b' }`;
		const wf = (
			id: string,
			jsCode: string,
			credential: { id: string; name: string },
			options = {},
		) => ({ id, ...dispositionWorkflow(id, TRIGGER, jsCode, credential, options) });
		const three = calls(3, `(i) => (i === 0 ? ${A} : ${B})`);
		const wfs = [
			wf('wfTokenThree0001', three, creds.expr),
			wf('wfLoginThree0001', three, creds.login),
			wf('wfDryThree000001', three, creds.expr, { dryRun: true }),
		];
		for (const w of wfs) writeJson(`${dir}/w`, `${w.id}.json`, w);
		assertExit0(
			await n8n.run(['import:workflow', '--separate', '--input', `${dir}/w`]),
			'import:workflow',
		);
	}, 600_000);
	afterAll(async () => {
		await a?.close();
		await b?.close();
	});
	beforeEach(() => {
		a.reset();
		b.reset();
	});

	async function execute(id: string) {
		const result = assertExit0(await n8n.run(['execute', '--id', id, '--rawOutput']), id);
		const run = parseRunOutput(result.stdout);
		const items = nodeOutput(run, NODE) ?? [];
		return { items };
	}

	it.each([
		['token', 'wfTokenThree0001'],
		['login', 'wfLoginThree0001'],
	])('%s: each server receives exactly its items with its own credential', async (_k, id) => {
		const { items } = await execute(id);
		expect(items.map((i) => i.json.success)).toEqual([true, true, true]);
		const calls = (s: Simulator) => s.requests.filter((r) => r.endpoint === 'DispositionCall');
		expect(calls(a).map((r) => r.fields.guid)).toEqual(['g-0']);
		expect(
			calls(b)
				.map((r) => r.fields.guid)
				.sort(),
		).toEqual(['g-1', 'g-2']);
		if (id.startsWith('wfToken')) {
			expect(calls(a).map((r) => r.headers.authorization)).toEqual([`Basic ${tokenA}`]);
			expect(calls(b).map((r) => r.headers.authorization)).toEqual([
				`Basic ${tokenB}`,
				`Basic ${tokenB}`,
			]);
		} else {
			expect(
				a.requests.filter((r) => r.endpoint === 'getUserToken').map((r) => r.fields.user),
			).toEqual(['user-a']);
			expect(
				b.requests.filter((r) => r.endpoint === 'getUserToken').map((r) => r.fields.user),
			).toEqual(['user-b']);
		}
		for (const r of a.requests) expect(JSON.stringify(r)).not.toContain(tokenB);
		for (const r of b.requests) expect(JSON.stringify(r)).not.toContain(tokenA);
	});

	it('dry run shows each item its address', async () => {
		const { items } = await execute('wfDryThree000001');
		expect(items.map((i) => (i.json.request as { url: string }).url)).toEqual(
			[a.url, b.url, b.url].map((u) => `${u}/Integra/resources/api/DispositionCall`),
		);
		expect(a.requests.length + b.requests.length).toBe(0);
	});
});
