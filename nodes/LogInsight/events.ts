/**
 * vRLI ingestion rules (CFAPI `POST /api/v1/events/ingest/{agentId}`, ../shared/api/rest-apis.md §4.1):
 * what one event may hold, how a batch is sized, and what happens to old timestamps.
 *
 * - 4 MB of JSON per request and 16 KB per text: a longer text is cut at a UTF-8 boundary and ends
 *   with a marker saying how long it was.
 * - Without a session vRLI replaces a timestamp more than 10 minutes from its clock with its arrival
 *   time. Such an event is still sent, and its original time travels in the `original_timestamp`
 *   field (ISO 8601), so searches can still find it by when it happened; the item says so.
 * - A timestamp more than 10 minutes in the future, or one that is not a time, is an error for that
 *   item: it is a wrong clock or a wrong mapping, and vRLI would file the event at the wrong time.
 * - Field names are made safe for vRLI: letters, digits and underscores, not starting with a digit,
 *   at most 64 characters; the item lists the names that changed.
 */
import { parseTimestamp } from '../shared/time';

export const VRLI_MAX_BODY_BYTES = 4 * 1024 * 1024;
export const VRLI_MAX_TEXT_BYTES = 16 * 1024;
export const VRLI_MAX_CLIENT_DRIFT_MS = 10 * 60_000;
/** vRLI's guide: "Submit 1-500 events together in a single batch". */
export const VRLI_DEFAULT_BATCH_EVENTS = 500;
export const ORIGINAL_TIMESTAMP_FIELD = 'original_timestamp';

/** `{"events":[` and `]}` around the comma-separated events. */
const ENVELOPE_BYTES = Buffer.byteLength('{"events":[]}');
/** An event this close to the drift limit may cross it on the way: it is treated as old. */
const DRIFT_MARGIN_MS = 60_000;
const MAX_FIELD_NAME = 64;

export interface IngestField {
	name: string;
	content: string;
}

export interface IngestInput {
	text: unknown;
	/** a time in any form parseTimestamp reads; empty means "when vRLI receives it" */
	timestamp?: unknown;
	fields: IngestField[];
}

export interface EventNotes {
	/** the text's UTF-8 length before it was cut to 16 KB */
	textTruncatedFromBytes?: number;
	/** ISO time vRLI will not keep (it stores its arrival time); also sent in the original_timestamp field */
	originalTimestamp?: string;
	/** field names that were made safe: original → sent */
	renamedFields?: Record<string, string>;
}

export interface PreparedEvent {
	/** the event as JSON, ready to join into a request body */
	json: string;
	bytes: number;
	/** epoch ms sent, or undefined when vRLI stamps the arrival time */
	timestamp?: number;
	notes: EventNotes;
}

export type Prepared = { ok: true; event: PreparedEvent } | { ok: false; message: string; fix: string };

export interface IngestContext {
	/** a vRLI session is used: vRLI keeps every timestamp */
	authenticated: boolean;
	now: number;
}

