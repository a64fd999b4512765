import type { IDataObject } from 'n8n-workflow';

import { ApplianceError } from '../errors';
import type { TlsOptions } from '../tls';
import { NetworkError, type HttpRequestSpec, type HttpResult, type HttpSend } from './http';
import {
	DEFAULT_RETRY_POLICY,
	isRetryableStatus,
	parseRetryAfter,
	RetryableError,
	RetryGaveUpError,
	withRetry,
	type RetryPolicy,
} from './retry';

export interface ClientOptions {
	retryPolicy?: RetryPolicy;
	/** deadline of one request, its body included */
	timeoutMs?: number;
	maxResponseBytes?: number;
	/** how retries wait (tests pass a recorder) */
	wait?: (ms: number) => Promise<void>;
}

/** What a node needs of any client: the secrets to redact and a way to end the session. */
export interface ClosableClient {
	readonly secrets: ReadonlyArray<string | undefined>;
	close(): Promise<void>;
}

/** The appliance says the session is gone: the client renews it once and repeats the call. */
export class SessionExpiredError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SessionExpiredError';
	}
}

export type ClientRequest = Omit<HttpRequestSpec, 'tls' | 'timeoutMs' | 'maxResponseBytes'> &
	Partial<Pick<HttpRequestSpec, 'timeoutMs' | 'maxResponseBytes'>>;

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * What every vendor client shares: one request path with the credential's TLS options and the size and
 * time caps, the package's one retry policy, "renew the session once, then repeat the call", and the
 * mapping of what finally went wrong to an error that names the fix. A vendor client adds its paths,
 * its auth and its way of telling errors apart. One client lives for one execution or one poll.
 */
export abstract class ApplianceClient implements ClosableClient {
	protected readonly policy: RetryPolicy;

	protected constructor(
		private readonly send: HttpSend,
		protected readonly tls: TlsOptions,
		protected readonly options: ClientOptions = {},
	) {
		this.policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
	}

	/** How messages name the appliance ("VCO", "the PCE"). */
	protected abstract readonly applianceName: string;

	/** Every secret this client may put on the wire, for redaction. */
	abstract get secrets(): ReadonlyArray<string | undefined>;

	/** Drops the session so the next attempt logs in again (token auth has nothing to drop). */
	protected forgetSession(): void {}

	/** Ends the session; never throws: the work is done by then. */
	async close(): Promise<void> {}

	/**
	 * One logical call: retried under the policy; a session that died between calls is renewed once and
	 * the call repeated; whatever finally fails becomes an ApplianceError naming the fix.
	 */
	protected async perform<T>(label: string, attemptOnce: () => Promise<T>): Promise<T> {
		let renewedSession = false;
		try {
			return await withRetry(
				this.policy,
				async () => {
					try {
						return await attemptOnce();
					} catch (error) {
						if (error instanceof SessionExpiredError && !renewedSession) {
							renewedSession = true;
							this.forgetSession();
							return await attemptOnce();
						}
						throw error;
					}
				},
				this.options.wait,
			);
		} catch (error) {
			throw this.finalError(error, label);
		}
	}

	/** Sends one request; a dropped connection or a stalled answer becomes retryable. */
	protected async request(request: ClientRequest): Promise<HttpResult> {
		try {
			return await this.send({
				timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
				maxResponseBytes: this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
				...request,
				tls: this.tls,
			});
		} catch (error) {
			if (error instanceof NetworkError && (error.kind === 'reset' || error.kind === 'timeout')) {
				throw new RetryableError(error.message, 'connection', undefined, error);
			}
			throw error;
		}
	}

	/** 429 and the retryable 5xx as RetryableError (honouring Retry-After); any other answer passes. */
	protected throwIfRetryable(response: HttpResult, label: string): void {
		const retryAfter = parseRetryAfter(response.headers['retry-after'] ?? response.headers['Retry-After']);
		if (response.status === 429) {
			throw new RetryableError(`${this.applianceName} rate limit (429) on ${label}`, 'rate-limit', retryAfter);
		}
		if (isRetryableStatus(response.status)) {
			throw new RetryableError(`${this.applianceName} answered HTTP ${response.status} to ${label}`, 'server-error', retryAfter);
		}
	}

