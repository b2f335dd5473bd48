/**
 * The n8n editor, for real: our packed package installed as a community node in n8n 2.x
 * (`n8n start`), driven in headless Chromium. A user signs in, finds "uContact Disposition"
 * in the node panel, sees its fields and icon, creates an On-Premise credential pointing at
 * the uContact simulator, gets a green credential test, then a red one with a wrong token.
 * In a saved workflow that never ran, the next node's input panel offers the node's output
 * schema (__schema__/v1.0.0.json) for mapping. A run from the editor shows items counted from 1
 * and a skipped repeat in minutes ago, in the output panel (issue 31, finding 7).
 * Screenshots land in docs/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { Locator, Page, Response } from 'playwright-core';

import { makeToken, startSimulator, type Simulator } from '../support/simulator/simulator';
import {
	launchBrowser,
	screenshotPath,
	signIn,
	stopwatch,
	type LaunchedBrowser,
} from './support/browser';
import { restPost, saveWorkflow, simulatorCredential } from './support/editor-rest';
import { startN8nWithPackage, type PackagedN8nServer } from './support/server';

const NODE_NAME = 'uContact Disposition';
const NODE_TYPE = 'n8n-nodes-ucontact.uContactDisposition';
const ICON_PATH = '/icons/n8n-nodes-ucontact/dist/icons/ucontact.svg';
const REQUIRED_FIELDS: Array<[label: string, name: string]> = [
	['Campaign', 'campaign'],
	['Agent', 'agent'],
	['Caller ID', 'callerid'],
	['Call GUID', 'guid'],
	['Disposition Level 1', 'l1'],
];
/** Shaped like a uContact token, but not one the simulator issued. */
const UNKNOWN_TOKEN = makeToken('intruder');
const REFUSED_TOKEN_MESSAGE =
	'uContact refused the credentials (HTTP 401): the token is wrong or has expired';
const NEXT_NODE = 'Edit Fields';
/** Words an ops person should not need in option labels and credential choices (issue 31). */
const OPTION_JARGON = /\b[1-5]\d\d\b|Retry-After|ISO 8601|getUserToken|Authorization|Basic TOKEN/;
const DISPOSITION_KEYS = [
	'campaign',
	'agent',
	'callerid',
	'guid',
	'l1',
	'l2',
	'l3',
	'd1',
	'd2',
	'comment',
	'schedule',
	'camptoreschedule',
	'tag',
];

interface JsonSchema {
	properties?: Record<string, JsonSchema>;
}

/** Every field path the shipped schema declares, nested ones included, as n8n's pills name them. */
function schemaPaths(schema: JsonSchema, prefix = ''): string[] {
	return Object.entries(schema.properties ?? {}).flatMap(([key, child]) => [
		`${prefix}.${key}`,
		...schemaPaths(child, `${prefix}.${key}`),
	]);
}
const SCHEMA = JSON.parse(
	readFileSync(join(__dirname, '../../nodes/UContactDisposition/__schema__/v1.0.0.json'), 'utf8'),
) as JsonSchema;

/** Manual Trigger -> uContact Disposition -> Edit Fields, never run. */
const NEVER_RUN_WORKFLOW = {
	name: 'uContact: schema preview',
	nodes: [
		{
			id: 'a1e0c2d4-0001-4f00-9000-000000000001',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'a1e0c2d4-0002-4f00-9000-000000000002',
			name: NODE_NAME,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [240, 0],
			parameters: {
				campaign: 'Ventas->',
				agent: 'jperez',
				callerid: '59899123456',
				guid: 'f9b7',
				l1: 'Venta',
			},
		},
		{
			id: 'a1e0c2d4-0003-4f00-9000-000000000003',
			name: NEXT_NODE,
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [480, 0],
			parameters: { assignments: { assignments: [] }, options: {} },
		},
	],
	connections: {
		Start: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] },
		[NODE_NAME]: { main: [[{ node: NEXT_NODE, type: 'main', index: 0 }]] },
	},
};

