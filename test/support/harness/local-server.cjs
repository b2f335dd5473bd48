// A tiny real HTTP server on 127.0.0.1 for harness tests (node builtins live here, not in TS).
const http = require('node:http');

/**
 * @param {(req: {method: string, url: string, headers: Record<string, string | string[] | undefined>, body: string}) =>
 *   ({status?: number, headers?: Record<string, string>, body?: unknown} | Promise<{status?: number, headers?: Record<string, string>, body?: unknown}>)} handler
 */
async function startLocalServer(handler) {
	const requests = [];
	const sockets = new Set();
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', async () => {
			const record = {
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			requests.push(record);
			let answer;
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
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		close: () =>
			new Promise((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

module.exports = { startLocalServer };
