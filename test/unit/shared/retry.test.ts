import { parseRetryAfter, RetryableError, retryDelayMs, RetryGaveUpError, withRetry, type RetryPolicy } from '../../../nodes/shared/transport/retry';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 60_000, rateLimitDelayMs: 5000 };

describe('the retry policy', () => {
	it('reads Retry-After in seconds and as an HTTP date', () => {
		expect(parseRetryAfter('7')).toBe(7000);
		expect(parseRetryAfter(['2'])).toBe(2000);
		expect(parseRetryAfter('Sun, 29 Nov 2026 12:00:10 GMT', Date.parse('2026-11-29T12:00:00Z'))).toBe(10_000);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
	});

	it('honours what the appliance asked for (capped), waits out a 429 without one, and jitters the rest', () => {
		expect(retryDelayMs(policy, 1, new RetryableError('x', 'rate-limit', 3000))).toBe(1000);
		expect(retryDelayMs(policy, 1, new RetryableError('x', 'rate-limit'))).toBe(5000);
		expect(retryDelayMs(policy, 3, new RetryableError('x', 'server-error'), () => 0)).toBe(200);
		expect(retryDelayMs(policy, 3, new RetryableError('x', 'server-error'), () => 0.999)).toBeLessThanOrEqual(400);
	});

	it('retries what is retryable, fails at once on anything else, and gives up after the attempts', async () => {
		const waits: number[] = [];
		const wait = async (ms: number) => {
			waits.push(ms);
		};
		let calls = 0;
		await expect(
			withRetry(
				policy,
				async () => {
					calls++;
					if (calls < 3) throw new RetryableError('busy', 'server-error', 10);
					return 'ok';
				},
				wait,
			),
		).resolves.toBe('ok');
		expect(waits).toEqual([10, 10]);

		calls = 0;
		await expect(
			withRetry(
				policy,
				async () => {
					calls++;
					throw new Error('400 bad request');
				},
				wait,
			),
		).rejects.toThrow('400 bad request');
		expect(calls).toBe(1);

		const gaveUp = await withRetry(policy, async () => await Promise.reject(new RetryableError('down', 'connection', 1)), wait).catch((error: unknown) => error);
		expect(gaveUp).toBeInstanceOf(RetryGaveUpError);
		expect((gaveUp as RetryGaveUpError).attempts).toBe(4);
	});

	it('gives up before a wait would pass the time budget', async () => {
		const tight = { ...policy, maxElapsedMs: 500 };
		const error = await withRetry(tight, async () => await Promise.reject(new RetryableError('slow', 'rate-limit', 5000)), async () => {}).catch(
			(caught: unknown) => caught,
		);
		expect((error as RetryGaveUpError).attempts).toBe(1);
	});
});
