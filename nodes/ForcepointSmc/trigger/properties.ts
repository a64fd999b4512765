import type { INodeProperties } from 'n8n-workflow';

import { fieldSelectionProperties, filterJsonOption, filterProperties, timezoneOption } from '../descriptions';
import { NOTIFICATION_ACTIONS } from '../transport/notifications';

const ACTION_DESCRIPTIONS: Record<string, string> = {
	create: 'An element was created',
	update: 'An element was changed',
	delete: 'An element was deleted',
	trashed: 'An element was moved to the trash',
	untrashed: 'An element was restored from the trash',
	validating: 'A policy validation started',
	validated: 'A policy validation finished',
};

/** The trigger's parameters: the mode, what each mode listens to, and the reconnect options. */
export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Element Changes', value: 'elementChanges', description: 'Elements created, updated, deleted… (the Notification socket)' },
			{ name: 'Live Log Query', value: 'liveLogs', description: 'Log records as the SMC receives them, filtered' },
		],
		default: 'elementChanges',
	},
	{
		displayName: 'Entry Point Names or IDs',
		name: 'entryPoints',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getEntryPoints' },
		default: [],
		description:
			'Element types to watch, one subscription each; none watches every element. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { mode: ['elementChanges'] } },
	},
	{
		displayName: 'Actions',
		name: 'actions',
		type: 'multiOptions',
		options: [...NOTIFICATION_ACTIONS].sort().map((action) => ({ name: action.charAt(0).toUpperCase() + action.slice(1), value: action, description: ACTION_DESCRIPTIONS[action] })),
		default: [],
		description: 'Only these actions; none passes every action',
		displayOptions: { show: { mode: ['elementChanges'] } },
	},
	{
		displayName: 'Include Element',
		name: 'includeElement',
		type: 'boolean',
		default: false,
		description: 'Whether to read each changed element over REST and add it to the item (not possible after a delete)',
		displayOptions: { show: { mode: ['elementChanges'] } },
	},
	...filterProperties.map((property) => ({ ...property, displayOptions: { show: { mode: ['liveLogs'] } } })),
	...fieldSelectionProperties.map((property) => ({ ...property, displayOptions: { show: { mode: ['liveLogs'] } } })),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Backfill Gaps From Stored Logs',
				name: 'backfillGaps',
				type: 'boolean',
				default: false,
				description: 'Whether, after a reconnect, to read the stored logs of the gap and emit them (marked backfill: true) after the gap item',
				displayOptions: { show: { '/mode': ['liveLogs'] } },
			},
			{ ...filterJsonOption, displayOptions: { show: { '/mode': ['liveLogs'] } } },
			{
				displayName: 'Max Reconnect Delay (Seconds)',
				name: 'maxReconnectDelaySeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60,
				description: 'Reconnects back off with jitter up to this delay; they never give up while the workflow is active',
			},
			{ ...timezoneOption, displayOptions: { show: { '/mode': ['liveLogs'] } } },
		],
	},
];
