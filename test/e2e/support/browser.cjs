// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for editor tests.
// Only loopback addresses are reachable: every other request is aborted, in the browser and
// by Chromium's host resolver. CommonJS because it needs fs, os and process.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium, selectors } = require('playwright-core');

const { ROOT } = require('./runtime');
const { pidsWithArgument, startMemorySampler } = require('./server');

const CHROMIUM = process.env.UCONTACT_CHROMIUM || '/usr/bin/chromium';
const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

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

function isLocal(url) {
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
async function launchBrowser(options = {}) {
	// n8n's test ids are data-test-id, not Playwright's default data-testid: getByTestId() reads them.
	selectors.setTestIdAttribute('data-test-id');
	if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
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
	const blocked = [];
	const errors = [];
	await context.route('**/*', (route) => {
		const url = route.request().url();
		if (isLocal(url)) return route.continue();
		blocked.push(url);
		return route.abort('blockedbyclient');
	});
	// Every Chromium process (browser, renderers, utility) carries the profile folder in its arguments.
	const memory = startMemorySampler(() => pidsWithArgument(userDataDir));
	const page = context.pages()[0] ?? (await context.newPage());
	page.on('pageerror', (error) => errors.push(String(error && error.message ? error.message : error)));
	page.setDefaultTimeout(options.timeoutMs ?? 30000);
	let closed;
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

/** Absolute path of docs/screenshots/<name>.png (folder created). */
function screenshotPath(name) {
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	return path.join(SCREENSHOTS, `${name}.png`);
}

/** A stopwatch that records named steps and prints them (stderr) when asked. */
function stopwatch(title) {
	const start = Date.now();
	let last = start;
	const steps = [];
	return {
		step(name) {
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

module.exports = { launchBrowser, screenshotPath, stopwatch, CHROMIUM, SCREENSHOTS };
