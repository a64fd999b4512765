/**
 * n8n's log (.demo/n8n/n8n.log): where it is, how far a boot got, and the lines that look alarming but
 * are expected in the demo, each with why, so they are explained once and left out of a failure's tail.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface HarmlessLine {
	/** a few words naming the lines, as the demo lists them */
	label: string;
	pattern: RegExp;
	why: string;
}

export const HARMLESS_N8N_LINES: HarmlessLine[] = [
	{
		label: 'no Python task runner',
		pattern: /Failed to start Python task runner|Launching a Python runner in internal mode/,
		why: 'n8n looks for Python for its Python Code node; the demo has none, JavaScript runs',
	},
	{
		label: 'deprecation notices',
		pattern: /There (?:are deprecations|is a deprecation) related to your n8n setup|^ - N8N_[A-Z_]+ -> |Internal task runner mode is deprecated/,
		why: "notices about n8n's future defaults; nothing to do for the demo",
	},
	{
		label: 'license renewal off',
		pattern: /Automatic license renewal is disabled|\[license SDK\]/,
		why: "the demo runs n8n's free Community edition, without a license server",
	},
	{
		label: 'a late database ping',
		pattern: /Database ping failed|Database connection recovered/,
		why: 'a busy machine answered n8n\'s database health check late; n8n recovers by itself',
	},
	{
		label: 'a late task-runner connection',
		pattern: /Task runner connection attempt failed|Failed to connect to n8n task broker|Unexpected server response: 403/,
		why: "on a busy machine the JavaScript task runner's first connection can time out; it connects on retry",
	},
	{
		label: "n8n's cloud hosts unreachable",
		pattern: /ENOTFOUND|EAI_AGAIN|getaddrinfo|api\.n8n\.io|n8n\.cloud/,
		why: "n8n's own cloud hosts (license, templates, community node list) are out of the demo's reach; not needed",
	},
];

/** The log without the expected lines (and the blank lines they leave), for a failure's tail. */
export function withoutHarmlessLines(log: string): string {
	return log
		.split('\n')
		.filter((line) => line.trim() !== '' && !HARMLESS_N8N_LINES.some((harmless) => harmless.pattern.test(line)))
		.join('\n');
}

/** The last `lines` lines of the log that are not expected ones. */
export function meaningfulTail(logFile: string, lines = 40): string {
	if (!existsSync(logFile)) return '(n8n wrote no log)';
	return withoutHarmlessLines(readFileSync(logFile, 'utf8')).split('\n').slice(-lines).join('\n');
}

/**
 * How far a boot got, read from the log from `offset` on (its size before this boot: the log keeps
 * earlier runs): database migrations done, the task broker, the editor.
 */
export function bootProgress(logFile: string, offset = 0): string | undefined {
	if (!existsSync(logFile)) return undefined;
	const current = readFileSync(logFile).subarray(offset).toString('utf8');
	if (current.includes('Editor is now accessible')) return 'n8n is up, loading its settings';
	if (current.includes('Task Broker ready')) return 'database ready, loading nodes and workflows';
	const migrations = current.match(/^Finished migration /gm)?.length ?? 0;
	if (migrations > 0) return `first start: ${migrations} database migrations done (of about 270)`;
	return 'loading n8n';
}
