import { DISPOSITION_KEYS } from '../../nodes/UContactApi/api';
import { call, MAPPED, runDisposition, tokenCredentials } from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator();

const ALL_FIELDS = {
	...MAPPED,
	l2: '={{ $json.l2 }}',
	l3: '={{ $json.l3 }}',
	additionalFields: {
		d1: '={{ $json.d1 }}',
		d2: '={{ $json.d2 }}',
		comment: '={{ $json.comment }}',
		schedule: '={{ $json.schedule }}',
		camptoreschedule: '={{ $json.dialer }}',
		tag: '={{ $json.tag }}',
	},
};

describe('what reaches uContact', () => {
	it('sends every parameter, once each, in the documented order, with the token as given', async () => {
		const item = call(1, {
			l2: 'Contado',
			l3: 'Tarjeta',
			d1: 'order-1',
			d2: 'promo-7',
			comment: 'Quiere factura',
			schedule: '2026-12-01 15:30:00',
			dialer: 'Ventas->',
			tag: 'vip',
		});
		const result = await runDisposition({
			parameters: ALL_FIELDS,
			items: [item],
			credentials: tokenCredentials(sim),
		});

		expect(result.error).toBeUndefined();
		expect(sim.requests).toHaveLength(1);
		const [request] = sim.requests;
		expect(request.problems).toEqual([]);
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/Integra/resources/api/DispositionCall');
		expect(request.headers['content-type']).toBe(
			'application/x-www-form-urlencoded; charset=UTF-8',
		);
		expect(request.headers.authorization).toBe(`Basic ${sim.token}`);
		expect(request.form.map(([key]) => key)).toEqual([...DISPOSITION_KEYS]);
		expect(request.fields).toEqual({
			campaign: 'Ventas->',
			agent: 'jperez',
			callerid: '59899120001',
			guid: 'guid-1',
			l1: 'Venta',
			l2: 'Contado',
			l3: 'Tarjeta',
			d1: 'order-1',
			d2: 'promo-7',
			comment: 'Quiere factura',
			schedule: '2026-12-01 15:30:00',
			camptoreschedule: 'Ventas->',
			tag: 'vip',
		});
		expect(request.rawBody).toContain('campaign=Ventas-%3E&agent=jperez&');
		expect(result.items).toEqual([
			{
				json: {
					success: true,
					dryRun: false,
					alreadyRecorded: false,
					response: 'OK',
					disposition: request.fields,
					request: null,
					// The zone the schedule was read in, so the user can see which one it was.
					scheduleTimezone: 'America/New_York',
					hint: null,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends unset optional keys as empty values', async () => {
		await runDisposition({ items: [call(2)], credentials: tokenCredentials(sim) });
		expect(sim.requests[0].problems).toEqual([]);
		expect(sim.requests[0].rawBody).toBe(
			'campaign=Ventas-%3E&agent=jperez&callerid=59899120002&guid=guid-2&l1=Venta' +
				'&l2=&l3=&d1=&d2=&comment=&schedule=&camptoreschedule=&tag=',
		);
	});

	it.each([
		['direction marks', 'campana-><-'],
		['accents and ñ', 'Tipificación añadida, canción'],
		['reserved characters', 'a&b=c+d%20e%f?g#h/i'],
		['emoji', 'Cliente feliz 📞🎉 👍🏽'],
		['newlines and tabs', 'línea 1\nlínea 2\r\nlínea\t3'],
		['quotes and angle brackets', `"OK" <b>'0'</b>`],
	])('keeps %s byte-exact', async (_name, text) => {
		const items = [call(3, { comment: text, l2: text })];
		await runDisposition({
			parameters: {
				...MAPPED,
				l2: '={{ $json.l2 }}',
				additionalFields: { comment: '={{ $json.comment }}' },
			},
			items,
			credentials: tokenCredentials(sim),
		});
		const [request] = sim.requests;
		expect(request.problems).toEqual([]);
		expect(request.fields.comment).toBe(text.trim());
		expect(request.fields.l2).toBe(text.trim());
	});

	it('trims values and turns numbers into text', async () => {
		const result = await runDisposition({
			items: [call(4, { campaign: '  Ventas->  ', callerid: 59899123456 })],
			credentials: tokenCredentials(sim),
		});
		expect(sim.requests[0].fields).toMatchObject({ campaign: 'Ventas->', callerid: '59899123456' });
		expect(result.items[0].json.success).toBe(true);
	});

	it('accepts the bare OK answer as well as the quoted one', async () => {
		sim.setBehaviour({ kind: 'bare' });
		const result = await runDisposition({ items: [call(5)], credentials: tokenCredentials(sim) });
		expect(result.items[0].json).toMatchObject({ success: true, response: 'OK' });
	});
});

describe('schedule on the wire', () => {
	const withSchedule = { ...MAPPED, additionalFields: { schedule: '={{ $json.schedule }}' } };

	async function scheduleSent(schedule: unknown, timezone?: string, scheduleTimezone?: string) {
		sim.reset();
		const result = await runDisposition({
			parameters: scheduleTimezone
				? { ...withSchedule, options: { scheduleTimezone } }
				: withSchedule,
			items: [call(6, { schedule } as Record<string, string>)],
			credentials: tokenCredentials(sim),
			timezone,
		});
		expect(result.error).toBeUndefined();
		expect(sim.requests[0].problems).toEqual([]);
		return sim.requests[0].fields.schedule;
	}

	it("keeps uContact's own format as is", async () => {
		expect(await scheduleSent('2026-12-01 15:30:00', 'America/New_York')).toBe(
			'2026-12-01 15:30:00',
		);
	});

	it("converts an instant into the workflow's time zone by default", async () => {
		expect(await scheduleSent('2026-12-01T18:30:00Z', 'America/Montevideo')).toBe(
			'2026-12-01 15:30:00',
		);
		expect(await scheduleSent('2026-12-01T18:30:00Z', 'Europe/Madrid')).toBe('2026-12-01 19:30:00');
	});

	it('converts into the Schedule Time Zone option when set, across DST', async () => {
		expect(await scheduleSent('2026-03-08T07:30:00Z', 'UTC', 'America/New_York')).toBe(
			'2026-03-08 03:30:00',
		);
		expect(await scheduleSent('2026-03-08T06:30:00Z', 'UTC', 'America/New_York')).toBe(
			'2026-03-08 01:30:00',
		);
		expect(await scheduleSent('2026-07-15T12:00:00+02:00', 'UTC', 'America/Montevideo')).toBe(
			'2026-07-15 07:00:00',
		);
	});

	it('takes a Luxon DateTime from an expression', async () => {
		sim.reset();
		await runDisposition({
			parameters: {
				...MAPPED,
				additionalFields: {
					schedule:
						"={{ DateTime.fromISO('2026-12-01T12:00:00', { zone: 'UTC' }).plus({ hours: 2 }) }}",
				},
			},
			items: [call(7)],
			credentials: tokenCredentials(sim),
			timezone: 'America/Montevideo',
		});
		expect(sim.requests[0].fields.schedule).toBe('2026-12-01 11:00:00');
	});
});

describe('dry run', () => {
	it('shows the request with the token masked and sends nothing', async () => {
		const result = await runDisposition({
			parameters: { ...MAPPED, options: { dryRun: true } },
			items: [call(8), call(9)],
			credentials: tokenCredentials(sim),
		});
		expect(sim.requests).toHaveLength(0);
		expect(result.items).toHaveLength(2);
		expect(result.items[1]).toMatchObject({
			json: {
				// Not sent, so not a success: a workflow branching on `success` must not count it.
				success: false,
				dryRun: true,
				response: null,
				hint: expect.stringMatching(/^Dry run: nothing was sent to uContact\./),
				request: {
					method: 'POST',
					url: `${sim.url}/Integra/resources/api/DispositionCall`,
					headers: { Authorization: 'Basic ***' },
					body: expect.stringContaining('guid=guid-9'),
				},
				disposition: { guid: 'guid-9' },
			},
			pairedItem: { item: 1 },
		});
		// The decoded values beside the exact body are the body's own values.
		const { request, disposition } = result.items[1].json as {
			request: { body: string };
			disposition: Record<string, string>;
		};
		expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual(disposition);
		// n8n 1.x reads any `error` key on the first item, even null, as a failed run.
		expect(result.items[0].json).not.toHaveProperty('error');
		expect(JSON.stringify(result.items)).not.toContain(sim.token);
	});
});
