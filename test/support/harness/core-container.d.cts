/** Types for core-container.cjs: n8n-core's own DI container and Logger token. */

export interface CoreContainer {
	has(token: unknown): boolean;
	get<T>(token: abstract new (...args: never[]) => T): T;
	set(token: unknown, value: unknown): void;
	reset(): void;
}

/** n8n-core's DI container (its nested @n8n/di copy). */
export declare const Container: CoreContainer;

/** The Logger class n8n-core's services are injected with (its nested @n8n/backend-common copy). */
export declare const Logger: abstract new (...args: never[]) => unknown;
