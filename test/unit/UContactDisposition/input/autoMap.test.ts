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

	it('prefers the API key over a label for the same field, in either order', () => {
		expect(autoMapInputData({ 'Call GUID': 'label', guid: 'key' }).guid).toBe('key');
		expect(autoMapInputData({ guid: 'key', 'Call GUID': 'label' }).guid).toBe('key');
	});
});
