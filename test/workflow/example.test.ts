/**
 * The demo: a handful of finished calls -> uContact Disposition, one scheduled for a callback
 * and one that uContact rejects, run by n8n's engine against the simulator.
 */
import { printSummary } from '../support/summary';
import { runDisposition, tokenCredentials } from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const finishedCalls = [
	{
		Campaign: 'Ventas->',
		Agent: 'jperez',
		Phone: '59899123001',
		Guid: 'a1f0-0001',
		Result: 'Venta',
		Detail: 'Contado',
	},
	{
		Campaign: 'Ventas->',
		Agent: 'mgomez',
		Phone: '59899123002',
		Guid: 'a1f0-0002',
		Result: 'No interesado',
		Detail: '',
	},
	{
		Campaign: 'Ventas->',
		Agent: 'jperez',
		Phone: '59899123003',
		Guid: 'a1f0-0003',
		Result: 'Volver a llamar',
		Detail: '',
		CallBackAt: '2026-12-01T18:30:00Z',
		Note: 'Prefiere por la tarde, después de las 15 h',
	},
	{
		Campaign: 'Campaña inexistente->',
		Agent: 'jperez',
		Phone: '59899123004',
		Guid: 'a1f0-0004',
		Result: 'Venta',
		Detail: '',
	},
];

const mapping = {
	campaign: '={{ $json.Campaign }}',
	agent: '={{ $json.Agent }}',
	callerid: '={{ $json.Phone }}',
	guid: '={{ $json.Guid }}',
	l1: '={{ $json.Result }}',
	l2: '={{ $json.Detail }}',
	additionalFields: {
		schedule: '={{ $json.CallBackAt }}',
		camptoreschedule: "={{ $json.CallBackAt ? $json.Campaign : '' }}",
		comment: '={{ $json.Note }}',
	},
	options: { scheduleTimezone: 'America/Montevideo' },
};

const sim = useSimulator({ campaigns: ['Ventas->'] });

it('records the dispositions of finished calls, one result per call', async () => {
	const result = await runDisposition({
		parameters: mapping,
		items: finishedCalls,
		credentials: tokenCredentials(sim),
		continueOnFail: true,
	});

	expect(result.items.map((item) => item.json.success)).toEqual([true, true, true, false]);
	expect(result.items.map((item) => item.pairedItem)).toEqual(
		[0, 1, 2, 3].map((item) => ({ item })),
	);
	expect(result.items[2].json.disposition).toMatchObject({
		schedule: '2026-12-01 15:30:00',
		camptoreschedule: 'Ventas->',
		comment: 'Prefiere por la tarde, después de las 15 h',
	});
	expect(result.items[3].json.errorKind).toBe('rejected');
	expect(sim.requests.every((request) => request.problems.length === 0)).toBe(true);
	// Up to five requests are in flight at once, so arrival order may differ from item order.
	expect(sim.dispositions.map((request) => request.fields.guid).sort()).toEqual([
		'a1f0-0001',
		'a1f0-0002',
		'a1f0-0003',
	]);

	printSummary(
		'uContact Disposition: 4 finished calls through n8n (WorkflowExecute) against the uContact simulator',
		result.items.map((item, index) => {
			const json = item.json as {
				success: boolean;
				response?: string;
				error?: string;
				disposition: { guid: string; l1: string; schedule: string };
			};
			const outcome = json.success
				? `OK  (uContact answered ${json.response})`
				: `FAILED: ${json.error}`;
			const schedule = json.disposition.schedule ? `, callback ${json.disposition.schedule}` : '';
			return `item ${index} -> ${json.disposition.guid} "${json.disposition.l1}"${schedule}: ${outcome}`;
		}),
		sim.requests.map(
			(request) =>
				`${request.method} ${request.path} -> HTTP ${request.status} ${request.answer}\n    ${request.rawBody}`,
		),
	);
});
