import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { ApplianceError } from '../../shared/errors';
import { ApplianceClient, type ClientOptions, type HttpResult, type HttpSend, type QueryParameters } from '../../shared/transport';
import { DEFAULT_ASYNC_LIMITS, type AsyncJobLimits } from './asyncJob';
import { basicAuthorization, type IllumioCredentials } from './credentials';
import { describeIllumioError } from './events';

export interface IllumioClientOptions extends ClientOptions {
	asyncLimits?: AsyncJobLimits;
}

export interface IllumioAnswer<T> {
	status: number;
	headers: IDataObject;
	body: T;
}

export interface GetOptions {
	query?: QueryParameters;
	headers?: Record<string, string>;
	/** answer `undefined` for a 404 instead of failing (a datafile that is not there yet) */
	notFoundIsEmpty?: boolean;
	maxResponseBytes?: number;
}

/**
 * The Illumio PCE REST API v2 with an API key (HTTP Basic; no session, so nothing to renew or close):
 * the shared retry policy for 429 (the PCE allows 500 requests a minute per key and says how long to
 * wait), 5xx, resets and truncated answers; the PCE's `[{"token","message"}]` errors shown with their
 * token; a wrong key, a wrong org and a missing object told apart.
 */
export class IllumioClient extends ApplianceClient {
	protected readonly applianceName = 'the PCE';
	private readonly authorization: string;
	readonly asyncLimits: AsyncJobLimits;

	constructor(
		send: HttpSend,
		readonly credentials: IllumioCredentials,
		options: IllumioClientOptions = {},
	) {
		super(send, credentials.tls, options);
		this.authorization = basicAuthorization(credentials);
		this.asyncLimits = options.asyncLimits ?? DEFAULT_ASYNC_LIMITS;
	}

	get secrets(): ReadonlyArray<string | undefined> {
		// The Basic value carries the secret in base64: redact that form too.
		return [this.credentials.apiKeySecret, this.authorization.slice('Basic '.length)];
	}

	/** `/api/v2/orgs/{org}`, the prefix of every org-scoped path. */
	get orgPath(): string {
		return `/api/v2/orgs/${this.credentials.orgId}`;
	}

	/** How this client waits between polls of an async job (the retry policy's wait in tests). */
	async pause(ms: number): Promise<void> {
		await (this.options.wait ?? sleep)(ms);
	}

	async get<T>(label: string, path: string, options: GetOptions = {}): Promise<IllumioAnswer<T>> {
		return await this.perform(label, async () => await this.getOnce<T>(label, path, options));
	}

	private async getOnce<T>(label: string, path: string, options: GetOptions): Promise<IllumioAnswer<T>> {
		const response = await this.request({
			method: 'GET',
			url: `${this.credentials.baseUrl}${path}`,
			query: options.query,
			headers: { authorization: this.authorization, accept: 'application/json', ...options.headers },
			...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
		});
		if (response.status === 404 && options.notFoundIsEmpty) return { status: 404, headers: response.headers, body: undefined as T };
		this.throwIfRetryable(response, label);
		if (response.status >= 200 && response.status < 300) {
			return { status: response.status, headers: response.headers, body: this.parseJson(response, label) as T };
		}
		throw this.answerError(response, label);
	}

	/** What a 4xx (or an unexpected status) means, in the PCE's own words and with the fix. */
	private answerError(response: HttpResult, label: string): ApplianceError {
		let body: unknown;
		try {
			body = JSON.parse(response.text);
		} catch {
			body = undefined;
		}
		const said = describeIllumioError(body);
		const answer = `HTTP ${response.status}${said ? ` ${said.text}` : ''}`;
		const details = { status: response.status, vendorCode: said?.token };
		const org = this.credentials.orgId;
		switch (response.status) {
			case 401:
				return new ApplianceError('auth', `The PCE refused the API key (${answer})`, {
					...details,
					description: 'Check the API key username (api_…) and secret in the credential; the key may have expired or been deleted.',
				});
			case 403:
				return new ApplianceError('forbidden', `The PCE denied ${label} (${answer})`, {
					...details,
					description: `The API key has no access to org ${org}, or its role does not allow this call: check the Org ID in the credential and the key's role.`,
				});
			case 404:
				return new ApplianceError('not-found', `The PCE has no ${label} (${answer})`, {
					...details,
					description: `Check the Org ID (${org}) in the credential and the href or UUID asked for.`,
				});
			default:
				return new ApplianceError('vendor', `The PCE rejected ${label} (${answer})`, {
					...details,
					description: 'The PCE says what it did not accept; the token names the check that failed.',
				});
		}
	}
}
