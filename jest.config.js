/**
 * Three projects: unit (jest + nock, fast), e2e (a real n8n from npm, slow) and queue (n8n in queue mode
 * with Postgres and Redis; it starts its own n8n instances).
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] };

module.exports = {
	// e2e tests drive a real n8n and simulators; each one still bounds its own waits.
	testTimeout: 180000,
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			transform,
			testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/simulators/**/*.test.ts'],
			setupFiles: ['<rootDir>/test/simulators/trustSimulatorCa.ts'],
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			transform,
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/queue'],
			// One real n8n is shared by every e2e file (globalSetup), so files run one after another.
			globalSetup: '<rootDir>/test/e2e/globalSetup.ts',
			globalTeardown: '<rootDir>/test/e2e/globalTeardown.ts',
		},
		{
			displayName: 'queue',
			testEnvironment: 'node',
			transform,
			testMatch: ['<rootDir>/test/e2e/queue*.test.ts'],
		},
	],
};
