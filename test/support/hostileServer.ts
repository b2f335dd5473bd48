/**
 * Servers for the hostile-server matrix: one that plays uContact but misbehaves on one path
 * (redirects, resets, odd answers, slowness), over HTTP or TLS with a self-signed certificate,
 * and recorders that stand for the other hosts a redirect points at.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
	createServer as createHttpServer,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';

export interface Received {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** What the server does with a request. */
export type Reply =
	| { status?: number; headers?: Record<string, string>; body?: string }
	| { reset: true }
	| { delayMs: number; then: Reply }
	/**
	 * Sends `then`'s answer a byte at a time: the body (after the headers; a space every
	 * `everyMs`, for `forMs`, then the body itself) or the headers (an X-Drip header one letter at
	 * a time, then the rest). Chunked, so nothing says how long it will be.
	 */
	| { drip: 'body' | 'headers'; everyMs: number; forMs: number; then: Answer }
	/**
	 * A body of `bytes` bytes of `fill`, generated chunk by chunk as the client reads it (never
	 * built in memory); gzip: sent compressed, so a few KiB on the wire can stand for gigabytes.
	 */
	| { stream: number; status?: number; headers?: Record<string, string>; gzip?: boolean };

/** A plain answer, as a drip ends with. */
export type Answer = { status?: number; headers?: Record<string, string>; body?: string };

/** How a drip or a stream ended, as the server saw it. */
export interface Delivery {
	/** Body bytes written (before compression). */
	sent: number;
	/** Whether the whole answer was written, rather than the client hanging up first. */
	complete: boolean;
	/** Resolves once the connection is over, either way. */
	over: Promise<void>;
	/** Date.now() when the answer began, and when its connection was over. */
	startedAt: number;
	endedAt?: number;
}

export interface HostileServer {
	/** e.g. http://127.0.0.2:40123 */
	url: string;
	port: number;
	requests: Received[];
	/** One for each drip or stream served, in order. */
	deliveries: Delivery[];
	close(): Promise<void>;
}

export interface ServerOptions {
	host?: string;
	/** Serve TLS with this certificate instead of plain HTTP. */
	tls?: { key: string; cert: string };
}

