import { controlCharacters, formatWith } from './context';
import { ALL_SAMPLES, HOSTILE_TEXT, HOSTILE_VCO_EVENT, ILLUMIO_EVENT, SMC_ALERT_RECORD, VELOCLOUD_EVENT, VRNI_FLOW_RESULT } from './samples';

const FORGED = '<13>1 2026-01-01T00:00:00Z forged';

/** A line format's output as a syslog receiver with LF framing would split it. */
function records(line: unknown): string[] {
	return String(line).split(/\r\n|[\r\n\u2028\u2029\u0085]/);
}

describe('syslog (RFC 5424)', () => {
	it('takes severity, message, time and message ID from any vendor’s event by default', () => {
		expect(formatWith('syslog', VELOCLOUD_EVENT)).toBe(
			'<133>1 2021-10-23T06:48:57.000Z - n8n-netsec-events - VPN_DATACENTER_STATUS - Tunnel to [Azure-SIN] - "IKE" a=b | c\\d\\nretrying',
		);
		expect(formatWith('syslog', ILLUMIO_EVENT)).toBe(
			'<132>1 2026-11-29T10:15:00.123Z - n8n-netsec-events - user.login - user.login failed by amelia.hart@example.com from 10.1.2.3.',
		);
		expect(formatWith('syslog', SMC_ALERT_RECORD)).toMatch(/^<131>1 2026-11-29T10:20:00\.000Z - n8n-netsec-events - SSH_Brute-Force-Attempt - Situation matched/);
		expect(formatWith('syslog', VRNI_FLOW_RESULT)).toMatch(/^<132>1 2025-11-29T10:20:00\.000Z - n8n-netsec-events - flow\.deny - Flow app-vm-07/);
	});

	it('still reads the fields a user names, and says which one is wrong', () => {
		const explicit = { syslogSeverityField: 'severity', syslogMessageField: 'event', syslogTimestampField: 'eventTime', syslogOptions: { msgIdField: '' } };
		expect(formatWith('syslog', VELOCLOUD_EVENT, explicit)).toBe('<133>1 2021-10-23T06:48:57.000Z - n8n-netsec-events - - - VPN_DATACENTER_STATUS');
		expect(() => formatWith('syslog', { ...VELOCLOUD_EVENT, severity: 'SEVERE' }, explicit)).toThrow('"SEVERE" in "severity" is not a severity');
		expect(() => formatWith('syslog', { message: 'x' }, explicit)).toThrow('The item has no "severity" field for the severity');
		expect(() => formatWith('syslog', { ...VELOCLOUD_EVENT, severity: 'SEVERE' })).toThrow('"SEVERE" in "severity" is not a severity');
		// No severity at all is informational, not an error.
		expect(formatWith('syslog', { message: 'plain' })).toMatch(/^<134>1 \S+ - n8n-netsec-events - event - plain$/);
		expect(() => formatWith('syslog', VELOCLOUD_EVENT, { eventFields: { time: 'soon' } })).toThrow('"soon" in Event Fields › Time is not a date');
	});

	it('never lets an event forge a second record: CR, LF, NEL and U+2028 in MSG and structured data are escaped', () => {
		const options = { syslogOptions: { structuredDataFields: 'message, edgeName' } };
		const line = formatWith('syslog', HOSTILE_VCO_EVENT, options);
		expect(records(line)).toHaveLength(1);
		expect(String(line)).toContain('Link down\\r\\n<13>1 2026-01-01T00:00:00Z forged');
		expect(controlCharacters(String(line), '\t')).toEqual([]);
		// Inside SD-PARAM values the escape's backslash is itself escaped (RFC 5424 §6.3.3).
		expect(String(line)).toContain('edgeName="edge\\\\r\\\\nforged');
		const spaced = formatWith('syslog', HOSTILE_VCO_EVENT, { syslogOptions: { ...options.syslogOptions, controlCharacters: 'space' } });
		expect(records(spaced)).toHaveLength(1);
		expect(String(spaced)).toContain(`Link down ${FORGED}`);
	});
});

