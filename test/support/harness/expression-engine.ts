/**
 * n8n 2.x's expression engines for tests, started as `n8n start` does with
 * N8N_EXPRESSION_ENGINE=vm or =quickjs. `Expression.initExpressionEngine` loads the runtime with
 * a dynamic `import()`, which jest cannot run without --experimental-vm-modules; this does the
 * same start with a static import: the same evaluator class, bridges and sandbox hooks.
 *
 * quickjs still needs the flag: its bridge loads quickjs-emscripten, and that its wasm build,
 * with dynamic imports of their own ("A dynamic import callback was invoked without
 * --experimental-vm-modules"). `quickJsAvailable` says whether this jest can run it.
 */
import { ExpressionEvaluator, IsolatedVmBridge, QuickJsBridge } from '@n8n/expression-runtime';
import { Expression, LoggerProxy } from 'n8n-workflow';
import { expressionSandboxHooks } from 'n8n-workflow/dist/cjs/expression-sandboxing';

// n8n holds one evaluator for both vm and quickjs: which one runs is the bridge it was made with.
type EngineSlot = { vmEvaluator?: ExpressionEvaluator };
type SandboxedEngine = 'vm' | 'quickjs';

export type EngineName = 'legacy' | SandboxedEngine;

export const quickJsAvailable =
	`${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`.includes(
		'--experimental-vm-modules',
	);

let started: SandboxedEngine | undefined;

async function start(engine: SandboxedEngine): Promise<void> {
	const slot = Expression as unknown as EngineSlot;
	if (started === engine && slot.vmEvaluator) return;
	await Expression.disposeExpressionEngine();
	const bridge = { timeout: 5000, memoryLimit: 128, logger: LoggerProxy };
	const evaluator = new ExpressionEvaluator({
		createBridge: () =>
			engine === 'quickjs' ? new QuickJsBridge(bridge) : new IsolatedVmBridge(bridge),
		poolSize: 1,
		maxCodeCacheSize: 1024,
		hooks: expressionSandboxHooks,
		logger: LoggerProxy,
	});
	await evaluator.initialize();
	slot.vmEvaluator = evaluator;
	started = engine;
}

/** Starts the vm engine once for this test file; then `useExpressionEngine` switches. */
export async function startVmExpressionEngine(): Promise<void> {
	await start('vm');
}

export async function useExpressionEngine(engine: EngineName): Promise<void> {
	if (engine !== 'legacy') await start(engine);
	Expression.setExpressionEngine(engine);
	if (Expression.getActiveImplementation() !== engine)
		throw new Error(`n8n's ${engine} expression engine is not active`);
}

export async function stopExpressionEngines(): Promise<void> {
	Expression.setExpressionEngine('legacy');
	await Expression.disposeExpressionEngine();
	started = undefined;
}
