/**
 * nodes/UContactApi/transport.ts, the only code calling n8n's HTTP helpers: what its two
 * requests look like on the wire. Through WorkflowExecute rather than as a unit test, because
 * the helpers it calls are n8n's execute context and credentials helper (no stubs of n8n).
 */
import {
	DISPOSITION_PATH,
	FORM_CONTENT_TYPE,
	LOGIN_PATH,
	encodeDispositionForm,
	loginBody,
	type Disposition,
} from '../../nodes/UContactApi/api';
import { harnessLogger, startLocalServer } from '../support/harness';
import {
	call,
	everythingReturned,
	loginCredentials,
	runDisposition,
	tokenCredentials,
} from '../support/runDisposition';
import { useSimulator } from '../support/useSimulator';

const sim = useSimulator({ users: { api: 'secret-pass' } });
beforeEach(() => {
	harnessLogger.clear();
});

const byEndpoint = (endpoint: string) => sim.requests.filter((r) => r.endpoint === endpoint);

/** The disposition `call(index)` maps to, every key present as the node sends it. */
function expectedDisposition(index: number): Disposition {
	const c = call(index) as Record<string, string>;
	return {
		campaign: c.campaign,
		agent: c.agent,
		callerid: c.callerid,
		guid: c.guid,
		l1: c.l1,
		l2: '',
		l3: '',
		d1: '',
		d2: '',
		comment: '',
		schedule: '',
		camptoreschedule: '',
		tag: '',
	};
}

describe('postDisposition on the wire', () => {
	it('one form POST per item to DispositionCall, the form encoded as api.ts encodes it', async () => {
		const result = await runDisposition({
			items: [call(0), call(1)],
			credentials: tokenCredentials(sim),
		});
		expect(result.items.map((item) => item.json.success)).toEqual([true, true]);
		const posts = byEndpoint('DispositionCall');
		expect(posts).toHaveLength(2);
		expect(sim.requests).toHaveLength(2);
		posts.forEach((post) => {
			expect(post.method).toBe('POST');
			expect(post.path).toBe(DISPOSITION_PATH);
			expect(post.headers['content-type']).toBe(FORM_CONTENT_TYPE);
			expect(post.headers.authorization).toBe(`Basic ${sim.token}`);
			expect(post.problems).toEqual([]);
		});
		expect(posts.map((post) => post.rawBody).sort()).toEqual(
			[0, 1].map((index) => encodeDispositionForm(expectedDisposition(index))).sort(),
		);
	});

	it('a token credential is not resent on 401: one request per item, then a failure', async () => {
		const result = await runDisposition({
			items: [call(0)],
			credentials: tokenCredentials(sim, { token: 'not-a-known-token' }),
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.success).toBe(false);
		expect(byEndpoint('DispositionCall').map((r) => r.status)).toEqual([401]);
		expect(byEndpoint('getUserToken')).toHaveLength(0);
	});

	it('reports a redirect instead of following it: the other host receives nothing', async () => {
		const elsewhere = await startLocalServer(() => ({ body: '"OK"' }));
		try {
			sim.setBehaviour({
				kind: 'status',
				status: 302,
				headers: { location: `${elsewhere.url}${DISPOSITION_PATH}` },
			});
			const result = await runDisposition({
				items: [call(0)],
				credentials: tokenCredentials(sim),
				continueOnFail: true,
			});
			expect(result.items[0].json.success).toBe(false);
			expect(byEndpoint('DispositionCall')).toHaveLength(1);
			expect(elsewhere.requests).toEqual([]);
		} finally {
			await elsewhere.close();
		}
	});
});

describe('requestUserToken on the wire', () => {
	it('logs in once with a form POST to getUserToken, then sends with the issued token', async () => {
		const result = await runDisposition({
			items: [call(0), call(1), call(2)],
			credentials: loginCredentials(sim),
		});
		expect(result.items.map((item) => item.json.success)).toEqual([true, true, true]);
		const logins = byEndpoint('getUserToken');
		expect(logins).toHaveLength(1);
		const [login] = logins;
		expect(login.method).toBe('POST');
		expect(login.path).toBe(LOGIN_PATH);
		expect(login.headers['content-type']).toBe(FORM_CONTENT_TYPE);
		expect(login.rawBody).toBe(loginBody('api', 'secret-pass'));
		expect(login.problems).toEqual([]);
		expect(sim.requests.indexOf(login)).toBe(0);
		for (const post of byEndpoint('DispositionCall')) {
			expect(post.headers.authorization).toBe(`Basic ${login.issuedToken}`);
		}
	});

	it('a failed login keeps only its status: the password appears nowhere', async () => {
		sim.loginShape('404');
		const result = await runDisposition({
			items: [call(0)],
			credentials: loginCredentials(sim),
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.success).toBe(false);
		expect(byEndpoint('getUserToken').map((r) => r.status)).toEqual([404]);
		expect(byEndpoint('DispositionCall')).toHaveLength(0);
		expect(everythingReturned(result)).not.toContain('secret-pass');
	});
});
