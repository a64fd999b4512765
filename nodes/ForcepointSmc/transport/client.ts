/**
 * The SMC REST session (smc.md §1) on the shared ApplianceClient: the API version discovered from
 * `GET /api` (or the credential's), an API-key login into the credential's admin domain, the
 * JSESSIONID cookie, or in "SSL session ID" mode the Authorization token the login returns; a 401
 * logs in again once; `close()` logs out. Websockets open with the same session and TLS options.
 */
import { ApplianceError } from '../../shared/errors';
import {
	ApplianceClient,
	headerValue,
	headerValues,
	parseSetCookies,
	SessionExpiredError,
	type ClientOptions,
	type HttpResult,
	type HttpSend,
	type QueryParameters,
} from '../../shared/transport';
import type { ForcepointSmcCredentials } from './credentials';
import { SmcSocket, SmcSocketError, type SmcSocketOptions } from './socket';

/** API versions this package speaks: 6.5 (the `events` notification form) through the 7.x line. */
export function isSupportedApiVersion(version: string): boolean {
	const [major, minor] = version.split('.').map(Number);
	return (major === 6 && minor >= 5) || major === 7;
}

/** Compares "6.10" and "6.5" as versions, never as floats (smc.md §1.1). */
export function compareApiVersions(a: string, b: string): number {
	const [aMajor, aMinor = 0] = a.split('.').map(Number);
	const [bMajor, bMinor = 0] = b.split('.').map(Number);
	return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor;
}

interface SmcSession {
	cookie?: string;
	token?: string;
}

export interface EntryPoint {
	rel: string;
	href: string;
}

export interface ElementMeta {
	href: string;
	name: string;
	type: string;
}

export class ForcepointSmcClient extends ApplianceClient {
	protected readonly applianceName = 'The SMC';
	private session?: SmcSession;
	private version?: string;
	private entryPoints?: EntryPoint[];
	private product?: string;
	/** every session id and token this client obtained, still redacted after logout */
	private readonly sessionsSeen: string[] = [];

	constructor(
		send: HttpSend,
		readonly credentials: ForcepointSmcCredentials,
		options: ClientOptions = {},
	) {
		super(send, credentials.tls, options);
	}

	get secrets(): ReadonlyArray<string | undefined> {
		return [this.credentials.apiKey, ...this.sessionsSeen];
	}

	/** The API version in use: the credential's if the SMC offers it, else the highest both sides know. */
	async apiVersion(): Promise<string> {
		if (this.version) return this.version;
		const offered = await this.offeredVersions();
		const wanted = this.credentials.apiVersion;
		if (wanted) {
			if (!offered.includes(wanted)) {
				throw new ApplianceError('config', `The SMC does not offer API version ${wanted}; it offers ${offered.join(', ')}`, {
					description: 'Pick one of the offered versions in the credential, or leave API Version empty to use the newest.',
				});
			}
			if (!isSupportedApiVersion(wanted)) {
				throw new ApplianceError('config', `API version ${wanted} is not supported by this node (6.5 to 7.x are)`, {
					description: 'Pick a version from 6.5 on, or leave API Version empty.',
				});
			}
			this.version = wanted;
		} else {
			const usable = offered.filter(isSupportedApiVersion).sort(compareApiVersions);
			if (usable.length === 0) {
				throw new ApplianceError('config', `The SMC offers API versions ${offered.join(', ')}, none of which this node supports (6.5 to 7.x)`, {
					description: 'Upgrade the SMC to 6.5 or later.',
				});
			}
			this.version = usable[usable.length - 1];
		}
		return this.version;
	}

	/** `GET /api`: the versions the SMC offers (no session needed). */
	async offeredVersions(): Promise<string[]> {
		return await this.perform('GET /api', async () => {
			const response = await this.request({ method: 'GET', url: `${this.credentials.baseUrl}/api` });
			this.throwIfRetryable(response, 'GET /api');
			const body = this.parseJson(response, 'GET /api') as { version?: Array<{ rel?: unknown }> } | undefined;
			if (response.status !== 200 || !Array.isArray(body?.version)) {
				throw new ApplianceError('vendor', `${this.credentials.baseUrl}/api did not list API versions (HTTP ${response.status})`, {
					status: response.status,
					description: 'Check that the URL points at the SMC API (port 8082 by default) and that the API is enabled on the Management Server.',
				});
			}
			return body.version.map((entry) => String(entry.rel)).filter((rel) => /^\d+\.\d+$/.test(rel));
		});
	}

