import { sleep } from 'n8n-workflow';

import { startLocalServer, type LocalServer } from '../support/harness';
import { call, MAPPED, runDisposition, tokenCredentials } from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

/** A uContact stand-in that answers after a delay chosen per call, and tracks requests in flight. */
class Gauge {
	inFlight = 0;
	maxInFlight = 0;
	arrivals: Array<{ guid: string; at: number }> = [];
	answers: Array<{ guid: string; at: number }> = [];
	delayFor: (guid: string) => number = () => 20;
	server!: LocalServer;

	async start() {
		this.server = await startLocalServer(async (request) => {
			const guid = new URLSearchParams(request.body).get('guid') ?? '';
			this.arrivals.push({ guid, at: Date.now() });
			this.inFlight++;
			this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
			await sleep(this.delayFor(guid));
			this.inFlight--;
			this.answers.push({ guid, at: Date.now() });
			return { status: 200, headers: { 'content-type': 'application/json' }, body: '"OK"' };
		});
		return this;
	}

	reset() {
		this.inFlight = 0;
		this.maxInFlight = 0;
		this.arrivals = [];
		this.answers = [];
		this.delayFor = () => 20;
	}

	credentials() {
		return {
			server: 'custom',
			baseUrl: this.server.url,
			authentication: 'token',
			token: 'dGVzdDp0ZXN0',
		};
	}
}

const calls = (count: number) => Array.from({ length: count }, (_, index) => call(index));

const sim = useSimulator();
let gauge: Gauge;
beforeAll(async () => {
	gauge = await new Gauge().start();
});
afterAll(async () => await gauge.server.close());
beforeEach(() => gauge.reset());

describe('concurrency', () => {
	it('keeps output order and pairing when answers arrive in reverse order', async () => {
		gauge.delayFor = (guid) => 800 - 80 * Number(guid.split('-')[1]);
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 10 } },
			items: calls(10),
			credentials: gauge.credentials(),
		});
		expect(result.error).toBeUndefined();
		const answerOrder = gauge.answers.map((answer) => answer.guid);
		expect(answerOrder).not.toEqual(calls(10).map((item) => item.guid));
		expect(answerOrder[answerOrder.length - 1]).toBe('guid-0');
		expect(
			result.items.map((item) => [
				item.pairedItem,
				(item.json.disposition as { guid: string }).guid,
			]),
		).toEqual(calls(10).map((item, index) => [{ item: index }, item.guid]));
	});

	it.each([
		[undefined, 20, 5],
		[1, 8, 1],
		[3, 20, 3],
		[50, 60, 50],
	])(
		'with concurrency %p keeps at most the bound in flight (%i items -> %i)',
		async (concurrency, count, bound) => {
			// Answers slow enough that every lane is busy at once, even on a loaded machine.
			gauge.delayFor = () => 250;
			const result = await runDisposition({
				parameters: concurrency === undefined ? MAPPED : { ...MAPPED, options: { concurrency } },
				items: calls(count),
				credentials: gauge.credentials(),
			});
			expect(result.items).toHaveLength(count);
			expect(gauge.maxInFlight).toBe(bound);
		},
	);

	it('stops starting requests after a failure and reports the failed item', async () => {
		sim.setBehaviour({ kind: 'slow', ms: 30 });
		sim.queue({ kind: 'slow', ms: 30 }, { kind: 'slow', ms: 30 }, { kind: 'status', status: 500 });
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 3 } },
			items: calls(30),
			credentials: tokenCredentials(sim),
		});
		expect(result.error).toMatchObject({ httpCode: '500', context: { itemIndex: 2 } });
		expect(sim.requests.length).toBeLessThan(10);
	});

	it('with Continue On Fail, fails items in place under concurrency', async () => {
		sim.queue(
			...Array.from({ length: 12 }, (_, index) =>
				index % 4 === 3
					? ({ kind: 'reject' } as const)
					: ({ kind: 'slow', ms: 40 - 3 * index } as const),
			),
		);
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { concurrency: 4 } },
			items: calls(12),
			credentials: tokenCredentials(sim),
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(12);
		result.items.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));
		// Which request got which queued answer depends on arrival order; each result must match its own wire record.
		for (const item of result.items) {
			const guid = (item.json.disposition as { guid: string }).guid;
			const wire = sim.requests.find((request) => request.fields.guid === guid);
			expect(item.json.success).toBe(wire?.status === 200 && wire.answer === '"OK"');
		}
		expect(result.items.filter((item) => !item.json.success)).toHaveLength(3);
	});
});

