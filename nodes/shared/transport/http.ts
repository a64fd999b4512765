import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import type { Readable } from 'node:stream';

import type { TlsOptions } from '../tls';

/**
 * One small HTTP seam under every transport. Nodes send through n8n's own request helper (proxies,
 * n8n's TLS settings and axios behave as users expect); credential tests, which n8n hands only its
 * legacy `request` helper, go through the second adapter. Whatever the adapter, the transport sees
 * status, headers and text, never a raw library error (those carry request headers, hence secrets).
 */
export interface HttpRequestSpec {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	url: string;
	/** appended to the URL; an array repeats the parameter (`a=1&a=2`) */
	query?: QueryParameters;
	headers?: Record<string, string>;
	/** sent as JSON */
	body?: unknown;
	/** sent as is, with the content-type the caller sets in `headers` (wins over `body`) */
	rawBody?: string | Buffer;
	tls: TlsOptions;
	/** deadline for the whole exchange, the body included: a server that trickles bytes cannot hold a run */
	timeoutMs: number;
	/** responses larger than this (after decompression) are refused before they are parsed */
	maxResponseBytes: number;
}

export type QueryParameters = Record<string, string | number | boolean | ReadonlyArray<string | number> | undefined>;

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

/**
 * Words for the socket codes. Messages carry these, not the codes: n8n replaces any error message that
 * contains ECONNREFUSED, ENOTFOUND, ETIMEDOUT... with its own generic text, which names neither the
 * host nor the fix. The code itself stays on the error.
 */
const CODE_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'DNS lookup failed',
	EHOSTUNREACH: 'no route to the host',
	ENETUNREACH: 'network unreachable',
	ETIMEDOUT: 'timed out',
	ECONNABORTED: 'timed out',
	ESOCKETTIMEDOUT: 'timed out',
	ECONNRESET: 'connection reset',
	EPIPE: 'connection reset',
};

function words(code: string | undefined, fallback: string): string {
	return (code && CODE_WORDS[code]) ?? fallback;
}

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
		return new NetworkError('timeout', `${host} did not answer in time (${words(code, 'timed out')})`, code);
	}
	if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(record.message ?? '')) {
		return new NetworkError('reset', `${host} closed the connection (${words(code, 'socket hang up')})`, code);
	}
	if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
		return new NetworkError('unreachable', `Cannot reach ${host} (${words(code, 'unreachable')})`, code);
	}
	return new NetworkError('unreachable', `Request to ${host} failed (${code && !/^E[A-Z_]+$/.test(code) ? code : words(code, 'no response')})`, code);
}

function safeHost(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the appliance';
	}
}

/** How much later than the deadline the HTTP library's own timeout fires: the deadline speaks first. */
const BACKSTOP_MS = 5_000;

type N8nHttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

interface RawResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/** The URL with the query appended (the spec's own query string, if any, is kept). */
export function urlWithQuery(url: string, query: QueryParameters | undefined): string {
	if (!query) return url;
	const search = new URLSearchParams();
	for (const [name, value] of Object.entries(query)) {
		if (value === undefined) continue;
		if (Array.isArray(value)) for (const entry of value) search.append(name, String(entry));
		else search.append(name, String(value));
	}
	const text = search.toString();
	if (text === '') return url;
	return `${url}${url.includes('?') ? '&' : '?'}${text}`;
}

function requestBody(request: HttpRequestSpec): string | Buffer | undefined {
	if (request.rawBody !== undefined) return request.rawBody;
	return request.body === undefined ? undefined : JSON.stringify(request.body);
}

/**
 * Runs one adapter's request and reads its answer, whatever the library, into an HttpResult, all
 * under one deadline: the libraries' own timeouts stop counting once headers arrive.
 */
async function exchange(request: HttpRequestSpec, perform: (signal: AbortSignal) => Promise<unknown>): Promise<HttpResult> {
	const abort = new AbortController();
	let body: unknown;
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			abort.abort();
			if (body && typeof (body as Readable).destroy === 'function') (body as Readable).destroy();
			reject(
				new NetworkError(
					'timeout',
					`${safeHost(request.url)} did not send its whole answer within ${Math.max(1, Math.round(request.timeoutMs / 1000))} s`,
					'ETIMEDOUT',
				),
			);
		}, request.timeoutMs);
	});
	const work = (async () => {
		let response: RawResponse;
		try {
			response = (await perform(abort.signal)) as RawResponse;
		} catch (error) {
			throw classifyNetworkError(error, request.url);
		}
		body = response.body;
		const text = await readBody(response.body, request.maxResponseBytes, request.url);
		return { status: response.statusCode, headers: response.headers ?? {}, text };
	})();
	try {
		return await Promise.race([work, deadline]);
	} finally {
		clearTimeout(timer);
		// The loser of the race must not surface as an unhandled rejection.
		work.catch(() => undefined);
	}
}

/** The adapter for nodes: n8n's `this.helpers.httpRequest`, streaming the body under a size cap. */
export function httpSendFromN8n(httpRequest: N8nHttpRequest): HttpSend {
	return async (request) =>
		await exchange(request, async (signal) =>
			await httpRequest({
				method: request.method,
				url: urlWithQuery(request.url, request.query),
				headers: { accept: 'application/json', ...request.headers },
				body: requestBody(request),
				json: false,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				skipSslCertificateValidation: request.tls.skipVerification,
				...(request.tls.ca ? { agentOptions: { ca: request.tls.ca } } : {}),
				// The library's timeout only backs up the deadline above, which covers the body too.
				timeout: request.timeoutMs + BACKSTOP_MS,
				abortSignal: signal,
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
				uri: urlWithQuery(request.url, request.query),
				headers: { accept: 'application/json', 'content-type': 'application/json', ...request.headers },
				body: requestBody(request),
				json: false,
				// a stream, so the size cap applies while reading (an endless answer or a gzip bomb is never held whole)
				useStream: true,
				encoding: null,
				resolveWithFullResponse: true,
				simple: false,
				followRedirect: false,
				followAllRedirects: false,
				rejectUnauthorized: !request.tls.skipVerification,
				...(request.tls.ca ? { agentOptions: { ca: request.tls.ca } } : {}),
				// The library's timeout only backs up the deadline above, which covers the body too.
				timeout: request.timeoutMs + BACKSTOP_MS,
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

/** Every value of a header, its name matched case-insensitively (n8n gives arrays for repeated headers such as set-cookie). */
export function headerValues(headers: IDataObject, name: string): string[] {
	const wanted = name.toLowerCase();
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
	const value = key === undefined ? undefined : headers[key];
	if (value === undefined || value === null) return [];
	return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** The first value of a header, case-insensitively. */
export function headerValue(headers: IDataObject, name: string): string | undefined {
	return headerValues(headers, name)[0];
}
