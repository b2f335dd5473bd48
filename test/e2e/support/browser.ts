// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for editor tests.
// Only loopback addresses are reachable: every other request is aborted, in the browser and
// by Chromium's host resolver.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

import { ROOT } from './runtime';
import { pidsWithArgument, startMemorySampler } from './server';

export interface LaunchOptions {
	viewport?: { width: number; height: number };
	/** Default timeout of page actions and waits; default 30000 ms. */
	timeoutMs?: number;
}

export interface LaunchedBrowser {
	readonly context: BrowserContext;
	readonly page: Page;
	/** Non-local URLs the page tried to load (all aborted). */
	readonly blocked: string[];
	/** Uncaught exceptions in the page. */
	readonly errors: string[];
	readonly userDataDir: string;
	/** Peak memory (summed PSS) of all Chromium processes so far, in MiB (null without /proc). */
	peakMemoryMiB(): number | null;
	/** Closes Chromium and removes its profile. Safe to call twice. */
	close(): Promise<void>;
}

export interface Stopwatch {
	/** Records the time since the previous step (or the start) under `name`. */
	step(name: string): void;
	totalMs(): number;
	readonly steps: Array<{ name: string; ms: number }>;
	/** Writes the total and every step to stderr. */
	print(extra?: string): void;
}

export const CHROMIUM = process.env.UCONTACT_CHROMIUM || '/usr/bin/chromium';
/** Absolute path of docs/screenshots. */
export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

const ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
	'--no-first-run',
	'--disable-quic',
	// Belt and braces: names other than localhost do not resolve at all.
	'--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
];

function isLocal(url: string): boolean {
	try {
		const { protocol, hostname } = new URL(url);
		if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
		return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
	} catch {
		return false;
	}
}

/**
 * Launches Chromium with a fresh profile. Returns { context, page, blocked, errors, close() }:
 * `blocked` lists the non-local URLs the page tried to load (aborted), `errors` the page's
 * uncaught exceptions.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
	// n8n's test ids are data-test-id, not Playwright's default data-testid: getByTestId() reads them.
	selectors.setTestIdAttribute('data-test-id');
	if (!fs.existsSync(CHROMIUM))
		throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ucontact-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: ARGS,
		viewport: options.viewport ?? { width: 1440, height: 900 },
		deviceScaleFactor: 1,
		locale: 'en-US',
		timezoneId: 'UTC',
		serviceWorkers: 'block',
	});
	const blocked: string[] = [];
	const errors: string[] = [];
	await context.route('**/*', (route) => {
		const url = route.request().url();
		if (isLocal(url)) return route.continue();
		blocked.push(url);
		return route.abort('blockedbyclient');
	});
	// Every Chromium process (browser, renderers, utility) carries the profile folder in its arguments.
	const memory = startMemorySampler(() => pidsWithArgument(userDataDir));
	const page = context.pages()[0] ?? (await context.newPage());
	page.on('pageerror', (error) =>
		errors.push(String(error && error.message ? error.message : error)),
	);
	page.setDefaultTimeout(options.timeoutMs ?? 30000);
	let closed: Promise<void> | undefined;
	return {
		context,
		page,
		blocked,
		errors,
		userDataDir,
		/** Peak memory (summed PSS) of all Chromium processes so far, in MiB (null without /proc). */
		peakMemoryMiB: () => memory.peakMiB(),
		close() {
			if (!closed) {
				memory.stop();
				closed = context
					.close()
					.catch(() => undefined)
					.then(() => fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 }));
			}
			return closed;
		},
	};
}

/** Signs in on n8n's page as `server.owner`; resolves once the editor has left /signin. */
export async function signIn(
	page: Page,
	server: { url: string; owner: { email: string; password: string } },
): Promise<void> {
	await page.goto(`${server.url}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(server.owner.email);
	await page.getByTestId('password').locator('input').fill(server.owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/** Absolute path of docs/screenshots/<name>.png (folder created). */
export function screenshotPath(name: string): string {
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	return path.join(SCREENSHOTS, `${name}.png`);
}

/** A stopwatch that records named steps and prints them (stderr) when asked. */
export function stopwatch(title: string): Stopwatch {
	const start = Date.now();
	let last = start;
	const steps: Array<{ name: string; ms: number }> = [];
	return {
		step(name: string) {
			const now = Date.now();
			steps.push({ name, ms: now - last });
			last = now;
		},
		totalMs: () => Date.now() - start,
		steps,
		print(extra = '') {
			const lines = steps.map((s) => `  ${(s.ms / 1000).toFixed(1).padStart(6)} s  ${s.name}`);
			process.stderr.write(
				`${title}: ${((Date.now() - start) / 1000).toFixed(1)} s${extra ? `, ${extra}` : ''}\n${lines.join('\n')}\n`,
			);
		},
	};
}
