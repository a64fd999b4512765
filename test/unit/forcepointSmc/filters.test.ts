import { buildFilter, checkFilter, FilterError, type FilterCondition } from '../../../nodes/ForcepointSmc/transport/filters';
import { constantValue, fieldId } from '../../../nodes/ForcepointSmc/transport/fields';

function errorOf(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(FilterError);
		return (error as Error).message;
	}
	throw new Error('expected a FilterError');
}

describe('SMC field names and constants', () => {
	it('reads ids, LogField names in any case and the block-list aliases', () => {
		expect(fieldId('7')).toBe(7);
		expect(fieldId(602)).toBe(602);
		expect(fieldId('src')).toBe(7);
		expect(fieldId('AlertSeverity')).toBe(602);
		expect(fieldId('BLOCK_LISTENTRYSOURCEIP')).toBe(118);
		expect(fieldId('Blacklist Entry Source Ip')).toBe(118);
		expect(fieldId('Sorc')).toBeUndefined();
		expect(fieldId(0)).toBeUndefined();
		expect(fieldId(1.5)).toBeUndefined();
	});

	it('numbers the neighbour fields as smc-monitoring\'s LogField does (a filter on the state must not hit the interface)', () => {
		expect(['NEIGHBORINTERFACE', 'NEIGHBORPROTOCOL', 'NEIGHBORL3DATA', 'NEIGHBORL2DATA', 'NEIGHBORSTATE'].map((name) => fieldId(name))).toEqual([733, 734, 735, 736, 737]);
	});

	it('resolves named constants per field and refuses ambiguous ones elsewhere', () => {
		expect(constantValue('HIGH', 602)).toBe(5);
		expect(constantValue('discard passive', 14)).toBe(4);
		expect(constantValue('FW_LOGS', 34)).toBe(1);
		expect(constantValue('13', 14)).toBe(13);
		expect(constantValue('HIGH')).toBe(5);
		expect(constantValue('HIGH', 14)).toBeUndefined();
		expect(constantValue('nonsense', 602)).toBeUndefined();
	});
});

