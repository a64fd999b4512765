import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getFieldValue, isMissing } from '../shared/fieldPath';
import { runBatched } from '../shared/node/batching';
import { itemParameterReader, type ItemParameterReader } from '../shared/node/itemParameters';
import { jsonLine, type JsonStyle, type LineLayoutName } from '../shared/format/lineLayouts';
import { appendBatch, journalName, lockName, type ArchiveBatch, type ChunkWriter } from './transport/appendBatch';
import { openArchiveFolder, resolveBaseFolder as realBaseFolder } from './transport/archiveFolder';
import { dailyFileName, manualRunFileName, n8nFilesFolder, resolveBaseFolder, safeFileName } from './archivePath';
import { folderName, type FolderNaming } from './folderNames';

const MINUTE = 60_000;
/** How many folders a run's output hint names before it says "and N more". */
const FOLDERS_NAMED_IN_HINT = 5;
/** Distinct folder keys (and base folders, file names) an execution remembers the names of. */
const MAX_REMEMBERED_NAMES = 10_000;

interface PlannedLine {
	itemIndex: number;
	baseFolder: string;
	folder: string;
	rawKey: string;
	fileName: string;
	stateName: string;
	line: string;
	eventKey?: string;
	windowMs: number;
	/** A manual run writing to the separate test file. */
	manualTest: boolean;
}

interface FileBatch {
	baseFolder: string;
	folder: string;
	planned: PlannedLine[];
}

/** Seams for tests: the disk's write call and the clock. */
export interface ArchiveSeams {
	writer?: ChunkWriter;
	now?: () => Date;
}

export async function executeArchive(this: IExecuteFunctions, seams: ArchiveSeams = {}): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const now = seams.now?.() ?? new Date();
	const manual = this.getMode() === 'manual';
	const parameter = itemParameterReader(this);
	const names = onceEach(n8nFilesFolder(process.env.N8N_RESTRICT_FILE_ACCESS_TO));
	const batches: FileBatch[] = [];
	const written: WrittenFile[] = [];
	const output = await runBatched<PlannedLine>(this, {
		// One batch: lines are grouped by file below, and each file is written in whole-line chunks.
		maxCount: Number.MAX_SAFE_INTEGER,
		maxBytes: Number.MAX_SAFE_INTEGER,
		sizeOf: (planned) => planned.line.length,
		prepare(itemIndex) {
			return planLine(this, parameter, names, items[itemIndex].json, itemIndex, now, manual);
		},
		async send(entries) {
			const byFile = new Map<string, FileBatch>();
			for (const { value } of entries) {
				const id = [value.baseFolder, value.folder, value.fileName].join('\0');
				const batch = byFile.get(id) ?? { baseFolder: value.baseFolder, folder: value.folder, planned: [] };
				batch.planned.push(value);
				byFile.set(id, batch);
			}
			batches.push(...byFile.values());
			// One result per entry: the item itself once written (or already there), or its file's error.
			const results = new Map<number, IDataObject>(entries.map(({ itemIndex }) => [itemIndex, items[itemIndex].json]));
			const realBases = new Map<string, string>();
			for (const batch of byFile.values()) {
				const failure = await writeFileBatch(this, batch, realBases, now, seams.writer, written);
				if (!failure) continue;
				if (!this.continueOnFail()) throw failure;
				for (const planned of batch.planned) results.set(planned.itemIndex, { error: failure.message });
			}
			return entries.map(({ itemIndex }) => results.get(itemIndex)!);
		},
	});
	addRunHints(this, written, batches);
	return output;
}

interface WrittenFile {
	path: string;
	rawKey: string;
	lines: number;
	skipped: number;
}

