/** End-to-end tests: a real n8n (installed once into a cache by scripts/n8n-runtime.sh) runs our packed package. */
module.exports = {
	testEnvironment: 'node',
	globalSetup: '<rootDir>/test/setup/global-setup.ts',
	globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
	},
	// One n8n at a time: two cores, ~1 GiB per n8n, and fixed ports inside n8n.
	maxWorkers: 1,
	testTimeout: 10 * 60 * 1000,
};
