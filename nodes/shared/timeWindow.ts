import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseTimestamp } from './time';
import type { TimeWindow } from './cursor';

/** The time-window parameters every action node offers for "get events". */
export const timeWindowProperties: INodeProperties[] = [
	{
		displayName: 'Time Window',
		name: 'timeWindow',
		type: 'options',
		options: [
			{ name: 'Last N Minutes', value: 'lastMinutes' },
			{ name: 'Between Two Dates', value: 'between' },
		],
		default: 'lastMinutes',
	},
	{
		displayName: 'Minutes',
		name: 'lastMinutes',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description: 'How many minutes back from now',
		displayOptions: { show: { timeWindow: ['lastMinutes'] } },
	},
	{
		displayName: 'Since',
		name: 'since',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: { show: { timeWindow: ['between'] } },
	},
	{
		displayName: 'Until',
		name: 'until',
		type: 'dateTime',
		default: '',
		description: 'Leave empty for now',
		displayOptions: { show: { timeWindow: ['between'] } },
	},
];

/** The window the parameters describe, in epoch milliseconds (both ends inclusive). */
export function resolveTimeWindow(context: IExecuteFunctions, itemIndex: number, now = Date.now()): TimeWindow {
	const mode = context.getNodeParameter('timeWindow', itemIndex) as 'lastMinutes' | 'between';
	if (mode === 'lastMinutes') {
		const minutes = context.getNodeParameter('lastMinutes', itemIndex) as number;
		return { start: now - minutes * 60_000, end: now };
	}
	const since = parseTimestamp(context.getNodeParameter('since', itemIndex));
	const untilValue = context.getNodeParameter('until', itemIndex, '');
	const until = untilValue === '' ? new Date(now) : parseTimestamp(untilValue);
	if (!since || !until) {
		throw new NodeOperationError(context.getNode(), 'Since and Until must be dates', { itemIndex });
	}
	if (since.getTime() > until.getTime()) {
		throw new NodeOperationError(context.getNode(), 'Since is after Until', {
			itemIndex,
			description: 'Swap the two dates.',
		});
	}
	return { start: since.getTime(), end: until.getTime() };
}
