/**
 * nodes/UContactDisposition/input/prepareItem.ts: how an item's values and options are read
 * before anything is sent. Through WorkflowExecute, since prepareItem reads n8n's execute
 * context (parameters, expressions, input items, the workflow's time zone).
 */
import { encodeDispositionForm, type Disposition } from '../../nodes/UContactApi/api';
import { harnessLogger } from '../support/harness';
import { call, MAPPED, runDisposition, tokenCredentials } from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();
beforeEach(() => {
	harnessLogger.clear();
});

const EMPTY: Disposition = {
	campaign: '',
	agent: '',
	callerid: '',
	guid: '',
	l1: '',
	l2: '',
	l3: '',
	d1: '',
	d2: '',
	comment: '',
	schedule: '',
	camptoreschedule: '',
	tag: '',
};

describe('prepareItem: the values', () => {
	it('Define Below: the mapped fields and the additional fields make one form', async () => {
		const item = call(0, { note: 'Llamar de nuevo' });
		const result = await runDisposition({
			parameters: {
				...MAPPED,
				l2: 'Contado',
				additionalFields: { comment: '={{ $json.note }}', tag: 'vip' },
			},
			items: [item],
			credentials: tokenCredentials(sim),
		});
		expect(result.items[0].json.success).toBe(true);
		const expected: Disposition = {
			...EMPTY,
			campaign: item.campaign as string,
			agent: item.agent as string,
			callerid: item.callerid as string,
			guid: item.guid as string,
			l1: item.l1 as string,
			l2: 'Contado',
			comment: 'Llamar de nuevo',
			tag: 'vip',
		};
		expect(sim.requests.map((r) => r.rawBody)).toEqual([encodeDispositionForm(expected)]);
	});

	it("Map Automatically: the item's own keys, whatever the fields say", async () => {
		const item = call(1, { l3: 'Tarjeta', d1: 'order-1' });
		const result = await runDisposition({
			parameters: { mappingMode: 'autoMapInputData', campaign: 'ignored' },
			items: [item],
			credentials: tokenCredentials(sim),
		});
		expect(result.items[0].json.success).toBe(true);
		expect(sim.requests.map((r) => r.fields)).toEqual([
			{ ...EMPTY, ...(item as Record<string, string>) },
		]);
	});

	it("a schedule without a zone is read in the workflow's time zone", async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, additionalFields: { schedule: '2026-07-01T12:00:00Z' } },
			items: [call(0)],
			credentials: tokenCredentials(sim),
			timezone: 'America/Montevideo',
		});
		expect(result.items[0].json.success).toBe(true);
		expect(sim.requests[0].fields.schedule).toBe('2026-07-01 09:00:00');
	});
});

describe('prepareItem: the options', () => {
	it('options given as an expression are read per item', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { dryRun: '={{ $json.rehearse }}' } },
			items: [
				call(0, { rehearse: true }),
				call(1, { rehearse: false }),
				call(2, { rehearse: true }),
			],
			credentials: tokenCredentials(sim),
		});
		expect(result.items.map((item) => item.json.dryRun === true)).toEqual([true, false, true]);
		expect(sim.requests.map((r) => r.fields.guid)).toEqual(['guid-1']);
	});

	it('fixed options serve every item', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { dryRun: true } },
			items: [call(0), call(1)],
			credentials: tokenCredentials(sim),
		});
		expect(result.items.map((item) => item.json.dryRun)).toEqual([true, true]);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('prepareItem: the schedule zone in the output', () => {
	it("echoes the workflow's zone when Schedule Time Zone is left to it, and null without a schedule", async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, additionalFields: { schedule: '={{ $json.when }}' } },
			items: [call(0, { when: '2026-12-01 15:30:00' }), call(1, { when: '' })],
			credentials: tokenCredentials(sim),
			timezone: 'America/Bogota',
		});
		expect(result.items.map((item) => item.json.scheduleTimezone)).toEqual([
			'America/Bogota',
			null,
		]);
		expect(sim.requests[0].fields.schedule).toBe('2026-12-01 15:30:00');
	});
});