/** uContact nodes whose canvas subtitles must each say something short and true. */
const SUBTITLES: Array<[name: string, parameters: Record<string, unknown>, subtitle: string]> = [
	['Literal level', { l1: 'Venta' }, 'Disposition: Venta'],
	['Dragged level', { l1: '={{ $json.body.disposition }}' }, 'Record disposition'],
	['From input', { mappingMode: 'autoMapInputData', inputFieldPath: 'body' }, 'Fields from input'],
	// Issue 31, finding 2: a workflow saved with Dry Run on must not look like one that records.
	['Dry run', { l1: 'Venta', options: { dryRun: true } }, 'Dry run: nothing is sent'],
];
const SUBTITLE_WORKFLOW = {
	name: 'uContact: subtitles',
	nodes: SUBTITLES.map(([name, parameters], index) => ({
		id: `a1e0c2d4-0004-4f00-9000-00000000000${index}`,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [index * 240, 0],
		parameters,
	})),
	connections: {},
};

/** One node in Map Automatically with a Schedule Time Zone of "the workflow's", in a workflow set to Montevideo. */
const WORKFLOW_ZONE = 'America/Montevideo';
const AUTO_MAP_WORKFLOW = {
	name: 'uContact: Map Automatically',
	settings: { timezone: WORKFLOW_ZONE },
	nodes: [
		{
			id: 'a1e0c2d4-0005-4f00-9000-000000000001',
			name: NODE_NAME,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { mappingMode: 'autoMapInputData', options: { scheduleTimezone: 'workflow' } },
		},
	],
	connections: {},
};

/** The node as an AI tool (the type n8n's loader makes), saved in Map Automatically. */
const TOOL_NODE_NAME = 'uContact Disposition Tool';
const TOOL_WORKFLOW = {
	name: 'uContact: as a tool',
	nodes: [
		{
			id: 'a1e0c2d4-0006-4f00-9000-000000000001',
			name: TOOL_NODE_NAME,
			type: `${NODE_TYPE}Tool`,
			typeVersion: 1,
			position: [0, 0],
			parameters: { mappingMode: 'autoMapInputData' },
		},
	],
	connections: {},
};

/**
 * Three calls, the second a repeat of the first and the third without a Disposition Level 1, into
 * the node as added today (version 2: Skip Repeats on), going on after a failed item (issue 31,
 * finding 7: what the output says, counted from 1 and in a person's words).
 */
const OUTPUT_WORDS_NODE = 'Record dispositions';
const FROM_COLUMNS_NODE = 'Record from columns';
const outputWordsWorkflow = (credential: { id: string; name: string }) => ({
	name: 'uContact: output words',
	nodes: [
		{
			id: 'a1e0c2d4-0007-4f00-9000-000000000001',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'a1e0c2d4-0007-4f00-9000-000000000002',
			name: 'Finished calls',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [240, 0],
			parameters: {
				jsCode: [
					"return [{ guid: 'words-1', level: 'Venta' }, { guid: 'words-1', level: 'Venta' },",
					"  { guid: 'words-3', level: '' }].map((json) => ({ json }));",
				].join('\n'),
			},
		},
		{
			id: 'a1e0c2d4-0007-4f00-9000-000000000003',
			name: OUTPUT_WORDS_NODE,
			type: NODE_TYPE,
			typeVersion: 2,
			position: [480, 0],
			onError: 'continueRegularOutput',
			credentials: { uContactApi: credential },
			parameters: {
				campaign: 'Ventas->',
				agent: 'jperez',
				callerid: '59899123456',
				guid: '={{ $json.guid }}',
				l1: '={{ $json.level }}',
			},
		},
		{
			// The same calls in Map Automatically: they have no campaign column.
			id: 'a1e0c2d4-0007-4f00-9000-000000000004',
			name: FROM_COLUMNS_NODE,
			type: NODE_TYPE,
			typeVersion: 2,
			position: [480, 200],
			onError: 'continueRegularOutput',
			credentials: { uContactApi: credential },
			parameters: { mappingMode: 'autoMapInputData' },
		},
	],
	connections: {
		Start: { main: [[{ node: 'Finished calls', type: 'main', index: 0 }]] },
		'Finished calls': {
			main: [
				[
					{ node: OUTPUT_WORDS_NODE, type: 'main', index: 0 },
					{ node: FROM_COLUMNS_NODE, type: 'main', index: 0 },
				],
			],
		},
	},
});

