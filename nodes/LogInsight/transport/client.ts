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
} from '../../shared/transport';
import type { BatchOutcome } from '../events';
import type { LogInsightCredentials } from './credentials';

/** Renew a session this long before its ttl runs out. */
const RENEW_MARGIN_MS = 60_000;

interface Session {
	id: string;
	expiresAt: number;
}

/**
 * vRLI's ingestion API (`POST /api/v1/events/ingest/{agentId}`), with or without a session
 * (`POST /api/v1/sessions`, `Authorization: Bearer`; renewed before its ttl and once more on 401/440).
 * 503 and 429 go through the shared retry policy, honouring Retry-After; a batch vRLI refuses as a
 * whole (400, 413) is answered, not thrown, so the caller can split it.
 */
export class LogInsightClient extends ApplianceClient {
	protected readonly applianceName = 'vRLI';
	private session?: Session;
	private readonly sessionsSeen: string[] = [];

	constructor(
		send: HttpSend,
		readonly credentials: LogInsightCredentials,
		options: ClientOptions = {},
		private readonly now: () => number = Date.now,
	) {
		super(send, credentials.tls, options);
	}

	/** Events go in under a session, so vRLI keeps their timestamps. */
	get authenticated(): boolean {
		return this.credentials.login !== undefined;
	}

	get secrets(): ReadonlyArray<string | undefined> {
		return [this.credentials.login?.password, ...this.sessionsSeen];
	}

	/** Sends one request body of events; 200 and whole-batch refusals are answered, the rest thrown. */
	async ingest(body: string): Promise<BatchOutcome> {
		const label = 'events/ingest';
		return await this.perform(label, async () => {
			const response = await this.request({
				method: 'POST',
				url: `${this.credentials.baseUrl}/api/v1/events/ingest/${encodeURIComponent(this.credentials.agentId)}`,
				headers: { 'content-type': 'application/json', ...(await this.authHeaders()) },
				rawBody: body,
			});
			this.throwIfSessionGone(response, label);
			this.throwIfRetryable(response, label);
			const parsed = this.parseJson(response, label) as { ingested?: unknown } | undefined;
			if (response.status === 200) return { ok: true, ingested: Number(parsed?.ingested ?? 0) };
			if (response.status === 400 || response.status === 413) return { ok: false, status: response.status, message: vrliMessage(response, parsed) };
			throw new ApplianceError(response.status === 403 ? 'forbidden' : 'server', `vRLI answered HTTP ${response.status} to the ingestion: ${vrliMessage(response, parsed)}`, {
				status: response.status,
				description: response.status === 403 ? 'The user may not ingest events: give it a role that may.' : 'Check that the host and port are vRLI ingestion (9543 HTTPS, 9000 HTTP).',
			});
		});
	}

	/** `GET /api/v1/version`; vRLI serves it to sessions only, so without a login it says whether vRLI answered at all. */
	async version(): Promise<{ version?: string; releaseName?: string; needsSession: boolean }> {
		return await this.perform('version', async () => {
			const response = await this.request({ method: 'GET', url: `${this.credentials.baseUrl}/api/v1/version`, headers: await this.authHeaders() });
			this.throwIfSessionGone(response, 'version');
			this.throwIfRetryable(response, 'version');
			const parsed = this.parseJson(response, 'version') as { version?: string; releaseName?: string } | undefined;
			if (response.status === 200) return { version: parsed?.version, releaseName: parsed?.releaseName, needsSession: false };
			if (response.status === 401 && !this.authenticated) return { needsSession: true };
			throw new ApplianceError('server', `vRLI answered HTTP ${response.status} to the version request: ${vrliMessage(response, parsed)}`, {
				status: response.status,
				description: 'Check that the host and port are vRLI (9543 HTTPS, 9000 HTTP).',
			});
		});
	}

	protected forgetSession(): void {
		this.session = undefined;
	}

	/** vRLI has no logout; the session ends with its ttl. */
	async close(): Promise<void> {
		this.session = undefined;
	}

	private throwIfSessionGone(response: HttpResult, label: string): void {
		if (!this.authenticated) {
			if (response.status === 401 && label !== 'version') {
				throw new ApplianceError('auth', 'vRLI wants a session for ingestion (HTTP 401)', { status: 401, description: 'Fill in a username and password in the Log Insight credential.' });
			}
			return;
		}
		// 401 "Invalid session ID" and 440 "Login Timeout" both mean: log in again.
		if (response.status === 401 || response.status === 440) throw new SessionExpiredError(`vRLI ended the session (HTTP ${response.status})`);
	}

	private async authHeaders(): Promise<Record<string, string>> {
		const login = this.credentials.login;
		if (!login) return {};
		if (this.session && this.now() >= this.session.expiresAt - RENEW_MARGIN_MS) this.session = undefined;
		this.session ??= await this.login(login);
		return { authorization: `Bearer ${this.session.id}` };
	}

	private async login(login: NonNullable<LogInsightCredentials['login']>): Promise<Session> {
		const response = await this.request({ method: 'POST', url: `${this.credentials.baseUrl}/api/v1/sessions`, body: login });
		if (response.status === 429) throw new RetryableError('vRLI rate limit (429) on login', 'rate-limit', parseRetryAfter(response.headers['retry-after']));
		if (isRetryableStatus(response.status)) throw new RetryableError(`vRLI answered HTTP ${response.status} on login`, 'server-error', parseRetryAfter(response.headers['retry-after']));
		const parsed = this.parseJson(response, 'sessions') as { sessionId?: unknown; ttl?: unknown } | undefined;
		if (response.status === 200 && typeof parsed?.sessionId === 'string') {
			this.sessionsSeen.push(parsed.sessionId);
			const ttlSeconds = typeof parsed.ttl === 'number' && parsed.ttl > 0 ? parsed.ttl : 1800;
			return { id: parsed.sessionId, expiresAt: this.now() + ttlSeconds * 1000 };
		}
		throw new ApplianceError('auth', `vRLI refused the login of ${login.username}: ${vrliMessage(response, parsed).replace(/\.$/, '')}`, {
			status: response.status,
			description: `Check the username, the password and the authentication provider (${login.provider}).`,
		});
	}
}

/** vRLI's error text: errorMessage (+ the reason of a JSON_FORMAT_ERROR), or the plain-text body. */
function vrliMessage(response: HttpResult, parsed: unknown): string {
	if (parsed && typeof parsed === 'object') {
		const { errorMessage, errorDetails } = parsed as { errorMessage?: unknown; errorDetails?: { reason?: unknown } };
		if (typeof errorMessage === 'string') return typeof errorDetails?.reason === 'string' ? `${errorMessage} (${errorDetails.reason})` : errorMessage;
	}
	const text = response.text.trim();
	return text === '' ? `HTTP ${response.status}` : text.slice(0, 300);
}