export function prepareEvent(input: IngestInput, context: IngestContext): Prepared {
	const rawText = typeof input.text === 'string' ? input.text : input.text === undefined || input.text === null ? '' : JSON.stringify(input.text);
	if (rawText === '') return { ok: false, message: 'The event text is empty', fix: 'Map Text to a field the items carry, or pick a preset.' };
	const notes: EventNotes = {};
	const text = capText(rawText, VRLI_MAX_TEXT_BYTES);
	if (text !== rawText) notes.textTruncatedFromBytes = Buffer.byteLength(rawText);

	let timestamp: number | undefined;
	if (input.timestamp !== undefined && input.timestamp !== null && input.timestamp !== '') {
		const parsed = parseTimestamp(input.timestamp);
		if (!parsed) {
			return { ok: false, message: `The timestamp "${String(input.timestamp)}" is not a time`, fix: 'Map Timestamp to an ISO 8601 time or epoch seconds/milliseconds, or leave it empty to use the arrival time.' };
		}
		timestamp = parsed.getTime();
		const ahead = timestamp - context.now;
		if (ahead > VRLI_MAX_CLIENT_DRIFT_MS) {
			return {
				ok: false,
				message: `The timestamp ${parsed.toISOString()} is ${Math.round(ahead / 60_000)} minutes in the future`,
				fix: 'Check the clock of the system the event comes from, or the field Timestamp is mapped to; leave Timestamp empty to use the arrival time.',
			};
		}
	}

	const fields: IngestField[] = [];
	const renamed: Record<string, string> = {};
	for (const field of input.fields) {
		const name = safeFieldName(field.name);
		if (name === '') return { ok: false, message: `The field name "${field.name}" has no letter, digit or underscore`, fix: 'Give the field a name such as vendor_event_id.' };
		if (name !== field.name) renamed[field.name] = name;
		fields.push({ name, content: field.content });
	}
	if (Object.keys(renamed).length > 0) notes.renamedFields = renamed;
	if (timestamp !== undefined && !context.authenticated && context.now - timestamp > VRLI_MAX_CLIENT_DRIFT_MS - DRIFT_MARGIN_MS) {
		notes.originalTimestamp = new Date(timestamp).toISOString();
		fields.push({ name: ORIGINAL_TIMESTAMP_FIELD, content: notes.originalTimestamp });
	}

	const json = JSON.stringify({ text, ...(timestamp === undefined ? {} : { timestamp }), fields });
	const bytes = Buffer.byteLength(json);
	if (bytes + ENVELOPE_BYTES > VRLI_MAX_BODY_BYTES) {
		return { ok: false, message: `The event is ${bytes} bytes of JSON; vRLI takes at most ${VRLI_MAX_BODY_BYTES} per request`, fix: 'Send fewer or shorter fields with this event.' };
	}
	return { ok: true, event: { json, bytes, timestamp, notes } };
}

/** The text cut to `maxBytes` UTF-8 bytes, marker included, never splitting a character. */
export function capText(text: string, maxBytes: number): string {
	const total = Buffer.byteLength(text);
	if (total <= maxBytes) return text;
	const marker = ` …[truncated from ${total} bytes]`;
	const room = maxBytes - Buffer.byteLength(marker);
	let cut = Buffer.from(text).subarray(0, room).toString('utf8');
	// A character cut in half decodes to U+FFFD; drop it.
	if (cut.endsWith('\ufffd') && !text.startsWith(cut)) cut = cut.slice(0, -1);
	while (Buffer.byteLength(cut) > room) cut = cut.slice(0, -1);
	return cut + marker;
}

const SAFE_FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function safeFieldName(name: string): string {
	if (SAFE_FIELD_NAME.test(name)) return name;
	let safe = name.replace(/[^A-Za-z0-9_]/g, '_');
	if (/^_*$/.test(safe) && !/^_+$/.test(name)) return '';
	if (/^[0-9]/.test(safe)) safe = `_${safe}`;
	return safe.slice(0, MAX_FIELD_NAME);
}

/** The request body for prepared events. */
export function ingestBody(events: readonly PreparedEvent[]): string {
	return `{"events":[${events.map((event) => event.json).join(',')}]}`;
}

/** What the shared count-and-bytes chunker needs to keep every body under vRLI's 4 MB. */
export const VRLI_BATCH_BYTES = {
	/** the comma each event adds, the first one's counted against the envelope */
	sizeOf: (event: PreparedEvent): number => event.bytes + 1,
	maxBytes: VRLI_MAX_BODY_BYTES - ENVELOPE_BYTES + 1,
};

export type BatchOutcome = { ok: true; ingested: number } | { ok: false; status: number; message: string };
export type EventOutcome = { ok: true; ingested: number; batchSize: number } | { ok: false; status: number; message: string };

/**
 * Sends a batch; when vRLI refuses it as a whole (400 or 413) the batch is halved until the events it
 * refuses stand alone, so one bad event fails alone with vRLI's message and the rest go in. At most
 * 2n - 1 requests for n events. Other failures are thrown by `send` and fail the batch.
 */
export async function sendSplittingRefusals<T>(events: readonly T[], send: (batch: readonly T[]) => Promise<BatchOutcome>): Promise<EventOutcome[]> {
	const outcome = await send(events);
	if (outcome.ok) return events.map(() => ({ ok: true, ingested: outcome.ingested, batchSize: events.length }));
	if (events.length === 1 || (outcome.status !== 400 && outcome.status !== 413)) return events.map(() => ({ ...outcome }));
	const half = Math.ceil(events.length / 2);
	return [...(await sendSplittingRefusals(events.slice(0, half), send)), ...(await sendSplittingRefusals(events.slice(half), send))];
}
