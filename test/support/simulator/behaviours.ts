/**
 * Behaviours of the simulated DispositionCall endpoint: how it answers a request whose wire
 * format and token are fine. `validateBehaviour` throws on a malformed behaviour so a typo
 * in a test fails at the call site, not as a puzzling answer later.
 */

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

export const KINDS: ReadonlyArray<Behaviour['kind']> = [
	'normal',
	'bare',
	'reject',
	'status',
	'body',
	'slow',
	'close',
	'reset',
	'truncated',
];
const BODY_STYLES: readonly BodyStyle[] = ['quoted', 'bare'];

/** Any of the optional fields a behaviour may carry, for checking values that came untyped. */
type LooseBehaviour = {
	kind?: unknown;
	bodyStyle?: unknown;
	status?: unknown;
	body?: unknown;
	ms?: unknown;
	then?: unknown;
	headers?: unknown;
};

function fail(message: string, behaviour: unknown): never {
	throw new TypeError(`uContact simulator: ${message} in behaviour ${JSON.stringify(behaviour)}`);
}

const isStatusCode = (value: unknown): boolean =>
	Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599;

export function validateBehaviour(behaviour: Behaviour): Behaviour {
	const b = behaviour as unknown as LooseBehaviour | null;
	if (b === null || typeof b !== 'object') fail('a behaviour must be an object', b);
	if (!KINDS.includes(b.kind as Behaviour['kind'])) {
		fail(`unknown kind (expected one of ${KINDS.join(', ')})`, b);
	}
	if (b.bodyStyle !== undefined && !BODY_STYLES.includes(b.bodyStyle as BodyStyle)) {
		fail(`bodyStyle must be ${BODY_STYLES.join(' or ')}`, b);
	}
	switch (b.kind) {
		case 'status':
			if (!isStatusCode(b.status)) fail('status must be an HTTP status code', b);
			if (b.body !== undefined && typeof b.body !== 'string') fail('body must be a string', b);
			break;
		case 'body':
			if (typeof b.body !== 'string') fail('body must be a string', b);
			if (b.status !== undefined && !isStatusCode(b.status)) {
				fail('status must be an HTTP status code', b);
			}
			break;
		case 'slow':
			if (typeof b.ms !== 'number' || !(b.ms >= 0)) fail('ms must be a number >= 0', b);
			if (b.then !== undefined) validateBehaviour(b.then as Behaviour);
			break;
		default:
			break;
	}
	if (b.headers !== undefined && (b.headers === null || typeof b.headers !== 'object')) {
		fail('headers must be an object', b);
	}
	return behaviour;
}

export const NORMAL: Behaviour = Object.freeze({ kind: 'normal' });
