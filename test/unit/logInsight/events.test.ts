import {
	capText,
	ingestBody,
	prepareEvent,
	safeFieldName,
	sendSplittingRefusals,
	VRLI_BATCH_BYTES,
	VRLI_MAX_BODY_BYTES,
	VRLI_MAX_TEXT_BYTES,
	type BatchOutcome,
	type PreparedEvent,
} from '../../../nodes/LogInsight/events';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const anonymous = { authenticated: false, now: NOW };
const session = { authenticated: true, now: NOW };

function prepared(input: Parameters<typeof prepareEvent>[0], context = anonymous): PreparedEvent {
	const result = prepareEvent(input, context);
	if (!result.ok) throw new Error(result.message);
	return result.event;
}

describe('vRLI events: text, timestamp and field rules', () => {
	it('serialises text, timestamp and fields in the CFAPI shape', () => {
		const event = prepared({ text: 'hello', timestamp: NOW - 1000, fields: [{ name: 'vendor', content: 'vmware' }] });
		expect(JSON.parse(event.json)).toEqual({ text: 'hello', timestamp: NOW - 1000, fields: [{ name: 'vendor', content: 'vmware' }] });
		expect(event.bytes).toBe(Buffer.byteLength(event.json));
		expect(event.notes).toEqual({});
	});

	it('leaves the timestamp out when none is mapped (vRLI stamps the arrival time)', () => {
		for (const timestamp of [undefined, null, '']) {
			const event = prepared({ text: 'x', timestamp, fields: [] });
			expect(JSON.parse(event.json)).toEqual({ text: 'x', fields: [] });
			expect(event.timestamp).toBeUndefined();
		}
	});

	it('reads ISO, epoch seconds and epoch milliseconds', () => {
		expect(prepared({ text: 'x', timestamp: '2026-11-29T11:59:00Z', fields: [] }).timestamp).toBe(NOW - 60_000);
		expect(prepared({ text: 'x', timestamp: (NOW - 60_000) / 1000, fields: [] }).timestamp).toBe(NOW - 60_000);
		expect(prepared({ text: 'x', timestamp: NOW - 60_000, fields: [] }).timestamp).toBe(NOW - 60_000);
	});

	it('without a session, keeps the original time of an old event in original_timestamp and says so', () => {
		const dayOld = NOW - 86_400_000;
		const event = prepared({ text: 'flow', timestamp: dayOld, fields: [{ name: 'a', content: '1' }] });
		expect(event.notes.originalTimestamp).toBe('2026-11-28T12:00:00.000Z');
		expect(JSON.parse(event.json).fields).toEqual([{ name: 'a', content: '1' }, { name: 'original_timestamp', content: '2026-11-28T12:00:00.000Z' }]);
		expect(JSON.parse(event.json).timestamp).toBe(dayOld);
		// Within the tolerance (less a minute for the trip) nothing is added.
		expect(prepared({ text: 'x', timestamp: NOW - 8 * 60_000, fields: [] }).notes).toEqual({});
		expect(prepared({ text: 'x', timestamp: NOW - 9.5 * 60_000, fields: [] }).notes.originalTimestamp).toBeDefined();
	});

	it('with a session, sends old timestamps as they are: vRLI keeps them', () => {
		const event = prepared({ text: 'flow', timestamp: NOW - 86_400_000, fields: [] }, session);
		expect(event.notes).toEqual({});
		expect(JSON.parse(event.json).fields).toEqual([]);
	});

	it('cuts a text over 16 KB at a character boundary with a marker, and says how long it was', () => {
		const text = 'é'.repeat(10_000);
		const event = prepared({ text, fields: [] });
		const sent = JSON.parse(event.json).text as string;
		expect(Buffer.byteLength(sent)).toBeLessThanOrEqual(VRLI_MAX_TEXT_BYTES);
		expect(Buffer.byteLength(sent)).toBeGreaterThan(VRLI_MAX_TEXT_BYTES - 4);
		expect(sent).toMatch(/^é+ …\[truncated from 20000 bytes\]$/);
		expect(event.notes.textTruncatedFromBytes).toBe(20_000);
		expect(capText('a'.repeat(VRLI_MAX_TEXT_BYTES), VRLI_MAX_TEXT_BYTES)).toBe('a'.repeat(VRLI_MAX_TEXT_BYTES));
		const emoji = capText('😀'.repeat(5000), VRLI_MAX_TEXT_BYTES);
		expect(emoji).not.toMatch(/\ufffd/);
		expect(Buffer.byteLength(emoji)).toBeLessThanOrEqual(VRLI_MAX_TEXT_BYTES);
	});

	it('makes field names safe and lists the renames', () => {
		expect(safeFieldName('__vrni_flow_port')).toBe('__vrni_flow_port');
		expect(safeFieldName('edge.name')).toBe('edge_name');
		expect(safeFieldName('9lives')).toBe('_9lives');
		expect(safeFieldName('x'.repeat(80))).toHaveLength(64);
		const event = prepared({ text: 'x', fields: [{ name: 'edge.name', content: 'e1' }, { name: 'ok', content: '1' }] });
		expect(event.notes.renamedFields).toEqual({ 'edge.name': 'edge_name' });
		expect(JSON.parse(event.json).fields).toEqual([{ name: 'edge_name', content: 'e1' }, { name: 'ok', content: '1' }]);
	});

	it('writes objects given as text as JSON', () => {
		expect(JSON.parse(prepared({ text: { a: 1 }, fields: [] }).json).text).toBe('{"a":1}');
	});

	describe('bad input: a per-item error that names the fix', () => {
		it.each([
			['an empty text', { text: '', fields: [] }, /text is empty/, /Map Text/],
			['no text at all', { text: undefined, fields: [] }, /text is empty/, /Map Text/],
			['an unparseable timestamp', { text: 'x', timestamp: 'yesterday-ish', fields: [] }, /"yesterday-ish" is not a time/, /ISO 8601/],
			['a timestamp in the future', { text: 'x', timestamp: NOW + 3_600_000, fields: [] }, /60 minutes in the future/, /clock/],
			['a field name with nothing usable', { text: 'x', fields: [{ name: '$%', content: '1' }] }, /field name "\$%"/, /vendor_event_id/],
			['an event over 4 MB', { text: 'x', fields: [{ name: 'blob', content: 'y'.repeat(VRLI_MAX_BODY_BYTES) }] }, /at most 4194304 per request/, /fewer or shorter/],
		])('%s', (_label, input, message, fix) => {
			const result = prepareEvent(input, anonymous);
			expect(result.ok).toBe(false);
			if (!result.ok) {
				expect(result.message).toMatch(message);
				expect(result.fix).toMatch(fix);
			}
		});

		it('refuses a future timestamp with a session too', () => {
			expect(prepareEvent({ text: 'x', timestamp: NOW + 3_600_000, fields: [] }, session).ok).toBe(false);
		});
	});
});

