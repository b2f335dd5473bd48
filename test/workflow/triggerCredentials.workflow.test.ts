/**
 * The uContact Trigger's credentials hold what uContact must send, so their "Test" checks the
 * values locally; run here the way n8n's credential tester finds it (the node's `testedBy`).
 */
import { UContactTriggerBasicApi } from '../../credentials/UContactTriggerBasicApi.credentials';
import { UContactTriggerHeaderApi } from '../../credentials/UContactTriggerHeaderApi.credentials';
import { UContactTrigger } from '../../nodes/UContactTrigger/UContactTrigger.node';
import { runCredentialTest } from '../support/harness';

const trigger = [new UContactTrigger()];
const header = (headerName: string, secret: string) =>
	runCredentialTest(new UContactTriggerHeaderApi(), { headerName, secret }, trigger);
const basic = (user: string, password: string) =>
	runCredentialTest(new UContactTriggerBasicApi(), { user, password }, trigger);

describe('uContact Trigger credential tests', () => {
	it.each([
		[
			'a good header and secret',
			'X-UContact-Secret',
			'a-secret-of-20-chars',
			'OK',
			/Checked locally/,
		],
		[
			'a header name with a space',
			'X UContact',
			'a-secret-of-20-chars',
			'Error',
			/not a valid HTTP header name/,
		],
		[
			'a header HTTP sets itself',
			'Content-Type',
			'a-secret-of-20-chars',
			'Error',
			/set by HTTP itself/,
		],
		['a short secret', 'X-UContact-Secret', 'short', 'Error', /5 characters; use at least 16/],
		[
			'a secret with a line break',
			'X-UContact-Secret',
			'a-secret-of\n-20-chars',
			'Error',
			/line breaks/,
		],
	])('Header Secret, %s', async (_, name, secret, status, message) => {
		const result = await header(name, secret);
		expect(result.status).toBe(status);
		expect(result.message).toMatch(message);
		expect(result.message).not.toContain(secret);
	});

	it.each([
		['a good user and password', 'ucontact', 'pass', 'OK', /Checked locally/],
		['a user with a colon', 'u:c', 'pass', 'Error', /cannot contain ":"/],
		['an empty password', 'ucontact', '', 'Error', /Password is empty/],
	])('Basic Auth, %s', async (_, user, password, status, message) => {
		const result = await basic(user, password);
		expect(result).toEqual({ status, message: expect.stringMatching(message) });
	});

	it('masks the secrets in the editor', () => {
		const masked = (properties: Array<{ name: string; typeOptions?: { password?: boolean } }>) =>
			properties.filter((property) => property.typeOptions?.password).map((p) => p.name);
		expect(masked(new UContactTriggerHeaderApi().properties)).toEqual(['secret']);
		expect(masked(new UContactTriggerBasicApi().properties)).toEqual(['password']);
	});
});
