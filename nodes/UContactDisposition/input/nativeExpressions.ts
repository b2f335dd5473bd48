/**
 * Drag-and-drop expressions read without n8n's evaluator.
 *
 * Dragging a field from n8n's input panel writes `={{ $json.body.Guid }}`. n8n 2.x evaluates
 * each such parameter in an isolated-vm sandbox, once per field and item, which costs more than
 * sending the disposition. An expression that is exactly one `$json` path is read here from the
 * item's own properties, with n8n's results; anything else, and any doubt, goes to n8n.
 */
import * as n8nWorkflow from 'n8n-workflow';

/** How one field is read: as written, by a `$json` path, or by n8n's evaluator. */
type FieldSource =
	| { kind: 'literal'; value: unknown }
	| { kind: 'jsonPath'; path: string[] }
	| { kind: 'n8n' };

/** The answer of a native read, or `undefined` where only n8n can answer. */
type NativeValue = { value: string | number | boolean | null | undefined };

/**
 * Property names n8n's sandbox refuses (n8n-workflow 2.41's list), so an expression reaching
 * them fails there; they must go to n8n to fail the same way. n8n's own check is consulted too
 * where this n8n exports it, in case it has grown.
 */
const UNSAFE_PROPERTIES = new Set([
	'__proto__',
	'prototype',
	'constructor',
	'getPrototypeOf',
	'setPrototypeOf',
	'getOwnPropertyDescriptor',
	'getOwnPropertyDescriptors',
	'defineProperty',
	'defineProperties',
	'mainModule',
	'binding',
	'_linkedBinding',
	'_load',
	'prepareStackTrace',
	'__lookupGetter__',
	'__lookupSetter__',
	'__defineGetter__',
	'__defineSetter__',
	'caller',
	'callee',
	'arguments',
	'getBuiltinModule',
	'dlopen',
	'execve',
	'loadEnvFile',
]);

const hostCheck = (n8nWorkflow as { isSafeObjectProperty?: unknown }).isSafeObjectProperty;

function isSafeName(name: string): boolean {
	if (UNSAFE_PROPERTIES.has(name)) return false;
	if (name.startsWith('__')) return false;
	// Names every object inherits (toString, valueOf, hasOwnProperty...) are left to n8n.
	if (name in Object.prototype || name in Array.prototype) return false;
	return typeof hostCheck !== 'function' || hostCheck(name) === true;
}

// The whole value: `=`, `{{`, blanks, `$json` and one or more steps, blanks, `}}`. A step is
// `.name` (an identifier), `[index]` or `['key']` / `["key"]` with the editor's escapes.
const WHOLE =
	/^=\{\{[ \t\r\n]*\$json((?:\.[^.[\]\s{}'"`]+|\[(?:0|[1-9][0-9]{0,8})\]|\['(?:[^'\\\r\n\u2028\u2029{}]|\\['"\\])*'\]|\["(?:[^"\\\r\n\u2028\u2029{}]|\\['"\\])*"\])+)[ \t\r\n]*\}\}$/u;
const STEP =
	/\.([^.[\]\s{}'"`]+)|\[(0|[1-9][0-9]{0,8})\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/gu;
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;
/**
 * n8n's expression parser (esprima-next 5.8, in @n8n/tournament) knows the letters of an older
 * Unicode than Node does: `$json.\u0870` or `$json.\u{1E4D0}` is a syntax error there, on every
 * engine. A dotted name is read here only when all its characters lie in these ranges, which
 * that parser accepts in full (U+30FB, the katakana middle dot, it does not: checked character
 * by character in the unit tests).
 */
const PARSER_KNOWN = /^[\u0020-\u086F\u3040-\u30FA\u30FC-\u30FF\u4E00-\u9FEF\uAC00-\uD7A3]*$/u;
/**
 * Text n8n's quickjs engine does not pass as it is: it turns a lone surrogate into U+FFFD and
 * ends a string at NUL. A key or value holding one goes to n8n, whatever the engine.
 */
function alteredByAnEngine(text: string): boolean {
	// With the u flag only a surrogate that is not half of a pair matches.
	return text.includes('\u0000') || /[\uD800-\uDFFF]/u.test(text);
}

/** The steps of a `$json` path, or undefined when the text is not exactly one such path. */
export function jsonPathOf(raw: string): string[] | undefined {
	const whole = WHOLE.exec(raw);
	if (!whole) return undefined;
	const path: string[] = [];
	for (const step of whole[1].matchAll(STEP)) {
		const [, name, index, single, double] = step;
		let key: string;
		if (name !== undefined) {
			if (!IDENTIFIER.test(name) || !PARSER_KNOWN.test(name)) return undefined;
			key = name;
		} else if (index !== undefined) key = index;
		else key = (single ?? double).replace(/\\(.)/gu, '$1');
		if (!isSafeName(key) || alteredByAnEngine(key)) return undefined;
		path.push(key);
	}
	return path;
}

/** How a field's raw parameter value (as saved in the workflow) is to be read. */
export function fieldSource(raw: unknown): FieldSource {
	if (raw === undefined || raw === null) return { kind: 'n8n' };
	if (typeof raw === 'string') {
		if (!raw.startsWith('=')) return { kind: 'literal', value: raw };
		const path = jsonPathOf(raw);
		return path === undefined ? { kind: 'n8n' } : { kind: 'jsonPath', path };
	}
	if (typeof raw === 'number' || typeof raw === 'boolean') return { kind: 'literal', value: raw };
	return { kind: 'n8n' };
}

function isPlainContainer(value: object): boolean {
	if (Array.isArray(value)) return true;
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

/**
 * The value n8n gives for `$json.<path>` on this item: a missing key, or null or undefined on
 * the way, give undefined; a primitive leaf is returned as it is. Undefined (no answer) for
 * anything n8n might treat otherwise: stepping into a string or a class instance, a getter,
 * an inherited property, a leaf that is an object, a list or a date, text an engine alters.
 */
export function readJsonPath(json: unknown, path: string[]): NativeValue | undefined {
	let value: unknown = json;
	for (const key of path) {
		if (value === null || value === undefined) return { value: undefined };
		if (typeof value !== 'object' || !isPlainContainer(value)) return undefined;
		const own = Object.getOwnPropertyDescriptor(value, key);
		if (own === undefined) {
			if (key in value) return undefined;
			value = undefined;
			continue;
		}
		if (!('value' in own)) return undefined;
		value = own.value;
	}
	if (value === null || value === undefined) return { value };
	if (typeof value === 'string') return alteredByAnEngine(value) ? undefined : { value };
	if (typeof value === 'number' || typeof value === 'boolean') return { value };
	return undefined;
}
