import * as n8nWorkflow from 'n8n-workflow';

import {
	fieldSource,
	jsonPathOf,
	readJsonPath,
} from '../../../../nodes/UContactDisposition/input/nativeExpressions';

/** The module as loaded on an n8n whose n8n-workflow does not export `isSafeObjectProperty` (1.x). */
type NativeExpressions =
	typeof import('../../../../nodes/UContactDisposition/input/nativeExpressions');

function withoutHostCheck(): NativeExpressions {
	let loaded: NativeExpressions | undefined;
	jest.isolateModules(() => {
		jest.doMock('n8n-workflow', () => ({ ...n8nWorkflow, isSafeObjectProperty: undefined }));
		loaded = jest.requireActual<NativeExpressions>(
			'../../../../nodes/UContactDisposition/input/nativeExpressions',
		);
	});
	jest.dontMock('n8n-workflow');
	return loaded!;
}

describe('jsonPathOf', () => {
	it.each([
		['={{ $json.body.Guid }}', ['body', 'Guid']],
		['={{$json.a}}', ['a']],
		['={{ \t\n$json.número.ñ \n}}', ['número', 'ñ']],
		['={{ $json["a b"] }}', ['a b']],
		["={{ $json['it\\'s'] }}", ["it's"]],
		['={{ $json["say \\"hi\\""] }}', ['say "hi"']],
		['={{ $json["back\\\\slash"] }}', ['back\\slash']],
		['={{ $json.list[2] }}', ['list', '2']],
		['={{ $json["0"].x }}', ['0', 'x']],
		['={{ $json.$x._y }}', ['$x', '_y']],
	])('reads %s as a path', (raw, path) => {
		expect(jsonPathOf(raw)).toEqual(path);
	});

	it.each([
		'{{ $json.a }}', // no leading "=": a literal, not an expression
		'={{ $json.a }} ', // text after the braces
		'=x{{ $json.a }}',
		'={{ $json.a }}{{ $json.b }}',
		"={{ $json.a ?? 'none' }}",
		'={{ $json.a.toUpperCase() }}',
		'={{ $json?.a }}',
		'={{ $json.a + 1 }}',
		'={{ $json }}',
		'={{ $json. }}',
		'={{ $input.item.json.a }}',
		"={{ $('Webhook').item.json.a }}",
		'={{ $node["Webhook"].json.a }}',
		'={{ $json.1abc }}', // not an identifier
		'={{ $json.a-b }}',
		'={{ $json[01] }}', // n8n reads an octal-looking index its own way
		'={{ $json[-1] }}',
		"={{ $json['a'b'] }}", // an unescaped quote
		'={{ $json["a\nb"] }}', // a line break inside a string is a syntax error in JS
		'={{\u00a0$json.a }}', // NBSP is a blank to JS but not to the editor's drag
		'={{ $json.a\u2028}}',
	])('leaves %j to n8n', (raw) => {
		expect(jsonPathOf(raw)).toBeUndefined();
	});

	// n8n's sandbox refuses these names, or they are inherited by every object or list; reading
	// them from the item would give what n8n does not. They must be refused by our own list,
	// on an n8n that has no `isSafeObjectProperty` to ask.
	it.each([
		'__proto__',
		'constructor',
		'prototype',
		'mainModule',
		'caller',
		'callee',
		'arguments',
		'getPrototypeOf',
		'setPrototypeOf',
		'defineProperty',
		'binding',
		'_linkedBinding',
		'_load',
		'prepareStackTrace',
		'dlopen',
		'execve',
		'getBuiltinModule',
		'loadEnvFile',
		'__x',
		'toString',
		'valueOf',
		'hasOwnProperty',
		'length',
		'map',
		'at',
	])("leaves the name %s to n8n, with and without n8n's own check", (name) => {
		const module = withoutHostCheck();
		for (const raw of [
			`={{ $json.${name} }}`,
			`={{ $json.body["${name}"] }}`,
			`={{ $json['${name}'].x }}`,
		]) {
			expect({ raw, path: jsonPathOf(raw) }).toEqual({ raw, path: undefined });
			expect({ raw, path: module.jsonPathOf(raw) }).toEqual({ raw, path: undefined });
		}
	});
});

describe('fieldSource', () => {
	it('sorts literals, drag-and-drop paths and the rest', () => {
		expect(fieldSource('Venta')).toEqual({ kind: 'literal', value: 'Venta' });
		expect(fieldSource('')).toEqual({ kind: 'literal', value: '' });
		expect(fieldSource(598)).toEqual({ kind: 'literal', value: 598 });
		expect(fieldSource(false)).toEqual({ kind: 'literal', value: false });
		expect(fieldSource('={{ $json.body.Guid }}')).toEqual({
			kind: 'jsonPath',
			path: ['body', 'Guid'],
		});
		expect(fieldSource('={{ $json.a ?? "x" }}')).toEqual({ kind: 'n8n' });
		expect(fieldSource('=plain')).toEqual({ kind: 'n8n' });
		expect(fieldSource(undefined)).toEqual({ kind: 'n8n' });
		expect(fieldSource(null)).toEqual({ kind: 'n8n' });
		expect(fieldSource({ a: 1 })).toEqual({ kind: 'n8n' });
	});
});

