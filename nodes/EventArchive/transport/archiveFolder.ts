import type { IExecuteFunctions, PinnedDirectory, ResolvedFilePath } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { constants as fsConstants } from 'node:fs';
import { lstat, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * One archive folder (`<base>/<folder>`) the archive may create, open and rename files in. Nothing
 * below the base folder is followed if it is a symbolic link: the folder is pinned by descriptor
 * where n8n can (Linux, inside N8N_RESTRICT_FILE_ACCESS_TO) and every file is opened O_NOFOLLOW.
 */
export interface ArchiveFolder {
	readonly path: string;
	/** Opens a file of the folder; a symbolic link there fails (ELOOP) instead of being followed. */
	open(name: string, flags: number): Promise<FileHandle>;
	rename(from: string, to: string): Promise<void>;
	/** Renames, answering false when `from` is gone (another writer removed it first). */
	renameIfPresent(from: string, to: string): Promise<boolean>;
	unlink(name: string): Promise<void>;
	unlinkIfPresent(name: string): Promise<void>;
	/** Milliseconds since the file was last modified, undefined when it does not exist. */
	age(name: string): Promise<number | undefined>;
	/** Size of a file of the folder, 0 when it does not exist. */
	size(name: string): Promise<number>;
	close(): Promise<void>;
}

const NO_FOLLOW = fsConstants.O_NOFOLLOW;

/**
 * The real path of the base folder: its deepest existing ancestor resolved (the user chose the base,
 * links in it included), the missing components appended. n8n's access check then sees the real path.
 */
export async function resolveBaseFolder(context: IExecuteFunctions, baseFolder: string): Promise<string> {
	const missing: string[] = [];
	let current = baseFolder;
	for (;;) {
		try {
			const resolved = await context.helpers.resolvePath(current);
			return join(resolved, ...missing.reverse());
		} catch (error) {
			const parent = dirname(current);
			if ((error as { code?: string }).code !== 'ENOENT' || parent === current) {
				throw new NodeOperationError(context.getNode(), `Cannot resolve the base folder ${baseFolder}: ${(error as Error).message}`);
			}
			missing.push(basename(current));
			current = parent;
		}
	}
}

/**
 * Creates (if needed) and opens `<realBase>/<folder>`. Refuses what n8n's file-access rules forbid
 * and a folder that is a symbolic link, with messages that say which.
 */
export async function openArchiveFolder(
	context: IExecuteFunctions,
	realBase: string,
	folder: string,
	fileNames: string[],
): Promise<ArchiveFolder> {
	const path = join(realBase, folder);
	for (const name of fileNames) {
		if (context.helpers.isFilePathBlocked(join(path, name) as ResolvedFilePath)) {
			throw new NodeOperationError(context.getNode(), `n8n does not allow access to ${join(path, name)} (see N8N_RESTRICT_FILE_ACCESS_TO)`, {
				description: `Choose a base folder inside a folder n8n allows, or leave the base folder relative: it is then created inside n8n's files folder.`,
			});
		}
	}
	await refuseSymbolicLink(context, path);
	const anyFile = join(path, fileNames[0]) as ResolvedFilePath;
	let pinned: PinnedDirectory | null;
	try {
		try {
			// Creates the missing folders from the allowed folder down, refusing links, and holds the last.
			pinned = await context.helpers.pinDirectory(path, { create: true });
		} catch (error) {
			if ((error as { code?: string }).code !== 'ENOENT') throw error;
			// The allowed folder itself does not exist yet (a fresh ~/.n8n-files): create the whole path.
			await context.helpers.ensureParentDirectoryWithoutFollowingSymlinks(anyFile);
			pinned = await context.helpers.pinDirectory(path, { create: false });
		}
		if (pinned === null) {
			// No descriptor pinning here (not Linux, or no N8N_RESTRICT_FILE_ACCESS_TO): check the path instead.
			await context.helpers.ensureParentDirectoryWithoutFollowingSymlinks(anyFile);
			await context.helpers.assertNoSymlinkInPath(anyFile);
		}
	} catch (error) {
		if (error instanceof NodeOperationError) throw error;
		throw new NodeOperationError(context.getNode(), `Cannot create the archive folder ${path}: ${(error as Error).message}`, {
			description: 'A component of the path is a symbolic link, not a folder, or not writable.',
		});
	}
	const at = (name: string) => (pinned ? pinned.resolvePath(name) : join(path, name));
	/** Errors name the file as the user knows it, not by the descriptor path it was reached through. */
	const named = async <T>(name: string, operation: () => Promise<T>): Promise<T> => {
		try {
			return await operation();
		} catch (error) {
			if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
				(error as Error).message = String((error as Error).message).split(at(name)).join(join(path, name));
			}
			throw error;
		}
	};
	return {
		path,
		open: async (name, flags) => {
			try {
				return await named(name, async () => await open(at(name), flags | NO_FOLLOW, 0o644));
			} catch (error) {
				if ((error as { code?: string }).code === 'ELOOP') {
					throw new NodeOperationError(context.getNode(), `${join(path, name)} is a symbolic link; the archive does not follow links below its base folder`);
				}
				throw error;
			}
		},
		rename: async (from, to) => await named(from, async () => await rename(at(from), at(to))),
		renameIfPresent: async (from, to) => (await ifPresent(rename(at(from), at(to)))) !== undefined,
		unlink: async (name) => await named(name, async () => await unlink(at(name))),
		unlinkIfPresent: async (name) => void (await ifPresent(unlink(at(name)))),
		age: async (name) => {
			const found = await ifPresent(lstat(at(name)));
			return found && Date.now() - found.value.mtimeMs;
		},
		size: async (name) => {
			const found = await ifPresent(lstat(at(name)));
			return found?.value.isFile() ? found.value.size : 0;
		},
		close: async () => await pinned?.close(),
	};
}

/** The operation's result, or undefined when the file does not exist (ENOENT). */
async function ifPresent<T>(operation: Promise<T>): Promise<{ value: T } | undefined> {
	try {
		return { value: await operation };
	} catch (error) {
		if ((error as { code?: string }).code === 'ENOENT') return undefined;
		throw error;
	}
}

async function refuseSymbolicLink(context: IExecuteFunctions, path: string): Promise<void> {
	try {
		if ((await lstat(path)).isSymbolicLink()) {
			throw new NodeOperationError(context.getNode(), `${path} is a symbolic link; the archive does not follow links below its base folder`, {
				description: 'Replace the link by a real folder, or archive to a base folder where the link target lives.',
			});
		}
	} catch (error) {
		if ((error as { code?: string }).code !== 'ENOENT') throw error;
	}
}
