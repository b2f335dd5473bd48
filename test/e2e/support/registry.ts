// A real npm registry for the install test, reached by n8n under the name of the registry n8n
// installs community packages from (the public npm registry).
//
// Without a licence n8n installs community packages from its default registry only: setting any
// other N8N_COMMUNITY_PACKAGES_REGISTRY needs an Enterprise licence (feat:communityNodes:customRegistry),
// and it passes `--registry=<that registry>` to npm itself. So the test gives n8n an HTTPS proxy
// (HTTPS_PROXY, which npm and n8n honour) that terminates TLS for that registry's host with a
// certificate from a throwaway CA (NODE_EXTRA_CA_CERTS) and forwards to a local verdaccio. Every
// other host is refused and recorded: the machine has no network, and the test can then say
// exactly what n8n tried to reach.
//
// The registry's address is not written in this repository: n8nRegistryUrl() asks the installed
// n8n for the default of its own setting (CommunityPackagesConfig.registry, behind
// N8N_COMMUNITY_PACKAGES_REGISTRY), so the test follows whatever registry the n8n under test uses.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import * as path from 'node:path';

import { cachedRuntime, freePort, tempRoot, type Runtime } from './runtime';

/**
 * Where n8n keeps the class of its community-packages settings (N8N_COMMUNITY_PACKAGES_*): its
 * own community-packages module, in n8n 1.123 as in 2.41.
 */
const COMMUNITY_PACKAGES_CONFIG = [
	'n8n/dist/modules/community-packages/community-packages.config.js',
];

/**
 * The registry URL `rt`'s n8n installs community packages from when N8N_COMMUNITY_PACKAGES_REGISTRY
 * is unset: the default of its CommunityPackagesConfig.registry, read by running that n8n's own
 * config code with its own Node and no N8N_* variable set.
 */
