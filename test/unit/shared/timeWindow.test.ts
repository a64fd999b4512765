import type { IExecuteFunctions } from 'n8n-workflow';

import { calendarDayWindow, resolveTimeWindow } from '../../../nodes/shared/timeWindow';

function context(parameters: Record<string, unknown>, timezone = 'UTC'): IExecuteFunctions {
	return {
		getNodeParameter: (name: string, _index: number, fallback?: unknown) => parameters[name] ?? fallback,
		getNode: () => ({ name: 'Node' }),
		getTimezone: () => timezone,
	} as unknown as IExecuteFunctions;
}

describe('time windows', () => {
	const now = Date.parse('2026-11-29T12:34:56.789Z');

	it('last N minutes ends now', () => {
		expect(resolveTimeWindow(context({ timeWindow: 'lastMinutes', lastMinutes: 15 }), 0, now)).toEqual({ start: now - 15 * 60_000, end: now });
	});

	it('between two dates, Until empty meaning now, and refuses a reversed window', () => {
		expect(resolveTimeWindow(context({ timeWindow: 'between', since: '2026-11-29T00:00:00Z', until: '' }), 0, now)).toEqual({
			start: Date.parse('2026-11-29T00:00:00Z'),
			end: now,
		});
		expect(() => resolveTimeWindow(context({ timeWindow: 'between', since: '2026-11-30T00:00:00Z', until: '2026-11-29T00:00:00Z' }), 0, now)).toThrow(
			'Since is after Until',
		);
	});

	it('yesterday 00:00–24:00 in a zone, the end inclusive to the millisecond', () => {
		expect(calendarDayWindow(1, 'UTC', now)).toEqual({ start: Date.parse('2026-11-28T00:00:00Z'), end: Date.parse('2026-11-29T00:00:00Z') - 1 });
		expect(calendarDayWindow(1, 'Europe/Zurich', now)).toEqual({
			start: Date.parse('2026-11-27T23:00:00Z'),
			end: Date.parse('2026-11-28T23:00:00Z') - 1,
		});
		// Just after midnight in Tokyo it is already the 30th there: yesterday is the 29th.
		const tokyoMorning = Date.parse('2026-11-29T15:30:00Z');
		expect(calendarDayWindow(1, 'Asia/Tokyo', tokyoMorning)).toEqual({
			start: Date.parse('2026-11-28T15:00:00Z'),
			end: Date.parse('2026-11-29T15:00:00Z') - 1,
		});
	});

	it('a day across a DST change lasts 23 or 25 hours', () => {
		const spring = calendarDayWindow(1, 'Europe/Zurich', Date.parse('2026-03-30T10:00:00Z'));
		expect(spring.end + 1 - spring.start).toBe(23 * 3600_000);
		const autumn = calendarDayWindow(1, 'America/New_York', Date.parse('2026-11-02T15:00:00Z'));
		expect(autumn.end + 1 - autumn.start).toBe(25 * 3600_000);
	});

	it("uses the workflow's zone when none is given, and names an unknown zone", () => {
		expect(resolveTimeWindow(context({ timeWindow: 'calendarDay', daysAgo: 1, timeZone: '' }, 'Europe/Zurich'), 0, now)).toEqual(
			calendarDayWindow(1, 'Europe/Zurich', now),
		);
		expect(() => resolveTimeWindow(context({ timeWindow: 'calendarDay', daysAgo: 1, timeZone: 'Mars/Olympus' }), 0, now)).toThrow(
			'"Mars/Olympus" is not a time zone this n8n knows',
		);
	});
});
