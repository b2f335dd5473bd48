import { WorkflowHasIssuesError } from 'n8n-core';
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { harnessLogger, runCredentialTest, runWorkflow, startLocalServer } from '.';
import type { LocalServer, ReceivedRequest, ServerAnswer } from '.';

// A tiny stateful API: POST /login {apiKey} issues a token; POST /echo and GET /check want it.
const GOOD_API_KEY = 'good-key';
let server: LocalServer;
let validTokens: Set<string>;
let issued: number;

function bearer(request: ReceivedRequest): string | undefined {
	const header = request.headers.authorization;
	return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
}

function handle(request: ReceivedRequest): ServerAnswer {
	const path = request.url.split('?')[0];
	if (request.method === 'POST' && path === '/login') {
		const apiKey = new URLSearchParams(request.body).get('apiKey');
		if (apiKey !== GOOD_API_KEY) return { status: 401, body: { message: 'bad api key' } };
		issued += 1;
		const token = `tok-${issued}`;
		validTokens.add(token);
		return { body: { token } };
	}
	const token = bearer(request);
	if (token === undefined || !validTokens.has(token)) {
		return { status: 401, body: { message: 'token expired' } };
	}
	if (request.method === 'GET' && path === '/check') {
		return { body: { user: 'api', disabled: token === 'tok-disabled' } };
	}
	if (request.method === 'POST' && path === '/echo') {
		const form = Object.fromEntries(new URLSearchParams(request.body));
		if (form.name === 'boom') return { status: 500, body: { message: 'server exploded' } };
		return { body: { ok: true, token, form } };
	}
	return { status: 404, body: { message: 'not found' } };
}

function requestsTo(path: string): ReceivedRequest[] {
	return server.requests.filter((request) => request.url.split('?')[0] === path);
}

// Dummy credential with an expirable hidden token refreshed by preAuthentication.
class DummyApi implements ICredentialType {
	name = 'dummyApi';

	displayName = 'Dummy API';

