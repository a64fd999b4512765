import { parseTimestamp } from '../../../nodes/shared/time';

describe('parseTimestamp', () => {
	it('reads ISO, naive ISO (UTC), epoch ms and epoch s', () => {
		expect(parseTimestamp('2021-10-23T06:48:57.000Z')?.toISOString()).toBe('2021-10-23T06:48:57.000Z');
		expect(parseTimestamp('2021-10-23T06:48:57')?.toISOString()).toBe('2021-10-23T06:48:57.000Z');
		expect(parseTimestamp('2021-10-23T08:48:57+02:00')?.toISOString()).toBe('2021-10-23T06:48:57.000Z');
		expect(parseTimestamp(1634971737000)?.toISOString()).toBe('2021-10-23T06:48:57.000Z');
		expect(parseTimestamp(1634971737)?.toISOString()).toBe('2021-10-23T06:48:57.000Z');
		expect(parseTimestamp('1634971737000')?.toISOString()).toBe('2021-10-23T06:48:57.000Z');
	});

	it('refuses what is not a time', () => {
		for (const value of ['yesterday', '', -5, NaN, {}, null, undefined, true]) expect(parseTimestamp(value)).toBeUndefined();
	});
});
