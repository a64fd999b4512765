import type { IDataObject } from 'n8n-workflow';

import { ApplianceError } from '../../shared/errors';
import {
	ApplianceClient,
	RetryableError,
	SessionExpiredError,
	isRetryableStatus,
	parseRetryAfter,
	type ClientOptions,
	type HttpResult,
	type HttpSend,
	type QueryParameters,
} from '../../shared/transport';
import type { SearchResult } from '../flows';
import type { NetworkInsightCredentials } from './credentials';

type OnPremCredentials = Extract<NetworkInsightCredentials, { kind: 'onPrem' }>;
type CloudCredentials = Extract<NetworkInsightCredentials, { kind: 'cloud' }>;

/** Renew a token this long before vRNI's expiry, so no call runs on a token that dies in flight. */
const RENEW_MARGIN_MS = 5 * 60_000;
/** A token without an expiry is treated as short-lived (vRNI tokens last 5 hours). */
const ASSUMED_TOKEN_LIFETIME_MS = 60 * 60_000;

export interface SearchRequest {
	entity_type: string;
	filter?: string;
	/** epoch seconds, both inclusive */
	time_range?: { start_time: number; end_time: number };
	size: number;
	cursor?: string;
}

export interface SearchPage {
	results: SearchResult[];
	cursor?: string | null;
	total_count?: number;
	start_time?: number;
	end_time?: number;
}

/** One result of `/entities/fetch`: the entity and the time of the snapshot. */
export interface FetchedEntity {
	entity_id: string;
	entity_type: string;
	time?: number;
	entity: IDataObject;
}

interface Token {
	value: string;
	expiresAt: number;
}

/**
 * The vRNI public API (`/api/ni`, or vRNI Cloud's `/ni/api/ni`): a token from `POST /auth/token` (or a
 * CSP access token for vRNI Cloud) renewed before it expires and once more when vRNI answers 401,
 * deleted when the execution ends (vRNI allows 100 live tokens per user); 429 and 5xx through the
 * shared retry policy; vRNI's ApiError message shown as is (a refused filter names its fault).
 */
export class NetworkInsightClient extends ApplianceClient {
	protected readonly applianceName = 'vRNI';
	/** the token in use, or the login under way (calls running side by side share one login) */
	private token?: Promise<Token>;
	private readonly tokensSeen: string[] = [];
	/** on-premises tokens obtained and not deleted yet: close() deletes every one */
	private readonly undeleted = new Set<string>();

	constructor(
		send: HttpSend,
		readonly credentials: NetworkInsightCredentials,
		options: ClientOptions = {},
		private readonly now: () => number = Date.now,
	) {
		super(send, credentials.tls, options);
	}

	get secrets(): ReadonlyArray<string | undefined> {
		const own = this.credentials.kind === 'onPrem' ? this.credentials.password : this.credentials.apiToken;
		return [own, ...this.tokensSeen];
	}

	async search(request: SearchRequest): Promise<SearchPage> {
		const page = (await this.call('POST', '/search', 'search', request)) as SearchPage | undefined;
		if (!page || !Array.isArray(page.results)) {
			throw new ApplianceError('malformed', 'vRNI answered the search without a results list', { description: 'Check that the host is a vRNI platform.' });
		}
		return page;
	}

	/** Bulk fetch of up to 1,000 entities (`/entities/fetch`); vRNI leaves unknown ids out. */
	async fetchEntities(references: ReadonlyArray<{ entity_id: string; entity_type: string; time?: number }>): Promise<FetchedEntity[]> {
		if (references.length === 0) return [];
		const entityIds = references.map(({ entity_id, entity_type, time }) => (time === undefined ? { entity_id, entity_type } : { entity_id, entity_type, time }));
		const answer = (await this.call('POST', '/entities/fetch', 'entities/fetch', { entity_ids: entityIds })) as { results?: FetchedEntity[] } | undefined;
		return Array.isArray(answer?.results) ? answer.results : [];
	}

