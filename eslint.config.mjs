// Nodes and credentials follow n8n's community-node rules, in the variant without n8n Cloud support:
// Event Archive writes files and the SMC trigger needs the `ws` dependency, which n8n Cloud forbids.
// Tests, simulators, benchmarks and scripts are tools around the package (they spawn n8n, hold test
// passwords, log): they get the plain TypeScript rules.
import js from '@eslint/js';
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';
import tseslint from 'typescript-eslint';

const PACKAGE_SOURCES = ['nodes/**/*.ts', 'credentials/**/*.ts'];
const TOOL_SOURCES = ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'];

const unusedVariables = {
	// A leading underscore marks a parameter a hook or interface requires but this body ignores.
	'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
};

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'n8n-runtime/**', 'coverage/**', '.demo/**', '.e2e/**', '**/*.js', '**/*.mjs'] },
	...configWithoutCloudSupport.map((config) =>
		config.files && config.files.includes('**/*.ts') ? { ...config, files: PACKAGE_SOURCES } : config,
	),
	{ files: PACKAGE_SOURCES, rules: unusedVariables },
	{
		// Transports and shared machinery throw their own typed errors (RetryableError, ApplianceError,
		// NetworkError) as control flow; every node boundary turns them into NodeApiError or
		// NodeOperationError with secrets redacted (nodes/shared/errors.ts toNodeError).
		files: ['nodes/shared/**/*.ts', 'nodes/*/transport/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// The Splunk v2 layout: the node file spreads its description from actions/description.ts.
		files: ['nodes/*/actions/description.ts'],
		rules: {
			'n8n-nodes-base/node-filename-against-convention': 'off',
			// subtitle, icon and usableAsTool are set in the node file, where the community rules look for them
			'n8n-nodes-base/node-class-description-missing-subtitle': 'off',
		},
	},
	{
		// `ws` is the one runtime dependency, on purpose: the SMC websockets need a session cookie and
		// per-connection TLS options (custom CA, verification off), which Node's built-in WebSocket lacks.
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
	...tseslint.config({
		files: TOOL_SOURCES,
		extends: [js.configs.recommended, tseslint.configs.recommended],
		rules: unusedVariables,
	}),
];
