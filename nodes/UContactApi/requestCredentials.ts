/**
 * A run's credential and the copies of it made for single requests. n8n writes into the copy a
 * request was sent with (pre-authentication after a 401), so the copy keeps the token that
 * request used, while the run's credential holds the newest one for the requests that follow.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

const runOfCopy = new WeakMap<object, ICredentialDataDecryptedObject>();

/** A copy of the run's credential for one request, linked to the run's. */
export function requestCopy(run: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	const copy = { ...run };
	runOfCopy.set(copy, run);
	return copy;
}

/** The run's credential behind a request's copy (or the credential itself). */
export function runCredential(
	credentials: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	return runOfCopy.get(credentials) ?? credentials;
}
