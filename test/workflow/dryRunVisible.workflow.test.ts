/**
 * Issue 31, finding 2: a Dry Run left no trace on the canvas (green check, "Success 3 items",
 * subtitle unchanged), so a workflow saved with it on looked healthy. The canvas subtitle says
 * so, as the editor computes it, and the run carries a warning n8n shows above the output.
 */
import { canvasSubtitle } from '../support/editorView';
import { call, MAPPED, runDisposition, tokenCredentials } from '../support/runDisposition';
import { startSimulator, type Simulator } from '../support/simulator/simulator';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

describe('the canvas subtitle', () => {
	it.each([
		[{ l1: 'Venta', options: { dryRun: true } }, 'Dry run: nothing is sent'],
		[{ mappingMode: 'autoMapInputData', options: { dryRun: true } }, 'Dry run: nothing is sent'],
		[{ l1: 'Venta', options: { dryRun: '={{ $json.test }}' } }, 'Dry run by expression'],
		[{ l1: 'Venta', options: { dryRun: false } }, 'Disposition: Venta'],
		[{ l1: 'Venta' }, 'Disposition: Venta'],
		[{ l1: '={{ $json.l1 }}' }, 'Record disposition'],
		[{ mappingMode: 'autoMapInputData' }, 'Fields from input'],
	])('for %j is %p', (parameters, subtitle) => {
		expect(canvasSubtitle(parameters)).toBe(subtitle);
	});
});

describe('the warning above the output', () => {
	const hintsOf = (result: Awaited<ReturnType<typeof runDisposition>>) =>
		result.runData[result.nodeName][0].hints;

	it('says nothing was sent, and how to record the calls', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { dryRun: true } },
			items: [call(0), call(1), call(2)],
			credentials: tokenCredentials(sim),
		});
		expect(result.error).toBeUndefined();
		expect(sim.dispositions).toHaveLength(0);
		expect(hintsOf(result)).toEqual([
			{
				message:
					'Dry Run is on: nothing was sent to uContact. All 3 items show the request that would have been sent. To record the calls, turn off Options > Dry Run.',
				type: 'warning',
				location: 'outputPane',
			},
		]);
		expect(result.items.map((item) => item.json.hint)).toEqual(
			Array(3).fill(
				'Dry run: nothing was sent to uContact. "disposition" holds the values "request.body" encodes.',
			),
		);
	});

	it('counts the dry-run items when an expression turns it on for some', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { dryRun: '={{ $json.guid === "guid-1" }}' } },
			items: [call(0), call(1), call(2)],
			credentials: tokenCredentials(sim),
		});
		expect(sim.dispositions).toHaveLength(2);
		expect(hintsOf(result)?.map((hint) => hint.message)).toEqual([
			expect.stringContaining('1 of the 3 items show the request that would have been sent'),
		]);
	});

	it('is not there when everything was sent', async () => {
		const result = await runDisposition({
			parameters: MAPPED,
			items: [call(0)],
			credentials: tokenCredentials(sim),
		});
		expect(sim.dispositions).toHaveLength(1);
		expect(hintsOf(result)).toEqual([]);
	});
});
