import { sleep } from 'n8n-workflow';

/**
 * The one retry policy of the package: 429, 5xx and connection resets back off with jitter and honour
 * Retry-After; everything else fails at once. Bounded by attempts and by total time, so a poll never
 * hangs on a sick appliance.
 */
export interface RetryPolicy {
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** total time the retries of one request may take before giving up */
	maxElapsedMs: number;
	/** wait after a 429 that carries no Retry-After (VCO's penalty box is 5 s) */
	rateLimitDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxElapsedMs: 120_000,
	rateLimitDelayMs: 5_000,
};

/** An attempt that may succeed if repeated; `retryAfterMs` comes from the appliance when it said so. */
export class RetryableError extends Error {
	constructor(
		message: string,
		readonly reason: 'rate-limit' | 'server-error' | 'connection',
		readonly retryAfterMs?: number,
		readonly lastError?: Error,
	) {
		super(message);
		this.name = 'RetryableError';
	}
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
	return RETRYABLE_STATUS.has(status);
}

/** Retry-After in seconds or as an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const seconds = Number(text);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(String(text));
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Full jitter on an exponential step, never under what the appliance asked for. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, error: RetryableError, random = Math.random): number {
	if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, policy.maxDelayMs);
	if (error.reason === 'rate-limit') return policy.rateLimitDelayMs;
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(step / 2 + random() * (step / 2));
}

export async function withRetry<T>(
	policy: RetryPolicy,
	attemptOnce: (attempt: number) => Promise<T>,
	wait: (ms: number) => Promise<void> = sleep,
): Promise<T> {
	const started = Date.now();
	for (let attempt = 1; ; attempt++) {
		try {
			return await attemptOnce(attempt);
		} catch (error) {
			if (!(error instanceof RetryableError)) throw error;
			const delay = retryDelayMs(policy, attempt, error);
			const outOfTime = Date.now() - started + delay > policy.maxElapsedMs;
			if (attempt >= policy.maxAttempts || outOfTime) {
				throw new RetryGaveUpError(error, attempt, Date.now() - started);
			}
			await wait(delay);
		}
	}
}

export class RetryGaveUpError extends Error {
	constructor(
		readonly last: RetryableError,
		readonly attempts: number,
		readonly elapsedMs: number,
	) {
		super(`${last.message} (gave up after ${attempts} attempts in ${Math.round(elapsedMs / 1000)} s)`);
		this.name = 'RetryGaveUpError';
	}
}
