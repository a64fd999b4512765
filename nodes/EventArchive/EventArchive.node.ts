import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	ResolvedFilePath,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { constants as fsConstants } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { getFieldValue, isMissing } from '../shared/fieldPath';
import { archiveFilePath, dailyFileName, safeFileName, safeFolderKey } from './archivePath';
import { itemLine, veloCloudEventLine, wholeLineChunks, type JsonStyle } from './lines';

type Content = 'veloCloudEvent' | 'item' | 'field';

export class EventArchive implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Event Archive',
		name: 'eventArchive',
		icon: { light: 'file:eventArchive.svg', dark: 'file:eventArchive.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["baseFolder"] }}',
		description: 'Append events as NDJSON lines to <base folder>/<key>/events.json, one folder per key',
		defaults: { name: 'Event Archive' },
		// n8n appends tracking parameters to the codex link, after the #anchor, so it would land on the top of the README.
		documentationUrl: 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#event-archive',
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Base Folder',
				name: 'baseFolder',
				type: 'string',
				default: '/home/node/.n8n-files/netsec-archive',
				required: true,
				description:
					'Absolute folder the archive lives in. It must be allowed by N8N_RESTRICT_FILE_ACCESS_TO and, in queue mode, mounted on every worker.',
			},
			{
				displayName: 'Folder Key',
				name: 'folderKey',
				type: 'string',
				default: '={{ $json.enterpriseName }}',
				required: true,
				description:
					'Sub-folder per item (the seed uses the enterprise name). Every character outside A–Z, a–z and 0–9 becomes "-", so a key can never leave the base folder.',
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: 'events.json',
				required: true,
			},
			{
				displayName: 'Line Content',
				name: 'content',
				type: 'options',
				options: [
					{
						name: 'VeloCloud Event (Seed Layout)',
						value: 'veloCloudEvent',
						description: 'VCO\'s fields in VCO\'s order (ID, eventTime … segmentName), routing fields left out',
					},
					{ name: 'Whole Item', value: 'item', description: 'Every field of the item, in its order' },
					{ name: 'Text of a Field', value: 'field', description: 'A line made earlier, by Event Format for example' },
				],
				default: 'veloCloudEvent',
			},
			{
				displayName: 'JSON Style',
				name: 'jsonStyle',
				type: 'options',
				options: [
					{ name: 'Python Json.dumps (Seed Compatible)', value: 'python' },
					{ name: 'Compact', value: 'compact' },
				],
				default: 'python',
				displayOptions: { show: { content: ['veloCloudEvent', 'item'] } },
			},
			{
				displayName: 'Field',
				name: 'textField',
				type: 'string',
				default: 'formatted',
				required: true,
				displayOptions: { show: { content: ['field'] } },
				description: 'Field holding the line. Line breaks inside it are written as a backslash and n, so one item stays one line.',
			},
			{
				displayName: 'Rotation',
				name: 'rotation',
				type: 'options',
				options: [
					{ name: 'None', value: 'none' },
					{ name: 'Daily (UTC)', value: 'daily', description: 'Adds the UTC day of writing before the extension, e.g. events-2026-11-23' },
				],
				default: 'none',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const now = new Date();
		// One result per input item, in input order: the item itself once written, or its error.
		const results: INodeExecutionData[] = items.map((item, itemIndex) => ({ json: item.json, pairedItem: { item: itemIndex } }));
		const fail = (itemIndex: number, message: string) => {
			results[itemIndex] = { json: { error: message }, pairedItem: { item: itemIndex } };
		};
		const linesByFile = new Map<string, { lines: string[]; itemIndexes: number[] }>();

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const { file, line } = archiveLine(this, items[itemIndex].json, itemIndex, now);
				const entry = linesByFile.get(file) ?? { lines: [], itemIndexes: [] };
				entry.lines.push(line);
				entry.itemIndexes.push(itemIndex);
				linesByFile.set(file, entry);
			} catch (error) {
				const failure = error as NodeOperationError;
				if (!this.continueOnFail()) throw failure;
				fail(itemIndex, failure.message);
			}
		}

		for (const [file, { lines, itemIndexes }] of linesByFile) {
			try {
				await appendLines(this, file, lines);
			} catch (error) {
				const message = `Could not append to ${file}: ${error instanceof Error ? error.message : String(error)}`;
				if (!this.continueOnFail()) {
					throw new NodeOperationError(this.getNode(), message, {
						itemIndex: itemIndexes[0],
						description: 'Check that the folder exists or can be created, is writable, and is allowed by N8N_RESTRICT_FILE_ACCESS_TO.',
					});
				}
				for (const itemIndex of itemIndexes) fail(itemIndex, message);
			}
		}
		return [results];
	}
}

