import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	activeToken,
	authorizationFor,
	CREDENTIAL_TYPE,
	skipsCertificateCheck,
	usesLogin,
} from '../nodes/UContactApi/credential';
import { sharedLogin } from '../nodes/UContactApi/login';
import { resolveBaseUrl } from '../nodes/UContactApi/serverAddress';

export class UContactApi implements ICredentialType {
	name = CREDENTIAL_TYPE;

	displayName = 'uContact API';

	icon: Icon = { light: 'file:../icons/ucontact.svg', dark: 'file:../icons/ucontact.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-ucontact/n8n-nodes-ucontact#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Server',
			name: 'server',
			type: 'options',
			options: [
				{
					name: 'uContact Cloud',
					value: 'cloud',
					description: 'An instance at https://INSTANCE.ucontactcloud.com',
				},
				{
					name: 'On-Premise / Custom URL',
					value: 'custom',
					description: 'Your own uContact server',
				},
			],
			default: 'cloud',
		},
		{
			displayName: 'Instance',
			name: 'instance',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'acme',
			description:
				'The name in https://INSTANCE.ucontactcloud.com. A pasted URL or host name is reduced to the name. No port: for a server on another port, choose On-Premise / Custom URL.',
			displayOptions: { show: { server: ['cloud'] } },
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://ucontact.example.com',
			description:
				'Where your uContact server answers, e.g. https://ucontact.example.com or http://10.0.0.5:8085, with a path prefix if it has one. Paths under /Integra are added for you.',
			displayOptions: { show: { server: ['custom'] } },
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the server certificate cannot be validated, e.g. a self-signed certificate on an on-premise server',
			displayOptions: { show: { server: ['custom'] } },
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Portal API Token',
					value: 'apiToken',
					description:
						'A token made in the uContact portal (user menu > API Token). uContact does not say whether recording dispositions accepts it: prefer Token or User and Password.',
				},
				{
					name: 'Token',
					value: 'token',
					description: 'A token uContact issued for API access',
				},
				{
					name: 'User and Password',
					value: 'userPassword',
					description:
						'Log in with a uContact user name and password; n8n logs in again when the session expires',
				},
			],
			default: 'token',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The token exactly as uContact issued it (it is sent as given, not re-encoded)',
			displayOptions: { show: { authentication: ['token', 'apiToken'] } },
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			description: 'A uContact user; uContact recommends a dedicated user for API access',
			displayOptions: { show: { authentication: ['userPassword'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['userPassword'] } },
		},
		{
			// Filled by preAuthentication; n8n refills it when a request answers 401.
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/**
	 * n8n runs this before each of the node's requests when the session token is empty, and again
	 * when a request answers 401. It validates the server address before anything is sent, and in
	 * user/password mode logs in for a token. The credential test does not run it: with the node's
	 * testedBy, n8n calls testUContactCredential (nodes/UContactApi/credentialTest.ts) directly.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const baseUrl = resolveBaseUrl(credentials);
		// Token mode has nothing to fetch; returning no sessionToken keeps n8n from storing anything.
		if (!usesLogin(credentials)) return {};
		return await sharedLogin(this, credentials, baseUrl);
	}

	/**
	 * Adds the token, and the server's base URL to requests given as a path (the node's
	 * DispositionCall), so the address rules live in one place. The credential test builds its
	 * own requests with the same helpers (transport.ts).
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const relative = typeof requestOptions.url === 'string' && requestOptions.url.startsWith('/');
		return {
			...requestOptions,
			baseURL: relative ? resolveBaseUrl(credentials) : requestOptions.baseURL,
			skipSslCertificateValidation:
				requestOptions.skipSslCertificateValidation === true || skipsCertificateCheck(credentials),
			headers: {
				...requestOptions.headers,
				Authorization: authorizationFor(credentials, activeToken(credentials)),
			},
		};
	}
	// The credential test is the node's (testedBy): see nodes/UContactApi/credentialTest.ts.
}