describe('CEF', () => {
	it('names vendor, product, class, title and severity from the event, with standard extensions', () => {
		expect(formatWith('cef', VELOCLOUD_EVENT)).toBe(
			'CEF:0|VMware|VeloCloud Orchestrator|1.0|VPN_DATACENTER_STATUS|VPN_DATACENTER_STATUS on Zürich-Edge-02|3|' +
				'rt=1634971737000 msg=Tunnel to [Azure-SIN] - "IKE" a\\=b | c\\\\d\\nretrying dvchost=Zürich-Edge-02 externalId=2913202',
		);
		expect(formatWith('cef', ILLUMIO_EVENT)).toBe(
			'CEF:0|Illumio|Core PCE|1.0|user.login|user.login failed by amelia.hart@example.com|5|rt=1795947300123 ' +
				'msg=user.login failed by amelia.hart@example.com from 10.1.2.3. suser=amelia.hart@example.com dvchost=pce.example.com src=10.1.2.3 ' +
				'externalId=4f1a2c3d-0000-4000-8000-000000000001 request=https://pce.example.com:8443/#/events/4f1a2c3d-0000-4000-8000-000000000001',
		);
		expect(formatWith('cef', SMC_ALERT_RECORD)).toMatch(/^CEF:0\|Forcepoint\|SMC\|1\.0\|SSH_Brute-Force-Attempt\|.*\|7\|.*src=203\.0\.113\.9 dst=10\.10\.4\.20/);
		expect(formatWith('cef', { message: 'x' })).toBe('CEF:0|n8n|netsec-events|1.0|event|event|1|msg=x');
	});

	it('lets mapped extensions replace standard ones and turns standard extensions off', () => {
		const line = formatWith('cef', VELOCLOUD_EVENT, { cefExtensions: { extension: [{ key: 'msg', field: 'event' }, { key: 'cs1', field: 'segmentName' }] } });
		expect(line).toBe(
			'CEF:0|VMware|VeloCloud Orchestrator|1.0|VPN_DATACENTER_STATUS|VPN_DATACENTER_STATUS on Zürich-Edge-02|3|' +
				'rt=1634971737000 dvchost=Zürich-Edge-02 externalId=2913202 msg=VPN_DATACENTER_STATUS',
		);
		expect(formatWith('cef', VELOCLOUD_EVENT, { cefStandardExtensions: false })).toMatch(/\|3\|$/);
		expect(() => formatWith('cef', VELOCLOUD_EVENT, { cefExtensions: { extension: [{ key: 'a b', field: 'event' }] } })).toThrow(
			'"a b" is not a valid CEF extension key',
		);
	});

	it('keeps every record on one line whatever the event holds', () => {
		const line = formatWith('cef', HOSTILE_VCO_EVENT, { cefNameField: 'message' });
		expect(records(line)).toHaveLength(1);
		expect(controlCharacters(String(line), '\t')).toEqual([]);
		// Pipes in the header are escaped, so the seven header fields split cleanly (extensions may hold pipes).
		const fields = String(line).split(/(?<!\\)\|/);
		expect(fields.slice(0, 7)).toEqual(['CEF:0', 'VMware', 'VeloCloud Orchestrator', '1.0', 'VPN_DATACENTER_STATUS', expect.stringContaining('Link down <13>1'), '3']);
		expect(fields[5]).toContain('\\|cell\\|');
	});
});

describe('text', () => {
	it('writes "time SEVERITY type: message" from any vendor when left empty', () => {
		expect(formatWith('text', VELOCLOUD_EVENT)).toBe(
			'2021-10-23T06:48:57.000Z NOTICE VPN_DATACENTER_STATUS: Tunnel to [Azure-SIN] - "IKE" a=b | c\\d\\nretrying',
		);
		for (const item of Object.values(ALL_SAMPLES)) expect(records(formatWith('text', item))).toHaveLength(1);
	});

	it('escapes line breaks an expression brings in, unless told to keep them', () => {
		const text = `alert: ${HOSTILE_TEXT}`;
		expect(records(formatWith('text', {}, { text }))).toHaveLength(1);
		expect(formatWith('text', {}, { text: 'a\r\nb', textLineBreaks: 'space' })).toBe('a b');
		expect(formatWith('text', {}, { text: 'a\nb', textLineBreaks: 'keep' })).toBe('a\nb');
		expect(formatWith('text', {}, { text: { a: 1 } })).toBe('{"a":1}');
	});
});