export function n8nRegistryUrl(rt: Runtime): string {
	const modules = path.join(rt.dir, 'node_modules');
	const configFile = COMMUNITY_PACKAGES_CONFIG.map((file) => path.join(modules, file)).find(
		(file) => fs.existsSync(file),
	);
	if (!configFile)
		throw new Error(
			`no community-packages config in ${modules} (looked for ${COMMUNITY_PACKAGES_CONFIG.join(', ')})`,
		);
	const script = [
		"require('reflect-metadata');",
		"const { Container } = require('@n8n/di');",
		`const { CommunityPackagesConfig } = require(${JSON.stringify(configFile)});`,
		'process.stdout.write(String(Container.get(CommunityPackagesConfig).registry));',
	].join(' ');
	// From n8n's own folder, so require() finds the reflect-metadata and @n8n/di n8n itself loads.
	const out = execFileSync(path.join(rt.nodeBin, 'node'), ['-e', script], {
		cwd: path.join(modules, 'n8n'),
		env: { PATH: process.env.PATH, HOME: process.env.HOME },
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const url = new URL(out.trim());
	if (url.protocol !== 'https:')
		throw new Error(`n8n's default community package registry is not https: ${out}`);
	return url.href;
}

export interface LocalRegistry {
	/** http://127.0.0.1:PORT of verdaccio itself. */
	readonly url: string;
	/** Publishes a packed .tgz; resolves the version npm printed. */
	publish(tarball: string): string;
	stop(): Promise<void>;
}

export interface ProxiedRequest {
	method: string;
	/** Path and query, as sent to the intercepted registry. */
	path: string;
	status: number;
	/** Request headers and body, for the check that no secret travels here. */
	text: string;
}

export interface RegistryInterceptor {
	/** The host answered for: n8n's default registry's host (see n8nRegistryUrl). */
	readonly host: string;
	/** http://127.0.0.1:PORT, for HTTPS_PROXY. */
	readonly proxyUrl: string;
	/** The throwaway CA's certificate (PEM file), for NODE_EXTRA_CA_CERTS. */
	readonly caFile: string;
	/** Requests served as `host`, in order. */
	readonly served: ProxiedRequest[];
	/** Everything else asked of the proxy ("CONNECT api.n8n.io:443", "GET http://..."), refused. */
	readonly refused: string[];
	/** The environment that sends n8n's and npm's HTTPS through the proxy, loopback excepted. */
	env(): Record<string, string>;
	stop(): Promise<void>;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts verdaccio on 127.0.0.1 with empty storage and no uplinks, and signs up a publisher.
 * `publicUrl` (n8n's registry, see n8nRegistryUrl) is the address its metadata gives tarballs.
 */
export async function startRegistry(publicUrl: string): Promise<LocalRegistry> {
	const { nodeBin, dir } = cachedRuntime('registry');
	const home = fs.mkdtempSync(path.join(tempRoot(), 'ucontact-registry-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	fs.writeFileSync(
		path.join(home, 'config.yaml'),
		[
			`storage: ${path.join(home, 'storage')}`,
			'auth:',
			'  htpasswd:',
			`    file: ${path.join(home, 'htpasswd')}`,
			'    max_users: 1',
			// No uplinks: a name we did not publish is a 404, never a request to the real npm.
			'uplinks: {}',
			'packages:',
			"  '**':",
			'    access: $all',
			'    publish: $authenticated',
			'web: { enable: false }',
			'log: { type: stdout, format: pretty, level: warn }',
			'',
		].join('\n'),
	);
	const logFile = path.join(home, 'verdaccio.log');
	const log = fs.openSync(logFile, 'a');
	const child: ChildProcess = spawn(
		path.join(nodeBin, 'node'),
		[
			path.join(dir, 'node_modules/verdaccio/bin/verdaccio'),
			'-c',
			path.join(home, 'config.yaml'),
			'-l',
			`127.0.0.1:${port}`,
		],
		// Tarball addresses in the metadata it serves name the public registry, as the real one's do.
		{ env: { ...process.env, VERDACCIO_PUBLIC_URL: publicUrl }, stdio: ['ignore', log, log] },
	);
	fs.closeSync(log);
	// Not left running when the test process ends without stop().
	const killOnExit = (): void => {
		child.kill('SIGKILL');
	};
	process.once('exit', killOnExit);
	const stop = async (): Promise<void> => {
		process.removeListener('exit', killOnExit);
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			child.kill('SIGTERM');
			await Promise.race([exited, delay(5000)]);
			if (child.exitCode === null) child.kill('SIGKILL');
		}
		if (process.env.UCONTACT_KEEP_E2E !== '1')
			fs.rmSync(home, { recursive: true, force: true, maxRetries: 3 });
	};
	let token = '';
	try {
		for (let attempt = 0; ; attempt++) {
			try {
				const response = await fetch(`${url}/-/user/org.couchdb.user:publisher`, {
					method: 'PUT',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ name: 'publisher', password: 'publisher-e2e-pass' }),
				});
				if (!response.ok)
					throw new Error(
						`verdaccio refused the sign-up: HTTP ${response.status} ${await response.text()}`,
					);
				token = ((await response.json()) as { token: string }).token;
				break;
			} catch (error) {
				if (child.exitCode !== null || attempt > 100) {
					throw new Error(
						`verdaccio did not start: ${String(error)}\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`,
					);
				}
				await delay(100);
			}
		}
	} catch (error) {
		await stop();
		throw error;
	}
	const npmrc = path.join(home, '.npmrc');
	fs.writeFileSync(npmrc, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${token}\n`);
	return {
		url,
		publish(tarball: string): string {
			// From the registry's folder with its own .npmrc: the project's .npmrc and scripts stay out.
			const out = execFileSync(
				'npm',
				['publish', tarball, '--userconfig', npmrc, '--registry', `${url}/`, '--json'],
				{
					cwd: home,
					encoding: 'utf8',
					env: { ...process.env, PATH: `${nodeBin}${path.delimiter}${process.env.PATH}` },
					stdio: ['ignore', 'pipe', 'pipe'],
				},
			);
			// npm 11 prints { "<name>": { version, ... } }; older npm printed { version, ... }.
			const printed = JSON.parse(out) as Record<string, unknown>;
			const nested = Object.values(printed)[0] as { version?: unknown } | undefined;
			const version = typeof printed.version === 'string' ? printed.version : nested?.version;
			if (typeof version !== 'string')
				throw new Error(`npm publish printed no version: ${out.slice(0, 300)}`);
			return version;
		},
		stop,
	};
}

/**
 * A copy of the packed `tarball` whose package.json says `version`: the same code published as a
 * later release, for the update path. Returns the new .tgz path.
 */
export function withVersion(tarball: string, version: string): string {
	const dir = fs.mkdtempSync(path.join(tempRoot(), `ucontact-${version}-`));
	execFileSync('tar', ['-xzf', tarball, '-C', dir]);
	const manifest = path.join(dir, 'package', 'package.json');
	const json = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name: string; version: string };
	json.version = version;
	fs.writeFileSync(manifest, `${JSON.stringify(json, null, 2)}\n`);
	const out = path.join(dir, `${json.name}-${version}.tgz`);
	execFileSync('tar', ['-czf', out, '-C', dir, 'package']);
	return out;
}

/** A CA and a certificate for `host` signed by it, made by openssl in `dir`. */
function makeCertificates(
	dir: string,
	host: string,
): { caFile: string; key: Buffer; cert: Buffer } {
	const file = (name: string): string => path.join(dir, name);
	const openssl = (...args: string[]): void => {
		execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
	};
	openssl(
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		'ca.key',
		'-out',
		'ca.pem',
		'-days',
		'2',
		'-subj',
		'/CN=n8n-nodes-ucontact e2e throwaway CA',
		'-addext',
		'basicConstraints=critical,CA:TRUE',
		'-addext',
		'keyUsage=critical,keyCertSign,cRLSign',
	);
	openssl(
		'req',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		'leaf.key',
		'-out',
		'leaf.csr',
		'-subj',
		`/CN=${host}`,
	);
	fs.writeFileSync(
		file('leaf.ext'),
		`subjectAltName=DNS:${host}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
	);
	openssl(
		'x509',
		'-req',
		'-in',
		'leaf.csr',
		'-CA',
		'ca.pem',
		'-CAkey',
		'ca.key',
		'-CAcreateserial',
		'-out',
		'leaf.pem',
		'-days',
		'2',
		'-extfile',
		'leaf.ext',
	);
	return {
		caFile: file('ca.pem'),
		key: fs.readFileSync(file('leaf.key')),
		cert: fs.readFileSync(file('leaf.pem')),
	};
}

/**
 * An HTTPS proxy that answers for `publicUrl`'s host (n8n's registry) from `registryUrl`
 * (verdaccio) and refuses every other host. Give n8n `interceptor.env()`.
 */
export async function interceptRegistry(
	registryUrl: string,
	publicUrl: string,
): Promise<RegistryInterceptor> {
	const host = new URL(publicUrl).hostname;
	const dir = fs.mkdtempSync(path.join(tempRoot(), 'ucontact-intercept-'));
	const { caFile, key, cert } = makeCertificates(dir, host);
	const target = new URL(registryUrl);
	const served: ProxiedRequest[] = [];
	const refused: string[] = [];

	const asRegistry = https.createServer({ key, cert }, (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const record: ProxiedRequest = {
				method: req.method ?? 'GET',
				path: req.url ?? '/',
				status: 0,
				text: `${JSON.stringify(req.headers)}\n${body.toString('utf8')}`,
			};
			served.push(record);
			const upstream = http.request(
				{
					hostname: target.hostname,
					port: target.port,
					method: req.method,
					path: req.url,
					headers: { ...req.headers, host: target.host },
				},
				(answer) => {
					record.status = answer.statusCode ?? 0;
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
				},
			);
			upstream.on('error', (error) => {
				record.status = 502;
				res.writeHead(502).end(`local registry unreachable: ${error.message}`);
			});
			upstream.end(body);
		});
	});

	const proxy = http.createServer((req, res) => {
		refused.push(`${req.method} ${req.url}`);
		res
			.writeHead(403, { 'content-type': 'text/plain' })
			.end(`Only ${host} is reachable in this test\n`);
	});
	const sockets = new Set<Socket>();
	proxy.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	proxy.on('connect', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
		if (req.url !== `${host}:443`) {
			refused.push(`CONNECT ${req.url}`);
			socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head.length > 0) socket.unshift(head);
		// The tunnel's bytes are TLS for `host`: the local HTTPS server takes them.
		asRegistry.emit('connection', socket);
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
	return {
		host,
		proxyUrl,
		caFile,
		served,
		refused,
		env: () => ({
			HTTPS_PROXY: proxyUrl,
			https_proxy: proxyUrl,
			NO_PROXY: '127.0.0.1,localhost',
			no_proxy: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: caFile,
		}),
		async stop(): Promise<void> {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => proxy.close(() => resolve()));
			asRegistry.close();
			if (process.env.UCONTACT_KEEP_E2E !== '1') fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}
