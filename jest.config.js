/** Jest runs CommonJS through ts-jest: n8n-workflow's ESM build does not load under Node's native ESM loader. */
module.exports = {
	testEnvironment: 'node',
	globalSetup: '<rootDir>/test/setup/global-setup.ts',
	globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
	},
	setupFiles: ['<rootDir>/test/setup/env.ts'],
	// A guard against a hang, not a speed check: beside CPU hogs on 2 cores a 10 s test takes 30 s.
	testTimeout: 120_000,
};