/** Appends one file's lines; answers the error to report for its items, if any. */
async function writeFileBatch(
	context: IExecuteFunctions,
	batch: FileBatch,
	realBases: Map<string, string>,
	now: Date,
	writer: ChunkWriter | undefined,
	written: WrittenFile[],
): Promise<NodeOperationError | undefined> {
	const first = batch.planned[0];
	let realBase = realBases.get(batch.baseFolder);
	try {
		realBase ??= await realBaseFolder(context, batch.baseFolder);
		realBases.set(batch.baseFolder, realBase);
		const folder = await openArchiveFolder(context, realBase, batch.folder, [first.fileName, journalName(first.stateName), lockName(first.stateName)]);
		try {
			const archiveBatch: ArchiveBatch = {
				fileName: first.fileName,
				stateName: first.stateName,
				lines: batch.planned.map((planned) => planned.line),
				keys: first.eventKey === undefined ? undefined : batch.planned.map((planned) => planned.eventKey!),
			};
			const outcomes = await appendBatch(folder, archiveBatch, { node: context.getNode(), now: now.getTime(), windowMs: first.windowMs, writer });
			const skipped = outcomes.filter((outcome) => outcome === 'alreadyWritten').length;
			written.push({ path: `${folder.path}/${first.fileName}`, rawKey: first.rawKey, lines: outcomes.length - skipped, skipped });
			return undefined;
		} finally {
			await folder.close();
		}
	} catch (error) {
		return new NodeOperationError(
			context.getNode(),
			`Could not append to ${realBase ?? batch.baseFolder}/${batch.folder}/${first.fileName}: ${(error as Error).message}`,
			{
				itemIndex: first.itemIndex,
				description:
					(error as NodeOperationError).description ??
					'Check that the folder exists or can be created, is writable, has room, and is allowed by N8N_RESTRICT_FILE_ACCESS_TO. Nothing of this batch was kept in the file.',
			},
		);
	}
}

/** Names made from a parameter's value: pure, and the same for most items of an execution. */
interface ArchiveNames {
	baseFolder(configured: string): string;
	fileName(configured: string): string;
	folder(rawKey: string, naming: FolderNaming): string;
}

/** Each distinct value is turned into its name once per execution, not once per item (10^5 events). */
function onceEach(filesFolder: string): ArchiveNames {
	const memo = <R>(compute: (value: string) => R) => {
		const known = new Map<string, R>();
		return (value: string): R => {
			let result = known.get(value);
			if (result === undefined) {
				result = compute(value);
				// bounded: a key per item would otherwise keep one entry per item
				if (known.size < MAX_REMEMBERED_NAMES) known.set(value, result);
			}
			return result;
		};
	};
	const scriptCompatible = memo((rawKey) => folderName(rawKey, 'scriptCompatible'));
	const collisionFree = memo((rawKey) => folderName(rawKey, 'collisionFree'));
	return {
		baseFolder: memo((configured) => resolveBaseFolder(configured, filesFolder)),
		fileName: memo(safeFileName),
		folder: (rawKey, naming) => (naming === 'scriptCompatible' ? scriptCompatible : collisionFree)(rawKey),
	};
}

function planLine(
	context: IExecuteFunctions,
	read: ItemParameterReader,
	names: ArchiveNames,
	item: IDataObject,
	itemIndex: number,
	now: Date,
	manual: boolean,
): PlannedLine {
	// n8n's getNode() deep-copies the node on every call: it is called below only when an error is raised.
	const parameter = <T>(name: string, fallback?: T) => read<T>(name, itemIndex, fallback);
	const rawKey = parameter<unknown>('folderKey');
	if (isMissing(rawKey) || typeof rawKey === 'object') {
		throw new NodeOperationError(context.getNode(), 'The folder key is empty for this item', {
			itemIndex,
			description: 'The Folder Key expression must give a text, such as the enterprise name.',
		});
	}
	let baseFolder: string;
	let configuredName: string;
	try {
		// n8n offers nodes no helper that names the folder they may write: read the setting n8n reads.
		baseFolder = names.baseFolder(parameter<string>('baseFolder'));
		configuredName = names.fileName(parameter<string>('fileName'));
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, {
			itemIndex,
			description: 'Set a File Name such as events.json, and a Base Folder that is absolute or relative to n8n\'s files folder.',
		});
	}
	const manualTest = manual && parameter<string>('manualRuns', 'testFile') === 'testFile';
	const stateName = manualTest ? manualRunFileName(configuredName) : configuredName;
	const fileName = parameter<string>('rotation') === 'daily' ? dailyFileName(stateName, now) : stateName;
	const skipWritten = parameter<boolean>('skipWritten', false);
	return {
		itemIndex,
		baseFolder,
		folder: names.folder(String(rawKey), parameter<FolderNaming>('folderNaming', 'collisionFree')),
		rawKey: String(rawKey),
		fileName,
		stateName,
		line: lineFor(context, read, item, itemIndex),
		eventKey: skipWritten ? eventKey(context, read, itemIndex) : undefined,
		windowMs: skipWritten ? parameter<number>('recognizeWithinMinutes', 60) * MINUTE : 0,
		manualTest,
	};
}

