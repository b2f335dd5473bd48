/**
 * The demo (run it with `bash scripts/demo.sh`, which puts Node 24 on PATH first):
 * examples/finished-calls.json run by a real n8n 2.x, from the CLI, with this package installed
 * the way Settings -> Community Nodes installs it, against the bundled uContact simulator.
 *
 *   bash scripts/demo.sh                  the simulator; no uContact account needed
 *   UCONTACT_INSTANCE=acme UCONTACT_TOKEN=... bash scripts/demo.sh
 *                                         a real uContact, as a DRY RUN (nothing is sent)
 *   ... bash scripts/demo.sh --really-send
 *                                         a real uContact, really recording the example's dispositions
 *
 * Real instance: UCONTACT_INSTANCE (cloud name) or UCONTACT_BASE_URL (on-premise), and
 * UCONTACT_TOKEN, or UCONTACT_USER and UCONTACT_PASSWORD; UCONTACT_IGNORE_SSL=1 for a
 * self-signed on-premise certificate. Tokens and passwords are never printed.
 * UCONTACT_KEEP_DEMO=1 keeps n8n's user folder (its database holds the credential) for a look.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ROOT, runtime, packPackage, makeUserFolder } from '../test/e2e/support/runtime';
import {
	freePort,
	runN8n,
	parseRunOutput,
	nodeOutput,
	timed,
	timingTable,
	type CliResult,
	type RunItem,
} from '../test/e2e/support/cli';
import { startSimulator, type Simulator } from '../test/support/simulator/simulator';

/** The uContact credential's data, as `n8n import:credentials` takes it. */
type CredentialData = Record<string, string | boolean>;

/** The part of examples/finished-calls.json the demo reads and changes. */
interface Workflow {
	id: string;
	name: string;
	nodes: Array<{
		name: string;
		parameters: { options?: Record<string, unknown> };
		credentials: { uContactApi: { id: string; name: string } };
	}>;
}

/** What uContact Disposition outputs per item, as far as the demo prints it. */
interface DispositionJson {
	disposition?: {
		guid?: string;
		campaign?: string;
		agent?: string;
		l1?: string;
		l2?: string;
		l3?: string;
		schedule?: string;
		camptoreschedule?: string;
	};
	dryRun?: boolean;
	success?: boolean;
	response?: unknown;
	error?: string;
	request?: { method: string; url: string; headers: { Authorization: string }; body: string };
}

const WORKFLOW_FILE = 'examples/finished-calls.json';
const NODE = 'uContact Disposition';
const SIM_USER = 'api';
const SIM_PASSWORD = 'secret-pass';
const KNOWN_CAMPAIGNS = ['Ventas->'];

const out = (text = '') => process.stdout.write(`${text}\n`);
const bold = (text: string): string => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const step = (text: string) => out(bold(`==> ${text}`));

/** Every secret the demo knows of, to scrub from anything it prints. */
const secrets: string[] = [];
function scrub(text: unknown): string {
	let clean = String(text);
	for (const secret of secrets) if (secret) clean = clean.split(secret).join('***');
	return clean;
}

function usage(): void {
	out(`usage: bash scripts/demo.sh [--really-send]

Runs ${WORKFLOW_FILE} in a real n8n 2.x (CLI: import:credentials, import:workflow,
execute) with this package installed, against the bundled uContact simulator.

To point it at a real uContact instead, set UCONTACT_INSTANCE (cloud) or UCONTACT_BASE_URL
(on-premise) and UCONTACT_TOKEN, or UCONTACT_USER and UCONTACT_PASSWORD. Without
--really-send that runs as a dry run: nothing is sent to uContact.`);
}

function parseArgs(argv: string[]): { reallySend: boolean; help?: boolean } {
	const args: { reallySend: boolean; help?: boolean } = { reallySend: false };
	for (const arg of argv) {
		if (arg === '--really-send') args.reallySend = true;
		else if (arg === '--help' || arg === '-h') args.help = true;
		else throw new Error(`unknown argument ${arg}`);
	}
	return args;
}