describe('vRLI batches', () => {
	it('counts the envelope and commas exactly: a body of events summing to maxBytes is 4 MB', () => {
		const events = [prepared({ text: 'a', fields: [] }), prepared({ text: 'bb', fields: [] })];
		const body = ingestBody(events);
		expect(JSON.parse(body)).toEqual({ events: [{ text: 'a', fields: [] }, { text: 'bb', fields: [] }] });
		const sized = events.reduce((sum, event) => sum + VRLI_BATCH_BYTES.sizeOf(event), 0);
		expect(Buffer.byteLength(body)).toBe(sized - 1 + (VRLI_MAX_BODY_BYTES - VRLI_BATCH_BYTES.maxBytes + 1));
	});

	it('splits a refused batch until the bad event stands alone; the others go in', async () => {
		const events = Array.from({ length: 8 }, (_, i) => i);
		const requests: number[][] = [];
		const send = async (batch: readonly number[]): Promise<BatchOutcome> => {
			requests.push([...batch]);
			return batch.includes(5) ? { ok: false, status: 400, message: 'Invalid request body.' } : { ok: true, ingested: batch.length };
		};
		const outcomes = await sendSplittingRefusals(events, send);
		expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, true, true, true, false, true, true]);
		expect(outcomes[5]).toEqual({ ok: false, status: 400, message: 'Invalid request body.' });
		expect(outcomes[0]).toEqual({ ok: true, ingested: 4, batchSize: 4 });
		expect(requests).toEqual([[0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 2, 3], [4, 5, 6, 7], [4, 5], [4], [5], [6, 7]]);
	});

	it('splits on 413 as well, and never sends more than 2n - 1 requests', async () => {
		let requests = 0;
		const outcomes = await sendSplittingRefusals(Array.from({ length: 16 }, (_, i) => i), async () => {
			requests += 1;
			return { ok: false, status: 413, message: 'too large' };
		});
		expect(outcomes.every((outcome) => !outcome.ok)).toBe(true);
		expect(requests).toBe(31);
	});

	it('does not split other refusals: every event of the batch carries them', async () => {
		let requests = 0;
		const outcomes = await sendSplittingRefusals([1, 2, 3], async () => {
			requests += 1;
			return { ok: false, status: 401, message: 'Invalid session ID' };
		});
		expect(requests).toBe(1);
		expect(outcomes).toEqual([1, 2, 3].map(() => ({ ok: false, status: 401, message: 'Invalid session ID' })));
	});
});
