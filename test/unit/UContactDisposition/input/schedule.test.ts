import { DateTime } from 'luxon';

import {
	checkTimeZone,
	ScheduleError,
	toUContactSchedule,
} from '../../../../nodes/UContactDisposition/input/schedule';

const MVD = 'America/Montevideo'; // UTC-3 all year
const NYC = 'America/New_York'; // DST: 2026-03-08 02:00 -> 03:00, 2026-11-01 02:00 -> 01:00

describe('toUContactSchedule', () => {
	it.each([undefined, null, '', '   '])('sends an empty schedule for %j', (value) => {
		expect(toUContactSchedule(value, MVD)).toBe('');
	});

	it.each([
		['2026-12-01 15:30:00', '2026-12-01 15:30:00'],
		['2026-12-01T15:30:00', '2026-12-01 15:30:00'],
		['2026-12-01T15:30', '2026-12-01 15:30:00'],
		['2026-12-01 15:30', '2026-12-01 15:30:00'],
		['2026-12-01T15:30:59.999', '2026-12-01 15:30:59'],
		[' 2026-02-28 00:00:00 ', '2026-02-28 00:00:00'],
		['2028-02-29 23:59:59', '2028-02-29 23:59:59'],
	])('keeps wall-clock time %j as %j', (input, expected) => {
		expect(toUContactSchedule(input, NYC)).toBe(expected);
		expect(toUContactSchedule(input, MVD)).toBe(expected);
	});

	it.each([
		['2026-12-01T18:30:00Z', MVD, '2026-12-01 15:30:00'],
		['2026-12-01T18:30:00.000Z', 'UTC', '2026-12-01 18:30:00'],
		['2026-12-01T15:30:00-03:00', NYC, '2026-12-01 13:30:00'],
		['2026-12-01 15:30:00-0300', NYC, '2026-12-01 13:30:00'],
		['2026-12-01T15:30:00+05', 'UTC', '2026-12-01 10:30:00'],
		['2026-12-01T10:00:00Z', 'Asia/Kolkata', '2026-12-01 15:30:00'],
		['2026-12-01T15:30:00+05:30', 'UTC', '2026-12-01 10:00:00'],
		['2026-12-31T23:30:00-03:00', 'Europe/Madrid', '2027-01-01 03:30:00'],
	])('converts instant %j into %s as %j', (input, zone, expected) => {
		expect(toUContactSchedule(input, zone)).toBe(expected);
	});

	it('follows daylight saving time when converting instants', () => {
		expect(toUContactSchedule('2026-03-08T06:30:00Z', NYC)).toBe('2026-03-08 01:30:00'); // EST
		expect(toUContactSchedule('2026-03-08T07:30:00Z', NYC)).toBe('2026-03-08 03:30:00'); // EDT
		expect(toUContactSchedule('2026-11-01T05:30:00Z', NYC)).toBe('2026-11-01 01:30:00'); // EDT
		expect(toUContactSchedule('2026-11-01T06:30:00Z', NYC)).toBe('2026-11-01 01:30:00'); // EST, again
		expect(toUContactSchedule('2026-07-01T12:00:00Z', 'Europe/Madrid')).toBe('2026-07-01 14:00:00');
		expect(toUContactSchedule('2026-01-01T12:00:00Z', 'Europe/Madrid')).toBe('2026-01-01 13:00:00');
	});

	it('refuses a wall-clock time the clocks skip', () => {
		expect(() => toUContactSchedule('2026-03-08 02:30:00', NYC)).toThrow(
			/does not exist in America\/New_York/,
		);
		expect(toUContactSchedule('2026-03-08 02:30:00', MVD)).toBe('2026-03-08 02:30:00');
	});

	it('keeps an ambiguous fall-back time as given', () => {
		expect(toUContactSchedule('2026-11-01 01:30:00', NYC)).toBe('2026-11-01 01:30:00');
	});

	it('converts JS dates and Luxon DateTimes as instants', () => {
		expect(toUContactSchedule(new Date(Date.UTC(2026, 11, 1, 18, 30, 5)), MVD)).toBe(
			'2026-12-01 15:30:05',
		);
		const luxon = DateTime.fromISO('2026-12-01T15:30:00', { zone: 'Europe/Madrid' });
		expect(toUContactSchedule(luxon, MVD)).toBe('2026-12-01 11:30:00');
		expect(toUContactSchedule(luxon.setZone(MVD), MVD)).toBe('2026-12-01 11:30:00');
	});

	it.each([
		[DateTime.invalid('broken'), /invalid/],
		[new Date('nope'), /not a valid date/],
		[1764603000, /number/],
		[{ at: '2026-12-01' }, /not an object/],
		[['2026-12-01 15:30:00'], /not an object or list/],
		['2026-02-30 10:00:00', /not a real date/],
		['2026-12-01 24:00:00', /not a real date/],
		['2026-12-01 10:61:00', /not a real date/],
		['2026-04-31T10:00:00Z', /not a real date/],
		['2026-12-01', /YYYY-MM-DD HH:MM:SS/],
		['01/12/2026 15:30', /YYYY-MM-DD HH:MM:SS/],
		['tomorrow', /YYYY-MM-DD HH:MM:SS/],
	])('refuses %j clearly', (value, message) => {
		expect(() => toUContactSchedule(value, MVD)).toThrow(ScheduleError);
		expect(() => toUContactSchedule(value, MVD)).toThrow(message);
	});
});

describe('checkTimeZone', () => {
	it('accepts IANA names', () => {
		expect(checkTimeZone(' America/Montevideo ')).toBe('America/Montevideo');
		expect(checkTimeZone('UTC')).toBe('UTC');
	});

	it.each(['Mars/Olympus', '', 'GMT+99'])('refuses %j', (zone) => {
		expect(() => checkTimeZone(zone)).toThrow(/not a known time zone/);
	});
});
