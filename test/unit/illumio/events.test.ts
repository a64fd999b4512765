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
