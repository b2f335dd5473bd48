/**
 * Issue 31, findings 5 and 6: the options and the credential's choices in an ops person's words.
 * Labels short enough not to be cut in the editor, descriptions without HTTP codes or header names
 * (the exact rules are in the docs they link to), Skip Window offered only with Skip Repeats, and
 * a wrong password that says what to do. Parameter names are unchanged: saved workflows keep working.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { UContactApi } from '../../credentials/UContactApi.credentials';
import { UContactDisposition } from '../../nodes/UContactDisposition/UContactDisposition.node';
import { OPTIONS } from '../../nodes/UContactDisposition/input/options';
import { collectionOptionShown } from '../support/editorView';
import { call, loginCredentials, runDisposition, testCredential } from '../support/runDisposition';
import { startSimulator, type Simulator } from '../support/simulator/simulator';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const options = new UContactDisposition().description.properties.find(
	(property) => property.name === 'options',
)?.options as INodeProperties[];
const optionNamed = (name: string) => options.find((option) => option.name === name);

// "Skip Already Recorded Dispos…" and "Resend Uncertain Items on Re…" were cut at 28 characters.
const LONGEST_UNCUT = 24;
// n8n's lint wants a list loaded from the node to end in "Name or ID".
const DYNAMIC = 'scheduleTimezone';
// Words an ops person should not need: status codes, header names, n8n's internals.
const JARGON =
	/\b[1-5]\d\d\b|Retry-After|Read once|ISO 8601|getUserToken|Authorization|Basic TOKEN/;

describe('the Options', () => {
	it.each(options.map((option) => [option.name, option]))(
		'%s: a label short enough, a description without jargon',
		(name, option) => {
			if (name !== DYNAMIC) expect(option.displayName.length).toBeLessThanOrEqual(LONGEST_UNCUT);
			const descriptions = [
				option.description ?? '',
				...((option as { options?: Array<{ values?: INodeProperties[] }> }).options ?? []).flatMap(
					(group) => (group.values ?? []).map((value) => value.description ?? ''),
				),
			];
			for (const description of descriptions) expect(description).not.toMatch(JARGON);
		},
	);

	it('keeps the parameter names saved workflows hold', () => {
		expect(options.map((option) => option.name).sort()).toEqual(
			[
				'batching',
				'concurrency',
				'dryRun',
				'maxRetryWait',
				'resendUncertainOnRetry',
				'safeRetries',
				'scheduleTimezone',
				'skipRecorded',
				'skipWindowHours',
				'timeout',
			].sort(),
		);
	});

	it('names each option in messages as the editor labels it', () => {
		for (const spec of Object.values(OPTIONS)) {
			const last = spec.label.split(' > ').pop() as string;
			const labels = options.flatMap((option) => [
				option.displayName,
				...((option as { options?: Array<{ values?: INodeProperties[] }> }).options ?? []).flatMap(
					(group) => (group.values ?? []).map((value) => value.displayName),
				),
			]);
			expect(labels.some((label) => label === last || label.startsWith(`${last} `))).toBe(true);
		}
	});

	it('the retry options link to the docs that hold the exact rules', () => {
		for (const name of ['safeRetries', 'maxRetryWait', 'resendUncertainOnRetry'])
			expect(optionNamed(name)?.description).toContain(
				'https://github.com/n8n-nodes-ucontact/n8n-nodes-ucontact/blob/main/docs/retrying.md',
			);
	});

	it('offers Skip Window only with Skip Repeats on (or set by an expression)', () => {
		expect(collectionOptionShown({ options: {} }, 'options', 'skipWindowHours')).toBe(false);
		expect(
			collectionOptionShown({ options: { skipRecorded: false } }, 'options', 'skipWindowHours'),
		).toBe(false);
		expect(
			collectionOptionShown({ options: { skipRecorded: true } }, 'options', 'skipWindowHours'),
		).toBe(true);
		expect(
			collectionOptionShown(
				{ options: { skipRecorded: '={{ $json.again }}' } },
				'options',
				'skipWindowHours',
			),
		).toBe(true);
	});
});

describe('the credential', () => {
	const authentication = new UContactApi().properties.find(
		(property) => property.name === 'authentication',
	);

	it('describes its choices without header names or endpoint names', () => {
		for (const choice of authentication?.options as INodePropertyOptions[])
			expect(choice.description ?? '').not.toMatch(JARGON);
	});

	it('a wrong password says what to do, in a run and in the credential test', async () => {
		const wrong = loginCredentials(sim, { password: 'not-the-password' });
		const advice =
			'Check User and Password in the uContact credential: log in to uContact with them to be sure, and correct them there, or choose Token if you have one';
		const result = await runDisposition({ items: [call(0)], credentials: wrong });
		expect(result.error?.message).toContain(advice);
		const test = await testCredential(wrong);
		expect(test.message).toContain(advice);
		expect(sim.dispositions).toHaveLength(0);
	});
});
