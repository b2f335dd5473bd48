/**
 * The wrong scheme for the port (issue 29), on every request path, against real local servers on
 * the Node that runs the tests: https:// to a plain-HTTP port and http:// to a TLS port, in each
 * way such a server behaves. The words must name the other scheme; where the failure proves it,
 * in the message itself, else as a hint beside the code.
 *
 * What Node 24 reports, as measured here: a plain server that answers (Node's, nginx's) gives
 * EPROTO "wrong version number"; one that closes on the TLS hello gives ECONNRESET "Client network
 * socket disconnected before secure TLS connection was established"; one that resets gives
 * ECONNRESET "read ECONNRESET". A TLS port asked in plain HTTP: Node's and OpenSSL's close at once
 * (ECONNRESET "socket hang up"), Java's answer a TLS alert (HPE_INVALID_CONSTANT, the alert in the
 * parser's rawPacket), nginx answers HTTP 400 "The plain HTTP request was sent to HTTPS port".
 */
import * as net from 'node:net';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	selfSignedCertificate,
	startHostileServer,
	type HostileServer,
} from '../support/hostileServer';
import { call, MAPPED, runDisposition, testCredential } from '../support/runDisposition';

interface RawServer {
	port: number;
	/** Connections that sent anything. */
	contacted: number;
	close(): Promise<void>;
}

