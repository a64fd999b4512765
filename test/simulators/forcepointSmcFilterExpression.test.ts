import { compileFilterExpression, FilterExpressionError, type ExpressionContext } from './forcepointSmcFilterExpression';

const FIELDS: Record<string, { id: number; kind: 'ip' | 'number' | 'protocol' | 'action' | 'string' }> = {
	src: { id: 7, kind: 'ip' },
	dst: { id: 8, kind: 'ip' },
	sport: { id: 9, kind: 'number' },
	dport: { id: 10, kind: 'number' },
	protocol: { id: 11, kind: 'protocol' },
	action: { id: 14, kind: 'action' },
	facility: { id: 22, kind: 'string' },
};
const context: ExpressionContext = {
	field: (name) => FIELDS[name],
	names: { protocol: { 6: 'TCP', 17: 'UDP' }, action: { 0: 'Discard', 1: 'Allow' } },
};
const record = { 7: '10.0.3.4', 8: '74.125.127.191', 9: 7001, 10: 443, 11: 6, 14: 0, 22: 'Inspection' };
const holds = (expression: string, fields: Record<number, string | number> = record) => compileFilterExpression(expression, context)(fields);

describe('SMC filter expressions (simulator)', () => {
	it.each([
		['$Sport == 7000 OR $Sport == 7001', true],
		['$Sport == 7000 or $sport == 7002', false],
		['$Dst == ipv4( 74.125.127.191 )', true],
		['$Dst == ipv4("74.125.127.190")', false],
		['$Src IN union(ipv4_net("10.0.0.0/16"), ipv4("192.168.1.1"))', true],
		['$Src IN range(ipv4("10.0.0.0"),ipv4("10.0.3.3"))', false],
		['$Dport IN range(400, 500)', true],
		['$Protocol == "TCP" AND $Dport >= 443 AND $Dport < 444', true],
		['$Protocol == 17', false],
		['$Action == "Discard" AND $Facility == "Inspection"', true],
		['$Action != "Allow"', true],
		['NOT ($Dport == 443)', false],
		// AND binds tighter than OR
		['$Dport == 1 AND $Sport == 7001 OR $Facility == "Inspection"', true],
		['$Dport == 1 AND ($Sport == 7001 OR $Facility == "Inspection")', false],
	])('%s → %s', (expression, expected) => {
		expect(holds(expression)).toBe(expected);
	});

	it('treats an absent field as no match, and != on it as a match', () => {
		expect(holds('$Dport == 443', { 7: '10.0.0.1' })).toBe(false);
		expect(holds('$Dport IN union(443)', { 7: '10.0.0.1' })).toBe(false);
		expect(holds('$Dport != 443', { 7: '10.0.0.1' })).toBe(true);
	});

	it.each([
		['$Nope == 1', 'Unknown field $Nope'],
		['$Dport ==', 'Invalid filter expression: a value is missing at the end'],
		['($Dport == 443', 'Invalid filter expression: expected ")" near the end'],
		['$Dport == 443 $Sport == 1', 'Invalid filter expression: unexpected "$Sport"'],
		['$Dst == ipv4("300.1.1.1")', 'Invalid filter expression: ipv4("300.1.1.1")'],
		['$Dst IN range(ipv4("1.1.1.1"), 5)', 'range() needs two addresses or two numbers'],
		['Dport == 443', 'expected a $Field near Dport'],
		['$Dport = 443', 'Invalid filter expression at 8'],
	])('refuses %s', (expression, message) => {
		expect(() => holds(expression)).toThrow(FilterExpressionError);
		expect(() => holds(expression)).toThrow(message);
	});
});