function archiveLine(context: IExecuteFunctions, item: IDataObject, itemIndex: number, now: Date): { file: string; line: string } {
	const baseFolder = context.getNodeParameter('baseFolder', itemIndex) as string;
	const rawKey = context.getNodeParameter('folderKey', itemIndex) as unknown;
	const rawFileName = context.getNodeParameter('fileName', itemIndex) as string;
	const content = context.getNodeParameter('content', itemIndex) as Content;
	const rotation = context.getNodeParameter('rotation', itemIndex) as 'none' | 'daily';

	if (isMissing(rawKey) || typeof rawKey === 'object') {
		throw new NodeOperationError(context.getNode(), 'The folder key is empty for this item', {
			itemIndex,
			description: 'The Folder Key expression must give a text, such as the enterprise name.',
		});
	}
	const fileName = safeFileName(rotation === 'daily' ? dailyFileName(rawFileName, now) : rawFileName);
	let file: string;
	try {
		file = archiveFilePath(baseFolder, safeFolderKey(String(rawKey)), fileName);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, { itemIndex });
	}
	return { file, line: lineFor(context, item, itemIndex, content) };
}

function lineFor(context: IExecuteFunctions, item: IDataObject, itemIndex: number, content: Content): string {
	if (content === 'field') {
		const field = context.getNodeParameter('textField', itemIndex) as string;
		const value = getFieldValue(item, field);
		if (isMissing(value)) {
			throw new NodeOperationError(context.getNode(), `The item has no "${field}" field to archive`, { itemIndex });
		}
		const text = typeof value === 'string' ? value : JSON.stringify(value);
		return text.replace(/\r\n|\r|\n/g, '\\n');
	}
	const style = context.getNodeParameter('jsonStyle', itemIndex) as JsonStyle;
	return content === 'veloCloudEvent' ? veloCloudEventLine(item, style) : itemLine(item, style);
}

/** Appends through n8n's file helpers, so N8N_RESTRICT_FILE_ACCESS_TO and symlink checks apply. */
async function appendLines(context: IExecuteFunctions, file: string, lines: string[]): Promise<void> {
	const resolved = await resolveNewPath(context, file);
	if (context.helpers.isFilePathBlocked(resolved)) {
		throw new NodeOperationError(context.getNode(), 'n8n does not allow access to this path (see N8N_RESTRICT_FILE_ACCESS_TO)');
	}
	await context.helpers.ensureParentDirectoryWithoutFollowingSymlinks(resolved);
	for (const chunk of wholeLineChunks(lines)) {
		// n8n writes a string as latin1 ("binary"): hand it UTF-8 bytes so "Zürich" stays "Zürich".
		await context.helpers.writeContentToFile(resolved, Buffer.from(chunk, 'utf8'), fsConstants.O_APPEND);
	}
}

/**
 * n8n resolves only paths whose folder exists; the archive creates its folders. So resolve the
 * deepest existing ancestor (symlinks and all) and append the missing, already safe, components:
 * n8n's access check and its symlink-refusing mkdir then see the real path.
 */
async function resolveNewPath(context: IExecuteFunctions, file: string): Promise<ResolvedFilePath> {
	const missing: string[] = [];
	let current = file;
	for (;;) {
		try {
			const resolved = await context.helpers.resolvePath(current);
			return join(resolved, ...missing.reverse()) as ResolvedFilePath;
		} catch (error) {
			const parent = dirname(current);
			if ((error as { code?: string }).code !== 'ENOENT' || parent === current) {
				throw new NodeOperationError(context.getNode(), `Cannot resolve ${current}: ${(error as Error).message}`);
			}
			missing.push(basename(current));
			current = parent;
		}
	}
}
