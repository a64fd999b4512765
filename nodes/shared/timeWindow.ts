import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseTimestamp } from './time';
import type { TimeWindow } from './trigger/cursor';

/** The time-window parameters every action node offers for "get events". */
export const timeWindowProperties: INodeProperties[] = [
	{
		displayName: 'Time Window',
		name: 'timeWindow',
		type: 'options',
		options: [
			{ name: 'Last N Minutes', value: 'lastMinutes' },
			{ name: 'Between Two Dates', value: 'between' },
			{ name: 'Calendar Day', value: 'calendarDay', description: 'A whole day, 00:00 to 24:00 in a chosen time zone (for daily jobs)' },
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
	{
		displayName: 'Days Ago',
		name: 'daysAgo',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 1,
		description: '1 is yesterday, 0 is today so far',
		displayOptions: { show: { timeWindow: ['calendarDay'] } },
	},
	{
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'string',
		default: '',
		placeholder: 'Europe/Zurich',
		description: "IANA time zone whose midnight starts the day; empty uses the workflow's time zone",
		displayOptions: { show: { timeWindow: ['calendarDay'] } },
	},
];

/** Milliseconds the zone is ahead of UTC at instant `utcMs`. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utcMs));
	const value = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	const asUtc = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second'));
	return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The instant a wall-clock time (given as if it were UTC) happens in the zone; DST gaps resolve forward. */
function zonedWallTimeToUtc(wallMs: number, timeZone: string): number {
	let guess = wallMs - zoneOffsetMs(wallMs, timeZone);
	guess = wallMs - zoneOffsetMs(guess, timeZone);
	return guess;
}

/**
 * A whole calendar day in a time zone, `daysAgo` days before today there: 00:00 to the next 00:00
 * (23 or 25 hours across a DST change), the end inclusive to the millisecond. Throws a RangeError for a zone
 * the runtime does not know.
 */
export function calendarDayWindow(daysAgo: number, timeZone: string, now = Date.now()): TimeWindow {
	const today = new Date(now + zoneOffsetMs(now, timeZone));
	const midnight = (offsetDays: number) =>
		zonedWallTimeToUtc(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - offsetDays), timeZone);
	return { start: midnight(daysAgo), end: midnight(daysAgo - 1) - 1 };
}

/** The window the parameters describe, in epoch milliseconds (both ends inclusive). */
export function resolveTimeWindow(context: IExecuteFunctions, itemIndex: number, now = Date.now()): TimeWindow {
	const mode = context.getNodeParameter('timeWindow', itemIndex) as 'lastMinutes' | 'between' | 'calendarDay';
	if (mode === 'lastMinutes') {
		const minutes = context.getNodeParameter('lastMinutes', itemIndex) as number;
		return { start: now - minutes * 60_000, end: now };
	}
	if (mode === 'calendarDay') {
		const daysAgo = context.getNodeParameter('daysAgo', itemIndex, 1) as number;
		const zone = (context.getNodeParameter('timeZone', itemIndex, '') as string).trim() || context.getTimezone();
		try {
			return calendarDayWindow(daysAgo, zone, now);
		} catch {
			throw new NodeOperationError(context.getNode(), `"${zone}" is not a time zone this n8n knows`, {
				itemIndex,
				description: 'Use an IANA name such as Europe/Zurich, America/New_York or UTC.',
			});
		}
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