	properties: INodeProperties[] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${credentials.baseUrl as string}/login`,
			body: `apiKey=${encodeURIComponent(credentials.apiKey as string)}`,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			json: true,
		})) as IDataObject;
		return { accessToken: response.token as string };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/check', method: 'GET' },
		rules: [{ type: 'responseCode', properties: { value: 401, message: 'Invalid API key' } }],
	};
}

// Dummy credential with a plain static token (authenticate as a function).
class DummyTokenApi implements ICredentialType {
	name = 'dummyTokenApi';

	displayName = 'Dummy Token API';

	properties: INodeProperties[] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	];

	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...requestOptions.headers, Authorization: `Bearer ${credentials.token as string}` },
	});

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/check' },
	};
}

// Dummy node: one form-encoded POST per item through httpRequestWithAuthentication.
class DummyNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dummy',
		name: 'dummy',
		group: ['transform'],
		version: [1, 2],
		description: 'Harness self-test node',
		defaults: { name: 'Dummy' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'dummyApi', required: true }],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '', required: true },
			{ displayName: 'Name', name: 'name', type: 'string', default: '={{ $json.name }}' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			if (!this.continueOnFail()) {
				output.push(await postItem.call(this, i));
				continue;
			}
			try {
				output.push(await postItem.call(this, i));
			} catch (error) {
				output.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
			}
		}
		return [output];
	}
}

async function postItem(this: IExecuteFunctions, i: number): Promise<INodeExecutionData> {
	const url = this.getNodeParameter('url', i) as string;
	const name = this.getNodeParameter('name', i) as string;
	const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'dummyApi', {
		method: 'POST',
		url,
		body: `name=${encodeURIComponent(name)}`,
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		json: true,
	})) as IDataObject;
	return { json: { ...response, timezone: this.getTimezone() }, pairedItem: { item: i } };
}

const NODE_TYPE_NAME = 'n8n-nodes-harness.dummy';

function run(
	credentialsData: ICredentialDataDecryptedObject,
	inputItems: IDataObject[],
	extra: { continueOnFail?: boolean; timezone?: string; parameters?: INodeParameters } = {},
) {
	return runWorkflow({
		nodeType: new DummyNode(),
		nodeTypeName: NODE_TYPE_NAME,
		parameters: { url: `${server.url}/echo` },
		inputItems,
		credentialType: new DummyApi(),
		credentialsData,
		...extra,
	});
}

beforeAll(async () => {
	server = await startLocalServer(handle);
});

afterAll(async () => {
	await server.close();
});

beforeEach(() => {
	harnessLogger.clear();
	server.requests.length = 0;
	validTokens = new Set(['tok-valid', 'tok-disabled']);
	issued = 0;
});

describe('runWorkflow', () => {
	it('sends authenticated form posts over real HTTP and pairs every item', async () => {
		const result = await run(
			{ baseUrl: server.url, apiKey: GOOD_API_KEY, accessToken: 'tok-valid' },
			[{ name: 'a' }, { name: 'b' }, { name: 'c' }],
			{ timezone: 'America/Montevideo' },
		);

		expect(result.error).toBeUndefined();
		expect(result.nodeName).toBe('Dummy');
		expect(result.items).toHaveLength(3);
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(result.items.map((item) => item.json.form)).toEqual([
			{ name: 'a' },
			{ name: 'b' },
			{ name: 'c' },
		]);
		expect(result.items[0].json.timezone).toBe('America/Montevideo');

		const echoes = requestsTo('/echo');
		expect(echoes).toHaveLength(3);
		for (const request of echoes) {
			expect(request.method).toBe('POST');
			expect(request.headers.authorization).toBe('Bearer tok-valid');
			expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
		}
		expect(requestsTo('/login')).toHaveLength(0);
		expect(result.credentialsStore.updateCount).toBe(0);
		// The trigger fed exactly the given items, each with a pairedItem.
		const triggerOutput = result.runData[Object.keys(result.runData)[0]][0].data!.main[0]!;
		expect(triggerOutput.map((item) => item.json)).toEqual([
			{ name: 'a' },
			{ name: 'b' },
			{ name: 'c' },
		]);
		expect(triggerOutput.every((item) => item.pairedItem !== undefined)).toBe(true);
	});

	it('fetches a token first when the stored one is empty, and persists it once', async () => {
		const result = await run({ baseUrl: server.url, apiKey: GOOD_API_KEY, accessToken: '' }, [
			{ name: 'a' },
			{ name: 'b' },
		]);

		expect(result.error).toBeUndefined();
		expect(requestsTo('/login')).toHaveLength(1);
		expect(requestsTo('/echo').map((request) => request.headers.authorization)).toEqual([
			'Bearer tok-1',
			'Bearer tok-1',
		]);
		expect(result.credentialsStore.updateCount).toBe(1);
		expect(result.credentialsStore.data.accessToken).toBe('tok-1');
	});

	it('on 401 refreshes the token exactly once, retries once, and persists the new token', async () => {
		const credentialsData = { baseUrl: server.url, apiKey: GOOD_API_KEY, accessToken: 'tok-stale' };
		const result = await run(credentialsData, [{ name: 'a' }, { name: 'b' }]);

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.token)).toEqual(['tok-1', 'tok-1']);
		expect(requestsTo('/login')).toHaveLength(1);
		expect(requestsTo('/echo').map((request) => request.headers.authorization)).toEqual([
			'Bearer tok-stale',
			'Bearer tok-1', // the retry
			'Bearer tok-1', // item 2 reads the persisted token
		]);
		expect(result.credentialsStore.updateCount).toBe(1);
		expect(result.credentialsStore.updates[0]).toEqual({
			...credentialsData,
			accessToken: 'tok-1',
		});
		expect(result.credentialsStore.data.accessToken).toBe('tok-1');
		expect(credentialsData.accessToken).toBe('tok-stale'); // the caller's object is untouched
	});

	it('with continueOnFail turns a failing item into an error item', async () => {
		const result = await run(
			{ baseUrl: server.url, apiKey: GOOD_API_KEY, accessToken: 'tok-valid' },
			[{ name: 'a' }, { name: 'boom' }, { name: 'c' }],
			{ continueOnFail: true },
		);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json.ok).toBe(true);
		expect(result.items[1].json.error).toEqual(expect.any(String));
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(result.items[2].json.ok).toBe(true);
	});

	it('without continueOnFail reports the execution error', async () => {
		const result = await run(
			{ baseUrl: server.url, apiKey: GOOD_API_KEY, accessToken: 'tok-valid' },
			[{ name: 'boom' }],
		);

		expect(result.items).toEqual([]);
		// The engine stores errors as plain copies ({ ...error, message, stack }), not instances.
		expect(result.error).toMatchObject({ httpCode: '500', name: 'NodeApiError' });
		expect(result.run?.status).toBe('error');
		// n8n-core's ErrorReporter logged it; the harness captures instead of printing.
		expect(harnessLogger.entries.some((entry) => entry.level === 'error')).toBe(true);
	});

	it('returns the pre-run WorkflowHasIssuesError (e.g. a required parameter empty) as error', async () => {
		const result = await run(
			{ baseUrl: server.url, apiKey: GOOD_API_KEY, accessToken: 'tok-valid' },
			[{ name: 'a' }],
			{
				parameters: { url: '' },
			},
		);

		expect(result.error).toBeInstanceOf(WorkflowHasIssuesError);
		expect(result.error?.message).toContain('Parameter "URL" is required');
		expect(result.items).toEqual([]);
		expect(result.run).toBeUndefined();
		expect(server.requests).toHaveLength(0);
	});
});

describe('runCredentialTest', () => {
	it('with preAuthentication: always refreshes, OK for a good key', async () => {
		const result = await runCredentialTest(new DummyApi(), {
			baseUrl: server.url,
			apiKey: GOOD_API_KEY,
			accessToken: 'tok-valid',
		});

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(requestsTo('/login')).toHaveLength(1);
		expect(requestsTo('/check')[0].headers.authorization).toBe('Bearer tok-1');
	});

	it('with preAuthentication: maps a 401 through the responseCode rule', async () => {
		const result = await runCredentialTest(new DummyApi(), {
			baseUrl: server.url,
			apiKey: 'wrong-key',
			accessToken: 'tok-valid',
		});

		expect(result).toEqual({ status: 'Error', message: 'Invalid API key' });
	});

	it('OK for a good static token, Error for a bad one', async () => {
		const good = await runCredentialTest(new DummyTokenApi(), {
			baseUrl: server.url,
			token: 'tok-valid',
		});
		const bad = await runCredentialTest(new DummyTokenApi(), {
			baseUrl: server.url,
			token: 'tok-nope',
		});

		expect(good).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(bad).toEqual({ status: 'Error', message: 'Unauthorized' }); // the statusText
		// n8n-core retries any 401 once after preAuthentication, even when it refreshed nothing.
		expect(requestsTo('/check').map((request) => request.headers.authorization)).toEqual([
			'Bearer tok-valid',
			'Bearer tok-nope',
			'Bearer tok-nope',
		]);
	});

	it('applies responseSuccessBody rules on success', async () => {
		const result = await runCredentialTest(new DummyTokenApi(), {
			baseUrl: server.url,
			token: 'tok-disabled',
		});

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const disabled = await runCredentialTest(
			Object.assign(new DummyTokenApi(), {
				test: {
					request: { baseURL: '={{$credentials.baseUrl}}', url: '/check' },
					rules: [
						{
							type: 'responseSuccessBody',
							properties: { key: 'disabled', value: true, message: 'User is disabled' },
						},
					],
				},
			}),
			{ baseUrl: server.url, token: 'tok-disabled' },
		);
		expect(disabled).toEqual({ status: 'Error', message: 'User is disabled' });
	});

	it('reports a connection failure by its error code', async () => {
		const result = await runCredentialTest(new DummyTokenApi(), {
			baseUrl: 'http://127.0.0.1:1',
			token: 'tok-valid',
		});

		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});
