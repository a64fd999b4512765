import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import type { Readable } from 'node:stream';

/**
 * One small HTTP seam under every transport. Nodes send through n8n's own request helper (proxies,
 * n8n's TLS settings and axios behave as users expect); credential tests, which n8n hands only its
 * legacy `request` helper, go through the second adapter. Whatever the adapter, the transport sees
 * status, headers and text, never a raw library error (those carry request headers, hence secrets).
 */
export interface HttpRequestSpec {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	url: string;
	headers?: Record<string, string>;
	/** sent as JSON */
	body?: unknown;
	skipTlsVerification: boolean;
	timeoutMs: number;
	/** responses larger than this are refused before they are parsed */
	maxResponseBytes: number;
}

export interface HttpResult {
	status: number;
	headers: IDataObject;
	text: string;
}

export type HttpSend = (request: HttpRequestSpec) => Promise<HttpResult>;

export type NetworkFailureKind = 'unreachable' | 'tls' | 'timeout' | 'reset' | 'oversized';

/** A request that never got an HTTP answer (or got one too large to read). */
export class NetworkError extends Error {
	constructor(
		readonly kind: NetworkFailureKind,
		message: string,
		readonly code?: string,
	) {
		super(message);
		this.name = 'NetworkError';
	}
}

const TLS_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'CERT_UNTRUSTED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'ERR_SSL_WRONG_VERSION_NUMBER',
	'EPROTO',
]);

/** Turns whatever the HTTP library threw into a NetworkError that names the host and the fix. */
export function classifyNetworkError(error: unknown, url: string): NetworkError {
	const record = (error ?? {}) as { code?: string; cause?: { code?: string }; message?: string };
	const code = record.code ?? record.cause?.code;
	const host = safeHost(url);
	if (code && TLS_CODES.has(code)) {
		return new NetworkError(
			'tls',
			`TLS failure talking to ${host} (${code}): the certificate cannot be verified or the port does not speak HTTPS`,
			code,
		);
	}
	if (code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ESOCKETTIMEDOUT') {
		return new NetworkError('timeout', `${host} did not answer in time (${code})`, code);
	}
	if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(record.message ?? '')) {
		return new NetworkError('reset', `${host} closed the connection (${code ?? 'socket hang up'})`, code);
	}
	if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
		return new NetworkError('unreachable', `Cannot reach ${host} (${code})`, code);
	}
	return new NetworkError('unreachable', `Request to ${host} failed (${code ?? 'no response'})`, code);
}

function safeHost(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the appliance';
	}
}

type N8nHttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

interface RawResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/** Runs one adapter's request and reads its answer, whatever the library, into an HttpResult. */
async function exchange(request: HttpRequestSpec, perform: () => Promise<unknown>): Promise<HttpResult> {
	let response: RawResponse;
	try {
		response = (await perform()) as RawResponse;
	} catch (error) {
		throw classifyNetworkError(error, request.url);
	}
	const text = await readBody(response.body, request.maxResponseBytes, request.url);
	return { status: response.statusCode, headers: response.headers ?? {}, text };
}

/** The adapter for nodes: n8n's `this.helpers.httpRequest`, streaming the body under a size cap. */
export function httpSendFromN8n(httpRequest: N8nHttpRequest): HttpSend {
	return async (request) =>
		await exchange(request, async () =>
			await httpRequest({
				method: request.method,
				url: request.url,
				headers: { accept: 'application/json', ...request.headers },
				body: request.body === undefined ? undefined : JSON.stringify(request.body),
				json: false,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				skipSslCertificateValidation: request.skipTlsVerification,
				timeout: request.timeoutMs,
			}),
		);
}

type LegacyRequest = (options: object) => Promise<unknown>;

/** The adapter for credential tests, where n8n offers only its legacy request helper. */
export function httpSendFromLegacyRequest(legacyRequest: LegacyRequest): HttpSend {
	return async (request) =>
		await exchange(request, async () =>
			await legacyRequest({
				method: request.method,
				uri: request.url,
				headers: { accept: 'application/json', 'content-type': 'application/json', ...request.headers },
				body: request.body === undefined ? undefined : JSON.stringify(request.body),
				json: false,
				encoding: null,
				resolveWithFullResponse: true,
				simple: false,
				followRedirect: false,
				followAllRedirects: false,
				rejectUnauthorized: !request.skipTlsVerification,
				timeout: request.timeoutMs,
			}),
		);
}

async function readBody(body: unknown, maxBytes: number, url: string): Promise<string> {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return checkSize(Buffer.from(body), maxBytes, url);
	if (Buffer.isBuffer(body)) return checkSize(body, maxBytes, url);
	if (body instanceof ArrayBuffer) return checkSize(Buffer.from(body), maxBytes, url);
	if (typeof (body as Readable).on === 'function') {
		const stream = body as Readable;
		const chunks: Buffer[] = [];
		let size = 0;
		try {
			for await (const chunk of stream) {
				const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
				size += buffer.length;
				if (size > maxBytes) {
					stream.destroy();
					throw oversized(maxBytes, url);
				}
				chunks.push(buffer);
			}
		} catch (error) {
			if (error instanceof NetworkError) throw error;
			throw classifyNetworkError(error, url);
		}
		return Buffer.concat(chunks).toString('utf8');
	}
	return JSON.stringify(body);
}

function checkSize(buffer: Buffer, maxBytes: number, url: string): string {
	if (buffer.length > maxBytes) throw oversized(maxBytes, url);
	return buffer.toString('utf8');
}

function oversized(maxBytes: number, url: string): NetworkError {
	return new NetworkError(
		'oversized',
		`The answer from ${safeHost(url)} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB and was not read`,
	);
}

/** Header value as one string (n8n gives arrays for repeated headers such as set-cookie). */
export function headerValues(headers: IDataObject, name: string): string[] {
	const value = headers[name] ?? headers[name.toLowerCase()];
	if (value === undefined || value === null) return [];
	return Array.isArray(value) ? value.map(String) : [String(value)];
}
