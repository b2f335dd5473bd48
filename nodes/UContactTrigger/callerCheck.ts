/**
 * Who may start the workflow: checked before anything else, so a refused request starts no
 * execution. The answers follow n8n's Webhook node (missing credentials 401, wrong ones 403), and
 * secrets are compared in constant time and never echoed.
 */
import { createHash, timingSafeEqual } from 'crypto';
import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

// The node's description names them as literals too: n8n's lint reads them from there.
export const HEADER_CREDENTIAL = 'uContactTriggerHeaderApi';
export const BASIC_CREDENTIAL = 'uContactTriggerBasicApi';

export interface Refusal {
	status: number;
	message: string;
	headers?: Record<string, string>;
}

/** Hashing first makes the comparison constant-time whatever the lengths. */
function sameSecret(given: string, expected: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(given), digest(expected));
}

async function credential(
	context: IWebhookFunctions,
	type: string,
): Promise<ICredentialDataDecryptedObject | null> {
	try {
		return await context.getCredentials<ICredentialDataDecryptedObject>(type);
	} catch {
		// n8n throws when the node has no credential of that type set: answered as a set-up error below.
		return null;
	}
}

const NOT_SET_UP: Refusal = {
	status: 500,
	message: 'The uContact Trigger has no credential set for its Authentication',
};

async function checkHeader(context: IWebhookFunctions): Promise<Refusal | null> {
	const expected = await credential(context, HEADER_CREDENTIAL);
	const name = String(expected?.headerName ?? '')
		.trim()
		.toLowerCase();
	const secret = String(expected?.secret ?? '');
	if (name === '' || secret === '') return NOT_SET_UP;
	const given = context.getHeaderData()[name];
	if (given === undefined) return { status: 401, message: 'Authorization is required' };
	if (typeof given !== 'string' || !sameSecret(given, secret))
		return { status: 403, message: 'Authorization data is wrong' };
	return null;
}

const BASIC_CHALLENGE = { 'WWW-Authenticate': 'Basic realm="uContact Trigger"' };

function basicPair(header: string | undefined): { user: string; password: string } | null {
	const match = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
	if (!match) return null;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return null;
	return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

async function checkBasic(context: IWebhookFunctions): Promise<Refusal | null> {
	const expected = await credential(context, BASIC_CREDENTIAL);
	const user = String(expected?.user ?? '');
	const password = String(expected?.password ?? '');
	if (user === '' || password === '') return NOT_SET_UP;
	const given = basicPair(context.getHeaderData().authorization);
	if (given === null)
		return { status: 401, message: 'Authorization is required', headers: BASIC_CHALLENGE };
	// Both compared, so the time taken does not tell which one was wrong.
	const userMatches = sameSecret(given.user, user);
	const passwordMatches = sameSecret(given.password, password);
	if (!userMatches || !passwordMatches)
		return { status: 403, message: 'Authorization data is wrong', headers: BASIC_CHALLENGE };
	return null;
}

/** null when the caller may go on; otherwise the answer to give. */
export async function checkCaller(context: IWebhookFunctions): Promise<Refusal | null> {
	const mode = context.getNodeParameter('authentication', 'none') as string;
	if (mode === 'headerAuth') return await checkHeader(context);
	if (mode === 'basicAuth') return await checkBasic(context);
	return null;
}
