/** n8n's log as the demo reads it: expected lines explained and left out of a failure's tail, boot progress. */
import { appendFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { bootProgress, HARMLESS_N8N_LINES, meaningfulTail, withoutHarmlessLines } from '../../../scripts/demo/n8nLog';
import { useTempFolder } from '../helpers/tempFolder';

// Lines of a real n8n 2.41.1 boot on a loaded 2-core machine.
const EXPECTED = [
	'Failed to start Python task runner in internal mode. because Python 3 is missing from this system. Launching a Python runner in internal mode is intended only for debugging and is not recommended for production.',
	'Failed to start Python task runner in internal mode. because its virtual environment is missing from this system.',
	'There are deprecations related to your n8n setup. Please take the recommended actions to update your configuration:',
	'There is a deprecation related to your n8n setup. Please take the recommended actions to update your configuration:',
	' - N8N_RUNNERS_MODE -> Internal task runner mode is deprecated and will be removed in a future version.',
	'Automatic license renewal is disabled. The license will not renew automatically, and access to licensed features may be lost!',
	'[license SDK] Skipping renewal on init: renewOnInit is disabled in config',
	'Database ping failed (1): Database connection timed out',
	'Database connection recovered',
	'Task runner connection attempt failed: invalid or expired grant token. If the runner startup exceeds grant token TTL 30s, increase N8N_RUNNERS_GRANT_TOKEN_TTL',
	'[runner:js] Error: Failed to connect to n8n task broker at 127.0.0.1:37396',
	'Details: Unexpected server response: 403',
];
const MEANINGFUL = ['Initializing n8n process', 'Error: Cannot find module convict', 'Editor is now accessible via:'];

describe("n8n's log in the demo", () => {
	const folder = useTempFolder('netsec-n8n-log');

	it('explains each expected line and keeps it out of the tail; real problems stay', () => {
		for (const line of EXPECTED) expect(HARMLESS_N8N_LINES.some((harmless) => harmless.pattern.test(line))).toBe(true);
		for (const line of MEANINGFUL) expect(HARMLESS_N8N_LINES.some((harmless) => harmless.pattern.test(line))).toBe(false);
		const log = [MEANINGFUL[0], ...EXPECTED.slice(0, 5), '', MEANINGFUL[1], ...EXPECTED.slice(5), MEANINGFUL[2]].join('\n');
		expect(withoutHarmlessLines(log)).toBe(MEANINGFUL.join('\n'));
		const file = join(folder(), 'n8n.log');
		writeFileSync(file, log);
		expect(meaningfulTail(file, 2)).toBe(MEANINGFUL.slice(1).join('\n'));
		for (const harmless of HARMLESS_N8N_LINES) expect(harmless.label.length).toBeGreaterThan(0);
	});

	it("tells how far this boot got, ignoring earlier runs' lines in the same log", () => {
		const file = join(folder(), 'n8n.log');
		expect(bootProgress(file)).toBeUndefined();
		writeFileSync(file, 'Initializing n8n process\nEditor is now accessible via:\nhttp://127.0.0.1:5678\nStopping n8n...\n');
		const offset = statSync(file).size;
		expect(bootProgress(file, offset)).toBe('loading n8n');
		appendFileSync(file, 'Initializing n8n process\nMigrations in progress, please do NOT stop the process.\n');
		for (let n = 0; n < 3; n++) appendFileSync(file, `Starting migration M${n}\nFinished migration M${n}\n`);
		expect(bootProgress(file, offset)).toBe('first start: 3 database migrations done (of about 270)');
		appendFileSync(file, 'n8n Task Broker ready on 127.0.0.1, port 5679\n');
		expect(bootProgress(file, offset)).toBe('database ready, loading nodes and workflows');
		appendFileSync(file, 'Editor is now accessible via:\n');
		expect(bootProgress(file, offset)).toBe('n8n is up, loading its settings');
	});
});