/** A local port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
	const probe = createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address() as AddressInfo;
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	return port;
}

interface CredentialTestAnswer {
	data?: { status?: string; message?: string };
}

/** The parts of DOM elements used in page functions (tsconfig has no DOM library). */
interface ImageLike {
	offsetWidth: number;
	complete: boolean;
	naturalWidth: number;
	getAttribute(name: string): string | null;
}
interface ParentLike {
	querySelectorAll(selector: string): Iterable<unknown>;
}

/** What the visible <img>s show: their src, whether loading ended, and their pixel width. */
async function iconState(
	images: Locator,
): Promise<Array<{ src: string; complete: boolean; width: number }>> {
	return await images.evaluateAll((nodes) =>
		nodes
			.map((node) => node as unknown as ImageLike)
			.filter((img) => img.offsetWidth > 0)
			.map((img) => ({
				src: img.getAttribute('src') ?? '',
				complete: img.complete,
				width: img.naturalWidth,
			})),
	);
}

/** Our icon, loaded from the package with real pixels: not a broken image or n8n's fallback icon. */
async function expectIconLoaded(scope: Locator): Promise<void> {
	const images = scope.locator('img[src*="ucontact"]');
	await images.first().waitFor();
	// An <img> is "complete" once loaded or failed; naturalWidth then tells the two apart.
	await scope
		.page()
		.waitForFunction(
			(root) =>
				Array.from((root as unknown as ParentLike).querySelectorAll('img[src*="ucontact"]')).every(
					(img) => (img as ImageLike).complete,
				),
			await scope.elementHandle(),
		);
	const icons = await iconState(images);
	expect(icons.length).toBeGreaterThan(0);
	for (const icon of icons) {
		expect(icon).toEqual({ src: ICON_PATH, complete: true, width: 64 });
	}
}

function isCredentialTest(response: Response): boolean {
	return (
		response.url().endsWith('/rest/credentials/test') && response.request().method() === 'POST'
	);
}

/** Opens the credential dialog from the node: the empty slot, or "Create new credential" in the picker. */
async function openNewCredentialFromNode(page: Page): Promise<Locator> {
	const emptySlot = page.getByTestId('node-credentials-empty-state');
	const picker = page.getByTestId('node-credentials-select');
	await emptySlot.or(picker).first().waitFor();
	if (await emptySlot.isVisible()) {
		await emptySlot.click();
	} else {
		await picker.click();
		await page
			.getByTestId('node-credentials-select-item-new')
			.filter({ visible: true })
			.first()
			.click();
	}
	const modal = page.getByTestId('editCredential-modal');
	await modal.waitFor();
	return modal;
}

async function chooseOption(
	page: Page,
	modal: Locator,
	parameter: string,
	option: string,
): Promise<void> {
	await modal.getByTestId(`parameter-input-${parameter}`).click();
	await page.getByRole('option').filter({ visible: true }).filter({ hasText: option }).click();
	await modal.getByTestId(`parameter-input-${parameter}`).locator('input').first().waitFor();
}

/**
 * Narrows the output panel to the items holding `words` (n8n's own search: the list is virtual,
 * so an item further down is not on the page until searched or scrolled to) and waits for `shown`.
 */
async function outputSaying(
	page: Page,
	output: Locator,
	words: string,
	shown: RegExp,
): Promise<Locator> {
	await output.getByTestId('ndv-search').click();
	await page.keyboard.press('ControlOrMeta+A');
	await page.keyboard.type(words);
	const found = output.getByText(shown).first();
	await found.waitFor();
	return found;
}

