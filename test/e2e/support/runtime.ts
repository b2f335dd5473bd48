// Real n8n for end-to-end tests and the demo: which runtime, our packed package, and a
// throwaway n8n user folder with the package installed the way n8n installs community nodes.
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const PACKAGE_NAME = 'n8n-nodes-ucontact';

/** What runtime() returns. */
export interface Runtime {
	name: string;
	nodeBin: string;
	dir: string;
	n8n: string;
}

/**
 * { nodeBin, dir } of a runtime scripts/n8n-runtime.sh installs once into the cache from
 * test/e2e/runtimes/<name>: 'n8n-2', 'n8n-1' or 'registry'.
 */
export function cachedRuntime(name: string): { nodeBin: string; dir: string } {
	const out = execFileSync('bash', [path.join(ROOT, 'scripts/n8n-runtime.sh'), name], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const [nodeBin, dir] = out.trim().split('\t');
	return { nodeBin, dir };
}

/** { name, nodeBin, dir, n8n } for 'n8n-2' (Node 24) or 'n8n-1' (Node 20/22); installs once. */
export function runtime(name: string): Runtime {
	const { nodeBin, dir } = cachedRuntime(name);
	return { name, nodeBin, dir, n8n: path.join(dir, 'node_modules/n8n/bin/n8n') };
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it): n8n, its task broker, services. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** This jest run's temporary folder (removed by its global teardown), else the system's. */
export function tempRoot(): string {
	return process.env.UCONTACT_TMP && fs.existsSync(process.env.UCONTACT_TMP)
		? process.env.UCONTACT_TMP
		: os.tmpdir();
}

let packed: string | undefined;
/** Builds (unless UCONTACT_SKIP_BUILD=1) and `npm pack`s the package once per process; returns the .tgz path. */
export function packPackage(): string {
	if (packed && fs.existsSync(packed)) return packed;
	if (process.env.UCONTACT_SKIP_BUILD !== '1') {
		execFileSync('npm', ['run', 'build', '--silent'], {
			cwd: ROOT,
			stdio: ['ignore', 'ignore', 'inherit'],
		});
	}
	const dest = fs.mkdtempSync(path.join(tempRoot(), 'ucontact-pack-'));
	// Under jest the run's folder is removed by its global teardown; scripts (demo, bench) clean up on exit.
	if (tempRoot() === os.tmpdir())
		process.once('exit', () => fs.rmSync(dest, { recursive: true, force: true }));
	const json = execFileSync('npm', ['pack', '--json', '--pack-destination', dest], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	packed = path.join(dest, JSON.parse(json)[0].filename);
	return packed;
}

/**
 * A fresh N8N_USER_FOLDER whose .n8n/nodes/node_modules holds the packed package, as
 * Settings -> Community Nodes leaves it. Returns the folder path.
 */
export function makeUserFolder(tarball: string = packPackage()): string {
	const folder = fs.mkdtempSync(path.join(tempRoot(), 'ucontact-n8n-user-'));
	const nodesDir = path.join(folder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	const version = JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8')).version;
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: version } },
			null,
			2,
		),
	);
	return folder;
}

export interface N8nEnvExtra {
	/** N8N_RUNNERS_BROKER_PORT; default 5679. */
	brokerPort?: number;
	/** Extra environment (wins over the defaults). */
	env?: Record<string, string | undefined>;
}

/** Environment for a headless n8n on this machine: quiet, local, no telemetry. */
export function n8nEnv(
	rt: Runtime,
	userFolder: string,
	extra: N8nEnvExtra = {},
): NodeJS.ProcessEnv {
	const env = { ...process.env };
	for (const key of Object.keys(env))
		if (key.startsWith('N8N_') || key.startsWith('DB_')) delete env[key];
	// Jest sets NODE_ENV=test, which silences n8n's logger (no run data printed) and makes
	// `n8n start` exit at once.
	delete env.NODE_ENV;
	delete env.JEST_WORKER_ID;
	return {
		...env,
		PATH: `${rt.nodeBin}${path.delimiter}${env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: crypto.createHash('sha256').update(userFolder).digest('hex'),
		N8N_LOG_LEVEL: 'info',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_BROKER_PORT: String(extra.brokerPort ?? 5679),
		...(rt.name === 'n8n-1' ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
		...extra.env,
	};
}
