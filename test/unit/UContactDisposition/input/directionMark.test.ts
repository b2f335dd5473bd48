import {
	directionMarkProblem,
	findDirectionMarkLookAlike,
} from '../../../../nodes/UContactDisposition/input/directionMark';

describe('directionMarkProblem', () => {
	it('says which character was found and what to type instead', () => {
		expect(directionMarkProblem('Ventas→')).toBe(
			'"Ventas→" contains "→" (U+2192 RIGHTWARDS ARROW), which only looks like uContact\'s direction mark: the mark is two plain keyboard characters, hyphen and greater-than "->" (or less-than and hyphen "<-"); type it as "Ventas->"',
		);
	});

	it('corrects every look-alike in the name, and names the first', () => {
		expect(findDirectionMarkLookAlike('Ventas—＞')).toEqual({
			char: '—',
			described: 'U+2014 EM DASH',
			corrected: 'Ventas->',
		});
	});

	it('asks to retype an arrow whose direction it does not know', () => {
		expect(directionMarkProblem('Ventas⤳')).toMatch(
			/\(U\+2933 an arrow sign\).*; retype the direction mark$/,
		);
	});

	it.each(['Ventas->', 'Soporte<-', 'Ventas – Norte', 'Campaña—Sur->', 'Atención', ''])(
		'leaves %p alone',
		(name) => expect(directionMarkProblem(name)).toBeUndefined(),
	);
});
