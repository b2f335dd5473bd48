/**
 * The one way a test file gets a simulator: started before its tests, reset before each of them,
 * closed after them all. The handle reads through to the running simulator, so tests write
 * `sim.url`, `sim.requests` and `sim.queue(...)` as they would on the simulator itself.
 */
import { startSimulator, type Simulator, type SimulatorOptions } from './simulator/simulator';

export function useSimulator(options: SimulatorOptions = {}): Simulator {
	let running: Simulator | undefined;
	beforeAll(async () => {
		running = await startSimulator(options);
	});
	beforeEach(() => running?.reset());
	afterAll(async () => {
		await running?.close();
		running = undefined;
	});
	return new Proxy({} as Simulator, {
		get(_target, key) {
			if (running === undefined)
				throw new Error(
					`The simulator is not running here (reading ${String(key)}): use it inside a test`,
				);
			const value: unknown = Reflect.get(running, key);
			return typeof value === 'function' ? (value as () => unknown).bind(running) : value;
		},
	});
}
