import { splitWindowByCount } from '../../../nodes/Illumio/transport/api';
import { apiPath, describeIllumioError, eventsQueryParameters, totalCount } from '../../../nodes/Illumio/transport/events';

describe('Illumio events requests', () => {
	it('builds the query: inclusive RFC 3339 bounds, repeated filters, max_results', () => {
		const start = Date.parse('2026-11-29T10:00:00.000Z');
		expect(
			eventsQueryParameters({ start, end: start + 1500, eventTypes: ['user.login', 'user.logout'], severities: ['emerg', 'alert'], status: 'failure' }, 10000),
		).toEqual({
			'timestamp[gte]': '2026-11-29T10:00:00.000Z',
			'timestamp[lte]': '2026-11-29T10:00:01.500Z',
			event_type: ['user.login', 'user.logout'],
			severity: ['emerg', 'alert'],
			status: 'failure',
			max_results: 10000,
		});
		// Every severity filters nothing: it is left out.
		expect(eventsQueryParameters({ severities: ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] })).toEqual({});
		expect(eventsQueryParameters({}, 0)).toEqual({ max_results: 0 });
	});

	it('reads X-Total-Count whatever its case', () => {
		expect(totalCount({ 'x-total-count': '5000' })).toBe(5000);
		expect(totalCount({ 'X-Total-Count': ['12'] })).toBe(12);
		expect(totalCount({ 'X-TOTAL-COUNT': 3 })).toBe(3);
		expect(totalCount({})).toBeUndefined();
		expect(totalCount({ 'x-total-count': 'many' })).toBeUndefined();
	});

	it('shows the PCE error body with its token', () => {
		expect(describeIllumioError([{ token: 'input_validation_error', message: 'Input validation failed' }])).toEqual({
			token: 'input_validation_error',
			text: 'input_validation_error: Input validation failed',
		});
		expect(describeIllumioError([{ token: 'a', message: 'one' }, { token: 'b', message: 'two' }])?.text).toBe('a: one; b: two');
		expect(describeIllumioError([{ error: 'Unauthorized' }])).toEqual({ token: undefined, text: 'Unauthorized' });
		expect(describeIllumioError({ token: 'not_found', message: 'Event x not found' })?.text).toBe('not_found: Event x not found');
		expect(describeIllumioError('<html>')).toBeUndefined();
		expect(describeIllumioError([{}])).toBeUndefined();
	});

	it('turns hrefs, API paths and full URLs into API paths', () => {
		expect(apiPath('/orgs/1/jobs/abc')).toBe('/api/v2/orgs/1/jobs/abc');
		expect(apiPath('/api/v2/orgs/1/jobs/abc')).toBe('/api/v2/orgs/1/jobs/abc');
		expect(apiPath('https://pce.example.com:8443/api/v2/orgs/1/jobs/abc')).toBe('/api/v2/orgs/1/jobs/abc');
		expect(apiPath('orgs/1/datafiles/x')).toBe('/api/v2/orgs/1/datafiles/x');
	});
});

describe('splitting a large window for async jobs', () => {
	/** A fake PCE count over events at the given times. */
	const counter = (times: number[]) => {
		const calls: Array<[number, number]> = [];
		const count = async (start: number, end: number) => {
			calls.push([start, end]);
			return times.filter((time) => time >= start && time <= end).length;
		};
		return { count, calls };
	};

	it('halves until every part holds at most the maximum, oldest first, covering the window exactly', async () => {
		const times = Array.from({ length: 70_000 }, (_, index) => 1000 + index);
		const { count, calls } = counter(times);
		const parts = await splitWindowByCount(count, { start: 1000, end: 70_999, total: 70_000 }, 30_000);
		expect(parts.every((part) => part.count <= 30_000)).toBe(true);
		expect(parts.reduce((sum, part) => sum + part.count, 0)).toBe(70_000);
		expect(parts[0].start).toBe(1000);
		expect(parts[parts.length - 1].end).toBe(70_999);
		for (let index = 1; index < parts.length; index++) expect(parts[index].start).toBe(parts[index - 1].end + 1);
		for (const part of parts) expect(part.count).toBe(times.filter((time) => time >= part.start && time <= part.end).length);
		expect(calls.length).toBe(parts.length - 1);
	});

	it('leaves a window within the maximum whole, and never splits one millisecond', async () => {
		const small = counter([]);
		expect(await splitWindowByCount(small.count, { start: 0, end: 100, total: 5 }, 30_000)).toEqual([{ start: 0, end: 100, count: 5 }]);
		expect(small.calls).toEqual([]);
		const burst = counter(Array.from({ length: 50_000 }, () => 42));
		const parts = await splitWindowByCount(burst.count, { start: 0, end: 100, total: 50_000 }, 30_000);
		expect(parts.filter((part) => part.count > 0)).toEqual([{ start: 42, end: 42, count: 50_000 }]);
	});
});
