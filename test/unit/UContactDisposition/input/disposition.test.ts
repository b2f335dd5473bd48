import {
	buildDisposition,
	DispositionInputError,
} from '../../../../nodes/UContactDisposition/input/disposition';
import { DISPOSITION_KEYS } from '../../../../nodes/UContactApi/api';

const required = {
	campaign: 'Ventas->',
	agent: 'jperez',
	callerid: '59899123456',
	guid: 'g-1',
	l1: 'Venta',
};

describe('buildDisposition', () => {
	it('always has the 13 keys in order, empty when unset', () => {
		const disposition = buildDisposition(required, 'UTC');
		expect(Object.keys(disposition)).toEqual([...DISPOSITION_KEYS]);
		expect(disposition).toMatchObject({
			l2: '',
			l3: '',
			d1: '',
			d2: '',
			comment: '',
			schedule: '',
			tag: '',
		});
	});

	it('trims values and coerces numbers and booleans to text', () => {
		const disposition = buildDisposition(
			{
				...required,
				campaign: '  Ventas->  ',
				callerid: 59899123456,
				tag: true,
				d1: 0,
				comment: '\tok\n',
			},
			'UTC',
		);
		expect(disposition).toMatchObject({
			campaign: 'Ventas->',
			callerid: '59899123456',
			tag: 'true',
			d1: '0',
			comment: 'ok',
		});
	});

	it('keeps newlines inside a comment', () => {
		expect(buildDisposition({ ...required, comment: 'line 1\nline 2' }, 'UTC').comment).toBe(
			'line 1\nline 2',
		);
	});

	it.each(['campaign', 'agent', 'callerid', 'guid', 'l1'] as const)(
		'names the empty required field %s',
		(key) => {
			const input = { ...required, [key]: '   ' };
			expect(() => buildDisposition(input, 'UTC')).toThrow(DispositionInputError);
			expect(() => buildDisposition(input, 'UTC')).toThrow(
				new RegExp(`\\(${key}\\) is required but empty`),
			);
		},
	);

	it('refuses objects, lists and non-finite numbers, naming the field', () => {
		expect(() => buildDisposition({ ...required, d1: { a: 1 } }, 'UTC')).toThrow(
			'Extra Data 1 (d1) is an object',
		);
		expect(() => buildDisposition({ ...required, l2: ['a'] }, 'UTC')).toThrow(
			'Disposition Level 2 (l2) is a list',
		);
		expect(() => buildDisposition({ ...required, callerid: NaN }, 'UTC')).toThrow(
			'Caller ID (callerid) is NaN',
		);
	});

	it('refuses lone surrogates instead of silently replacing them', () => {
		expect(() => buildDisposition({ ...required, comment: 'bad \ud800 text' }, 'UTC')).toThrow(
			'Comment (comment) contains an invalid Unicode character',
		);
		expect(buildDisposition({ ...required, comment: 'ok 📞' }, 'UTC').comment).toBe('ok 📞');
	});

	it('normalises the schedule in the given zone and names the field when it cannot', () => {
		expect(
			buildDisposition({ ...required, schedule: '2026-12-01T18:30:00Z' }, 'America/Montevideo')
				.schedule,
		).toBe('2026-12-01 15:30:00');
		expect(() => buildDisposition({ ...required, schedule: 'soon' }, 'UTC')).toThrow(
			/^Schedule Callback At \(schedule\) is not usable: "soon"/,
		);
	});
});