/** A TCP server that does one thing with the first bytes it receives. */
async function rawServer(onData: (socket: net.Socket) => void): Promise<RawServer> {
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => undefined);
		socket.once('data', () => {
			raw.contacted++;
			onData(socket);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const raw: RawServer = {
		port: (server.address() as net.AddressInfo).port,
		contacted: 0,
		close: async () =>
			await new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
	return raw;
}

const NGINX_400 =
	'HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n' +
	'<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n' +
	'<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n' +
	'<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const TLS_ALERT = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]);

let plainNode: HostileServer;
let tlsNode: HostileServer;
const raws: Record<string, RawServer> = {};

beforeAll(async () => {
	plainNode = await startHostileServer(() => ({ body: '"OK"' }));
	tlsNode = await startHostileServer(() => ({ body: '"OK"' }), { tls: selfSignedCertificate() });
	raws.closes = await rawServer((socket) => socket.end());
	raws.resets = await rawServer((socket) => socket.resetAndDestroy());
	raws.alert = await rawServer((socket) => socket.end(TLS_ALERT));
	raws.nginx = await rawServer((socket) => socket.end(NGINX_400));
});
afterAll(async () => {
	await Promise.all(
		[plainNode, tlsNode, ...Object.values(raws)].map(async (server) => await server?.close()),
	);
});

interface Scenario {
	baseUrl: () => string;
	/** Where the words must be: the message itself, or anywhere (message or description). */
	inMessage?: RegExp;
	anywhere: RegExp;
	/** Only a failure that proves the scheme says that nothing was recorded. */
	proven: boolean;
}

const USE_HTTP = /use http:\/\/|try http:\/\/ in the base URL/;
const USE_HTTPS = /use https:\/\/|try https:\/\/ in the base URL/;

const SCENARIOS: Array<[string, Scenario]> = [
	[
		"https:// to Node's plain HTTP server (it answers 400 in plain text)",
		{
			baseUrl: () => plainNode.url.replace('http://', 'https://'),
			inMessage: /does not speak HTTPS on that port/,
			anywhere: USE_HTTP,
			proven: true,
		},
	],
	[
		'https:// to a plain port that closes on the TLS hello',
		{
			baseUrl: () => `https://127.0.0.1:${raws.closes.port}`,
			inMessage:
				/closed the connection before HTTPS was set up; if that port serves plain HTTP, use http:\/\//,
			anywhere: USE_HTTP,
			proven: true,
		},
	],
	[
		'https:// to a plain port that resets on the TLS hello',
		{ baseUrl: () => `https://127.0.0.1:${raws.resets.port}`, anywhere: USE_HTTP, proven: false },
	],
	[
		"http:// to Node's TLS server (it hangs up on a plain request)",
		{
			baseUrl: () => tlsNode.url.replace('https://', 'http://'),
			anywhere: USE_HTTPS,
			proven: false,
		},
	],
	[
		'http:// to a TLS port that answers with a TLS alert',
		{
			baseUrl: () => `http://127.0.0.1:${raws.alert.port}`,
			inMessage: /expects HTTPS on that port, not plain HTTP: use https:\/\//,
			anywhere: USE_HTTPS,
			proven: true,
		},
	],
	[
		"http:// to nginx's TLS port (HTTP 400, its page says so)",
		{
			baseUrl: () => `http://127.0.0.1:${raws.nginx.port}`,
			inMessage: /expects HTTPS on that port, not plain HTTP: use https:\/\//,
			anywhere: USE_HTTPS,
			proven: true,
		},
	],
];

interface Path {
	mode: 'token' | 'userPassword';
	run(
		credentials: ICredentialDataDecryptedObject,
	): Promise<{ message: string; description: string }>;
	/** A node run's request says what became of the disposition; a test and a login have their own words. */
	request: boolean;
}

async function viaNode(credentials: ICredentialDataDecryptedObject) {
	const result = await runDisposition({
		parameters: { ...MAPPED, options: { timeout: 3000, safeRetries: 0 } },
		items: [call(0)],
		credentials,
	});
	const error = result.error as { message?: string; description?: string } | undefined;
	expect(error).toBeDefined();
	return { message: error?.message ?? '', description: error?.description ?? '' };
}

async function viaCredentialTest(credentials: ICredentialDataDecryptedObject) {
	const result = await testCredential(credentials);
	expect(result.status).toBe('Error');
	return { message: result.message, description: '' };
}

const PATHS: Array<[string, Path]> = [
	['DispositionCall with a token', { mode: 'token', run: viaNode, request: true }],
	['getUserToken before a disposition', { mode: 'userPassword', run: viaNode, request: false }],
	['the credential test with a token', { mode: 'token', run: viaCredentialTest, request: false }],
	[
		'the credential test with user and password',
		{ mode: 'userPassword', run: viaCredentialTest, request: false },
	],
];

const credentials = (mode: Path['mode'], baseUrl: string): ICredentialDataDecryptedObject =>
	mode === 'token'
		? { server: 'custom', baseUrl, authentication: 'token', token: 'scheme-test-token' }
		: {
				server: 'custom',
				baseUrl,
				authentication: 'userPassword',
				user: 'api',
				password: 'scheme-test-password',
			};

describe.each(SCENARIOS)('%s', (_scenario, scenario) => {
	it.each(PATHS)('%s: names the other scheme', async (_path, path) => {
		const baseUrl = scenario.baseUrl();
		const { message, description } = await path.run(credentials(path.mode, baseUrl));
		expect(message).toContain(baseUrl);
		if (scenario.inMessage) expect(message).toMatch(scenario.inMessage);
		expect(`${message} ${description}`).toMatch(scenario.anywhere);
		expect(message).not.toMatch(/\.\.|\.;/);
		if (path.request && scenario.proven)
			expect(message).toMatch(/; the disposition was not (sent|recorded) \(item 1\)$/);
		if (path.request && !scenario.proven)
			expect(message).toMatch(/the disposition may or may not have been recorded/);
	});
});

it('a proven wrong scheme stops the run at the first item: later items are not sent', async () => {
	raws.closes.contacted = 0;
	const result = await runDisposition({
		parameters: { ...MAPPED, options: { timeout: 3000, concurrency: 1 } },
		items: [call(0), call(1), call(2)],
		credentials: credentials('token', `https://127.0.0.1:${raws.closes.port}`),
		continueOnFail: true,
	});
	expect(raws.closes.contacted).toBe(1);
	expect(result.items.map((item) => item.json.errorKind)).toEqual([
		'configuration',
		'not-sent',
		'not-sent',
	]);
});
