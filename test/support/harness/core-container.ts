// n8n-core ships its own nested copies of @n8n/di and @n8n/backend-common
// (node_modules/n8n-core/node_modules/@n8n/...), which differ from the top-level ones.
// `import { Container } from '@n8n/di'` would reach a different, unused container,
// so resolve both from n8n-core's own directory.
import * as path from 'node:path';

export interface CoreContainer {
	has(token: unknown): boolean;
	get<T>(token: abstract new (...args: never[]) => T): T;
	set(token: unknown, value: unknown): void;
	reset(): void;
}

const coreDir = path.dirname(require.resolve('n8n-core/package.json'));
const fromCore = (id: string): Record<string, unknown> =>
	require(require.resolve(id, { paths: [coreDir] })) as Record<string, unknown>;

/** n8n-core's DI container (its nested @n8n/di copy). */
export const Container = fromCore('@n8n/di').Container as CoreContainer;

/** The Logger class n8n-core's services are injected with (its nested @n8n/backend-common copy). */
export const Logger = fromCore('@n8n/backend-common').Logger as abstract new (
	...args: never[]
) => unknown;
