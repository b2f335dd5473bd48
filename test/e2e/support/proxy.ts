// A recording forward proxy on 127.0.0.1 for the proxy test: what a company's HTTP proxy sees
// when n8n is given HTTP_PROXY. Plain-HTTP requests arrive in absolute form
// (`POST http://host:port/path`) and are recorded, headers and body included, then forwarded, so a
// request sent through the proxy still reaches the uContact simulator as it would in production.
// Only loopback targets are forwarded; anything else, and every CONNECT tunnel, is recorded and
// refused with 403.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxiedCall {
	method: string;
	/** The request target as the client sent it (absolute URL for a proxied request; host:port for CONNECT). */
	target: string;
	headers: http.IncomingHttpHeaders;
	body: string;
	/** Status the proxy answered with (the upstream's, or 403/502); 0 until answered. */
	status: number;
}

export interface RecordingProxy {
	/** http://127.0.0.1:PORT, for HTTP_PROXY. */
	readonly url: string;
	/** Everything the proxy was asked, in arrival order. */
	readonly calls: ProxiedCall[];
	stop(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function startRecordingProxy(): Promise<RecordingProxy> {
	const calls: ProxiedCall[] = [];
	const sockets = new Set<Socket>();
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const call: ProxiedCall = {
				method: req.method ?? 'GET',
				target: req.url ?? '',
				headers: req.headers,
				body: body.toString('utf8'),
				status: 0,
			};
			calls.push(call);
			let target: URL | undefined;
			try {
				target = new URL(call.target);
			} catch {
				target = undefined;
			}
			if (!target || target.protocol !== 'http:' || !LOOPBACK.has(target.hostname)) {
				call.status = 403;
				res
					.writeHead(403, { 'content-type': 'text/plain' })
					.end('This test proxy forwards to loopback only\n');
				return;
			}
			const headers = { ...req.headers };
			delete headers['proxy-connection'];
			delete headers['proxy-authorization'];
			const upstream = http.request(target, { method: req.method, headers }, (answer) => {
				call.status = answer.statusCode ?? 0;
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			});
			upstream.on('error', (error) => {
				call.status = 502;
				res
					.writeHead(502, { 'content-type': 'text/plain' })
					.end(`upstream unreachable: ${error.message}\n`);
			});
			upstream.end(body);
		});
	});
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('connect', (req: http.IncomingMessage, socket: Socket) => {
		calls.push({
			method: 'CONNECT',
			target: req.url ?? '',
			headers: req.headers,
			body: '',
			status: 403,
		});
		socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		calls,
		async stop(): Promise<void> {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