describe('SMC filter builder', () => {
	it('builds the README example: and of in (constant), in (ip), defined, not in (service), in (number)', () => {
		const conditions: FilterCondition[] = [
			{ operator: 'in', field: 'ALERTSEVERITY', valueType: 'constant', values: 'HIGH' },
			{ operator: 'in', field: 'SRC', valueType: 'ip', values: '192.168.4.84' },
			{ operator: 'defined', field: '134' },
			{ operator: 'notIn', field: 'SERVICE', valueType: 'service', values: 'udp/53' },
			{ operator: 'in', field: 'DPORT', valueType: 'number', values: '80, 443' },
		];
		expect(buildFilter({ combine: 'and', conditions })).toEqual({
			type: 'and',
			values: [
				{ type: 'in', left: { type: 'field', id: 602 }, right: [{ type: 'constant', value: 5 }] },
				{ type: 'in', left: { type: 'field', id: 7 }, right: [{ type: 'ip', value: '192.168.4.84' }] },
				{ type: 'defined', value: { type: 'field', id: 134 } },
				{ type: 'not', value: { type: 'in', left: { type: 'field', id: 27 }, right: [{ type: 'service', value: 'UDP/53' }] } },
				{ type: 'in', left: { type: 'field', id: 10 }, right: [{ type: 'number', value: 80 }, { type: 'number', value: 443 }] },
			],
		});
	});

	it('builds or, not defined, translated, strings (one per line), elements, networks, ranges and field values', () => {
		const filter = buildFilter({
			combine: 'or',
			conditions: [
				{ operator: 'notDefined', field: 'AUTHNAME' },
				{ operator: 'translated', expression: ' $Sport == 7000 OR $Sport == 7001 ' },
				{ operator: 'in', field: 'HTTPREQUESTHOST', valueType: 'string', values: 'play.googleapis.com\na,b.example' },
				{ operator: 'in', field: 'SRC', valueType: 'element', values: 'https://smc:8082/7.1/elements/host/1600' },
				{ operator: 'in', field: 'DST', valueType: 'ip', values: '10.0.0.0/16, 10.1.0.1-10.1.0.9, 2001:db8::/32' },
				{ operator: 'in', field: 'SRC', valueType: 'field', values: 'DST' },
			],
		});
		expect(filter).toEqual({
			type: 'or',
			values: [
				{ type: 'not', value: { type: 'defined', value: { type: 'field', id: 108 } } },
				{ type: 'translated', value: '$Sport == 7000 OR $Sport == 7001' },
				{ type: 'in', left: { type: 'field', id: 1586 }, right: [{ type: 'string', value: 'play.googleapis.com' }, { type: 'string', value: 'a,b.example' }] },
				{ type: 'in', left: { type: 'field', id: 7 }, right: [{ type: 'element', href: 'https://smc:8082/7.1/elements/host/1600' }] },
				{
					type: 'in',
					left: { type: 'field', id: 8 },
					right: [
						{ type: 'ip', value: '10.0.0.0/16' },
						{ type: 'ip', value: '10.1.0.1-10.1.0.9' },
						{ type: 'ip', value: '2001:db8::/32' },
					],
				},
				{ type: 'in', left: { type: 'field', id: 7 }, right: [{ type: 'field', id: 8 }] },
			],
		});
	});

	it('has no filter without conditions, and one condition is not wrapped', () => {
		expect(buildFilter({})).toBeUndefined();
		expect(buildFilter({ conditions: [{ operator: 'defined', field: 'SRC' }] })).toEqual({ type: 'defined', value: { type: 'field', id: 7 } });
	});

	describe('bad input names the condition and the part', () => {
		const cases: Array<[string, FilterCondition, string]> = [
			['empty field', { operator: 'defined', field: ' ' }, 'Filter condition 1: the field is empty'],
			['unknown field', { operator: 'in', field: 'Sorc', valueType: 'ip', values: '1.1.1.1' }, 'Filter condition 1: unknown field "Sorc"'],
			['no values', { operator: 'in', field: 'SRC', valueType: 'ip', values: ' , ' }, 'Filter condition 1: give at least one ip value'],
			['bad ip', { operator: 'in', field: 'SRC', valueType: 'ip', values: '10.0.0.300' }, '"10.0.0.300" is not an IP address'],
			['bad prefix', { operator: 'in', field: 'SRC', valueType: 'ip', values: '10.0.0.0/33' }, '"10.0.0.0/33" is not an IP address'],
			['mixed range', { operator: 'in', field: 'SRC', valueType: 'ip', values: '10.0.0.1-2001:db8::1' }, 'is not an IP address'],
			['bad service', { operator: 'in', field: 'SERVICE', valueType: 'service', values: 'HTTP' }, '"HTTP" is not a service (TCP/443, UDP/53 or ICMP/8/0)'],
			['port too high', { operator: 'in', field: 'SERVICE', valueType: 'service', values: 'TCP/70000' }, '"TCP/70000" is not a service'],
			['bad constant', { operator: 'in', field: 'ALERTSEVERITY', valueType: 'constant', values: 'SEVERE' }, '"SEVERE" is not a number or a known constant for field 602'],
			['bad number', { operator: 'in', field: 'DPORT', valueType: 'number', values: 'eighty' }, '"eighty" is not a number'],
			['bad element', { operator: 'in', field: 'SRC', valueType: 'element', values: 'host/1600' }, '"host/1600" is not an element href'],
			['bad field value', { operator: 'in', field: 'SRC', valueType: 'field', values: 'nowhere' }, 'unknown field "nowhere"'],
			['empty expression', { operator: 'translated', expression: '  ' }, 'Filter condition 1: the expression is empty'],
			['unknown operator', { operator: 'like' as never, field: 'SRC' }, 'unknown operator "like"'],
			['unknown value type', { operator: 'in', field: 'SRC', valueType: 'mac' as never, values: 'x' }, 'unknown value type "mac"'],
		];
		it.each(cases)('%s', (_name, condition, message) => {
			expect(errorOf(() => buildFilter({ conditions: [condition] }))).toContain(message);
		});

		it('numbers the failing condition among several', () => {
			const message = errorOf(() =>
				buildFilter({ conditions: [{ operator: 'defined', field: 'SRC' }, { operator: 'in', field: 'DST', valueType: 'ip', values: 'x' }] }),
			);
			expect(message).toMatch(/^Filter condition 2: "x"/);
		});

		it('refuses conditions and JSON together', () => {
			expect(errorOf(() => buildFilter({ conditions: [{ operator: 'defined', field: 'SRC' }], json: { type: 'defined' } }))).toBe(
				'Use either filter conditions or a JSON filter, not both',
			);
		});
	});
});

