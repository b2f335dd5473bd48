/** What the node and the credential both read from a uContact credential's data. */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'uContactApi';

export function usesLogin(credentials: ICredentialDataDecryptedObject): boolean {
	return credentials.authentication === 'userPassword';
}

export function skipsCertificateCheck(credentials: ICredentialDataDecryptedObject): boolean {
	return credentials.server === 'custom' && credentials.ignoreSslIssues === true;
}

/** The token sent as "Authorization: Basic TOKEN", exactly as given or as obtained at login. */
export function activeToken(credentials: ICredentialDataDecryptedObject): string {
	const token = usesLogin(credentials) ? credentials.sessionToken : credentials.token;
	return typeof token === 'string' ? token.trim() : '';
}

/** Everything in the credential that must never be shown: masked out of every message. */
export function credentialSecrets(credentials: ICredentialDataDecryptedObject): unknown[] {
	return [credentials.token, credentials.password, credentials.sessionToken];
}

/** The Authorization header uContact reads: the token as issued, never re-encoded. */
export function basicAuthorization(token: string): string {
	return `Basic ${token}`;
}

/**
 * The Authorization header for this credential: a portal API token goes as Bearer (uContact's
 * "API Token" page), a getUserToken token as Basic.
 */
export function authorizationFor(
	credentials: ICredentialDataDecryptedObject,
	token: string,
): string {
	return credentials.authentication === 'apiToken' ? `Bearer ${token}` : basicAuthorization(token);
}

/** A uContact endpoint below the server's base URL (serverAddress.ts decides that URL). */
export function endpointUrl(baseUrl: string, path: string): string {
	return `${baseUrl}${path}`;
}
