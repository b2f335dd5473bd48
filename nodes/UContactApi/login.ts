/**
 * Logging in with user and password (getUserToken), shared between the requests of a run:
 * requests in flight that meet an expired token each ask n8n to pre-authenticate, and on n8n
 * 1.x the node cannot keep n8n from doing so, so one login serves them all, and a fresh one is
 * reused for late 401s sent with the old token. A refused login is shared the same way: one
 * attempt, not one per item (repeated failed logins can lock the uContact user).
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
} from 'n8n-workflow';

import { tokenFromLoginAnswer } from './api';
import { skipsCertificateCheck } from './credential';
import { describeLoginFailure } from './failures';
import { requestUserToken } from './transport';

export class UContactLoginError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UContactLoginError';
	}
}

const REUSE_LOGIN_MS = 10000;
// Keyed by the credential object: n8n gives every request of one run the same one.
const recentLogins = new WeakMap<object, { at: number; login: Promise<IDataObject> }>();

async function logIn(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	baseUrl: string,
): Promise<IDataObject> {
	const user = typeof credentials.user === 'string' ? credentials.user.trim() : '';
	const password = typeof credentials.password === 'string' ? credentials.password : '';
	if (user === '' || password === '') {
		throw new UContactLoginError('User and password are both required to log in to uContact');
	}
	const answer = await requestUserToken(helper, {
		baseUrl,
		user,
		password,
		skipSslCertificateValidation: skipsCertificateCheck(credentials),
	});
	if (!answer.ok) {
		throw new UContactLoginError(describeLoginFailure(answer.status, answer.code, baseUrl));
	}
	const sessionToken = tokenFromLoginAnswer(answer.body);
	if (sessionToken === undefined) {
		throw new UContactLoginError(
			`uContact at ${baseUrl} refused the user name or password (getUserToken answered "0" or nothing)`,
		);
	}
	return { sessionToken };
}

/**
 * The session token for this run's credential object: a login shared with the other requests
 * of the run when one happened in the last few seconds (its token is then put in the object,
 * and nothing new returned, so n8n stores the token once, not per request), else a new login.
 */
export async function sharedLogin(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	baseUrl: string,
): Promise<IDataObject> {
	const recent = recentLogins.get(credentials);
	if (recent !== undefined && Date.now() - recent.at < REUSE_LOGIN_MS) {
		Object.assign(credentials, await recent.login);
		return {};
	}
	const login = logIn(helper, credentials, baseUrl);
	recentLogins.set(credentials, { at: Date.now(), login });
	return await login;
}