/** The real uContact from the environment, or null for the simulator. */
function realTarget(env: NodeJS.ProcessEnv): { data: CredentialData; where: string } | null {
	const instance = (env.UCONTACT_INSTANCE || '').trim();
	const baseUrl = (env.UCONTACT_BASE_URL || '').trim();
	if (!instance && !baseUrl) {
		for (const key of ['UCONTACT_TOKEN', 'UCONTACT_USER', 'UCONTACT_PASSWORD']) {
			if (env[key])
				throw new Error(`${key} is set but neither UCONTACT_INSTANCE nor UCONTACT_BASE_URL is`);
		}
		return null;
	}
	if (instance && baseUrl) throw new Error('set UCONTACT_INSTANCE or UCONTACT_BASE_URL, not both');
	const data: CredentialData = instance
		? { server: 'cloud', instance }
		: { server: 'custom', baseUrl, ignoreSslIssues: env.UCONTACT_IGNORE_SSL === '1' };
	if (env.UCONTACT_TOKEN) {
		secrets.push(env.UCONTACT_TOKEN, env.UCONTACT_TOKEN.trim());
		Object.assign(data, { authentication: 'token', token: env.UCONTACT_TOKEN });
	} else if (env.UCONTACT_USER && env.UCONTACT_PASSWORD) {
		secrets.push(env.UCONTACT_PASSWORD);
		Object.assign(data, {
			authentication: 'userPassword',
			user: env.UCONTACT_USER,
			password: env.UCONTACT_PASSWORD,
		});
	} else {
		throw new Error('a real uContact needs UCONTACT_TOKEN, or UCONTACT_USER and UCONTACT_PASSWORD');
	}
	return {
		data,
		where: instance ? `https://${instance}.ucontactcloud.com (instance "${instance}")` : baseUrl,
	};
}

function loudBanner(lines: string[]): void {
	const width = Math.max(...lines.map((line) => line.length)) + 4;
	const bar = '!'.repeat(width);
	out(bar);
	for (const line of lines) out(`! ${line.padEnd(width - 4)} !`);
	out(bar);
}

/** "Basic ***" / "none": the scheme only. */
function maskAuthorization(value: unknown): string {
	if (!value) return 'none';
	return `${String(value).split(/\s/)[0]} ***`;
}

