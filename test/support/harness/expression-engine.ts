/**
 * n8n 2.x's `vm` expression engine (isolated-vm), started for tests as `n8n start` does with
 * N8N_EXPRESSION_ENGINE=vm. `Expression.initExpressionEngine` loads the runtime with a dynamic
 * `import()`, which jest cannot run without --experimental-vm-modules; this does the same
 * start with a static import: the same evaluator class, bridge and sandbox hooks.
 */
import { ExpressionEvaluator, IsolatedVmBridge } from '@n8n/expression-runtime';
import { Expression, LoggerProxy } from 'n8n-workflow';
import { expressionSandboxHooks } from 'n8n-workflow/dist/cjs/expression-sandboxing';

type EngineSlot = { vmEvaluator?: ExpressionEvaluator };

export type EngineName = 'legacy' | 'vm';

/** Starts the vm engine once for this test file; then `useExpressionEngine` switches. */
export async function startVmExpressionEngine(): Promise<void> {
	const slot = Expression as unknown as EngineSlot;
	if (slot.vmEvaluator) return;
	const evaluator = new ExpressionEvaluator({
		createBridge: () => new IsolatedVmBridge({ timeout: 5000, memoryLimit: 128, logger: LoggerProxy }),
		poolSize: 1,
		maxCodeCacheSize: 1024,
		hooks: expressionSandboxHooks,
		logger: LoggerProxy,
	});
	await evaluator.initialize();
	slot.vmEvaluator = evaluator;
}

export function useExpressionEngine(engine: EngineName): void {
	Expression.setExpressionEngine(engine);
	if (Expression.getActiveImplementation() !== engine)
		throw new Error(`n8n's ${engine} expression engine is not active`);
}

export async function stopExpressionEngines(): Promise<void> {
	Expression.setExpressionEngine('legacy');
	await Expression.disposeExpressionEngine();
}