describe('SMC JSON filters', () => {
	it('accepts the documented forms, from text or object', () => {
		const filter = {
			type: 'and',
			values: [
				{ type: 'in', left: { type: 'field', name: 'Src' }, right: [{ type: 'ip', value: '1.1.1.1' }] },
				{ type: 'not', value: { type: 'defined', value: { type: 'field', id: 134 } } },
				{ type: 'translated', value: '$Src == ipv4("1.1.1.1")' },
				{ type: 'expression', href: 'https://smc:8082/7.1/elements/filter_expression/12' },
				{ type: 'in', left: { type: 'ip', value: '2.2.2.2' }, right: [{ type: 'field', id: 7 }, { type: 'field', id: 8 }] },
			],
		};
		expect(buildFilter({ json: JSON.stringify(filter) })).toEqual(filter);
		expect(buildFilter({ json: filter })).toEqual(filter);
	});

	const cases: Array<[string, unknown, string]> = [
		['not an object', [1], 'JSON filter: expected a filter object with a "type"'],
		['unknown type', { type: 'like' }, 'JSON filter: unknown filter type "like"'],
		['empty and', { type: 'and', values: [] }, 'JSON filter: "and" needs a non-empty "values" list'],
		['bad nested value', { type: 'or', values: [{ type: 'defined', value: { type: 'field' } }] }, 'JSON filter.values[0].value: a field value needs a positive integer "id" or a "name"'],
		['bad right', { type: 'in', left: { type: 'field', id: 7 }, right: [{ type: 'ip', value: 'x' }] }, 'JSON filter.right[0]: "x" is not an IP address'],
		['empty right', { type: 'in', left: { type: 'field', id: 7 }, right: [] }, '"in" needs a non-empty "right" list'],
		['bad service', { type: 'in', left: { type: 'field', id: 27 }, right: [{ type: 'service', value: 'web' }] }, '"web" is not a service'],
		['number as text', { type: 'in', left: { type: 'field', id: 10 }, right: [{ type: 'number', value: '80' }] }, 'a number value needs a number "value"'],
		['unknown value type', { type: 'defined', value: { type: 'mac' } }, 'unknown value type "mac"'],
		['empty translated', { type: 'translated', value: '' }, '"translated" needs an expression string'],
		['expression without href', { type: 'expression' }, '"expression" needs the "href" of a Filter element'],
		['element without href', { type: 'in', left: { type: 'field', id: 7 }, right: [{ type: 'element' }] }, 'an element value needs an element "href"'],
	];
	it.each(cases)('names the path of %s', (_name, json, message) => {
		expect(errorOf(() => checkFilter(json, 'JSON filter'))).toContain(message);
	});

	it('names broken JSON text', () => {
		expect(errorOf(() => buildFilter({ json: '{"type": "and",' }))).toMatch(/^JSON filter is not valid JSON: /);
	});
});
