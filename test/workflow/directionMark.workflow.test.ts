/**
 * Issue 31, finding 1: n8n's editor font draws "->" as an arrow, so a campaign typed with a real
 * arrow character looks right on screen and uContact refuses every call. Characters that only
 * look like the direction mark are refused before anything is sent, naming the item, the field,
 * the character and what to type.
 */
import { call, MAPPED, runDisposition, tokenCredentials } from '../support/runDisposition';
import { startSimulator, type Simulator } from '../support/simulator/simulator';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const LOOK_ALIKES: Array<[typed: string, found: string, described: string, fixed: string]> = [
	['Ventas→', '→', 'U+2192 RIGHTWARDS ARROW', 'Ventas->'],
	['Ventas⇒', '⇒', 'U+21D2 RIGHTWARDS DOUBLE ARROW', 'Ventas->'],
	['Ventas⟶', '⟶', 'U+27F6 LONG RIGHTWARDS ARROW', 'Ventas->'],
	['Ventas➔', '➔', 'U+2794 HEAVY WIDE-HEADED RIGHTWARDS ARROW', 'Ventas->'],
	['Ventas←', '←', 'U+2190 LEFTWARDS ARROW', 'Ventas<-'],
	['Ventas—>', '—', 'U+2014 EM DASH', 'Ventas->'],
	['Ventas–>', '–', 'U+2013 EN DASH', 'Ventas->'],
	['Ventas−>', '−', 'U+2212 MINUS SIGN', 'Ventas->'],
	['Ventas-＞', '＞', 'U+FF1E FULLWIDTH GREATER-THAN SIGN', 'Ventas->'],
	['Ventas－＞', '－', 'U+FF0D FULLWIDTH HYPHEN-MINUS', 'Ventas->'],
	['Ventas-›', '›', 'U+203A SINGLE RIGHT-POINTING ANGLE QUOTATION MARK', 'Ventas->'],
	['Ventas-»', '»', 'U+00BB RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK', 'Ventas->'],
	['Ventas<—', '—', 'U+2014 EM DASH', 'Ventas<-'],
	['Ventas‹-', '‹', 'U+2039 SINGLE LEFT-POINTING ANGLE QUOTATION MARK', 'Ventas<-'],
	['Ventas↠', '↠', 'U+21A0 an arrow sign', 'Ventas↠'],
];

describe('look-alikes of the direction mark in campaign and dialer names', () => {
	it.each(LOOK_ALIKES)(
		'Campaign %s: refused before sending, naming %s (%s)',
		async (typed, found, described, fixed) => {
			const result = await runDisposition({
				parameters: MAPPED,
				items: [call(0), call(1, { campaign: typed })],
				credentials: tokenCredentials(sim),
			});
			const message = result.error?.message ?? '';
			expect(message).toContain(
				`Campaign (campaign) "${typed}" contains "${found}" (${described})`,
			);
			expect(message).toContain('hyphen and greater-than "->"');
			expect(message).toContain(
				fixed === typed ? 'retype the direction mark' : `type it as "${fixed}"`,
			);
			expect((result.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
			expect(sim.dispositions).toHaveLength(0);
		},
	);

	it('checks the Callback Dialer the same way, in a dry run too', async () => {
		const result = await runDisposition({
			parameters: {
				...MAPPED,
				additionalFields: { camptoreschedule: 'Ventas→' },
				options: { dryRun: true },
			},
			items: [call(0)],
			credentials: tokenCredentials(sim),
		});
		expect(result.error?.message).toContain(
			'Callback Dialer (camptoreschedule) "Ventas→" contains "→" (U+2192 RIGHTWARDS ARROW)',
		);
		expect(result.error?.message).toContain('type it as "Ventas->"');
	});

	it('sends names with plain marks, accents and a lone dash as typed', async () => {
		const names = ['Ventas->', 'Atención<-', 'Ventas – Norte->', 'Campaña 2026'];
		const result = await runDisposition({
			parameters: MAPPED,
			items: names.map((campaign, index) => call(index, { campaign })),
			credentials: tokenCredentials(sim),
		});
		expect(result.error).toBeUndefined();
		expect(sim.dispositions.map((request) => request.fields.campaign).sort()).toEqual(
			[...names].sort(),
		);
	});
});