	/** Logs in unless a session is live. */
	async ensureSession(): Promise<void> {
		if (this.session) return;
		await this.perform('login', async () => await this.login());
	}

	/** The entry points of this API version (`GET /{ver}/api`): element types, logout, system... */
	async listEntryPoints(): Promise<EntryPoint[]> {
		if (!this.entryPoints) {
			const body = (await this.get('api')) as { entry_point?: Array<{ rel?: unknown; href?: unknown }> };
			this.entryPoints = (body.entry_point ?? []).map((entry) => ({ rel: String(entry.rel), href: String(entry.href) }));
		}
		return this.entryPoints;
	}

	/** The SMC product version ("7.1.2 [11277]"), which decides BLOCK_LIST vs BLACKLIST. */
	async smcVersion(): Promise<string> {
		this.product ??= String(((await this.get('system/smc_version')) as { value?: unknown }).value ?? '');
		return this.product;
	}

	/** Elements by name: `filter_context` is an entry point or a collection such as engine_clusters. */
	async findElements(filterContext: string, name: string, exactMatch: boolean): Promise<ElementMeta[]> {
		const body = await this.get('elements', { filter: name, filter_context: filterContext, exact_match: exactMatch ? 'True' : 'False' });
		const result = Array.isArray(body) ? body : ((body as { result?: unknown[] }).result ?? []);
		return (result as Array<Record<string, unknown>>).map((entry) => ({ href: String(entry.href), name: String(entry.name), type: String(entry.type) }));
	}

	/** GET a path under /{ver}/ (e.g. `elements/host`) or an href the SMC handed out. */
	async get(pathOrHref: string, query?: QueryParameters): Promise<unknown> {
		return await this.call('GET', pathOrHref, undefined, query);
	}

	async post(pathOrHref: string, body: unknown): Promise<unknown> {
		return await this.call('POST', pathOrHref, body);
	}

	async delete(pathOrHref: string): Promise<void> {
		await this.call('DELETE', pathOrHref);
	}

	/**
	 * Opens a websocket under /{ver}/ with this session; a socket refused for its session logs in
	 * again once (smc.md §1.2: there is no websocket-specific refresh).
	 */
	async openSocket(path: string, options: Pick<SmcSocketOptions, 'signal' | 'keepAliveMs' | 'maxSendBytes' | 'maxMessageBytes'> = {}): Promise<SmcSocket> {
		const url = await this.webSocketUrl(path);
		for (let attempt = 1; ; attempt++) {
			await this.ensureSession();
			try {
				return await SmcSocket.open({ ...options, url, ...this.session, tls: this.tls });
			} catch (error) {
				if (attempt === 1 && error instanceof SmcSocketError && error.failure === 'unauthorized') {
					this.forgetSession();
					continue;
				}
				throw error;
			}
		}
	}

	/** ws(s)://host:port[/prefix]/{ver}{path}: the REST URL with the websocket scheme (smc.md §2.1). */
	async webSocketUrl(path: string): Promise<string> {
		return `${this.credentials.baseUrl.replace(/^http/, 'ws')}/${await this.apiVersion()}${path}`;
	}

	/** Logs out (`PUT /{ver}/logout`); never throws: the session expires on its own otherwise. */
	async close(): Promise<void> {
		const session = this.session;
		if (!session || !this.version) return;
		this.session = undefined;
		try {
			await this.request({ method: 'PUT', url: `${this.credentials.baseUrl}/${this.version}/logout`, headers: authHeaders(session), timeoutMs: 10_000 });
		} catch {
			// nothing left to do
		}
	}

	protected forgetSession(): void {
		this.session = undefined;
	}

