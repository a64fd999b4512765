/**
 * sqlite3 (n8n's database driver) comes without its native binary (the runtime installs with
 * --ignore-scripts). Its build script first downloads a prebuilt binary from GitHub and, when that fails,
 * compiles it from C, which needs python3 (node-gyp), make and a C++ compiler. Checked before the
 * runtime install so a machine without them stops in seconds with what to install, not after minutes.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface BuildTool {
	/** what it is, as the message names it */
	name: string;
	/** any of these on PATH will do */
	commands: string[];
	/** the Debian/Ubuntu package that provides it */
	debianPackage: string;
}

export const SQLITE3_BUILD_TOOLS: BuildTool[] = [
	{ name: 'python3', commands: ['python3'], debianPackage: 'python3' },
	{ name: 'make', commands: ['make'], debianPackage: 'make' },
	{ name: 'a C++ compiler', commands: ['g++', 'c++', 'clang++'], debianPackage: 'g++' },
];

/** The prebuilt binary sqlite3 5.1.7's build script tries first (N-API 6, Linux x64). */
export const SQLITE3_PREBUILT_URL =
	'https://github.com/TryGhost/node-sqlite3/releases/download/v5.1.7/sqlite3-v5.1.7-napi-v6-linux-x64.tar.gz';

function onPath(command: string, path: string): boolean {
	return path
		.split(delimiter)
		.filter(Boolean)
		.some((folder) => {
			try {
				accessSync(join(folder, command), constants.X_OK);
				return true;
			} catch {
				return false;
			}
		});
}

/** The build tools missing from `path` (default: this process's PATH). */
export function missingBuildTools(path = process.env.PATH ?? ''): BuildTool[] {
	return SQLITE3_BUILD_TOOLS.filter((tool) => !tool.commands.some((command) => onPath(command, path)));
}

/** What to tell a user who lacks `missing`: which tools, and the command that installs them. */
export function buildToolsAdvice(missing: BuildTool[]): string {
	const packages = missing.map((tool) => tool.debianPackage).join(' ');
	return [
		`sqlite3 (n8n's database driver) must be compiled here: its prebuilt binary could not be downloaded from GitHub,`,
		`and compiling it needs ${missing.map((tool) => tool.name).join(', ')}, missing from PATH. Install them, then run again:`,
		`  Debian/Ubuntu: sudo apt-get install -y ${packages}`,
		`  Fedora/RHEL:   sudo dnf install -y python3 make gcc-c++`,
	].join('\n');
}

/** Whether sqlite3's prebuilt binary can be downloaded (GitHub answers within 10 s). */
export async function prebuiltSqliteReachable(url = SQLITE3_PREBUILT_URL): Promise<boolean> {
	try {
		const response = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(10_000) });
		return response.status < 400;
	} catch {
		return false;
	}
}

/**
 * Throws what to install when sqlite3 would have to be compiled (its prebuilt binary is out of reach)
 * and the tools for that are missing from `path`.
 */
export async function assertSqliteCanBeBuilt(path = process.env.PATH ?? '', reachable: () => Promise<boolean> = prebuiltSqliteReachable): Promise<void> {
	const missing = missingBuildTools(path);
	if (missing.length > 0 && !(await reachable())) throw new Error(buildToolsAdvice(missing));
}