	/** `GET /info/version`: the API version, a cheap authenticated call for the credential test. */
	async version(): Promise<string> {
		const answer = (await this.call('GET', '/info/version', 'info/version')) as { api_version?: string } | undefined;
		return String(answer?.api_version ?? 'unknown');
	}

	protected forgetSession(): void {
		this.token = undefined;
	}

	/** Deletes every on-premises token of this client (vRNI Cloud's CSP token simply expires); never throws. */
	async close(): Promise<void> {
		this.token = undefined;
		for (const value of [...this.undeleted]) await this.deleteToken(value);
	}

	private async call(method: 'GET' | 'POST', path: string, label: string, body?: unknown, query?: QueryParameters): Promise<unknown> {
		return await this.perform(label, async () => {
			const response = await this.request({ method, url: `${this.credentials.apiBase}${path}`, body, query, headers: await this.authHeaders() });
			if (response.status === 401) throw new SessionExpiredError(`vRNI refused the token on ${label} (HTTP 401)`);
			this.throwIfRetryable(response, label);
			const parsed = this.parseJson(response, label);
			if (response.status >= 200 && response.status < 300) return parsed;
			throw apiFailure(response, parsed, label);
		});
	}

	private async authHeaders(): Promise<Record<string, string>> {
		let token = await this.currentToken();
		if (this.now() >= token.expiresAt - RENEW_MARGIN_MS) {
			// Renewing: the old token still counts against the user's 100 until it expires, so it goes now.
			this.token = undefined;
			if (this.undeleted.has(token.value)) await this.deleteToken(token.value);
			token = await this.currentToken();
		}
		return this.credentials.kind === 'onPrem' ? { authorization: `NetworkInsight ${token.value}` } : { 'csp-auth-token': token.value };
	}

	private async currentToken(): Promise<Token> {
		const pending = (this.token ??= this.credentials.kind === 'onPrem' ? this.login(this.credentials) : this.cspAccessToken(this.credentials));
		try {
			return await pending;
		} catch (error) {
			// A failed login is not kept: the next attempt logs in again.
			if (this.token === pending) this.token = undefined;
			throw error;
		}
	}

	private async login(credentials: OnPremCredentials): Promise<Token> {
		const { username, password, domain } = credentials;
		const response = await this.request({ method: 'POST', url: `${credentials.apiBase}/auth/token`, body: { username, password, domain } });
		throwIfLoginRetryable(response, 'vRNI');
		const parsed = this.parseJson(response, 'auth/token') as { token?: unknown; expiry?: unknown } | undefined;
		if (response.status === 200 && typeof parsed?.token === 'string' && parsed.token !== '') {
			this.tokensSeen.push(parsed.token);
			this.undeleted.add(parsed.token);
			return { value: parsed.token, expiresAt: expiryMs(parsed.expiry, this.now()) };
		}
		const message = readApiError(parsed)?.message ?? `HTTP ${response.status}`;
		const domainProblem = response.status === 400 || /unknown (ldap )?domain|domain \S+ (is )?not (found|configured)/i.test(message);
		throw new ApplianceError('auth', `vRNI refused the login of ${username}: ${message}`, {
			status: response.status,
			description: /token limit|100/i.test(message)
				? 'The user holds the 100 live tokens vRNI allows: wait for some to expire, or use another user for n8n.'
				: domainProblem
					? `Check the domain: LOCAL for local users (admin@local), LDAP with the directory's domain (now "${domain.domain_type}${domain.domain_type === 'LDAP' ? ` ${domain.value}` : ''}").`
					: 'Check the username and the password, and that the domain type matches the account (LOCAL or LDAP).',
		});
	}