	/** A JSON answer; a malformed 2xx (a truncated body, a proxy page) is usually transient, so retryable. */
	protected parseJson(response: HttpResult, label: string): unknown {
		return parseJsonBody(response, `${this.applianceName} (${label})`);
	}

	private finalError(error: unknown, label: string): Error {
		if (error instanceof ApplianceError) return error;
		if (error instanceof RetryGaveUpError) {
			const kind = error.last.reason === 'rate-limit' ? 'rate-limit' : error.last.reason === 'connection' ? 'unreachable' : 'server';
			return new ApplianceError(kind, `${this.applianceName} call ${label} failed: ${error.message}`, {
				description:
					kind === 'rate-limit'
						? `${this.applianceName} kept throttling the requests: run less often or ask for less at a time.`
						: `${this.applianceName} is unavailable or overloaded; a trigger retries the same window on its next poll, nothing is lost.`,
			});
		}
		if (error instanceof NetworkError) return networkFailure(error, this.applianceName);
		if (error instanceof SessionExpiredError) {
			return new ApplianceError('auth', `${this.applianceName} ended the session again right after a new login: ${error.message}`, {
				description: 'Check that the account is allowed to use the API.',
			});
		}
		return error instanceof Error ? error : new Error(String(error));
	}
}

/** A request that got no usable answer, as an ApplianceError that names the fix. */
export function networkFailure(error: NetworkError, applianceName: string): ApplianceError {
	const descriptions: Record<NetworkError['kind'], string> = {
		tls: `Put the CA that signed the ${applianceName} certificate into the credential's Custom CA Certificate field, or turn on "Ignore SSL Issues" as a last resort.`,
		unreachable: `Check the host name, the port and that n8n can reach ${applianceName} (DNS, firewall, proxy).`,
		timeout: `${applianceName} is slow or unreachable; try again, or ask for less at a time (a narrower window, a smaller page).`,
		oversized: 'Narrow the time window or lower the page size.',
		reset: 'The connection dropped; the next run retries.',
	};
	const kind = error.kind === 'reset' ? 'unreachable' : error.kind;
	return new ApplianceError(kind, error.message, { description: descriptions[error.kind] });
}

/** The JSON of an answer; undefined for an empty body; a malformed 2xx is retryable, other statuses pass as undefined. */
export function parseJsonBody(response: HttpResult, source: string): unknown {
	if (response.text.trim() === '') return undefined;
	try {
		return JSON.parse(response.text);
	} catch {
		if (response.status >= 200 && response.status < 300) {
			throw new RetryableError(`${source} answered HTTP ${response.status} with malformed JSON`, 'server-error');
		}
		return undefined;
	}
}

/** `name=value` pairs of Set-Cookie headers (attributes dropped, empty values ignored). */
export function parseSetCookies(values: string[]): Map<string, string> {
	const cookies = new Map<string, string>();
	for (const value of values) {
		const [pair] = value.split(';');
		const index = pair.indexOf('=');
		if (index > 0) {
			const content = pair.slice(index + 1).trim();
			if (content !== '') cookies.set(pair.slice(0, index).trim(), content);
		}
	}
	return cookies;
}

/** A shallow description of a JSON value for "unexpected answer" messages, never its content. */
export function describeJsonShape(value: unknown): string {
	if (value === undefined) return 'an empty answer';
	if (value === null) return 'null';
	if (Array.isArray(value)) return `a list of ${value.length}`;
	if (typeof value === 'object') {
		const keys = Object.keys(value as IDataObject).slice(0, 5);
		return keys.length === 0 ? 'an empty object' : `an object with ${keys.join(', ')}`;
	}
	return `a ${typeof value}`;
}
