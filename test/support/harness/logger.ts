import { LoggerProxy } from 'n8n-workflow';
import type { Logger, LogMetadata } from 'n8n-workflow';

import { Container, Logger as CoreLogger } from './core-container';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LogEntry {
	level: LogLevel;
	message: string;
	meta?: LogMetadata;
}

/**
 * Stands in for n8n's backend Logger: records instead of printing. n8n-core logs through it
 * (e.g. ErrorReporter logs every failed node with its stack), which would flood test output.
 */
export class CapturingLogger implements Logger {
	readonly entries: LogEntry[] = [];

	error(message: string, meta?: LogMetadata): void {
		this.entries.push({ level: 'error', message, meta });
	}

	warn(message: string, meta?: LogMetadata): void {
		this.entries.push({ level: 'warn', message, meta });
	}

	info(message: string, meta?: LogMetadata): void {
		this.entries.push({ level: 'info', message, meta });
	}

	debug(message: string, meta?: LogMetadata): void {
		this.entries.push({ level: 'debug', message, meta });
	}

	scoped(): this {
		return this;
	}

	clear(): void {
		this.entries.length = 0;
	}
}

/** What n8n-core and nodes logged during this test process (clear it in beforeEach if needed). */
export const harnessLogger = new CapturingLogger();

let installed = false;

/** Routes n8n-core's DI Logger and n8n-workflow's LoggerProxy to `harnessLogger` (once). */
export function installHarnessLogger(): void {
	if (installed) return;
	installed = true;
	Container.set(CoreLogger, harnessLogger);
	LoggerProxy.init(harnessLogger);
}
