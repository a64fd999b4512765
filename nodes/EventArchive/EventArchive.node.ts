import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { eventArchiveProperties } from './description';
import { executeArchive } from './execute';

export class EventArchive implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Event Archive',
		name: 'eventArchive',
		icon: { light: 'file:eventArchive.svg', dark: 'file:eventArchive.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["baseFolder"] }}',
		description: 'Append events as lines to <base folder>/<key>/<file>, one folder per key',
		defaults: { name: 'Event Archive' },
		// n8n appends tracking parameters to the codex link, after the #anchor, so it would land on the top of the README.
		documentationUrl: 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#event-archive',
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: eventArchiveProperties,
		hints: [
			{
				// Shown while editing, before anything runs: an absolute folder is where setups fail.
				message:
					"An absolute Base Folder must lie inside a folder n8n lets nodes write (N8N_RESTRICT_FILE_ACCESS_TO, by default ~/.n8n-files), or every run fails. A relative folder is created there.",
				type: 'info',
				location: 'ndv',
				whenToDisplay: 'beforeExecution',
				displayCondition: '={{ String($parameter["baseFolder"] ?? "").trim().startsWith("/") }}',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeArchive.call(this);
	}
}
