import type { IDataObject } from 'n8n-workflow';

import { ApplianceError } from '../../shared/errors';
import {
	ApplianceClient,
	headerValues,
	isRetryableStatus,
	parseRetryAfter,
	parseSetCookies,
	RetryableError,
	SessionExpiredError,
	type ClientOptions,
	type HttpResult,
	type HttpSend,
} from '../../shared/transport';
import type { VeloCloudCredentials } from './credentials';

/** VCO signals a dead session in the body of an HTTP 200 (or 400/401) answer; these words mark it. */
const SESSION_ERROR = /tokenError|session|not authenticated|unauthori[sz]ed|authentication required|login required/i;

/**
 * The VCO Portal API v1 over its REST-like interface (`POST /portal/rest/<namespace>/<method>`):
 * token or session-cookie auth, session renewal when VCO says the session is gone (whatever the status),
 * the shared retry policy for 429 (VCO's 5-second penalty box), 5xx, resets and truncated answers.
 * One client lives for one execution or one poll; `close()` logs a session out.
 */
export class VeloCloudClient extends ApplianceClient {
	protected readonly applianceName = 'VCO';
	private sessionCookie?: string;
	/** every session id this client obtained, still redacted after logout */
	private readonly sessionsSeen: string[] = [];

	constructor(
		send: HttpSend,
		readonly credentials: VeloCloudCredentials,
		options: ClientOptions = {},
	) {
		super(send, credentials.tls, options);
		if (!credentials.apiToken && !(credentials.username && credentials.password)) {
			throw new ApplianceError('config', 'The VeloCloud credential has neither an API token nor a username and password', {
				description: 'Fill in the API token, or the username and password, in the credential.',
			});
		}
	}

	get usesToken(): boolean {
		return this.credentials.apiToken !== undefined;
	}

	/** Every secret this client may put on the wire, for redaction. */
	get secrets(): ReadonlyArray<string | undefined> {
		return [this.credentials.apiToken, this.credentials.password, ...this.sessionsSeen];
	}

	async call<T>(method: string, params: IDataObject = {}): Promise<T> {
		return await this.perform(method, async () => await this.callOnce<T>(method, params));
	}

	protected forgetSession(): void {
		this.sessionCookie = undefined;
	}

	/** Logs a session out; a token needs nothing. Never throws: the work is done by then. */
	async close(): Promise<void> {
		if (!this.sessionCookie) return;
		try {
			await this.post('/portal/rest/logout', {}, { cookie: `velocloud.session=${this.sessionCookie}` });
		} catch {
			// the session expires on its own
		}
		this.sessionCookie = undefined;
	}

	private async callOnce<T>(method: string, params: IDataObject): Promise<T> {
		const headers = await this.authHeaders();
		const response = await this.post(`/portal/rest/${method}`, params, headers);
		if (response.status === 429) this.throwIfRetryable(response, method);
		const body = this.parseJson(response, method);
		const vendorError = extractVendorError(body);
		if (vendorError && SESSION_ERROR.test(vendorError.message)) {
			if (this.usesToken) {
				throw new ApplianceError('auth', `VCO refused the API token (${vendorError.message})`, {
					status: response.status,
					vendorCode: vendorError.code,
					description: 'The token is wrong, revoked or expired: create a new one under Account → API Tokens.',
				});
			}
			throw new SessionExpiredError(vendorError.message);
		}
		if (response.status === 401) {
			if (!this.usesToken) throw new SessionExpiredError('HTTP 401');
			throw new ApplianceError('auth', 'VCO refused the API token (HTTP 401)', {
				status: 401,
				description: 'The token is wrong, revoked or expired: create a new one under Account → API Tokens.',
			});
		}
		if (response.status === 403) {
			throw new ApplianceError('forbidden', `VCO denied ${method}: ${vendorError?.message ?? 'insufficient permissions'}`, {
				status: 403,
				vendorCode: vendorError?.code,
				description: 'The account lacks the privilege for this call (events need READ ENTERPRISE_EVENT).',
			});
		}
		if (isRetryableStatus(response.status) && !isRequestError(vendorError)) {
			throw new RetryableError(`VCO answered HTTP ${response.status}`, 'server-error', parseRetryAfter(response.headers['retry-after']));
		}
		if (vendorError) {
			throw new ApplianceError('vendor', `VCO error on ${method}: ${vendorError.message}`, {
				status: response.status,
				vendorCode: vendorError.code,
				description: 'VCO rejected the request; its message says why.',
			});
		}
		if (response.status < 200 || response.status >= 300) {
			throw new ApplianceError('server', `VCO answered HTTP ${response.status} to ${method}`, { status: response.status });
		}
		return body as T;
	}

	private async authHeaders(): Promise<Record<string, string>> {
		if (this.credentials.apiToken) return { authorization: `Token ${this.credentials.apiToken}` };
		if (!this.sessionCookie) this.sessionCookie = await this.login();
		return { cookie: `velocloud.session=${this.sessionCookie}` };
	}

	/** VCO answers a login with 302 on success and on failure: only the cookies tell which. */
	private async login(): Promise<string> {
		const path =
			this.credentials.accountType === 'operator' ? '/portal/rest/login/operatorLogin' : '/portal/rest/login/enterpriseLogin';
		const response = await this.post(path, {
			username: this.credentials.username,
			password: this.credentials.password,
		});
		if (response.status === 429) {
			throw new RetryableError('VCO rate limit (429) on login', 'rate-limit', parseRetryAfter(response.headers['retry-after']));
		}
		if (isRetryableStatus(response.status)) throw new RetryableError(`VCO answered HTTP ${response.status} on login`, 'server-error');
		const cookies = parseSetCookies(headerValues(response.headers, 'set-cookie'));
		const session = cookies.get('velocloud.session');
		if (session) {
			this.sessionsSeen.push(session);
			return session;
		}
		const reason = cookies.get('velocloud.message');
		throw new ApplianceError('auth', `VCO refused the login: ${reason ? decodeCookieMessage(reason) : `HTTP ${response.status}, no session`}`, {
			status: response.status,
			description: `Check the username, the password and the account type (${this.credentials.accountType} login).`,
		});
	}

	private async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
		return await this.request({
			method: 'POST',
			url: `${this.credentials.baseUrl}${path}`,
			headers: { 'content-type': 'application/json', ...headers },
			body,
		});
	}
}

/** `{"error":{code,message}}` on the REST-like interface, or a JSON-RPC envelope's `error`. */
function extractVendorError(body: unknown): { code?: number | string; message: string } | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const error = (body as { error?: unknown }).error;
	if (!error) return undefined;
	if (typeof error === 'string') return { message: error };
	const { code, message } = error as { code?: number | string; message?: unknown };
	return { code, message: typeof message === 'string' ? message : JSON.stringify(error) };
}

/**
 * JSON-RPC's invalid request / method not found / invalid params: the same request fails the same way,
 * so a 5xx carrying one of these is not retried. Any other 5xx (internal errors, proxies) is.
 */
function isRequestError(error: { code?: number | string } | undefined): boolean {
	return error !== undefined && [-32600, -32601, -32602].includes(Number(error.code));
}

function decodeCookieMessage(value: string): string {
	try {
		return decodeURIComponent(value.replace(/\+/g, ' '));
	} catch {
		return value;
	}
}
