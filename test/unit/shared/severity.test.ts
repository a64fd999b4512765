import { toCefSeverity, toSyslogSeverity } from '../../../nodes/shared/severity';

describe('severity mapping', () => {
	it.each([
		['EMERGENCY', 0, 10],
		['ALERT', 1, 9],
		['CRITICAL', 2, 8],
		['crit', 2, 8],
		['ERROR', 3, 7],
		['err', 3, 7],
		['WARNING', 4, 5],
		['NOTICE', 5, 3],
		['INFO', 6, 1],
		['debug', 7, 0],
	])('%s → syslog %i, CEF %i', (name, syslog, cef) => {
		expect(toSyslogSeverity(name)).toBe(syslog);
		expect(toCefSeverity(name)).toBe(cef);
	});

	it('keeps CEF words in their documented bands and numbers as they are', () => {
		expect([toCefSeverity('Low'), toCefSeverity('Medium'), toCefSeverity('High'), toCefSeverity('Very-High')]).toEqual([3, 6, 8, 10]);
		expect(toCefSeverity(10)).toBe(10);
		expect(toCefSeverity('7')).toBe(7);
		expect(toSyslogSeverity(3)).toBe(3);
		expect(toSyslogSeverity('5')).toBe(5);
	});

	it('refuses what names no severity', () => {
		for (const value of ['SEVERE', '', 8, -1, 1.5, null, undefined, {}, 'Unknown']) expect(toSyslogSeverity(value)).toBeUndefined();
		for (const value of [11, 'SEVERE', {}, 'Unknown']) expect(toCefSeverity(value)).toBeUndefined();
	});
});
