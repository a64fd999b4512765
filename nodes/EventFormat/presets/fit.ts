import { truncate, utf8Length } from './safeText';

/** Bytes of a payload as it goes on the wire: compact JSON in UTF-8. */
export function jsonBytes(payload: unknown): number {
	return utf8Length(JSON.stringify(payload));
}

/**
 * Fits a payload under a byte budget (Teams refuses messages over about 28 KB with "Request Entity
 * Too Large"): first the message text is shortened (binary search on its length, so escaping and
 * multi-byte characters are measured, not guessed), then trailing facts are dropped.
 * `build(message, factCount)` renders the payload. Undefined when even the bare payload is too big.
 */
export function fitPayload<T>(message: string, factCount: number, maxBytes: number, build: (message: string, factCount: number) => T): T | undefined {
	for (let facts = factCount; facts >= 0; facts--) {
		const whole = build(message, facts);
		if (jsonBytes(whole) <= maxBytes) return whole;
		if (jsonBytes(build('', facts)) > maxBytes) continue;
		let fits = 0;
		let tooLong = message.length;
		while (tooLong - fits > 1) {
			const middle = Math.floor((fits + tooLong) / 2);
			if (jsonBytes(build(truncate(message, middle), facts)) <= maxBytes) fits = middle;
			else tooLong = middle;
		}
		return build(truncate(message, fits), facts);
	}
	return undefined;
}
