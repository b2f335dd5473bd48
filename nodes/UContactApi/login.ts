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

import { isRefusedLogin, tokenFromLoginAnswer } from './api';
import { skipsCertificateCheck } from './credential';
import { describeLoginAnswer, describeLoginFailure, redactSecrets } from './failures';
import { httpRequestSender, requestUserToken, type FormSender } from './transport';

export class UContactLoginError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UContactLoginError';
	}
}

const REUSE_LOGIN_MS = 10000;
// Keyed by the credential object: n8n gives every request of one run the same one.
const recentLogins = new WeakMap<object, { at: number; login: Promise<IDataObject> }>();
// Logins really sent per credential object, so a refused token's message can say whether n8n
// logged in again or reused the token of a login moments before.
const loginCounts = new WeakMap<object, number>();

/** How many times the requests sharing this credential object have logged in. */
export function loginCount(credentials: ICredentialDataDecryptedObject): number {
	return loginCounts.get(credentials) ?? 0;
}

/** One getUserToken login, not shared: what the credential test runs. */
export async function logIn(
	send: FormSender,
	credentials: ICredentialDataDecryptedObject,
	baseUrl: string,
): Promise<IDataObject> {
	const user = typeof credentials.user === 'string' ? credentials.user.trim() : '';
	const password = typeof credentials.password === 'string' ? credentials.password : '';
	if (user === '' || password === '') {
		throw new UContactLoginError('User and password are both required to log in to uContact');
	}
	loginCounts.set(credentials, loginCount(credentials) + 1);
	const answer = await requestUserToken(send, {
		baseUrl,
		user,
		password,
		skipSslCertificateValidation: skipsCertificateCheck(credentials),
	});
	if (!answer.ok) {
		throw new UContactLoginError(
			describeLoginFailure(answer.status, answer.code, baseUrl, answer.location),
		);
	}
	const sessionToken = tokenFromLoginAnswer(answer.body, user);
	if (sessionToken === undefined) {
		// The answer is quoted, and a page that echoes the request would hold the password.
		const { message } = redactSecrets(
			{ message: describeLoginAnswer(answer.body, baseUrl, isRefusedLogin(answer.body)) },
			[password],
		);
		throw new UContactLoginError(message);
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
	const login = logIn(httpRequestSender(helper), credentials, baseUrl);
	recentLogins.set(credentials, { at: Date.now(), login });
	return await login;
}
