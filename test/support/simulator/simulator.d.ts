/** Types for simulator.js: a strict local stand-in for the uContact legacy REST API. */

/** The 13 DispositionCall keys, in the order they must be sent. */
export declare const DISPOSITION_KEYS: readonly string[];

/** A uContact-style token: base64 of `<user>:<uuid>`. */
export declare function makeToken(user: string): string;

export interface SimulatorOptions {
	/** Port on 127.0.0.1; 0 (default) picks a free one. */
	port?: number;
	/** Valid tokens; default one token, base64('<first user>:' + uuid). `token` is the first. */
	tokens?: string[];
	/** Users for getUserToken; default { api: 'secret-pass' }. */
	users?: Record<string, string>;
	/** Known campaigns; when set, DispositionCall answers "0" for any other campaign. */
	campaigns?: string[];
	/** Delay before every answer (all endpoints), in ms. */
	latencyMs?: number;
	/** Called once per request after it was answered (or its socket destroyed). */
	onRequest?: (record: Recorded) => void;
}

export type Endpoint = 'DispositionCall' | 'getUserToken' | 'EndSession' | 'unknown';

/** Outcome of the Authorization check (DispositionCall only). */
export type AuthOutcome = 'ok' | 'missing' | 'malformed' | 'unknown' | 'expired';

export interface Recorded {
	endpoint: Endpoint;
	method: string;
	/** Request target as received, query string included. */
	path: string;
	/** Lowercased names; Authorization kept as received (do not print it). */
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	/** Decoded pairs in order, duplicates kept. */
	form: Array<[string, string]>;
	/** First value of each key. */
	fields: Record<string, string>;
	/** Every contract violation found (wire format, keys, schedule, Authorization shape). */
	problems: string[];
	/** HTTP status sent; null while pending, or when the socket was destroyed ('close'). */
	status: number | null;
	/** Body sent; null while pending or when the socket was destroyed. */
	answer: string | null;
	/** DispositionCall: how the Authorization header fared. */
	auth?: AuthOutcome;
	/** getUserToken: the token issued by a successful login. */
	issuedToken?: string;
}

/** Style of "OK"/"0" answers: `"OK"` application/json (default) or bare `OK` text/plain. */
export type BodyStyle = 'quoted' | 'bare';

/**
 * How DispositionCall answers. Wire problems (405/400) and a bad token (401) always win over
 * 'status', 'body', 'normal', 'bare' and 'reject'; 'slow' delays everything; 'close' destroys
 * the socket whatever the request was.
 */
export type Behaviour =
	| { kind: 'normal'; bodyStyle?: BodyStyle; headers?: Record<string, string> }
	/** Answers OK / 0 without quotes, text/plain. */
	| { kind: 'bare'; headers?: Record<string, string> }
	/** Answers "0" even to a valid request (nothing is recorded in `dispositions`). */
	| { kind: 'reject'; bodyStyle?: BodyStyle; headers?: Record<string, string> }
	/** Answers this status; body defaults to the status text, content type to text/plain. */
	| {
			kind: 'status';
			status: number;
			body?: string;
			contentType?: string;
			headers?: Record<string, string>;
	  }
	/** Answers any body (an HTML page, `"ERROR"`, ...); status defaults to 200. */
	| {
			kind: 'body';
			body: string;
			status?: number;
			contentType?: string;
			headers?: Record<string, string>;
	  }
	/** Waits `ms`, then behaves as `then` (default normal). */
	| { kind: 'slow'; ms: number; then?: Behaviour }
	/**
	 * Destroys the socket after reading the request, no answer. With `record: true` a valid
	 * disposition is recorded first (the server did it, the answer was lost).
	 */
	| { kind: 'close'; record?: boolean }
	/** Drops the connection before reading the request (nothing can have been recorded). */
	| { kind: 'reset' }
	/** Starts a 200 answer, then drops the connection mid-body; `record: true` records it first. */
	| { kind: 'truncated'; record?: boolean };

/** getUserToken answer shape: `["<user>","<token>"]`, `"<token>"`, bare token, or a 404. */
export type LoginShape = 'list' | 'string' | 'bare' | '404';

export interface Simulator {
	/** http://127.0.0.1:PORT, no trailing slash. */
	readonly url: string;
	readonly port: number;
	/** The first valid token given at start. */
	readonly token: string;
	/** Every request, in arrival order (pushed on arrival, completed when answered). */
	readonly requests: Recorded[];
	/** Accepted DispositionCall requests (answered OK). */
	readonly dispositions: Recorded[];
	/** Standing behaviour for DispositionCall. */
	setBehaviour(behaviour: Behaviour): void;
	/** One-shot behaviours, used in order by the next DispositionCall requests. */
	queue(...behaviours: Behaviour[]): void;
	/** Later requests with this token get 401. */
	expireToken(token: string): void;
	/** Shape of getUserToken answers (default 'list'). */
	loginShape(shape: LoginShape): void;
	/** Tokens currently valid (initial ones plus those issued by logins, minus expired). */
	activeTokens(): string[];
	/**
	 * Clears records and the queue, standing behaviour back to normal, login shape back to
	 * 'list', initial tokens valid again. Tokens issued by logins are left as they are.
	 */
	reset(): void;
	/** Stops listening, cuts pending slow answers short, destroys open sockets. */
	close(): Promise<void>;
}

export declare function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
