import { composeFrame, type ComposeOptions } from '../../../nodes/SyslogSend/transport/compose';
import { escapeControlCharacters, fitMessage, OversizeMessageError, TRUNCATION_MARKER } from '../../../nodes/SyslogSend/transport/framing';
import { hasSyslogPri, rfc3164Header, rfc5424Header, type HeaderFields } from '../../../nodes/SyslogSend/transport/message';

const FIELDS: HeaderFields = {
	facility: 16,
	severity: 4,
	timestamp: new Date('2021-10-23T06:08:57.123Z'),
	hostname: 'vco.example.com',
	appName: 'n8n',
	procId: '',
	msgId: 'LINK_DEAD',
	timeZone: 'UTC',
};

const OPTIONS: ComposeOptions = {
	header: 'rfc5424',
	fields: FIELDS,
	maxMessageBytes: 8192,
	oversize: 'truncate',
	escapeControlCharacters: true,
	transport: 'tcp',
	framing: 'octetCounting',
};

describe('syslog headers', () => {
	it('writes RFC 5424 with NILVALUEs and no structured data', () => {
		expect(rfc5424Header(FIELDS)).toBe('<132>1 2021-10-23T06:08:57.123Z vco.example.com n8n - LINK_DEAD - ');
		expect(rfc5424Header({ ...FIELDS, hostname: 'edge 01\n', appName: '', msgId: '' })).toBe('<132>1 2021-10-23T06:08:57.123Z edge_01_ - - - - ');
	});

	it('writes RFC 3164 in the given zone with a space-padded day and a clean TAG', () => {
		expect(rfc3164Header({ ...FIELDS, timestamp: new Date('2021-11-05T23:04:05Z') })).toBe('<132>Nov  5 23:04:05 vco.example.com n8n: ');
		expect(rfc3164Header({ ...FIELDS, timestamp: new Date('2021-11-05T23:04:05Z'), timeZone: 'Europe/Zurich', appName: 'net sec!', procId: '42' })).toBe(
			'<132>Nov  6 00:04:05 vco.example.com netsec[42]: ',
		);
	});

	it('recognises a complete syslog message by its PRI', () => {
		expect(hasSyslogPri('<134>1 2021-10-23T06:48:57.000Z host app - - - text')).toBe(true);
		expect(hasSyslogPri('<191>Oct 23 06:48:57 host app: text')).toBe(true);
		expect(hasSyslogPri('<192>1 x')).toBe(false);
		expect(hasSyslogPri('<01>1 x')).toBe(false);
		expect(hasSyslogPri('CEF:0|VMware|VCO|1|x|y|5|')).toBe(false);
	});
});

describe('framing', () => {
	it('frames by octet count (bytes, not characters), LF, or one datagram', () => {
		const body = 'CEF:0|VMware|VCO|5.0|LINK_DEAD|Zürich down|7|';
		const octet = composeFrame(body, OPTIONS);
		const message = `<132>1 2021-10-23T06:08:57.123Z vco.example.com n8n - LINK_DEAD - ${body}`;
		expect(octet.frame.toString('utf8')).toBe(`${Buffer.byteLength(message)} ${message}`);
		expect(octet.messageBytes).toBe(Buffer.byteLength(message));
		expect(composeFrame(body, { ...OPTIONS, framing: 'lf' }).frame.toString('utf8')).toBe(`${message}\n`);
		expect(composeFrame(body, { ...OPTIONS, transport: 'udp' }).frame.toString('utf8')).toBe(message);
	});

	it('sends a preformatted message as is, and refuses one without a PRI', () => {
		const line = '<133>1 2021-10-23T06:48:57.000Z vco n8n-netsec-events - X - text';
		expect(composeFrame(line, { ...OPTIONS, header: 'asIs', fields: undefined }).frame.toString()).toBe(`${line.length} ${line}`);
		expect(() => composeFrame('CEF:0|a|b|c|d|e|5|', { ...OPTIONS, header: 'asIs' })).toThrow('does not start with a syslog PRI');
	});
});

describe('control characters', () => {
	it('escapes them the way rsyslog does, keeping TAB', () => {
		expect(escapeControlCharacters('a\nb\r\0c\td\x1b[31m\x7f')).toBe('a#012b#015#000c\td#033[31m#177');
	});

	it('are always escaped with LF framing, where a line break would end the message', () => {
		const body = 'first\nsecond';
		expect(composeFrame(body, { ...OPTIONS, escapeControlCharacters: false, framing: 'lf' }).frame.toString()).toMatch(/ first#012second\n$/);
		expect(composeFrame(body, { ...OPTIONS, escapeControlCharacters: false }).frame.toString()).toMatch(/ first\nsecond$/);
	});
});

describe('oversize messages', () => {
	const megabyte = 'é'.repeat(512 * 1024);

	it('are cut at a character boundary, header kept, marker at the end, never over the limit', () => {
		for (const limit of [480, 2048, 8192]) {
			const { frame, truncated, messageBytes } = composeFrame(megabyte, { ...OPTIONS, maxMessageBytes: limit, transport: 'udp' });
			expect(truncated).toBe(true);
			expect(messageBytes).toBeLessThanOrEqual(limit);
			expect(messageBytes).toBeGreaterThan(limit - 2);
			const text = frame.toString('utf8');
			expect(text.startsWith('<132>1 2021-10-23T06:08:57.123Z vco.example.com n8n - LINK_DEAD - éé')).toBe(true);
			expect(text.endsWith(`é${TRUNCATION_MARKER}`)).toBe(true);
			expect(text).not.toContain('\ufffd');
		}
	});

	it('over UDP never exceed one datagram, whatever the limit', () => {
		const { messageBytes } = composeFrame('x'.repeat(100_000), { ...OPTIONS, transport: 'udp', maxMessageBytes: 1_000_000 });
		expect(messageBytes).toBe(65_507);
	});

	it('are refused when asked, with the sizes', () => {
		expect(() => composeFrame(megabyte, { ...OPTIONS, oversize: 'refuse' })).toThrow(new OversizeMessageError(Buffer.byteLength(rfc5424Header(FIELDS)) + 1_048_576, 8192));
		expect(() => fitMessage('x'.repeat(600), 'y', 500, 'truncate')).toThrow(OversizeMessageError);
	});
});
