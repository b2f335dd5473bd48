import { autoMapInputData } from '../../../../nodes/UContactDisposition/input/autoMap';

describe('autoMapInputData', () => {
	it('matches API keys and field labels ignoring case, spaces, _ and -', () => {
		expect(
			autoMapInputData({
				CAMPAIGN: 'c',
				'agent ': 'a',
				'Caller-ID': 1,
				'call guid': 'g',
				disposition_level_1: 'l1',
				L2: 'l2',
				'Extra Data 2': 'x',
				CampToReschedule: 'd',
				other: 'ignored',
			}),
		).toEqual({
			campaign: 'c',
			agent: 'a',
			callerid: 1,
			guid: 'g',
			l1: 'l1',
			l2: 'l2',
			d2: 'x',
			camptoreschedule: 'd',
		});
	});

	// Several columns matching one field: the result must not depend on their order.
	it.each([
		[{ callerid: '222', 'Caller ID': '222' }, '222'],
		[{ caller_id: '123', 'Caller ID': '' }, '123'],
		[{ callerid: null, 'Caller-ID': '59899', CALLERID: '  ' }, '59899'],
		[{ callerid: 59899, 'caller id': '59899' }, '59899'],
	])('takes the one filled value, or equal ones, whatever the key order: %j', (json, expected) => {
		const entries = Object.entries(json);
		for (const order of [entries, [...entries].reverse()]) {
			expect(String(autoMapInputData(Object.fromEntries(order)).callerid)).toBe(expected);
		}
	});

	it('refuses two different filled values for one field, naming both columns, in either order', () => {
		for (const json of [
			{ callerid: '222', 'Caller ID': '111' },
			{ 'Caller ID': '111', callerid: '222' },
		]) {
			expect(() => autoMapInputData(json)).toThrow(
				/^Caller ID \(callerid\) is given twice with different values: column "(callerid|Caller ID)" has "(222|111)" and column "(Caller ID|callerid)" has "(111|222)"; keep only one of them$/,
			);
		}
		expect(() => autoMapInputData({ guid: 'a', 'Call GUID': 'b' })).toThrow(
			/column "guid".*column "Call GUID"/,
		);
	});

	it('keeps an empty value when no column of that field is filled', () => {
		expect(autoMapInputData({ callerid: '', 'Caller ID': null })).toEqual({ callerid: '' });
	});
});