/** A self-signed certificate for 127.0.0.1, made with openssl in a temp folder. */
export function selfSignedCertificate(): { key: string; cert: string } {
	const dir = mkdtempSync(join(tmpdir(), 'ucontact-tls-'));
	try {
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-days',
				'1',
				'-subj',
				'/CN=127.0.0.1',
				'-addext',
				'subjectAltName=IP:127.0.0.1',
				'-keyout',
				join(dir, 'key.pem'),
				'-out',
				join(dir, 'cert.pem'),
			],
			{ stdio: 'ignore' },
		);
		return {
			key: readFileSync(join(dir, 'key.pem'), 'utf8'),
			cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

export async function startHostileServer(
	handler: (request: Received) => Reply,
	options: ServerOptions = {},
): Promise<HostileServer> {
	const requests: Received[] = [];
	const deliveries: Delivery[] = [];
	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();
	const deliver = (res: ServerResponse): Delivery => {
		let resolveOver = () => {};
		const delivery: Delivery = {
			sent: 0,
			complete: false,
			over: new Promise((resolve) => (resolveOver = resolve)),
			startedAt: Date.now(),
		};
		const over = () => {
			delivery.endedAt ??= Date.now();
			resolveOver();
		};
		res.on('close', over);
		res.socket?.on('close', over);
		deliveries.push(delivery);
		return delivery;
	};
	const answer = (res: ServerResponse, reply: Reply) => {
		if ('reset' in reply) {
			res.socket?.destroy();
			return;
		}
		if ('drip' in reply) {
			drip(res, reply, deliver(res), timers);
			return;
		}
		if ('stream' in reply) {
			stream(res, reply, deliver(res));
			return;
		}
		if ('delayMs' in reply) {
			const timer = setTimeout(() => {
				timers.delete(timer);
				answer(res, reply.then);
			}, reply.delayMs);
			timers.add(timer);
			return;
		}
		res.writeHead(reply.status ?? 200, { 'Content-Type': 'text/plain', ...reply.headers });
		res.end(reply.body ?? '');
	};
	const listener = (req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const received: Received = {
				method: req.method ?? '',
				path: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			requests.push(received);
			answer(res, handler(received));
		});
	};
	const server = options.tls
		? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
		: createHttpServer(listener);
	server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	// A TLS handshake that fails never becomes a secure connection: track raw sockets too.
	if (options.tls) {
		server.on('connection', (socket: Socket) => {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
		});
	}
	const host = options.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, host, resolve);
	});
	const address = server.address();
	const port = typeof address === 'object' && address !== null ? address.port : 0;
	return {
		url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
		port,
		requests,
		deliveries,
		close: async () =>
			await new Promise<void>((resolve) => {
				for (const timer of timers) clearTimeout(timer);
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

/** A drip: one byte every `everyMs`, for `forMs`, then the rest of the answer. */
function drip(
	res: ServerResponse,
	reply: Extract<Reply, { drip: unknown }>,
	delivery: Delivery,
	timers: Set<NodeJS.Timeout>,
): void {
	const socket = res.socket;
	if (socket === null) return;
	const { status = 200, headers = {}, body = '' } = reply.then;
	const head = (extra: string) =>
		`HTTP/1.1 ${status} Drip\r\n${extra}` +
		Object.entries({ 'Content-Type': 'text/plain', ...headers })
			.map(([name, value]) => `${name}: ${value}\r\n`)
			.join('') +
		'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
	const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
	// Raw socket writes: the headers themselves must be able to drip.
	if (reply.drip === 'body') socket.write(head(''));
	else socket.write(`HTTP/1.1 ${status} Drip\r\nX-Drip: `);
	const ticks = Math.ceil(reply.forMs / reply.everyMs);
	let tick = 0;
	const next = () => {
		if (socket.destroyed) return;
		if (tick++ < ticks) {
			socket.write(reply.drip === 'body' ? chunk(' ') : 'a');
			if (reply.drip === 'body') delivery.sent++;
			const timer = setTimeout(() => {
				timers.delete(timer);
				next();
			}, reply.everyMs);
			timers.add(timer);
			return;
		}
		if (reply.drip === 'headers')
			socket.write(`\r\n${head('').slice(head('').indexOf('\r\n') + 2)}`);
		socket.end(`${body === '' ? '' : chunk(body)}0\r\n\r\n`);
		delivery.sent += Buffer.byteLength(body);
		delivery.complete = true;
	};
	next();
}

// One chunk, reused for every write: a stream of any length costs the server 64 KiB.
const FILL = Buffer.alloc(64 * 1024, 'A');

/** A body generated chunk by chunk as the client takes it, until it is complete or dropped. */
function stream(
	res: ServerResponse,
	reply: Extract<Reply, { stream: number }>,
	delivery: Delivery,
): void {
	const headers: Record<string, string> = { 'Content-Type': 'text/plain', ...reply.headers };
	if (reply.gzip) headers['Content-Encoding'] = 'gzip';
	else headers['Content-Length'] = String(reply.stream);
	res.writeHead(reply.status ?? 200, headers);
	const sink = reply.gzip ? createGzip() : res;
	if (reply.gzip) {
		sink.pipe(res);
		res.on('close', () => sink.destroy());
	}
	let dropped = false;
	res.on('close', () => (dropped = !delivery.complete));
	const pump = () => {
		while (!dropped && delivery.sent < reply.stream) {
			const piece = FILL.subarray(0, Math.min(FILL.length, reply.stream - delivery.sent));
			delivery.sent += piece.length;
			if (!sink.write(piece)) {
				sink.once('drain', pump);
				return;
			}
		}
		if (dropped) return;
		delivery.complete = true;
		sink.end();
	};
	pump();
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
	const server = await startHostileServer(() => ({}));
	await server.close();
	return server.port;
}

export interface FlakyDns {
	/** The host name that resolves to 127.0.0.1 (or fails while failures are armed). */
	host: string;
	/** The next `count` lookups of the host fail with EAI_AGAIN ("temporary failure in name resolution"). */
	failNext(count: number): void;
	/** Lookups of the host so far, and how many of them failed. */
	readonly lookups: number;
	readonly failed: number;
	/** Puts the real dns.lookup back. */
	restore(): void;
}

/**
 * A resolver hiccup on loopback: replaces node:dns `lookup` (what node:net calls to resolve a
 * host name when no `lookup` option is given, as n8n's HTTP helpers give none) so that one made-up
 * host resolves to 127.0.0.1, and fails with EAI_AGAIN while failures are armed. Other hosts go
 * to the real lookup. The code under test is not touched: it meets a DNS answer as it would in
 * production, from the resolver.
 */
export function flakyDns(host = 'ucontact-flaky.test'): FlakyDns {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const dns = require('node:dns') as typeof import('node:dns');
	const real = dns.lookup;
	let armed = 0;
	let lookups = 0;
	let failed = 0;
	const fake = function lookup(hostname: string, options: unknown, callback?: unknown): void {
		const done = (typeof options === 'function' ? options : callback) as (
			error: NodeJS.ErrnoException | null,
			address?: unknown,
			family?: number,
		) => void;
		const opts = (typeof options === 'object' && options !== null ? options : {}) as {
			all?: boolean;
		};
		if (hostname !== host) {
			(real as (...args: unknown[]) => void).call(dns, hostname, options, callback);
			return;
		}
		lookups++;
		process.nextTick(() => {
			if (armed > 0) {
				armed--;
				failed++;
				const error: NodeJS.ErrnoException = new Error(`getaddrinfo EAI_AGAIN ${hostname}`);
				error.code = 'EAI_AGAIN';
				error.errno = -3001;
				error.syscall = 'getaddrinfo';
				(error as { hostname?: string }).hostname = hostname;
				done(error);
				return;
			}
			if (opts.all) done(null, [{ address: '127.0.0.1', family: 4 }]);
			else done(null, '127.0.0.1', 4);
		});
	};
	(dns as { lookup: unknown }).lookup = fake;
	return {
		host,
		failNext(count) {
			armed = count;
		},
		get lookups() {
			return lookups;
		},
		get failed() {
			return failed;
		},
		restore() {
			(dns as { lookup: unknown }).lookup = real;
		},
	};
}