describe('n8n editor with the packed n8n-nodes-ucontact (n8n 2.x, headless Chromium)', () => {
	const clock = stopwatch('editor e2e');
	let simulator: Simulator;
	let server: PackagedN8nServer;
	let browser: LaunchedBrowser;
	let page: Page;
	let credentialModal: Locator;

	beforeAll(
		async () => {
			simulator = await startSimulator();
			server = await startN8nWithPackage('n8n-2');
			clock.step(
				`build, pack, install and start n8n (ready after ${(server.readyMs / 1000).toFixed(1)} s)`,
			);
			browser = await launchBrowser();
			page = browser.page;
			await signIn(page, server);
			clock.step('launch Chromium and sign in');
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		await browser?.close();
		const chromiumPeak = browser?.peakMemoryMiB();
		const n8nPeak = await server?.stop();
		await simulator?.close();
		clock.step('close Chromium, stop n8n');
		clock.print(
			`peak memory n8n ${n8nPeak ?? '?'} MiB, Chromium ${chromiumPeak ?? '?'} MiB (PSS); ` +
				`blocked non-local requests from the page: ${browser ? browser.blocked.length : '?'}` +
				(browser && browser.blocked.length > 0
					? ` (${[...new Set(browser.blocked)].join(', ')})`
					: ''),
		);
	}, 60 * 1000);

	it('finds uContact Disposition in the node panel, with its icon', async () => {
		await page.goto(`${server.url}/workflow/new`);
		await page.getByTestId('canvas-add-button').click();
		const creator = page.getByTestId('node-creator');
		await creator.getByTestId('node-creator-search-bar').fill('uContact');
		const item = creator.getByTestId('node-creator-node-item').filter({ hasText: NODE_NAME });
		await item.waitFor();
		const names = (await creator.getByTestId('node-creator-item-name').allTextContents()).map(
			(name) => name.trim(),
		);
		// The package's uContact Trigger is listed too: n8n shows a trigger without the word "Trigger".
		expect(names.sort()).toEqual(['uContact', NODE_NAME]);
		expect(await item.getByTestId('node-creator-item-description').textContent()).toMatch(
			/^Record the disposition \(outcome\) of a finished uContact call/,
		);
		await expect(creator.locator(`[data-keyboard-nav-id^="${NODE_TYPE}-"]`).count()).resolves.toBe(
			1,
		);
		await expectIconLoaded(item);
		await page.screenshot({ path: screenshotPath('node-panel-search') });
		// uContact's own word for a disposition finds it too, typed with or without the accent, and
		// so do a contact center's other words for it (issue 31, finding 8).
		const search = creator.getByTestId('node-creator-search-bar');
		for (const term of ['tipificación', 'tipificacion', 'wrap up', 'call outcome', 'llamada']) {
			await search.fill('no node is called this');
			await item.waitFor({ state: 'detached' });
			await search.fill(term);
			await item.waitFor();
		}
		await search.fill('uContact');
		await item.waitFor();
		clock.step('node panel: search "uContact", "tipificación", "tipificacion", "wrap up", ...');
	});

	it('adds the node and shows its fields', async () => {
		const creator = page.getByTestId('node-creator');
		await creator.getByTestId('node-creator-node-item').filter({ hasText: NODE_NAME }).click();
		// A community node opens its details first (Installed, Via npm) with "Add to workflow".
		await creator.getByRole('button', { name: 'Add to workflow' }).click();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		const parameters = ndv.getByTestId('node-parameters');
		for (const [label, name] of REQUIRED_FIELDS) {
			await parameters.getByTestId(`parameter-input-${name}`).waitFor();
			await parameters.getByText(label, { exact: true }).waitFor();
		}
		await parameters.getByText('Additional Fields', { exact: true }).waitFor();
		await parameters.getByText('Options', { exact: true }).waitFor();
		// A fresh node says which fields are required (n8n draws no marks here), and what
		// switching the mode does; Campaign shows the direction mark uContact needs.
		await parameters
			.getByText(/^Campaign, Agent, Caller ID, Call GUID and Disposition Level 1 are required/)
			.waitFor();
		await parameters
			.getByText(
				'Switching Mapping Mode to Map Automatically clears every field below, and Undo does not bring them back',
			)
			.waitFor();
		expect(
			await parameters
				.getByTestId('parameter-input-campaign')
				.locator('input')
				.getAttribute('placeholder'),
		).toBe('e.g. Ventas->');
		await parameters.getByText(/^With its direction mark, as in uContact: Ventas->/).waitFor();
		await ndv.getByText(NODE_NAME, { exact: true }).filter({ visible: true }).first().waitFor();
		// The header and the credential slot both show our icon.
		await expectIconLoaded(ndv);
		await page.screenshot({ path: screenshotPath('node-parameters') });
		// Callback Dialer is named like a campaign, direction mark included, and says so.
		// The first "Add Field" list is Additional Fields' (Options comes after it).
		await parameters.getByTestId('collection-parameter-add').first().click();
		await page
			.getByTestId('collection-parameter-option')
			.filter({ visible: true })
			.filter({ hasText: 'Callback Dialer' })
			.click();
		const dialer = parameters.getByTestId('parameter-input-camptoreschedule');
		await dialer.waitFor();
		expect(await dialer.locator('input').getAttribute('placeholder')).toBe('e.g. Ventas->');
		await parameters
			.getByText('Its name as in uContact, direction mark included, like a campaign')
			.waitFor();
		// Extra Data says what is known of where it shows in uContact (issue 31, finding 7).
		await parameters.getByTestId('collection-parameter-add').first().click();
		await page
			.getByTestId('collection-parameter-option')
			.filter({ visible: true })
			.filter({ hasText: 'Extra Data 1' })
			.click();
		await parameters.getByTestId('parameter-input-d1').waitFor();
		// n8n shows a field's description in a tooltip, from the (?) its label shows on hover.
		const extraData = parameters
			.getByTestId('parameter-item')
			.filter({ has: page.getByTestId('parameter-input-d1') })
			// The innermost: Additional Fields' own item holds it too.
			.last();
		await extraData.getByTestId('input-label').hover();
		await extraData.locator('[data-icon="circle-help"]').hover();
		await page
			.getByText(
				/^Extra data stored with the disposition \(uContact's d1\)\. uContact's API documentation does not say where it shows in uContact/,
			)
			.filter({ visible: true })
			.first()
			.waitFor();
		await page.screenshot({ path: screenshotPath('extra-data-description') });
		// Options speak an ops person's words, with labels the list does not cut (issue 31,
		// finding 5: "Resend Uncertain Items on Re…" and HTTP codes were there).
		await parameters.getByTestId('collection-parameter-add').last().click();
		const optionList = page.getByTestId('collection-parameter-option').filter({ visible: true });
		await optionList.filter({ hasText: 'Skip Repeats' }).waitFor();
		const labels = (await optionList.allTextContents()).map((label) => label.trim());
		expect(labels).toEqual(
			// A version 2 node offers Skip Window before Skip Repeats is added: it is on unless turned off.
			expect.arrayContaining([
				'Concurrency',
				'Dry Run',
				'Resend Uncertain Items',
				'Skip Repeats',
				'Skip Window (Hours)',
			]),
		);
		for (const label of labels) expect(label).not.toMatch(OPTION_JARGON);
		const cut = await optionList.evaluateAll((elements) =>
			elements
				.filter((element) =>
					[element, ...element.querySelectorAll('*')].some(
						(part) => part.scrollWidth > part.clientWidth + 1,
					),
				)
				.map((element) => element.textContent?.trim()),
		);
		expect(cut).toEqual([]);
		await page.screenshot({ path: screenshotPath('options-list') });
		// A node added now is version 2: Skip Repeats comes on, with its window.
		await optionList.filter({ hasText: 'Skip Repeats' }).click();
		const skip = parameters.getByTestId('parameter-input-skipRecorded');
		await skip.waitFor();
		const switchedOn = await skip.evaluate((element) => {
			const toggle = element.querySelector('[role="switch"]');
			if (toggle !== null) return toggle.getAttribute('aria-checked');
			const drawn = element.querySelector('.el-switch');
			return drawn === null ? 'no switch' : String(drawn.classList.contains('is-checked'));
		});
		expect(switchedOn).toBe('true');
		clock.step('add the node, check its fields, options and icon');
	});

	it('creates an On-Premise credential; its test reaches uContact and succeeds', async () => {
		credentialModal = await openNewCredentialFromNode(page);
		await credentialModal.getByText('uContact API').first().waitFor();
		await expectIconLoaded(credentialModal);
		await chooseOption(page, credentialModal, 'server', 'On-Premise / Custom URL');
		// The ways to sign in say what to paste, not which header carries it (issue 31, finding 6).
		await credentialModal.getByTestId('parameter-input-authentication').click();
		const ways = page.getByRole('option').filter({ visible: true });
		await ways.filter({ hasText: /^\s*User and Password/ }).waitFor();
		const wayTexts = (await ways.allTextContents()).map((text) => text.trim());
		expect(wayTexts).toHaveLength(3);
		for (const text of wayTexts) expect(text).not.toMatch(OPTION_JARGON);
		await page.screenshot({ path: screenshotPath('credential-ways') });
		await ways.filter({ hasText: 'A token uContact issued for API access' }).click();
		await credentialModal
			.getByTestId('parameter-input-baseUrl')
			.locator('input')
			.fill(simulator.url);
		await credentialModal
			.getByTestId('parameter-input-token')
			.locator('input')
			.fill(simulator.token);
		expect(await credentialModal.getByTestId('parameter-input-instance').count()).toBe(0);

		simulator.reset();
		const tested = page.waitForResponse(isCredentialTest);
		await credentialModal.getByTestId('credential-save-button').click();
		const answer = (await (await tested).json()) as CredentialTestAnswer;
		expect(answer.data).toEqual({ status: 'OK', message: 'Connection successful!' });

		// The credential test is a DispositionCall with every key empty, with our token.
		const calls = simulator.requests.filter((request) => request.endpoint === 'DispositionCall');
		expect(calls.length).toBeGreaterThanOrEqual(1);
		expect(calls[0]).toMatchObject({ method: 'POST', auth: 'ok', status: 200, problems: [] });
		expect(calls[0].headers.authorization).toBe(`Basic ${simulator.token}`);
		expect(Object.values(calls[0].fields).every((value) => value === '')).toBe(true);
		expect(Object.keys(calls[0].fields)).toHaveLength(13);

		// Created from the node, n8n 2.x closes the dialog once the test passes; reopen it to see
		// the result (opening an existing credential tests it again).
		const success = credentialModal.getByTestId('credentials-config-container-test-success');
		await success.or(page.getByTestId('node-credentials-select')).first().waitFor();
		if (!(await credentialModal.isVisible())) {
			const retested = page.waitForResponse(isCredentialTest);
			await page.getByTestId('credential-edit-button').click();
			await credentialModal.waitFor();
			expect(((await (await retested).json()) as CredentialTestAnswer).data?.status).toBe('OK');
		}
		await success.filter({ hasText: 'Connection tested successfully' }).waitFor();
		await page.screenshot({ path: screenshotPath('credential-success') });
		clock.step('credential: On-Premise, save, test OK');
	});

	it("a wrong token fails the credential test with the node's message", async () => {
		simulator.reset();
		await credentialModal.getByTestId('parameter-input-token').locator('input').fill(UNKNOWN_TOKEN);
		const tested = page.waitForResponse(isCredentialTest);
		await credentialModal.getByTestId('credential-save-button').click();
		const answer = (await (await tested).json()) as CredentialTestAnswer;
		expect(answer.data?.status).toBe('Error');
		expect(answer.data?.message).toContain(REFUSED_TOKEN_MESSAGE);

		const calls = simulator.requests.filter((request) => request.endpoint === 'DispositionCall');
		expect(calls.length).toBeGreaterThanOrEqual(1);
		expect(calls[0]).toMatchObject({ auth: 'unknown', status: 401 });
		expect(calls[0].headers.authorization).toBe(`Basic ${UNKNOWN_TOKEN}`);

		// The banner says it failed; "More details" shows our message.
		const banner = credentialModal.getByText(/Couldn.t connect with these settings/);
		await banner.waitFor();
		await credentialModal.getByText('More details').click();
		await credentialModal
			.getByText(REFUSED_TOKEN_MESSAGE)
			.or(page.getByText(REFUSED_TOKEN_MESSAGE))
			.first()
			.waitFor();
		await page.screenshot({ path: screenshotPath('credential-failure') });
		clock.step('credential: wrong token, test fails');
	});

	it('an address nothing answers on fails the credential test, naming the address it tried', async () => {
		const address = `http://127.0.0.1:${await closedPort()}`;
		await credentialModal.getByTestId('parameter-input-baseUrl').locator('input').fill(address);
		await credentialModal
			.getByTestId('parameter-input-token')
			.locator('input')
			.fill(simulator.token);
		const tested = page.waitForResponse(isCredentialTest);
		await credentialModal.getByTestId('credential-save-button').click();
		const answer = (await (await tested).json()) as CredentialTestAnswer;
		expect(answer.data?.status).toBe('Error');
		// The node's words, not a bare ECONNREFUSED.
		const message = `Could not connect to uContact at ${address} (connection refused). Check the base URL and port`;
		expect(answer.data?.message).toContain(message);
		await credentialModal.getByText(/Couldn.t connect with these settings/).waitFor();
		clock.step('credential: closed port, test fails naming the address');
	});

	it('Map Automatically lists the names it takes and where; the time zone list says which zone is used', async () => {
		await page.keyboard.press('Escape');
		const saved = await saveWorkflow(page, server.url, AUTO_MAP_WORKFLOW);
		await page.goto(`${server.url}/workflow/${saved.id}`);
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${NODE_NAME}"]`).dblclick();
		const parameters = page.getByTestId('ndv').getByTestId('node-parameters');
		await parameters
			.getByText(
				/^Each input item needs campaign, agent, callerid, guid and l1, and may have l2, l3/,
			)
			.waitFor();
		await parameters.getByTestId('parameter-input-inputFieldPath').waitFor();
		await parameters
			.getByText(
				"Where the fields are in each item: body for a Webhook's payload; empty for the item itself",
			)
			.waitFor();
		// The Define Below fields are gone in this mode.
		expect(await parameters.getByTestId('parameter-input-campaign').count()).toBe(0);
		const zone = parameters
			.getByTestId('parameter-input-scheduleTimezone')
			.locator('input')
			.first();
		// The list comes from the node's loadOptions, which n8n runs without the workflow's
		// settings: it can name n8n's default zone (this server's, America/New_York), not the
		// workflow's own; the label must not claim more. The selected label shows once loaded.
		const wanted = 'Workflow Time Zone (default America/New_York)';
		let shown = '';
		for (
			const deadline = Date.now() + 15_000;
			Date.now() < deadline && shown !== wanted;
			await page.waitForTimeout(250)
		)
			shown = await zone.inputValue();
		expect(shown).toBe(wanted);
		await page.screenshot({ path: screenshotPath('map-automatically') });
		await page.keyboard.press('Escape');
		clock.step('Map Automatically: notice, Input Field Path, time zone label');
	});

	it('as an AI tool, Mapping Mode is not offered and the fields the model fills are shown', async () => {
		const saved = await saveWorkflow(page, server.url, TOOL_WORKFLOW);
		await page.goto(`${server.url}/workflow/${saved.id}`);
		await page
			.locator(`[data-test-id="canvas-node"][data-node-name="${TOOL_NODE_NAME}"]`)
			.dblclick();
		const parameters = page.getByTestId('ndv').getByTestId('node-parameters');
		for (const [, name] of REQUIRED_FIELDS)
			await parameters.getByTestId(`parameter-input-${name}`).waitFor();
		expect(await parameters.getByTestId('parameter-input-mappingMode').count()).toBe(0);
		expect(await parameters.getByTestId('parameter-input-inputFieldPath').count()).toBe(0);
		await page.screenshot({ path: screenshotPath('tool-no-mapping-mode') });
		await page.keyboard.press('Escape');
		clock.step('as a tool: no Mapping Mode');
	});

	it('the canvas subtitle stays short and true for a literal level, a dragged one, Map Automatically and a Dry Run', async () => {
		const saved = await saveWorkflow(page, server.url, SUBTITLE_WORKFLOW);
		await page.goto(`${server.url}/workflow/${saved.id}`);
		for (const [name, , subtitle] of SUBTITLES) {
			const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
			await node.waitFor();
			await node.getByText(subtitle, { exact: true }).waitFor();
		}
		await page.screenshot({ path: screenshotPath('canvas-subtitles') });
		clock.step('canvas subtitles');
	});

	it("before the first run, the next node's input panel offers the node's output schema", async () => {
		const schemaRequest = page.waitForResponse((response) =>
			response.url().includes(`/schemas/${NODE_TYPE}/1.0.0.json`),
		);
		const saved = await saveWorkflow(page, server.url, NEVER_RUN_WORKFLOW);
		await page.goto(`${server.url}/workflow/${saved.id}`);
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${NEXT_NODE}"]`).dblclick();
		const input = page.getByTestId('ndv-input-panel');
		await input.waitFor();
		expect((await schemaRequest).status()).toBe(200);
		// n8n marks fields that come from a schema, not from run data, with this notice.
		await input.getByTestId('schema-preview-warning').waitFor();
		const header = input.getByTestId('run-data-schema-header').filter({ hasText: NODE_NAME });
		await header.filter({ hasText: 'Preview' }).waitFor();
		// Each field is a pill the user drags into a parameter; it carries the expression it maps to.
		const pills = input.locator('[data-test-id="run-data-schema-node-name"][data-path]');
		await pills.first().waitFor();
		const fields = await pills.evaluateAll((nodes) =>
			nodes.map((node) => {
				const element = node as unknown as {
					getAttribute(name: string): string | null;
					className: string;
				};
				return {
					path: element.getAttribute('data-path'),
					value: element.getAttribute('data-value'),
					preview: element.className.includes('pill--preview'),
				};
			}),
		);
		// The list is virtual: its rows are in the DOM in no particular order.
		const expected = schemaPaths(SCHEMA);
		// The schema itself must still declare the 13 keys the node sends.
		expect(expected).toEqual(
			expect.arrayContaining(DISPOSITION_KEYS.map((key) => `.disposition.${key}`)),
		);
		expect(fields.map((field) => field.path).sort()).toEqual(expected.sort());
		expect(fields.every((field) => field.preview)).toBe(true);
		expect(fields.find((field) => field.path === '.disposition.guid')?.value).toBe(
			'{{ $json.disposition.guid }}',
		);
		await page.screenshot({ path: screenshotPath('input-panel-schema-preview') });
		clock.step('schema preview in the next node before a run');
	});
	it('the output counts items from 1 and says how long ago a repeat was recorded, not when in UTC', async () => {
		simulator.reset();
		const credential = await restPost<{ id: string; name: string }>(
			page,
			server.url,
			'credentials',
			simulatorCredential(simulator, 'uContact simulator (output words)'),
		);
		const saved = await saveWorkflow(page, server.url, outputWordsWorkflow(credential));
		await page.goto(`${server.url}/workflow/${saved.id}`);
		const node = page.locator(
			`[data-test-id="canvas-node"][data-node-name="${OUTPUT_WORDS_NODE}"]`,
		);
		const output = page.getByTestId('output-panel');

		// First run: the repeat names the first call as item 1, the refusal names the third as item 3.
		await page.getByTestId('execute-workflow-button').click();
		await node.dblclick();
		// The JSON view: every field of every item, none cut off by the table's width.
		await output
			.getByTestId('ndv-run-data-display-mode')
			.getByText('JSON', { exact: true })
			.click();
		await outputSaying(page, output, 'Recorded by item', /Recorded by item 1 of this run/);
		await page.screenshot({ path: screenshotPath('output-words-first-run') });
		await outputSaying(
			page,
			output,
			'item 3',
			/Disposition Level 1 \(l1\) is required but empty \(item 3\)/,
		);
		expect(simulator.dispositions.map((request) => request.fields.guid)).toEqual(['words-1']);
		await page.getByTestId('ndv-close-button').click();
		// Map Automatically without a campaign column names the way out.
		await page
			.locator(`[data-test-id="canvas-node"][data-node-name="${FROM_COLUMNS_NODE}"]`)
			.dblclick();
		await output
			.getByTestId('ndv-run-data-display-mode')
			.getByText('JSON', { exact: true })
			.click();
		await outputSaying(
			page,
			output,
			'Define Below',
			/Campaign \(campaign\) was not found in the item, which has: guid, level; name a column campaign or \\?"Campaign\\?", or set Mapping Mode to Define Below/,
		);
		await page.screenshot({ path: screenshotPath('output-words-map-automatically') });
		await page.getByTestId('ndv-close-button').click();

		// Second run: the call recorded by the first execution is skipped, saying how long ago.
		await page.getByTestId('execute-workflow-button').click();
		await node.dblclick();
		const hint = await outputSaying(
			page,
			output,
			'Recorded by execution',
			/Recorded by execution \d+, less than a minute ago/,
		);
		expect(await hint.textContent()).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d|UTC/);
		expect(simulator.dispositions).toHaveLength(1);
		await page.screenshot({ path: screenshotPath('output-words-repeat') });
		await page.getByTestId('ndv-close-button').click();
		clock.step('output words: items from 1, a repeat in minutes');
	});
});
