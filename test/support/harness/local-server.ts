// A tiny real HTTP server on 127.0.0.1 for harness tests.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
	method: string;
	/** Request target as received, query string included. */
	url: string;
	/** Lowercased header names, as Node parses them. */
	headers: Record<string, string | string[] | undefined>;
	/** Raw request body, decoded as UTF-8. */
	body: string;
}

export interface ServerAnswer {
	/** Default 200. */
	status?: number;
	headers?: Record<string, string>;
	/** A string is sent as is; anything else is JSON-encoded (Content-Type application/json). */
	body?: unknown;
}

export interface LocalServer {
	/** e.g. http://127.0.0.1:43210 (no trailing slash). */
	url: string;
	port: number;
	/** Every request received, in arrival order. */
	requests: ReceivedRequest[];
	/** Destroys open sockets and stops listening. */
	close(): Promise<void>;
}

export async function startLocalServer(
	handler: (
		request: ReceivedRequest,
	) => ServerAnswer | undefined | Promise<ServerAnswer | undefined>,
): Promise<LocalServer> {
	const requests: ReceivedRequest[] = [];
	const sockets = new Set<Socket>();
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', async () => {
			const record: ReceivedRequest = {
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			requests.push(record);
			let answer: ServerAnswer;
			try {
				answer = (await handler(record)) ?? {};
			} catch (error) {
				answer = { status: 500, body: { error: String(error && error.message) } };
			}
			const status = answer.status ?? 200;
			const headers = { ...(answer.headers ?? {}) };
			let body = answer.body ?? '';
			if (typeof body !== 'string' && !Buffer.isBuffer(body)) {
				body = JSON.stringify(body);
				if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
					headers['Content-Type'] = 'application/json';
				}
			}
			res.writeHead(status, headers);
			res.end(body);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}
