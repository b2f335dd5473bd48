/**
 * Campaign and dialer names carry a direction mark typed as two plain characters, "->" or "<-"
 * (the API page's own example is "campana->"). n8n's editor font draws "->" as an arrow, so an
 * arrow character pasted from a chat or a document looks the same on screen, and uContact refuses
 * the call. Characters that only look like the mark are caught here, before anything is sent.
 */

interface LookAlike {
	/** The character's Unicode name, as people can look it up. */
	name: string;
	/** What to type instead. */
	ascii: '->' | '<-' | '>' | '<' | '-';
}

/** Arrows and the greater-than / less-than look-alikes: none belongs in a uContact name. */
const MARKS: Record<string, LookAlike> = {
	'\u2192': { name: 'RIGHTWARDS ARROW', ascii: '->' },
	'\u2190': { name: 'LEFTWARDS ARROW', ascii: '<-' },
	'\u21D2': { name: 'RIGHTWARDS DOUBLE ARROW', ascii: '->' },
	'\u21D0': { name: 'LEFTWARDS DOUBLE ARROW', ascii: '<-' },
	'\u27F6': { name: 'LONG RIGHTWARDS ARROW', ascii: '->' },
	'\u27F5': { name: 'LONG LEFTWARDS ARROW', ascii: '<-' },
	'\u27F9': { name: 'LONG RIGHTWARDS DOUBLE ARROW', ascii: '->' },
	'\u27F8': { name: 'LONG LEFTWARDS DOUBLE ARROW', ascii: '<-' },
	'\u279D': { name: 'TRIANGLE-HEADED RIGHTWARDS ARROW', ascii: '->' },
	'\u2794': { name: 'HEAVY WIDE-HEADED RIGHTWARDS ARROW', ascii: '->' },
	'\u279C': { name: 'HEAVY ROUND-TIPPED RIGHTWARDS ARROW', ascii: '->' },
	'\u21A6': { name: 'RIGHTWARDS ARROW FROM BAR', ascii: '->' },
	'\u21E8': { name: 'RIGHTWARDS WHITE ARROW', ascii: '->' },
	'\u2B95': { name: 'RIGHTWARDS BLACK ARROW', ascii: '->' },
	'\u2B05': { name: 'LEFTWARDS BLACK ARROW', ascii: '<-' },
	'\uFF1E': { name: 'FULLWIDTH GREATER-THAN SIGN', ascii: '>' },
	'\uFF1C': { name: 'FULLWIDTH LESS-THAN SIGN', ascii: '<' },
	'\u203A': { name: 'SINGLE RIGHT-POINTING ANGLE QUOTATION MARK', ascii: '>' },
	'\u2039': { name: 'SINGLE LEFT-POINTING ANGLE QUOTATION MARK', ascii: '<' },
	'\u00BB': { name: 'RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK', ascii: '>' },
	'\u00AB': { name: 'LEFT-POINTING DOUBLE ANGLE QUOTATION MARK', ascii: '<' },
	'\u276F': { name: 'HEAVY RIGHT-POINTING ANGLE QUOTATION MARK ORNAMENT', ascii: '>' },
	'\u276E': { name: 'HEAVY LEFT-POINTING ANGLE QUOTATION MARK ORNAMENT', ascii: '<' },
	'\u3009': { name: 'RIGHT ANGLE BRACKET', ascii: '>' },
	'\u3008': { name: 'LEFT ANGLE BRACKET', ascii: '<' },
	'\u27E9': { name: 'MATHEMATICAL RIGHT ANGLE BRACKET', ascii: '>' },
	'\u27E8': { name: 'MATHEMATICAL LEFT ANGLE BRACKET', ascii: '<' },
	'\u02C3': { name: 'MODIFIER LETTER RIGHT ARROWHEAD', ascii: '>' },
	'\u02C2': { name: 'MODIFIER LETTER LEFT ARROWHEAD', ascii: '<' },
	'\u25B8': { name: 'BLACK RIGHT-POINTING SMALL TRIANGLE', ascii: '>' },
	'\u25C2': { name: 'BLACK LEFT-POINTING SMALL TRIANGLE', ascii: '<' },
};

/**
 * Dashes that look like a hyphen. A name may hold one on its own ("Ventas – Norte"), so one
 * counts only beside a greater-than or less-than, where it is half of a direction mark.
 */
const DASHES: Record<string, string> = {
	'\u2010': 'HYPHEN',
	'\u2011': 'NON-BREAKING HYPHEN',
	'\u2012': 'FIGURE DASH',
	'\u2013': 'EN DASH',
	'\u2014': 'EM DASH',
	'\u2015': 'HORIZONTAL BAR',
	'\u2212': 'MINUS SIGN',
	'\uFE63': 'SMALL HYPHEN-MINUS',
	'\uFF0D': 'FULLWIDTH HYPHEN-MINUS',
};

// The Unicode arrow blocks: any arrow not named above is still an arrow.
const ARROW_BLOCKS: Array<[number, number]> = [
	[0x2190, 0x21ff],
	[0x2794, 0x27af],
	[0x27b1, 0x27be],
	[0x27f0, 0x27ff],
	[0x2900, 0x297f],
	[0x2b00, 0x2b11],
	[0x2b30, 0x2b4f],
	[0x1f800, 0x1f8ff],
];

const codePoint = (char: string) =>
	`U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;

const isAngle = (char: string | undefined) =>
	char === '>' || char === '<' || (char !== undefined && MARKS[char]?.ascii.length === 1);

/** A look-alike found in a name: which character, and the name as it should be typed. */
export interface DirectionMarkLookAlike {
	char: string;
	/** "U+2192 RIGHTWARDS ARROW". */
	described: string;
	/** The whole name with every look-alike replaced by the plain characters. */
	corrected: string;
}

function lookAlikeOf(char: string, before: string | undefined, after: string | undefined) {
	const mark = MARKS[char];
	if (mark !== undefined) return mark;
	const dash = DASHES[char];
	if (dash !== undefined && (isAngle(after) || isAngle(before)))
		return { name: dash, ascii: '-' as const };
	const code = char.codePointAt(0) as number;
	if (ARROW_BLOCKS.some(([from, to]) => code >= from && code <= to))
		return { name: 'an arrow sign', ascii: undefined };
	return undefined;
}

/** The first character of `name` that only looks like part of "->" or "<-"; undefined when none. */
export function findDirectionMarkLookAlike(name: string): DirectionMarkLookAlike | undefined {
	const chars = Array.from(name);
	let found: DirectionMarkLookAlike | undefined;
	const corrected = chars.map((char, i) => {
		const lookAlike = lookAlikeOf(char, chars[i - 1], chars[i + 1]);
		if (lookAlike === undefined) return char;
		found ??= { char, described: `${codePoint(char)} ${lookAlike.name}`, corrected: '' };
		// An arrow of unknown direction is left for the user to retype.
		return lookAlike.ascii ?? char;
	});
	if (found === undefined) return undefined;
	return { ...found, corrected: corrected.join('') };
}

/** The refusal's words, after the field's label: what was found and what to type instead. */
export function directionMarkProblem(name: string): string | undefined {
	const found = findDirectionMarkLookAlike(name);
	if (found === undefined) return undefined;
	const retype =
		found.corrected === name || findDirectionMarkLookAlike(found.corrected) !== undefined
			? 'retype the direction mark'
			: `type it as "${found.corrected}"`;
	return `"${name}" contains "${found.char}" (${found.described}), which only looks like uContact's direction mark: the mark is two plain keyboard characters, hyphen and greater-than "->" (or less-than and hyphen "<-"); ${retype}`;
}
