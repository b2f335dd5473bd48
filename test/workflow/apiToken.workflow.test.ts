/**
 * The portal API token (issue 32): a third way to authenticate, sent as "Authorization: Bearer
 * <token>". The simulator accepts a portal token only as Bearer and a getUserToken token only as
 * Basic, so a scheme mix-up fails here as it would against a server that tells them apart.
 */
import { harnessLogger } from '../support/harness';
import {
	call,
	errorKindOf,
	everythingReturned,
	MAPPED,
	runDisposition,
	testCredential,
	tokenCredentials,
} from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

// Made-up values a test checks never leak, built at run time.
const API_TOKEN = ['portal', 'api', String(Date.now())].join('-');
const WRONG_API_TOKEN = ['portal', 'wrong', String(Date.now())].join('-');

const sim = useSimulator({ apiTokens: [API_TOKEN] });
beforeEach(() => {
	harnessLogger.clear();
});

const apiTokenCredentials = (token: string) =>
	tokenCredentials(sim, { authentication: 'apiToken', token });
const dispositionCalls = () =>
	sim.requests.filter((request) => request.endpoint === 'DispositionCall');

describe('Portal API Token authentication', () => {
	it('records a disposition with "Authorization: Bearer <token>"', async () => {
		const result = await runDisposition({
			items: [call(0)],
			credentials: apiTokenCredentials(API_TOKEN),
		});
		expect(result.items[0].json.success).toBe(true);
		expect(dispositionCalls()[0].headers.authorization).toBe(`Bearer ${API_TOKEN}`);
		expect(dispositionCalls()[0].problems).toEqual([]);
		expect(sim.dispositions).toHaveLength(1);
	});

	it('fails clearly with a wrong API token, without leaking it', async () => {
		const result = await runDisposition({
			items: [call(0)],
			credentials: apiTokenCredentials(WRONG_API_TOKEN),
		});
		expect(result.error).toMatchObject({ httpCode: '401', context: { itemIndex: 0 } });
		expect(errorKindOf(result.error)).toBe('refused');
		expect(everythingReturned(result)).not.toContain(WRONG_API_TOKEN);
		expect(sim.dispositions).toHaveLength(0);
	});

	it('shows the Bearer scheme, token masked, in a dry run', async () => {
		const result = await runDisposition({
			items: [call(0)],
			parameters: { ...MAPPED, options: { dryRun: true } },
			credentials: apiTokenCredentials(API_TOKEN),
		});
		const request = result.items[0].json.request as { headers: Record<string, string> };
		expect(request.headers.Authorization).toBe('Bearer ***');
		expect(everythingReturned(result)).not.toContain(API_TOKEN);
		expect(sim.requests).toHaveLength(0);
	});

	it('credential test: passes with the API token, fails with a wrong one or the wrong scheme', async () => {
		expect(await testCredential(apiTokenCredentials(API_TOKEN))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(dispositionCalls()[0].headers.authorization).toBe(`Bearer ${API_TOKEN}`);

		const failures = [
			apiTokenCredentials(WRONG_API_TOKEN),
			// A getUserToken token chosen as a portal token goes as Bearer, which uContact refuses.
			apiTokenCredentials(sim.token),
			// A portal token entered as a (Basic) Token.
			tokenCredentials(sim, { token: API_TOKEN }),
		];
		for (const credentials of failures) {
			const test = await testCredential(credentials);
			expect(test.status).toBe('Error');
			expect(test.message).toMatch(/401/);
			expect(test.message).not.toContain(String(credentials.token));
		}
		expect(dispositionCalls().map((request) => request.auth)).toEqual([
			'ok',
			'unknown',
			'malformed',
			'malformed',
		]);
		expect(sim.dispositions).toHaveLength(0);
	});
});
