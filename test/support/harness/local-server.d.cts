/** Types for local-server.cjs: a tiny real HTTP server on 127.0.0.1 for harness tests. */

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

export declare function startLocalServer(
	handler: (
		request: ReceivedRequest,
	) => ServerAnswer | undefined | Promise<ServerAnswer | undefined>,
): Promise<LocalServer>;
