/**
 * What goes on the wire for one syslog message: control characters made visible, the size kept
 * under the receiver's limit (cut with a marker or refused, never split into two messages), and the
 * transport's framing (RFC 5426 one datagram, RFC 6587 octet counting or LF, RFC 5425 over TLS).
 */
export type Transport = 'udp' | 'tcp' | 'tls';
export type Framing = 'octetCounting' | 'lf';

/** The largest UDP payload over IPv4: 65,535 − 20 (IP header) − 8 (UDP header). */
export const UDP_MAX_PAYLOAD_BYTES = 65_507;

/** Appended where a message was cut; ASCII so receivers with any charset show it. */
export const TRUNCATION_MARKER = '...[truncated]';

/** C0 controls except TAB, and DEL: the characters receivers mangle or read as frame ends. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\x00-\x08\x0a-\x1f\x7f]/g;

// eslint-disable-next-line no-control-regex -- the same set, to skip the replace for clean text
const HAS_CONTROL_CHARACTER = /[\x00-\x08\x0a-\x1f\x7f]/;

/** rsyslog's own convention (`#012` for LF), so the text reads the same as rsyslog's escaping. */
export function escapeControlCharacters(text: string): string {
	if (!HAS_CONTROL_CHARACTER.test(text)) return text;
	return text.replace(CONTROL_CHARACTERS, (char) => `#${char.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

export class OversizeMessageError extends Error {
	constructor(
		readonly bytes: number,
		readonly limit: number,
	) {
		super(`The message is ${bytes} bytes, over the limit of ${limit} bytes`);
		this.name = 'OversizeMessageError';
	}
}

export interface FittedMessage {
	bytes: Buffer;
	truncated: boolean;
}

/**
 * The header is never cut (a receiver must still parse PRI, time and host); the body is cut at a
 * UTF-8 character boundary so the marker follows whole characters.
 */
export function fitMessage(header: string, body: string, limit: number, oversize: 'truncate' | 'refuse'): FittedMessage {
	const whole = Buffer.from(header + body, 'utf8');
	if (whole.length <= limit) return { bytes: whole, truncated: false };
	if (oversize === 'refuse') throw new OversizeMessageError(whole.length, limit);
	const headerBytes = Buffer.byteLength(header, 'utf8');
	const room = limit - headerBytes - TRUNCATION_MARKER.length;
	if (room < 0) throw new OversizeMessageError(whole.length, limit);
	let end = headerBytes + room;
	// Step back over UTF-8 continuation bytes (10xxxxxx) to the start of a character.
	while (end > headerBytes && (whole[end] & 0xc0) === 0x80) end--;
	return { bytes: Buffer.concat([whole.subarray(0, end), Buffer.from(TRUNCATION_MARKER, 'ascii')]), truncated: true };
}

/** The bytes one message takes on the wire. */
export function frameMessage(message: Buffer, transport: Transport, framing: Framing): Buffer {
	if (transport === 'udp') return message;
	if (framing === 'lf') return Buffer.concat([message, LF]);
	return Buffer.concat([Buffer.from(`${message.length} `, 'ascii'), message]);
}

/** The same for a message that fits, encoded once (the common case, kept cheap for high volumes). */
export function frameText(message: string, bytes: number, transport: Transport, framing: Framing): Buffer {
	if (transport === 'udp') return Buffer.from(message, 'utf8');
	if (framing === 'lf') return Buffer.from(`${message}\n`, 'utf8');
	return Buffer.from(`${bytes} ${message}`, 'utf8');
}

const LF = Buffer.from('\n', 'ascii');

/** LF framing ends a message at the first LF, so those messages always get their controls escaped. */
export function mustEscapeControls(transport: Transport, framing: Framing): boolean {
	return transport !== 'udp' && framing === 'lf';
}
