/**
 * The hour the clocks repeat (issue 29): a wall time there means two instants, an hour apart.
 * Such a schedule is sent as written (uContact takes only a wall time) and the item says so;
 * a time the clocks skip is refused. Each row: the schedule, the zone, and what the item says.
 */
import {
	repeatedHourNote,
	toUContactSchedule,
} from '../../../../nodes/UContactDisposition/input/schedule';

const NYC = 'America/New_York'; // 2026-11-01 02:00 EDT -> 01:00 EST
const MAD = 'Europe/Madrid'; // 2026-10-25 03:00 CEST -> 02:00 CET

const twice = (from: string, to: string, first: string, second: string, later = 'an hour later') =>
	new RegExp(
		`the clocks go back from ${from} to ${to} that night, so ${to} to ${from} comes twice, first at ${first.replace('+', '\\+')} ` +
			`and again ${later} at ${second.replace('+', '\\+')}\\. uContact receives only the wall time and may call back at either\\. ` +
			`To be sure of one, schedule the callback outside ${to} to ${from} that night\\.$`,
	);

describe('a schedule in the hour the clocks repeat is sent as written, with a note', () => {
	it.each([
		['2026-11-01 01:30:00', NYC, twice('02:00', '01:00', 'UTC-04:00', 'UTC-05:00')],
		['2026-11-01 01:00:00', NYC, twice('02:00', '01:00', 'UTC-04:00', 'UTC-05:00')],
		['2026-11-01 01:59:59', NYC, twice('02:00', '01:00', 'UTC-04:00', 'UTC-05:00')],
		['2026-10-25 02:30:00', MAD, twice('03:00', '02:00', 'UTC+02:00', 'UTC+01:00')],
		['2026-10-25 02:00:00', MAD, twice('03:00', '02:00', 'UTC+02:00', 'UTC+01:00')],
		['2026-10-25 01:15:00', 'Europe/London', twice('02:00', '01:00', 'UTC+01:00', 'UTC+00:00')],
		// A repeated half hour; and a zone whose clocks go back at midnight.
		[
			'2026-04-05 01:45:00',
			'Australia/Lord_Howe',
			twice('02:00', '01:30', 'UTC+11:00', 'UTC+10:30', '30 minutes later'),
		],
		['2026-04-04 23:30:00', 'America/Santiago', twice('00:00', '23:00', 'UTC-03:00', 'UTC-04:00')],
	])('%s in %s', (schedule, zone, words) => {
		expect(toUContactSchedule(schedule, zone)).toBe(schedule);
		const note = repeatedHourNote(schedule, zone);
		expect(note).toMatch(
			new RegExp(`^Schedule Callback At "${schedule}" happens twice in ${zone}: `),
		);
		expect(note).toMatch(words);
	});

	it('an instant given with an offset lands on a repeated wall time: the same note', () => {
		// 05:30Z is 01:30 EDT; 06:30Z is 01:30 EST. uContact gets "01:30" for both.
		for (const instant of [
			'2026-11-01T05:30:00Z',
			'2026-11-01T06:30:00Z',
			new Date('2026-11-01T06:30:00Z'),
		]) {
			const sent = toUContactSchedule(instant, NYC);
			expect(sent).toBe('2026-11-01 01:30:00');
			expect(repeatedHourNote(sent, NYC)).toMatch(/happens twice in America\/New_York/);
		}
	});
});

describe('every other schedule carries no note', () => {
	it.each([
		['2026-11-01 00:59:59', NYC, 'just before the repeated hour'],
		['2026-11-01 02:00:00', NYC, 'the first time after it'],
		['2026-10-31 01:30:00', NYC, 'the day before'],
		['2026-10-25 01:59:59', MAD, 'just before'],
		['2026-10-25 03:00:00', MAD, 'just after'],
		['2026-11-01 01:30:00', 'UTC', 'a zone without daylight saving time'],
		['2026-11-01 01:30:00', 'America/Montevideo', 'a zone without it any more'],
		['2026-10-25 02:30:00', '+02:00', 'a fixed offset'],
		['2026-03-08 03:30:00', NYC, 'the morning the clocks go forward'],
		['2026-12-01 15:30:00', NYC, 'an ordinary day'],
		['', NYC, 'no schedule'],
		['not a time', NYC, 'nothing that schedule() makes'],
	])('%s in %s (%s)', (schedule, zone) => {
		expect(repeatedHourNote(schedule, zone)).toBeUndefined();
	});

	it('while a time the clocks skip is still refused', () => {
		expect(() => toUContactSchedule('2026-03-08 02:30:00', NYC)).toThrow(
			'"2026-03-08 02:30:00" does not exist in America/New_York: the clocks skip that hour (daylight saving time)',
		);
		expect(() => toUContactSchedule('2026-03-29 02:30:00', MAD)).toThrow(
			/does not exist in Europe\/Madrid/,
		);
	});
});
