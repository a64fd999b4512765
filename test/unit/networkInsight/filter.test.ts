import { checkFilter } from '../../../nodes/NetworkInsight/filter';
import { dedupeKey, entityItem } from '../../../nodes/NetworkInsight/flows';

describe('Network Insight filter check', () => {
	it.each([
		'',
		'   ',
		'((flow_tag = TAG_SRC_IP_VM) or (flow_tag = TAG_DST_IP_VM))',
		"destination_ip.ip_address = '192.168.21.20'",
		'port = 123',
		"source_cluster.name = 'HaaS-Cluster-6'",
		"destination_l2_network.name = 'vlan-1014'",
		"(source_security_tags.name = 'OPI' or destination_security_tags.name='OPI') and (flow_tag != TAG_INTERNET_TRAFFIC)",
		"((flow_tag = TAG_INTERNET_TRAFFIC) and (source_datacenter.name = 'HaaS-1'))",
		"name = 'in last 24 hours'",
		"name = 'a ( b'",
		'port in (80, 443)',
	])('passes %p on to vRNI', (filter) => {
		expect(checkFilter(filter)).toEqual({ ok: true, filter: filter.trim() });
	});

	describe('bad input: refused before any request, with the fix', () => {
		it.each([
			['the script\'s own "in last 24 hours"', '((flow_tag = TAG_SRC_IP_VM) or (flow_tag = TAG_DST_IP_VM)) in last 24 hours', /ends with "in last 24 hours"/, /Last N Hours with 24 hours/],
			['"in last 7 days"', 'port = 22 in last 7 days', /in last 7 days/, /168 hours/],
			['"in last 90 minutes"', 'port = 22 in last 90 minutes', /in last 90 minutes/, /1\.5 hours/],
			['an unclosed quote', "source_vm.name = 'web-01", /unclosed quote/, /Close every quoted value/],
			['an unopened parenthesis', 'port = 22)', /never opened/, /Balance/],
			['an unclosed parenthesis', '((port = 22)', /leaves 1 parenthesis open/, /Balance/],
			['a double equals', 'port == 22', /"=="/, /single "="/],
			['a dangling operator', 'port =', /middle of a condition/, /Complete the condition/],
			['a dangling and', 'port = 22 and', /middle of a condition/, /Complete the condition/],
			['a leading or', 'or port = 22', /middle of a condition/, /Complete the condition/],
		])('%s', (_label, filter, message, fix) => {
			const check = checkFilter(filter);
			expect(check.ok).toBe(false);
			if (!check.ok) {
				expect(check.message).toMatch(message);
				expect(check.fix).toMatch(fix);
			}
		});
	});
});

describe('flow items and dedupe keys', () => {
	const flow = {
		entity_id: '10000:515:1',
		name: '10.0.0.1 -> 10.0.0.2 [port:443]',
		source_ip: { ip_address: '10.0.0.1' },
		destination_ip: { ip_address: '10.0.0.2' },
		protocol: 'TCP',
		port: { start: 443, end: 443, display: '443' },
	};

	it('adds the search time to the entity', () => {
		expect(entityItem({ entity_id: '10000:515:1', entity_type: 'Flow', time: 1700000000 }, flow)).toEqual({ ...flow, time: 1700000000 });
	});

	it('keys by destination exactly as flows_to_vrli.py, or by connection, or not at all', () => {
		expect(dedupeKey(flow, 'destination')).toBe('10.0.0.2-TCP--443-443');
		expect(dedupeKey({ ...flow, source_ip: { ip_address: '10.9.9.9' } }, 'destination')).toBe('10.0.0.2-TCP--443-443');
		expect(dedupeKey(flow, 'connection')).toBe('10.0.0.1->10.0.0.2-TCP--443-443');
		expect(dedupeKey(flow, 'none')).toBeUndefined();
	});
});
