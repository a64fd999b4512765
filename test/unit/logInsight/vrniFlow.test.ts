/**
 * The vRNI flow preset against what flows_to_vrli.py really sent: the fixture holds flows and the events
 * vRLI received when the unchanged script ran against the simulators (TZ=UTC).
 */
import type { IDataObject } from 'n8n-workflow';

import { localDateTime, pythonStr, vrniFlowEvent } from '../../../nodes/LogInsight/presets/vrniFlow';
import golden from './fixtures/flowsToVrli.golden.json';

interface GoldenEvent {
	time: number;
	flow: IDataObject;
	sent: { text: string; timestamp: number; fields: Array<{ name: string; content: string }> };
}

const events = (golden as { events: GoldenEvent[] }).events;

describe('vRNI flow preset (flows_to_vrli.py line and fields)', () => {
	it('has a varied fixture: actions, traffic types, port ranges, empty port names', () => {
		expect(events.length).toBe(20);
		expect(new Set(events.map((event) => event.flow.firewall_action))).toEqual(new Set(['ALLOW', 'DROP', 'REJECT']));
		expect(events.some((event) => (event.flow.port as IDataObject).iana_name === '')).toBe(true);
	});

	it.each(events.map((event, i) => [i, event] as const))('event %i is byte-identical to the script\'s with the Python 3 name', (_i, event) => {
		const result = vrniFlowEvent({ ...event.flow, time: event.time }, { timeZone: 'UTC', pythonBytesName: true });
		expect(result).toEqual({ ok: true, event: { text: event.sent.text, timestamp: event.sent.timestamp, fields: event.sent.fields } });
	});

	it('writes the plain name by default, the line the script\'s author documents', () => {
		const event = events[0];
		const result = vrniFlowEvent({ ...event.flow, time: event.time }, { timeZone: 'UTC', pythonBytesName: false });
		expect(result.ok && result.event.text).toBe(event.sent.text.replace(/b'(.*)'$/, '$1'));
		expect(result.ok && result.event.fields).toEqual(event.sent.fields);
	});

	it('prints the date in the chosen zone, as the script does on a machine in that zone (checked with Python)', () => {
		expect(localDateTime(1795870796, 'UTC')).toBe('2026-11-28 12:59:56');
		expect(localDateTime(1795870796, 'Asia/Kolkata')).toBe('2026-11-28 18:29:56');
		expect(localDateTime(1795870796, 'America/New_York')).toBe('2026-11-28 07:59:56');
		expect(localDateTime(1710054000, 'America/New_York')).toBe('2024-03-10 03:00:00');
		expect(localDateTime(1699164000, 'America/New_York')).toBe('2023-11-05 01:00:00');
	});

	it('follows daylight-saving changes and half- and quarter-hour zones to the second (checked with Python)', () => {
		const expected: Array<[number, string, string]> = [
			[1710053999, 'America/New_York', '2024-03-10 01:59:59'],
			[1710054000, 'America/New_York', '2024-03-10 03:00:00'],
			[1730613599, 'America/New_York', '2024-11-03 01:59:59'],
			[1730613600, 'America/New_York', '2024-11-03 01:00:00'],
			[1712415599, 'Australia/Lord_Howe', '2024-04-07 01:59:59'],
			[1712415600, 'Australia/Lord_Howe', '2024-04-07 01:30:00'],
			[1700000000, 'Australia/Lord_Howe', '2023-11-15 09:13:20'],
			[1710053999, 'Asia/Kathmandu', '2024-03-10 12:44:59'],
			[1700000000, 'Asia/Kathmandu', '2023-11-15 03:58:20'],
		];
		for (const [time, zone, text] of expected) expect([time, zone, localDateTime(time, zone)]).toEqual([time, zone, text]);
	});

	it('prints missing values as None and lists as Python repr, as str() does', () => {
		expect(pythonStr(undefined)).toBe('None');
		expect(pythonStr(null)).toBe('None');
		expect(pythonStr(['TAG_A', "it's", 'x\\y'])).toBe(`['TAG_A', "it's", 'x\\\\y']`);
		expect(pythonStr(['a'])).toBe("['a']");
		expect(pythonStr(1795870796)).toBe('1795870796');
		const { firewall_rule_id: _rule, traffic_type: _traffic, ...flow } = events[0].flow;
		const result = vrniFlowEvent({ ...flow, time: events[0].time }, { timeZone: 'UTC', pythonBytesName: false });
		expect(result.ok && result.event.fields.slice(1, 3)).toEqual([
			{ name: '__vrni_flow_firewall_rule_id', content: 'None' },
			{ name: '__vrni_flow_traffic_type', content: 'None' },
		]);
	});

	it('encodes non-ASCII names and quotes as Python 3 bytes do (checked with Python)', () => {
		const base = { ...events[0].flow, time: events[0].time };
		const nonAscii = vrniFlowEvent({ ...base, name: ' né ' }, { timeZone: 'UTC', pythonBytesName: true });
		expect(nonAscii.ok && nonAscii.event.text.endsWith("b'n\\xc3\\xa9'")).toBe(true);
		const quoted = vrniFlowEvent({ ...base, name: "o'k" }, { timeZone: 'UTC', pythonBytesName: true });
		expect(quoted.ok && quoted.event.text.endsWith(`b"o'k"`)).toBe(true);
	});

	describe('bad input: a per-item error that names the fix', () => {
		const base = { ...events[0].flow, time: events[0].time };
		it.each([
			['no time', { ...base, time: undefined }, /no flow time/],
			['a fractional time', { ...base, time: 1.5 }, /no flow time/],
			['no name', { ...base, name: undefined }, /no flow name/],
			['no port', { ...base, port: undefined }, /no source_ip, destination_ip or port/],
			['no source ip', { ...base, source_ip: {} }, /no source_ip, destination_ip or port/],
		])('%s', (_label, flow, message) => {
			const result = vrniFlowEvent(flow as IDataObject, { timeZone: 'UTC', pythonBytesName: false });
			expect(result.ok).toBe(false);
			if (!result.ok) {
				expect(result.message).toMatch(message);
				expect(result.fix).toMatch(/Network Insight/);
			}
		});
	});
});