describe('readJsonPath', () => {
	const item = {
		body: { Guid: 'g-1', n: -0, big: 1e21, yes: true, none: null, list: ['a', 'b'] },
		text: 'Venta',
		when: new Date(0),
	};

	it("gives n8n's values for primitives, missing keys and nulls on the way", () => {
		expect(readJsonPath(item, ['body', 'Guid'])).toEqual({ value: 'g-1' });
		expect(Object.is(readJsonPath(item, ['body', 'n'])?.value, -0)).toBe(true);
		expect(readJsonPath(item, ['body', 'big'])).toEqual({ value: 1e21 });
		expect(readJsonPath(item, ['body', 'yes'])).toEqual({ value: true });
		expect(readJsonPath(item, ['body', 'none'])).toEqual({ value: null });
		expect(readJsonPath(item, ['body', 'none', 'deeper'])).toEqual({ value: undefined });
		expect(readJsonPath(item, ['body', 'missing'])).toEqual({ value: undefined });
		expect(readJsonPath(item, ['body', 'missing', 'deeper'])).toEqual({ value: undefined });
		expect(readJsonPath(item, ['body', 'list', '1'])).toEqual({ value: 'b' });
		expect(readJsonPath(item, ['body', 'list', '7'])).toEqual({ value: undefined });
	});

	it('has no answer where n8n might read otherwise', () => {
		expect(readJsonPath(item, ['body'])).toBeUndefined(); // an object leaf
		expect(readJsonPath(item, ['body', 'list'])).toBeUndefined(); // a list leaf
		expect(readJsonPath(item, ['when'])).toBeUndefined(); // a Date
		expect(readJsonPath(item, ['when', 'x'])).toBeUndefined(); // into a class instance
		expect(readJsonPath(item, ['text', '0'])).toBeUndefined(); // into a string
		expect(readJsonPath({ a: {} }, ['a', 'toString'])).toBeUndefined(); // inherited
		const withGetter = Object.defineProperty({}, 'x', {
			get: () => 'side effect',
			enumerable: true,
		});
		expect(readJsonPath(withGetter, ['x'])).toBeUndefined();
	});

	it('reads objects without a prototype, as n8n-workflow makes some', () => {
		const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 'x' });
		expect(readJsonPath({ bare }, ['bare', 'a'])).toEqual({ value: 'x' });
	});
});

/** The parser n8n's expressions go through: the esprima-next that @n8n/tournament loads. */
function n8nParses(source: string): boolean {
	const tournament = require.resolve('@n8n/tournament');
	const { parse } = require(require.resolve('esprima-next', { paths: [tournament] })) as {
		parse: (code: string) => unknown;
	};
	try {
		parse(source);
		return true;
	} catch {
		return false;
	}
}

describe('names and text n8n does not read as Node does', () => {
	it("leaves to n8n a dotted name with letters newer than n8n's parser (U+0870, U+1E4D0)", () => {
		for (const name of ['\u0870', '\u{1E4D0}', 'a\u0897', 'caf\u0870']) {
			expect({ name, parses: n8nParses(`$json.${name}`) }).toEqual({ name, parses: false });
			expect({ name, path: jsonPathOf(`={{ $json.${name} }}`) }).toEqual({ name, path: undefined });
			expect(jsonPathOf(`={{ $json["${name}"] }}`)).toEqual([name]);
		}
	});

	it("reads a dotted name natively only where n8n's parser takes every such name", () => {
		// Every character a dotted name may start or go on with and still be read here.
		let checked = 0;
		for (let code = 0x80; code <= 0xffff; code++) {
			const char = String.fromCodePoint(code);
			for (const name of [char, `a${char}`]) {
				if (jsonPathOf(`={{ $json.${name} }}`) === undefined) continue;
				checked++;
				if (!n8nParses(`$json.${name}`))
					throw new Error(`U+${code.toString(16)} is read natively but n8n cannot parse it`);
			}
		}
		expect(checked).toBeGreaterThan(30_000); // Latin, Greek, Cyrillic, kana, CJK and Hangul
	});

	it('leaves to n8n a lone surrogate or NUL, in a key or a value (quickjs alters them)', () => {
		expect(jsonPathOf('={{ $json["a\uD800"] }}')).toBeUndefined();
		expect(jsonPathOf('={{ $json["a\u0000b"] }}')).toBeUndefined();
		expect(readJsonPath({ a: 'x\uDC00' }, ['a'])).toBeUndefined();
		expect(readJsonPath({ a: 'x\u0000y' }, ['a'])).toBeUndefined();
		expect(readJsonPath({ a: 'émoji😀' }, ['a'])).toEqual({ value: 'émoji😀' });
		expect(jsonPathOf('={{ $json["😀"] }}')).toEqual(['😀']);
	});
});
