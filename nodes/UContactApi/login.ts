/**
 * Logging in with user and password (getUserToken), shared between the requests of a run.
 *
 * Each request gets its own copy of the run's credential (see UContactSession), so when n8n
 * pre-authenticates a request after a 401, the copy still holds the token that request sent.
 * That tells a stale token (another request already logged in again: use its token) from an
 * expired fresh one (log in again). Requests in flight that meet the same expired token share one
 * login. A refused login is kept for the run and never sent again (repeated failed logins can
 * lock the uContact user); a login that failed in passing is forgotten at once, so the next
 * try, within the node's Safe Retries, logs in anew.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { ANSWER_CAP_BYTES } from './answerLimits';
import { isRefusedLogin, tokenFromLoginAnswer } from './api';
import { activeToken, credentialSecrets, skipsCertificateCheck } from './credential';
import { classify, UContactError } from './errorFacts';
import { describeLoginAnswer, describeLoginFailure } from './loginMessages';
import { answerQuoter, secretForms } from './redaction';
import { runCredential } from './requestCredentials';
import { cutQuoter } from './requestMessages';
import { httpRequestSender, requestUserToken, type FormSender } from './transport';

interface RunLogins {
	/** Logins really sent, so a refused token's message can say whether n8n logged in again. */
	count: number;
	/** The latest login: the token it replaced, and its outcome. */
	latest?: { replaces: string; token: Promise<string> };
	/** A refused login: final for the run. */
	refused?: Error;
}

// Keyed by the run's credential object.
const runs = new WeakMap<object, RunLogins>();

function loginsOf(credentials: ICredentialDataDecryptedObject): RunLogins {
	const run = runCredential(credentials);
	let logins = runs.get(run);
	if (logins === undefined) {
		logins = { count: 0 };
		runs.set(run, logins);
	}
	return logins;
}

/** How many times the requests of this run have logged in. */
export function loginCount(credentials: ICredentialDataDecryptedObject): number {
	return loginsOf(credentials).count;
}

/** One getUserToken login, not shared: what the credential test runs. */
export async function logIn(
	send: FormSender,
	credentials: ICredentialDataDecryptedObject,
	baseUrl: string,
): Promise<string> {
	const user = typeof credentials.user === 'string' ? credentials.user.trim() : '';
	const password = typeof credentials.password === 'string' ? credentials.password : '';
	if (user === '' || password === '') {
		throw new UContactError('User and password are both required to log in to uContact', {
			kind: 'configuration',
			step: 'login',
		});
	}
	loginsOf(credentials).count++;
	// The answer is quoted, and a page that echoes the request would hold the password.
	const quote = answerQuoter(secretForms(credentialSecrets(credentials), user));
	const answer = await requestUserToken(send, {
		baseUrl,
		user,
		password,
		skipSslCertificateValidation: skipsCertificateCheck(credentials),
	});
	if (!answer.ok) {
		const failure = classify(answer.error, 'login');
		// An answer too long to read whole is no token: it is told as the odd answer it is.
		const message =
			failure.cut === 'size'
				? `${describeLoginAnswer(failure.body, baseUrl, false, cutQuoter(quote))} (it answered more than ${ANSWER_CAP_BYTES} bytes, far more than a token, and was read no further)`
				: describeLoginFailure(failure, baseUrl, quote);
		throw new UContactError(message, failure);
	}
	const sessionToken = tokenFromLoginAnswer(answer.body, user);
	if (sessionToken === undefined) {
		const refused = isRefusedLogin(answer.body);
		throw new UContactError(describeLoginAnswer(answer.body, baseUrl, refused, quote), {
			kind: refused ? 'refused' : 'configuration',
			step: 'login',
		});
	}
	return sessionToken;
}

/**
 * The session token for one request (n8n's preAuthentication): the token another request of
 * the run already obtained in its place, or a new login. The token is put in the request's copy
 * and the run's credential; only the request that logged in returns it, so n8n stores it once.
 */
export async function sharedLogin(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	baseUrl: string,
): Promise<IDataObject> {
	const logins = loginsOf(credentials);
	if (logins.refused !== undefined) throw logins.refused;
	const stale = activeToken(credentials);
	const latest = logins.latest;
	if (latest !== undefined) {
		const shared = await latest.token.then(
			(token) => ({ ok: true as const, token }),
			(error: unknown) => ({ ok: false as const, error }),
		);
		// A login this request waited for failed: that is this request's failure too, retried (or
		// not) by its own Safe Retries, so requests in flight never turn one failure into many logins.
		if (!shared.ok) throw shared.error;
		if (shared.token !== stale) {
			credentials.sessionToken = shared.token;
			return {};
		}
	}
	// Another request may have started a login while this one waited.
	if (logins.latest !== latest && logins.latest !== undefined)
		return await sharedLogin(helper, credentials, baseUrl);
	const login = { replaces: stale, token: logIn(httpRequestSender(helper), credentials, baseUrl) };
	logins.latest = login;
	// Registered before the await below, so it has run by the time this request goes on.
	login.token.then(
		(token) => {
			runCredential(credentials).sessionToken = token;
		},
		(error: unknown) => {
			if (classify(error, 'login').kind === 'refused') logins.refused = error as Error;
			// Forgotten at once: the next try logs in anew instead of meeting this failure.
			else if (logins.latest === login) logins.latest = undefined;
		},
	);
	return { sessionToken: await login.token };
}
