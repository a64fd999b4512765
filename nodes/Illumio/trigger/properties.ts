import type { INodeProperties } from 'n8n-workflow';

import { pollOptions } from '../../shared/trigger/pollTrigger';
import { eventFilterProperties } from '../eventFilters';

export const watchersProperty: INodeProperties = {
	displayName: 'Watchers',
	name: 'watchers',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Watcher',
	default: {},
	description:
		'Which events to emit: each item carries the names of the watchers it matched in "watchers", for a Switch node to route by. No watcher: every event.',
	options: [
		{
			displayName: 'Watcher',
			name: 'watcher',
			values: [
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					default: '',
					required: true,
					placeholder: 'Sign-ins',
					description: 'Shown in the items\' "watchers" field',
				},
				...eventFilterProperties('Comma-separated event types this watcher listens to; * stands for any part (user.*, *.delete), * alone for every type').map(
					(property) => (property.name === 'eventTypes' ? { ...property, required: true } : property),
				),
				{
					displayName: 'Throttle (Minutes)',
					name: 'throttleMinutes',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					description:
						'At most one item per event type every this many minutes; the others are counted into the next item\'s "suppressedCount". 0 lets every event through.',
				},
				{
					displayName: 'Throttle Per Resource',
					name: 'throttleByResource',
					type: 'boolean',
					default: false,
					description: 'Whether to throttle each resource (workload, rule set, user...) on its own rather than the event type as a whole',
				},
			],
		},
	],
};

export const triggerOptionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Emit Unmatched Events',
			name: 'emitUnmatched',
			type: 'boolean',
			default: false,
			description: 'Whether to emit events no watcher matched too (with an empty "watchers" list) instead of dropping them',
		},
		{
			displayName: 'Group Same-Type Events (Minimum)',
			name: 'groupMin',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'When a poll finds this many or more events of one type for the same watchers, emit one summary item (count, first and last time, hrefs) instead. 0 turns grouping off.',
		},
		...pollOptions(15, 'the PCE records an event when its request is made; a busy PCE may list it a little later'),
	],
};
