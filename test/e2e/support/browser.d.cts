/** Types for browser.cjs: headless Chromium (Debian's) through playwright-core, loopback only. */
import type { BrowserContext, Page } from 'playwright-core';

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

export declare const CHROMIUM: string;
/** Absolute path of docs/screenshots. */
export declare const SCREENSHOTS: string;

export declare function launchBrowser(options?: LaunchOptions): Promise<LaunchedBrowser>;

/** Absolute path of docs/screenshots/<name>.png (the folder is created). */
export declare function screenshotPath(name: string): string;

export interface Stopwatch {
	/** Records the time since the previous step (or the start) under `name`. */
	step(name: string): void;
	totalMs(): number;
	readonly steps: Array<{ name: string; ms: number }>;
	/** Writes the total and every step to stderr. */
	print(extra?: string): void;
}

export declare function stopwatch(title: string): Stopwatch;
