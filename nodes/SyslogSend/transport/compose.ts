/** From an item's text to the exact bytes on the wire. */
import { ApplianceError } from '../../shared/errors';
import {
	escapeControlCharacters,
	fitMessage,
	frameMessage,
	frameText,
	mustEscapeControls,
	UDP_MAX_PAYLOAD_BYTES,
	type Framing,
	type Transport,
} from './framing';
import { hasSyslogPri, rfc3164Header, rfc5424Header, type HeaderFields, type HeaderFormat } from './message';

export interface ComposeOptions {
	header: HeaderFormat;
	/** unused when the header is 'asIs' */
	fields?: HeaderFields;
	maxMessageBytes: number;
	oversize: 'truncate' | 'refuse';
	escapeControlCharacters: boolean;
	transport: Transport;
	framing: Framing;
}

export interface ComposedFrame {
	frame: Buffer;
	/** the syslog message's own size, without framing */
	messageBytes: number;
	truncated: boolean;
}

/** The largest message this transport carries in one piece under the user's limit. */
export function messageLimit(options: Pick<ComposeOptions, 'maxMessageBytes' | 'transport'>): number {
	return options.transport === 'udp' ? Math.min(options.maxMessageBytes, UDP_MAX_PAYLOAD_BYTES) : options.maxMessageBytes;
}

export function composeFrame(body: string, options: ComposeOptions): ComposedFrame {
	if (options.header === 'asIs' && !hasSyslogPri(body)) {
		throw new ApplianceError('config', `The message does not start with a syslog PRI such as "<134>"`, {
			description:
				'"Send As Is" expects a complete syslog message (Event Format\'s syslog preset writes one). Choose "Add RFC 5424 Header" to send any other text.',
		});
	}
	const escape = options.escapeControlCharacters || mustEscapeControls(options.transport, options.framing);
	const text = escape ? escapeControlCharacters(body) : body;
	const header = options.header === 'asIs' || !options.fields ? '' : options.header === 'rfc3164' ? rfc3164Header(options.fields) : rfc5424Header(options.fields);
	const limit = messageLimit(options);
	const message = header + text;
	const bytes = Buffer.byteLength(message, 'utf8');
	if (bytes <= limit) return { frame: frameText(message, bytes, options.transport, options.framing), messageBytes: bytes, truncated: false };
	const fitted = fitMessage(header, text, limit, options.oversize);
	return {
		frame: frameMessage(fitted.bytes, options.transport, options.framing),
		messageBytes: fitted.bytes.length,
		truncated: fitted.truncated,
	};
}
