/**
 * "Test" for the trigger's credentials. They hold what uContact must send to n8n, so there is
 * nothing to call: the test checks locally that the values can work as HTTP credentials.
 */
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers a proxy or n8n itself sets or rewrites: a secret there would not arrive intact. */
const RESERVED = new Set([
	'host',
	'content-length',
	'content-type',
	'transfer-encoding',
	'connection',
]);
const MIN_SECRET = 16;

const ok = (message: string): INodeCredentialTestResult => ({ status: 'OK', message });
const error = (message: string): INodeCredentialTestResult => ({ status: 'Error', message });

export async function testHeaderSecret(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const name = String(credential.data?.headerName ?? '').trim();
	const secret = String(credential.data?.secret ?? '');
	if (!TOKEN.test(name)) return error(`Header Name "${name}" is not a valid HTTP header name`);
	if (RESERVED.has(name.toLowerCase()))
		return error(
			`Header Name "${name}" is set by HTTP itself; choose another, e.g. X-UContact-Secret`,
		);
	if (secret.length < MIN_SECRET)
		return error(`Secret has ${secret.length} characters; use at least ${MIN_SECRET}`);
	if (/[\r\n]/.test(secret) || secret !== secret.trim())
		return error('Secret cannot start or end with spaces or hold line breaks (HTTP drops them)');
	return ok('Checked locally (uContact is not contacted): requests must carry this header');
}

export async function testBasicAuth(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const user = String(credential.data?.user ?? '');
	const password = String(credential.data?.password ?? '');
	if (user === '') return error('User is empty');
	if (user.includes(':')) return error('User cannot contain ":" (Basic auth splits on it)');
	if (password === '') return error('Password is empty');
	return ok(
		'Checked locally (uContact is not contacted): requests must carry this user and password',
	);
}