function describeItem(item: RunItem, index: number): string[] {
	const json = item.json as DispositionJson;
	const d = json.disposition || {};
	const levels = [d.l1, d.l2, d.l3].filter(Boolean).join(' / ');
	const what =
		`guid ${d.guid ?? '?'}, campaign ${JSON.stringify(d.campaign ?? '')}, agent ${d.agent ?? '?'}: ` +
		`${JSON.stringify(levels)}${d.schedule ? `, callback at ${d.schedule} via ${JSON.stringify(d.camptoreschedule)}` : ''}`;
	let outcome: string;
	if (json.dryRun) outcome = 'DRY RUN: not sent';
	else if (json.success) outcome = `OK (uContact answered ${JSON.stringify(json.response)})`;
	else outcome = `ERROR: ${json.error}`;
	const paired =
		item.pairedItem && typeof item.pairedItem === 'object'
			? ` <- input ${(item.pairedItem as { item: number }).item}`
			: '';
	return [`  item ${index}${paired}: ${what}`, `      ${outcome}`];
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) return usage();
	const target = realTarget(process.env);
	const dryRun = target !== null && !args.reallySend;
	if (target === null && args.reallySend)
		out('(--really-send has no effect with the simulator: it only accepts dispositions.)');

	if (target) {
		loudBanner(
			dryRun
				? [
						`REAL uContact: ${target.where}`,
						'DRY RUN: the workflow runs with options.dryRun = true, so NOTHING is sent to uContact.',
						'Add --really-send to record the example dispositions for real.',
					]
				: [
						`REAL uContact: ${target.where}`,
						'--really-send: this RECORDS REAL DISPOSITIONS in uContact, with the made-up',
						`calls of ${WORKFLOW_FILE} (campaign "Ventas->", GUIDs a1f0-000N).`,
						'Press Ctrl-C within 5 seconds to stop.',
					],
		);
		if (!dryRun) await new Promise((resolve) => setTimeout(resolve, 5000));
	}

	step('Building and packing n8n-nodes-ucontact');
	const tarball = await timed('time', 'build + npm pack', () => packPackage());
	out(`    ${tarball}`);

	step(
		'Getting n8n 2.x (installed once into ~/.cache/n8n-nodes-ucontact; several minutes the first time)',
	);
	const rt = await timed('time', 'n8n runtime', () => runtime('n8n-2'));
	const n8nVersion = JSON.parse(
		fs.readFileSync(path.join(rt.dir, 'node_modules/n8n/package.json'), 'utf8'),
	).version;
	const nodeVersion = execFileSync(path.join(rt.nodeBin, 'node'), ['-v'], {
		encoding: 'utf8',
	}).trim();
	out(`    n8n ${n8nVersion} on Node ${nodeVersion.replace(/^v/, '')}`);

	let sim: Simulator | null = null;
	let credentialData: CredentialData;
	if (target) {
		credentialData = target.data;
	} else {
		step('Starting the bundled uContact simulator');
		sim = await startSimulator({ campaigns: KNOWN_CAMPAIGNS, users: { [SIM_USER]: SIM_PASSWORD } });
		secrets.push(sim.token);
		credentialData = {
			server: 'custom',
			baseUrl: sim.url,
			authentication: 'token',
			token: sim.token,
		};
		out(
			`    ${sim.url}  (known campaign: ${KNOWN_CAMPAIGNS.join(', ')}; any other is answered "0")`,
		);
	}

	const userFolder = makeUserFolder(tarball);
	try {
		step('Installing the package into a throwaway n8n user folder');
		out(`    ${path.join(userFolder, '.n8n/nodes/node_modules/n8n-nodes-ucontact')}`);
		const brokerPort = await freePort();
		const n8n = (args: string[]): Promise<CliResult> =>
			runN8n(rt, userFolder, args, { brokerPort });
		function fail(what: string, result: CliResult): never {
			const tail = (text: string): string => scrub(text).trim().split('\n').slice(-25).join('\n');
			throw new Error(
				`${what} failed (exit ${result.code ?? result.signal}):\n${tail(result.stdout)}\n${tail(result.stderr)}`,
			);
		}

		const workflow: Workflow = JSON.parse(fs.readFileSync(path.join(ROOT, WORKFLOW_FILE), 'utf8'));
		const node = workflow.nodes.find((n) => n.name === NODE)!;
		const credentialRef = node.credentials.uContactApi;
		if (dryRun) node.parameters.options = { ...node.parameters.options, dryRun: true };

		const files = fs.mkdtempSync(path.join(userFolder, 'import-'));
		const credentialFile = path.join(files, 'credential.json');
		fs.writeFileSync(
			credentialFile,
			JSON.stringify([{ ...credentialRef, type: 'uContactApi', data: credentialData }]),
			{ mode: 0o600 },
		);
		const workflowFile = path.join(files, 'workflow.json');
		fs.writeFileSync(workflowFile, JSON.stringify(workflow, null, 2));

		step(
			`n8n import:credentials  (credential "${credentialRef.name}", ${credentialData.authentication})`,
		);
		const creds = await timed('time', 'n8n import:credentials', () =>
			n8n(['import:credentials', '--input', credentialFile]),
		);
		fs.rmSync(credentialFile, { force: true });
		if (creds.code !== 0) fail('n8n import:credentials', creds);

		step(
			`n8n import:workflow --input ${WORKFLOW_FILE}${dryRun ? '  (with options.dryRun = true)' : ''}`,
		);
		const imported = await timed('time', 'n8n import:workflow', () =>
			n8n(['import:workflow', '--input', workflowFile]),
		);
		if (imported.code !== 0) fail('n8n import:workflow', imported);

		step(`n8n execute --id ${workflow.id} --rawOutput`);
		const executed = await timed('time', 'n8n execute', () =>
			n8n(['execute', '--id', workflow.id, '--rawOutput']),
		);
		const run = parseRunOutput(executed.stdout);
		if (executed.code !== 0 || !run) fail('n8n execute', executed);
		const items = nodeOutput(run, NODE) || [];

		out('');
		out(bold(`== "${workflow.name}": Manual Trigger -> Finished calls -> ${NODE}`));
		out(
			`   run by n8n ${n8nVersion} (status: ${run.status ?? (run.finished ? 'success' : 'unknown')}), ${target ? `against ${target.where}` : 'against the uContact simulator'}`,
		);
		out('');
		out(bold('What n8n output, per item:'));
		for (const [index, item] of items.entries())
			for (const line of describeItem(item, index)) out(scrub(line));
		const ok = items.filter((item) => item.json.success && !item.json.dryRun).length;
		const failed = items.filter((item) => !item.json.success).length;
		out(
			`  ${items.length} items: ${dryRun ? `${items.length} dry-run, ` : ''}${ok} recorded, ${failed} error item(s) (the node's On Error is "Continue")`,
		);

		out('');
		if (sim) {
			out(bold('What the uContact simulator received on the wire:'));
			for (const request of sim.requests) {
				out(
					scrub(
						`  ${request.method} ${request.path}  Authorization: ${maskAuthorization(request.headers.authorization)}` +
							`  -> HTTP ${request.status} ${request.answer}`,
					),
				);
				out(scrub(`      ${request.rawBody}`));
				if (request.problems.length > 0) out(`      PROBLEMS: ${request.problems.join('; ')}`);
			}
			const problems = sim.requests.reduce((sum, request) => sum + request.problems.length, 0);
			out(
				`  ${sim.requests.length} request(s), ${problems === 0 ? 'no wire-format problems' : `${problems} wire-format problem(s)`}`,
			);
		} else if (dryRun) {
			out(bold('What n8n would send (dry run, nothing was sent):'));
			for (const item of items) {
				const request = (item.json as DispositionJson).request;
				if (!request) continue;
				out(
					scrub(
						`  ${request.method} ${request.url}  Authorization: ${request.headers.Authorization}`,
					),
				);
				out(scrub(`      ${request.body}`));
			}
		} else {
			out(`${ok} disposition(s) recorded at ${target!.where}: check them in uContact.`);
		}
		out(timingTable('Time per stage'));
	} finally {
		if (sim) await sim.close();
		if (process.env.UCONTACT_KEEP_DEMO === '1') out(`(kept n8n's user folder: ${userFolder})`);
		else fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`\ndemo failed: ${scrub(error && error.message ? error.message : error)}\n`);
	process.exit(1);
});