describe('batching', () => {
	it('sends batches of the given size with a pause between them', async () => {
		gauge.delayFor = () => 150;
		const result = await runDisposition({
			parameters: {
				...MAPPED,
				options: { concurrency: 10, batching: { batch: { batchSize: 4, batchInterval: 200 } } },
			},
			items: calls(10),
			credentials: gauge.credentials(),
		});
		expect(result.items).toHaveLength(10);
		expect(gauge.maxInFlight).toBe(4);
		const arrival = (index: number) =>
			gauge.arrivals.find((entry) => entry.guid === `guid-${index}`)?.at ?? NaN;
		const answer = (index: number) =>
			gauge.answers.find((entry) => entry.guid === `guid-${index}`)?.at ?? NaN;
		const lastAnswerOfFirstBatch = Math.max(...[0, 1, 2, 3].map(answer));
		expect(arrival(4) - lastAnswerOfFirstBatch).toBeGreaterThanOrEqual(190);
		expect(Math.min(...[4, 5, 6, 7].map(arrival))).toBeGreaterThanOrEqual(lastAnswerOfFirstBatch);
	});
});

describe('Map Automatically', () => {
	it('reads the fields from each item by name, ignoring other columns', async () => {
		const rows = [
			{
				Campaign: 'Ventas->',
				Agent: 'jperez',
				'Caller ID': 59899000001,
				Guid: 'row-1',
				L1: 'Venta',
				l2: 'Contado',
				Duration: 93,
			},
			{
				campaign: 'Ventas->',
				agent: 'mgomez',
				caller_id: '59899000002',
				'Call GUID': 'row-2',
				'Disposition Level 1': 'Volver a llamar',
				'Schedule Callback At': '2026-12-01T18:30:00Z',
				camp_to_reschedule: 'Ventas->',
				Comment: 'después de las 15',
				notes: 'ignored',
			},
		];
		const result = await runDisposition({
			parameters: {
				mappingMode: 'autoMapInputData',
				options: { scheduleTimezone: 'America/Montevideo' },
			},
			items: rows,
			credentials: tokenCredentials(sim),
		});
		expect(result.error).toBeUndefined();
		expect(sim.requests.map((request) => request.problems)).toEqual([[], []]);
		expect(sim.requests[0].fields).toMatchObject({
			callerid: '59899000001',
			guid: 'row-1',
			l1: 'Venta',
			l2: 'Contado',
		});
		expect(sim.requests[1].fields).toMatchObject({
			callerid: '59899000002',
			guid: 'row-2',
			l1: 'Volver a llamar',
			schedule: '2026-12-01 15:30:00',
			camptoreschedule: 'Ventas->',
			comment: 'después de las 15',
		});
	});

	it('validates the same way, naming the field and the item', async () => {
		const result = await runDisposition({
			parameters: { mappingMode: 'autoMapInputData' },
			items: [call(0), { ...call(1), l1: undefined }],
			credentials: tokenCredentials(sim),
		});
		expect(result.error).toMatchObject({ context: { itemIndex: 1, errorKind: 'invalid-input' } });
		expect(sim.requests).toHaveLength(0);
	});
});

describe('options', () => {
	it('may differ per item through expressions', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { dryRun: '={{ $json.guid === "guid-1" }}' } },
			items: calls(3),
			credentials: tokenCredentials(sim),
		});
		expect(result.items.map((item) => item.json.dryRun ?? false)).toEqual([false, true, false]);
		expect(sim.requests.map((request) => request.fields.guid)).toEqual(['guid-0', 'guid-2']);
	});
});