function lineFor(context: IExecuteFunctions, read: ItemParameterReader, item: IDataObject, itemIndex: number): string {
	const content = read<'json' | 'field'>('content', itemIndex);
	if (content === 'field') {
		const field = read<string>('textField', itemIndex);
		const value = getFieldValue(item, field);
		if (isMissing(value)) {
			throw new NodeOperationError(context.getNode(), `The item has no "${field}" field to archive`, { itemIndex });
		}
		const text = typeof value === 'string' ? value : JSON.stringify(value);
		return text.replace(/\r\n|\r|\n/g, '\\n');
	}
	const layout = read<LineLayoutName>('layout', itemIndex);
	const style = read<JsonStyle>('jsonStyle', itemIndex);
	return jsonLine(item, layout, style);
}

function eventKey(context: IExecuteFunctions, read: ItemParameterReader, itemIndex: number): string {
	const key = read<unknown>('eventKey', itemIndex);
	if (isMissing(key) || typeof key === 'object') {
		throw new NodeOperationError(context.getNode(), 'The event key is empty for this item', {
			itemIndex,
			description: 'The Event Key expression must give a text that tells events apart, such as {{ $json.enterpriseId }}:{{ $json.id }}.',
		});
	}
	return String(key);
}

/** The output pane says where lines went, what was skipped, and which keys shared a folder. */
function addRunHints(context: IExecuteFunctions, written: WrittenFile[], batches: FileBatch[]): void {
	if (written.length > 0) {
		const named = written
			.slice(0, FOLDERS_NAMED_IN_HINT)
			.map(({ path, rawKey, lines, skipped }) => `${path} (key "${rawKey}"): ${lines} line(s)${skipped > 0 ? `, ${skipped} already written` : ''}`);
		if (written.length > FOLDERS_NAMED_IN_HINT) named.push(`and ${written.length - FOLDERS_NAMED_IN_HINT} more file(s)`);
		const manualTest = batches.some((batch) => batch.planned[0].manualTest);
		const where = manualTest
			? 'Manual run: sample events went to a separate test file, not the archive (Manual Runs Write To changes that). Written to'
			: 'Written to';
		context.addExecutionHints({ message: `${where}: ${named.join('; ')}`, type: 'info', location: 'outputPane' });
	}
	const keysByFolder = new Map<string, Set<string>>();
	for (const batch of batches) {
		const keys = keysByFolder.get(`${batch.baseFolder}/${batch.folder}`) ?? new Set<string>();
		for (const planned of batch.planned) keys.add(planned.rawKey);
		keysByFolder.set(`${batch.baseFolder}/${batch.folder}`, keys);
	}
	for (const [folder, keys] of keysByFolder) {
		if (keys.size > 1) {
			context.addExecutionHints({
				message: `Different keys share the folder ${folder}: ${[...keys].map((key) => `"${key}"`).join(', ')}. Choose Collision-Free folder naming to keep them apart.`,
				type: 'warning',
				location: 'outputPane',
			});
		}
	}
}