	/** Refuses an href outside this SMC's API: the session must never be sent anywhere else. */
	async resolve(pathOrHref: string): Promise<string> {
		const version = await this.apiVersion();
		if (!/^https?:\/\//i.test(pathOrHref)) return `${this.credentials.baseUrl}/${version}/${pathOrHref.replace(/^\/+/, '')}`;
		const base = new URL(this.credentials.baseUrl);
		let target: URL;
		try {
			target = new URL(pathOrHref);
		} catch {
			throw new ApplianceError('config', `"${pathOrHref}" is not an SMC href`);
		}
		const basePath = base.pathname.replace(/\/+$/, '');
		if (target.protocol !== base.protocol || target.host !== base.host || !target.pathname.startsWith(`${basePath}/`)) {
			throw new ApplianceError('config', `The href ${target.origin}${target.pathname} is not on the SMC of the credential (${base.origin}${basePath})`, {
				description: 'Use an href this SMC returned (for example block_list_href from a Block List query).',
			});
		}
		return target.toString();
	}

	private async call(method: 'GET' | 'POST' | 'DELETE', pathOrHref: string, body?: unknown, query?: QueryParameters): Promise<unknown> {
		const url = await this.resolve(pathOrHref);
		const label = `${method} ${new URL(url).pathname}`;
		return await this.perform(label, async () => {
			if (!this.session) await this.login();
			const headers: Record<string, string> = { accept: 'application/json', ...authHeaders(this.session!) };
			if (body !== undefined) headers['content-type'] = 'application/json';
			const response = await this.request({ method, url, query, headers, body });
			if (response.status === 401) throw new SessionExpiredError(`HTTP 401 on ${label}`);
			this.throwIfRetryable(response, label);
			const parsed = this.parseJson(response, label);
			if (response.status >= 200 && response.status < 300) return parsed;
			throw this.answerError(response, parsed, label);
		});
	}

	/** `POST /{ver}/login` with the API key (smc.md §1.2); the session is the cookie or the token. */
	private async login(): Promise<void> {
		const version = await this.apiVersion();
		const response = await this.request({
			method: 'POST',
			url: `${this.credentials.baseUrl}/${version}/login`,
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: { domain: this.credentials.domain, authenticationkey: this.credentials.apiKey },
		});
		this.throwIfRetryable(response, 'login');
		if (response.status !== 200) {
			const said = smcMessage(this.parseJson(response, 'login'));
			const domainProblem = /domain/i.test(said ?? '');
			throw new ApplianceError(response.status === 404 ? 'not-found' : 'auth', `The SMC refused the login to domain "${this.credentials.domain}" (HTTP ${response.status}${said ? `: ${said}` : ''})`, {
				status: response.status,
				description: domainProblem
					? 'Check the Admin Domain in the credential: it must exist and the API client must be allowed in it.'
					: 'Check the API key (the authentication key of an API Client element) and the Admin Domain.',
			});
		}
		const cookie = parseSetCookies(headerValues(response.headers, 'set-cookie')).get('JSESSIONID');
		const token = headerValue(response.headers, 'authorization');
		if (!cookie && !token) {
			throw new ApplianceError('vendor', 'The SMC accepted the login but returned neither a JSESSIONID cookie nor an Authorization token', {
				description: 'Check for a proxy between n8n and the SMC that strips cookies.',
			});
		}
		this.session = cookie ? { cookie: `JSESSIONID=${cookie}` } : { token };
		this.sessionsSeen.push((cookie ?? token)!);
	}

	private answerError(response: HttpResult, body: unknown, label: string): ApplianceError {
		const said = smcMessage(body) ?? `HTTP ${response.status}`;
		if (response.status === 403) {
			return new ApplianceError('forbidden', `The SMC denied ${label}: ${said}`, {
				status: 403,
				description: 'Give the API client a role with the needed permissions (monitoring, or block-list for the engine).',
			});
		}
		if (response.status === 404) return new ApplianceError('not-found', `The SMC has nothing at ${label}: ${said}`, { status: 404 });
		return new ApplianceError('vendor', `The SMC refused ${label}: ${said}`, { status: response.status });
	}
}

function authHeaders(session: SmcSession): Record<string, string> {
	return session.cookie ? { cookie: session.cookie } : { authorization: session.token ?? '' };
}

/** SMC error bodies: {message, details:[...]} (smc-python's SMCOperationFailure reads both). */
function smcMessage(body: unknown): string | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const { message, details } = body as { message?: unknown; details?: unknown };
	const parts = [typeof message === 'string' ? message : undefined, ...(Array.isArray(details) ? details.map(String) : [])].filter(Boolean);
	return parts.length > 0 ? parts.join(': ') : undefined;
}
