import type { INodeProperties } from 'n8n-workflow';

import { jsonStyleOptions, lineLayoutOptions } from '../shared/format/lineLayouts';

export const eventArchiveProperties: INodeProperties[] = [
	{
		displayName: 'Base Folder',
		name: 'baseFolder',
		type: 'string',
		default: 'netsec-archive',
		required: true,
		hint: "A relative folder is created inside n8n's files folder (N8N_RESTRICT_FILE_ACCESS_TO, by default ~/.n8n-files), which n8n always allows",
		description:
			'Folder the archive lives in: relative (inside the folder n8n lets nodes write) or absolute (then it must be inside a folder N8N_RESTRICT_FILE_ACCESS_TO allows). In queue mode it must be mounted on every worker.',
	},
	{
		displayName: 'Folder Key',
		name: 'folderKey',
		type: 'string',
		default: '={{ $json.enterpriseName }}',
		required: true,
		hint: 'The folder written is this key made safe by the Folder Naming below; each run lists the folders it used in the output hints',
		description: 'One sub-folder per key, e.g. the enterprise name. No key can leave the base folder.',
	},
	{
		displayName: 'Folder Naming',
		name: 'folderNaming',
		type: 'options',
		options: [
			{
				name: 'Collision-Free',
				value: 'collisionFree',
				description:
					'Letters and digits stay, a space becomes "-", any other character its code (A.B → A_2e_B): two different keys never share a folder',
			},
			{
				name: 'VCO Archiver Script Compatible',
				value: 'scriptCompatible',
				description:
					'Every character that is not a letter or digit (Python\'s isalnum) becomes "-" (Zürich Retail AG → Zürich-Retail-AG); keys that differ only there share a folder',
			},
		],
		default: 'collisionFree',
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: 'events.json',
		required: true,
		description: 'Name of the file in each folder; letters, digits, ".", "_" and "-" (others become "-")',
	},
	{
		displayName: 'Line Content',
		name: 'content',
		type: 'options',
		options: [
			{ name: 'JSON Line', value: 'json', description: 'The item as one line of JSON, laid out and styled below' },
			{ name: 'Text of a Field', value: 'field', description: 'A line made earlier, by Event Format for example' },
		],
		default: 'json',
	},
	{
		displayName: 'Layout',
		name: 'layout',
		type: 'options',
		options: lineLayoutOptions,
		default: 'asIs',
		description: 'Which fields the line carries, in which order (the same layouts as Event Format\'s NDJSON preset)',
		displayOptions: { show: { content: ['json'] } },
	},
	{
		displayName: 'JSON Style',
		name: 'jsonStyle',
		type: 'options',
		options: jsonStyleOptions,
		default: 'compact',
		displayOptions: { show: { content: ['json'] } },
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
	{
		displayName: 'Skip Events Already Written',
		name: 'skipWritten',
		type: 'boolean',
		default: false,
		description:
			'Whether to recognise events this archive already holds, so a retried or re-delivered batch writes no line twice. Written keys are kept in a hidden file beside the archive file.',
	},
	{
		displayName: 'Event Key',
		name: 'eventKey',
		type: 'string',
		default: '={{ $json.enterpriseId }}:{{ $json.id }}',
		required: true,
		displayOptions: { show: { skipWritten: [true] } },
		description: 'What makes an event the same event, e.g. the enterprise and the event ID',
	},
	{
		displayName: 'Recognise Events Written Within (Minutes)',
		name: 'recognizeWithinMinutes',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		displayOptions: { show: { skipWritten: [true] } },
		description:
			"How far before the archive's last write an event is still recognised. Cover the trigger's lateness window plus its poll interval.",
	},
	{
		displayName: 'Manual Runs Write To',
		name: 'manualRuns',
		type: 'options',
		options: [
			{
				name: 'A Separate Test File',
				value: 'testFile',
				description: 'The archive file\'s name with "-manual-test" before the extension, so sample events never mix with the real archive',
			},
			{ name: 'The Archive', value: 'archive', description: 'The same file as production runs' },
		],
		default: 'testFile',
		description: 'Where a run started by hand in the editor (Execute workflow, Execute step) writes',
	},
];