	/** vRNI Cloud: the CSP API token is exchanged for a short-lived access token. */
	private async cspAccessToken(credentials: CloudCredentials): Promise<Token> {
		const response = await this.request({
			method: 'POST',
			url: `${credentials.cspBase}/csp/gateway/am/api/auth/api-tokens/authorize`,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			rawBody: `refresh_token=${encodeURIComponent(credentials.apiToken)}`,
		});
		throwIfLoginRetryable(response, 'VMware Cloud Services');
		const parsed = this.parseJson(response, 'CSP authorize') as { access_token?: unknown; expires_in?: unknown; message?: unknown } | undefined;
		if (response.status === 200 && typeof parsed?.access_token === 'string') {
			this.tokensSeen.push(parsed.access_token);
			const lifetime = typeof parsed.expires_in === 'number' ? parsed.expires_in * 1000 : ASSUMED_TOKEN_LIFETIME_MS;
			return { value: parsed.access_token, expiresAt: this.now() + lifetime };
		}
		throw new ApplianceError('auth', `VMware Cloud Services refused the API token (HTTP ${response.status}${typeof parsed?.message === 'string' ? `: ${parsed.message}` : ''})`, {
			status: response.status,
			description: 'The API token is wrong, revoked or expired, or lacks the Network Insight roles: generate a new one under My Account → API Tokens.',
		});
	}

	private async deleteToken(value: string): Promise<void> {
		this.undeleted.delete(value);
		try {
			await this.request({ method: 'DELETE', url: `${this.credentials.apiBase}/auth/token`, headers: { authorization: `NetworkInsight ${value}` } });
		} catch {
			// The token expires on its own.
		}
	}
}

function throwIfLoginRetryable(response: HttpResult, who: string): void {
	if (response.status === 429) throw new RetryableError(`${who} rate limit (429) on login`, 'rate-limit', parseRetryAfter(response.headers['retry-after']));
	if (isRetryableStatus(response.status)) throw new RetryableError(`${who} answered HTTP ${response.status} on login`, 'server-error', parseRetryAfter(response.headers['retry-after']));
}

/** vRNI documents epoch seconds and sends epoch milliseconds; both are read. */
function expiryMs(value: unknown, now: number): number {
	const number = Number(value);
	if (!Number.isFinite(number) || number <= 0) return now + ASSUMED_TOKEN_LIFETIME_MS;
	return number < 1e11 ? number * 1000 : number;
}

/** vRNI's ApiError body: {code, message, details:[{code, message, target}]}. */
export function readApiError(body: unknown): { code?: number; message: string } | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const { code, message, details } = body as { code?: unknown; message?: unknown; details?: unknown };
	if (typeof message !== 'string' || message === '') return undefined;
	const targets = Array.isArray(details)
		? details.flatMap((detail) => (Array.isArray((detail as IDataObject)?.target) ? ((detail as IDataObject).target as unknown[]).map(String) : []))
		: [];
	const unique = [...new Set(targets)];
	return { code: typeof code === 'number' ? code : undefined, message: unique.length > 0 && !message.includes(unique[0]) ? `${message} (${unique.join(', ')})` : message };
}

function apiFailure(response: HttpResult, parsed: unknown, label: string): ApplianceError {
	const apiError = readApiError(parsed);
	const said = apiError?.message ?? `HTTP ${response.status}`;
	const details = { status: response.status, vendorCode: apiError?.code };
	if (response.status === 403) {
		return new ApplianceError('forbidden', `vRNI denied ${label}: ${said}`, { ...details, description: 'The user needs a vRNI role that may use the API (member or auditor at least).' });
	}
	if (response.status === 404) return new ApplianceError('not-found', `vRNI has no ${label}: ${said}`, { ...details, description: 'Check the id and the entity type.' });
	if (response.status >= 400 && response.status < 500) {
		return new ApplianceError('vendor', `vRNI refused ${label}: ${said}`, {
			...details,
			description: label === 'search' ? "vRNI's own words above name what it could not use: fix the filter or the entity type." : 'vRNI rejected the request; its message says why.',
		});
	}
	return new ApplianceError('server', `vRNI answered HTTP ${response.status} to ${label}: ${said}`, details);
}
