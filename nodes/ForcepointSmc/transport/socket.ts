/**
 * One SMC websocket (smc.md §2) on `ws`: the REST session's cookie, or in token mode the
 * `access_token` subprotocol; the credential's TLS options; no Origin header (smc-python suppresses
 * it: Tomcat's CORS filter refuses it); ping/pong keep-alive; bounded frames both ways; JSON text
 * messages read in order with backpressure; `close()` aborts the running fetch first and always
 * ends with the socket gone, whatever state it was in.
 */
import { WebSocket, type ClientOptions, type RawData } from 'ws';

import { ApplianceError, type ApplianceErrorKind } from '../../shared/errors';
import { classifyNetworkError, type NetworkFailureKind } from '../../shared/transport/http';

/** Tomcat's close reason when a client frame does not fit its text buffer (smc.md §2.2). */
export const SMC_BUFFER_ERROR = 'The decoded text message was too big for the output buffer';

export type SmcMessage = Record<string, unknown>;

export interface SmcSocketOptions {
	/** ws:// or wss:// URL of the socket, e.g. wss://smc:8082/7.1/monitoring/log/socket */
	url: string;
	/** `JSESSIONID=<id>` from the REST login */
	cookie?: string;
	/** token mode ("Use SSL for session ID"): the login's Authorization value, offered as a subprotocol */
	token?: string;
	tls?: { skipVerification?: boolean; ca?: string };
	/** upgrade deadline (default 15 s) */
	handshakeTimeoutMs?: number;
	/** largest frame accepted from the SMC (default 16 MiB) */
	maxMessageBytes?: number;
	/** largest frame sent: Tomcat's default text buffer is 8 KiB (default 8192) */
	maxSendBytes?: number;
	/** ping interval; a ping unanswered by the next one ends the socket (default 30 s, 0 = off) */
	keepAliveMs?: number;
	/** aborting closes the socket (and fails an open in progress) */
	signal?: AbortSignal;
}

/** Why a socket could not be used; `retryable` tells a reconnect loop whether trying again can help. */
export type SocketFailure =
	| 'unauthorized'
	| 'not-found'
	| 'refused'
	| 'unreachable'
	| 'tls'
	| 'timeout'
	| 'handshake-closed'
	| 'closed'
	| 'malformed'
	| 'oversized'
	| 'aborted'
	| 'config';

const KIND_OF: Record<SocketFailure, ApplianceErrorKind> = {
	unauthorized: 'auth',
	'not-found': 'not-found',
	refused: 'server',
	unreachable: 'unreachable',
	tls: 'tls',
	timeout: 'timeout',
	'handshake-closed': 'unreachable',
	closed: 'unreachable',
	malformed: 'malformed',
	oversized: 'oversized',
	aborted: 'config',
	config: 'config',
};

const RETRYABLE: ReadonlySet<SocketFailure> = new Set(['refused', 'unreachable', 'timeout', 'handshake-closed', 'closed']);

export class SmcSocketError extends ApplianceError {
	constructor(
		readonly failure: SocketFailure,
		message: string,
		details: { status?: number; description?: string } = {},
	) {
		super(KIND_OF[failure], message, details);
		this.name = 'SmcSocketError';
	}

	/** A network-level loss that a reconnect may cure (not a refused login, a 404 or a bad message). */
	get retryable(): boolean {
		return RETRYABLE.has(this.failure);
	}
}

const QUEUE_PAUSE_AT = 256;
const QUEUE_RESUME_AT = 64;
const SUBPROTOCOL_TOKEN = /^[!#$%&'*+\-.^_`|~\dA-Za-z]+$/;

export class SmcSocket {
	private readonly queue: SmcMessage[] = [];
	private waiter?: { resolve: (message: SmcMessage) => void; reject: (error: Error) => void; timer?: NodeJS.Timeout };
	private failure?: SmcSocketError;
	private keepAlive?: NodeJS.Timeout;
	private readonly closedPromise: Promise<void>;
	private readonly onAbort = () => void this.close();
	/** when the SMC was last heard from (a message or a pong): where a gap after a loss starts */
	lastActivityAt = Date.now();

	private constructor(
		private readonly ws: WebSocket,
		private readonly path: string,
		private readonly options: SmcSocketOptions,
	) {
		this.closedPromise = new Promise((resolve) => ws.once('close', () => resolve()));
		ws.on('message', (data, isBinary) => this.receive(data, isBinary));
		ws.on('close', (code, reason) => this.ended(code, reason.toString()));
		ws.on('error', (error) => this.fail(socketErrorOf(error, options.url)));
		const interval = options.keepAliveMs ?? 30_000;
		if (interval > 0) {
			let answered = true;
			ws.on('pong', () => {
				answered = true;
				this.lastActivityAt = Date.now();
			});
			this.keepAlive = setInterval(() => {
				if (!answered) {
					this.fail(new SmcSocketError('timeout', `The SMC did not answer a websocket ping on ${path} within ${interval} ms`));
					ws.terminate();
					return;
				}
				answered = false;
				ws.ping();
			}, interval);
			this.keepAlive.unref();
		}
		options.signal?.addEventListener('abort', this.onAbort, { once: true });
	}

	/** Opens the socket; rejects with an SmcSocketError that names what went wrong. */
	static open(options: SmcSocketOptions): Promise<SmcSocket> {
		const path = new URL(options.url).pathname;
		if (options.signal?.aborted) return Promise.reject(new SmcSocketError('aborted', `Opening ${path} was cancelled`));
		if (!options.cookie && !options.token) return Promise.reject(new SmcSocketError('config', `No SMC session to open ${path} with`));
		if (options.token !== undefined && !SUBPROTOCOL_TOKEN.test(options.token)) {
			return Promise.reject(new SmcSocketError('config', 'The SMC session token cannot be sent as a websocket subprotocol'));
		}
		const clientOptions: ClientOptions = {
			headers: options.cookie ? { Cookie: options.cookie } : {},
			handshakeTimeout: options.handshakeTimeoutMs ?? 15_000,
			maxPayload: options.maxMessageBytes ?? 16 * 1024 * 1024,
			perMessageDeflate: false,
			followRedirects: false,
			rejectUnauthorized: options.tls?.skipVerification !== true,
			ca: options.tls?.ca || undefined,
		};
		const protocols = options.cookie ? undefined : ['access_token', options.token!];
		return new Promise((resolve, reject) => {
			let ws: WebSocket;
			try {
				ws = new WebSocket(options.url, protocols, clientOptions);
			} catch (error) {
				reject(new SmcSocketError('config', `Cannot open ${options.url}: ${(error as Error).message}`));
				return;
			}
			const settle = (error?: SmcSocketError) => {
				ws.removeListener('open', opened);
				ws.removeListener('error', failed);
				ws.removeListener('unexpected-response', refused);
				ws.removeListener('close', closedEarly);
				options.signal?.removeEventListener('abort', aborted);
				if (error) {
					// Tearing down a half-open socket emits one more error; without a listener it would crash n8n.
					ws.on('error', () => {});
					ws.terminate();
					reject(error);
				} else {
					resolve(new SmcSocket(ws, path, options));
				}
			};
			const opened = () => settle();
			const failed = (error: Error) => settle(socketErrorOf(error, options.url));
			const closedEarly = () => settle(new SmcSocketError('handshake-closed', `The SMC closed ${path} during the websocket handshake`));
			const aborted = () => settle(new SmcSocketError('aborted', `Opening ${path} was cancelled`));
			const refused = (_request: unknown, response: { statusCode?: number; resume(): void }) => {
				response.resume();
				settle(upgradeRefused(response.statusCode ?? 0, path));
			};
			ws.once('open', opened);
			ws.once('error', failed);
			ws.once('close', closedEarly);
			ws.once('unexpected-response', refused);
			options.signal?.addEventListener('abort', aborted, { once: true });
		});
	}

	get isOpen(): boolean {
		return this.ws.readyState === WebSocket.OPEN && !this.failure;
	}

	/** Sends one JSON message; a message larger than the SMC accepts is refused here, before it breaks the socket. */
	send(message: unknown): void {
		const text = JSON.stringify(message);
		const limit = this.options.maxSendBytes ?? 8192;
		const size = Buffer.byteLength(text);
		if (size > limit) {
			throw new SmcSocketError('oversized', `The message for ${this.path} is ${size} bytes, more than the ${limit} bytes the SMC's websocket accepts`, {
				description: 'Shorten the filter: networks (10.0.0.0/16) or a translated expression instead of long lists of addresses.',
			});
		}
		if (this.failure) throw this.failure;
		if (this.ws.readyState !== WebSocket.OPEN) throw new SmcSocketError('closed', `The websocket ${this.path} is closed`);
		this.ws.send(text);
	}

	/**
	 * The next message in arrival order. Rejects once the socket has ended and every message before
	 * the end has been read, or when `timeoutMs` passes without a message.
	 */
	next(timeoutMs?: number): Promise<SmcMessage> {
		const queued = this.queue.shift();
		if (queued) {
			if (this.ws.isPaused && this.queue.length <= QUEUE_RESUME_AT) this.ws.resume();
			return Promise.resolve(queued);
		}
		if (this.failure) return Promise.reject(this.failure);
		return new Promise((resolve, reject) => {
			const waiter: NonNullable<SmcSocket['waiter']> = { resolve, reject };
			if (timeoutMs !== undefined) {
				waiter.timer = setTimeout(() => {
					this.waiter = undefined;
					reject(new SmcSocketError('timeout', `No message on ${this.path} within ${Math.round(timeoutMs / 1000)} s`));
				}, timeoutMs);
			}
			this.waiter = waiter;
		});
	}

	/**
	 * Ends the socket: `{"abort": fetchId}` first when a fetch runs (smc.md §3.7), then a close frame
	 * (1000); a peer that does not answer within `timeoutMs` is cut off. Never throws.
	 */
	async close(abortFetchId?: number, timeoutMs = 2000): Promise<void> {
		this.stopKeepAlive();
		this.options.signal?.removeEventListener('abort', this.onAbort);
		if (this.ws.readyState === WebSocket.OPEN) {
			try {
				if (abortFetchId !== undefined) this.ws.send(JSON.stringify({ abort: abortFetchId }));
				this.ws.close(1000);
			} catch {
				this.ws.terminate();
			}
		} else if (this.ws.readyState !== WebSocket.CLOSED) {
			this.ws.terminate();
		}
		let timer: NodeJS.Timeout | undefined;
		const cutOff = new Promise<void>((resolve) => {
			timer = setTimeout(() => {
				this.ws.terminate();
				resolve();
			}, timeoutMs);
		});
		await Promise.race([this.closedPromise, cutOff]);
		clearTimeout(timer);
		await this.closedPromise;
	}

	private receive(data: RawData, isBinary: boolean): void {
		this.lastActivityAt = Date.now();
		if (isBinary) return this.fail(new SmcSocketError('malformed', `The SMC sent a binary frame on ${this.path}; only JSON text is expected`), true);
		let message: unknown;
		try {
			message = JSON.parse(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString());
		} catch {
			return this.fail(new SmcSocketError('malformed', `The SMC sent a frame on ${this.path} that is not JSON`), true);
		}
		if (typeof message !== 'object' || message === null || Array.isArray(message)) {
			return this.fail(new SmcSocketError('malformed', `The SMC sent a JSON frame on ${this.path} that is not an object`), true);
		}
		if (this.waiter) {
			const waiter = this.waiter;
			this.waiter = undefined;
			clearTimeout(waiter.timer);
			waiter.resolve(message as SmcMessage);
			return;
		}
		this.queue.push(message as SmcMessage);
		if (this.queue.length >= QUEUE_PAUSE_AT && !this.ws.isPaused) this.ws.pause();
	}

	private ended(code: number, reason: string): void {
		this.stopKeepAlive();
		if (reason.includes(SMC_BUFFER_ERROR)) {
			this.fail(
				new SmcSocketError('oversized', `The SMC closed ${this.path}: a message was too big for its websocket buffer`, {
					description: 'Shorten the filter: networks or a translated expression instead of long lists of addresses.',
				}),
			);
		}
		this.fail(new SmcSocketError('closed', `The SMC closed ${this.path} (code ${code}${reason ? `: ${reason}` : ''})`));
	}

	/** Records the first failure; the reader sees it after the messages already queued. */
	private fail(error: SmcSocketError, terminate = false): void {
		if (!this.failure) this.failure = error;
		if (terminate) this.ws.terminate();
		if (this.waiter && this.queue.length === 0) {
			const waiter = this.waiter;
			this.waiter = undefined;
			clearTimeout(waiter.timer);
			waiter.reject(this.failure);
		}
	}

	private stopKeepAlive(): void {
		if (this.keepAlive) clearInterval(this.keepAlive);
		this.keepAlive = undefined;
	}
}

function upgradeRefused(status: number, path: string): SmcSocketError {
	if (status === 401 || status === 403) {
		return new SmcSocketError('unauthorized', `The SMC refused the session on ${path} (HTTP ${status})`, { status });
	}
	if (status === 404) {
		return new SmcSocketError('not-found', `The SMC does not serve ${path} (HTTP 404)`, {
			status,
			description: 'Check the API version in the credential: the SMC may not offer it.',
		});
	}
	return new SmcSocketError('refused', `The SMC refused the websocket ${path} (HTTP ${status})`, { status });
}

/**
 * What `ws` reported, in words: socket codes go through the shared classifier, because n8n replaces a
 * message that contains ECONNREFUSED and the like with generic text naming neither host nor fix.
 */
function socketErrorOf(error: Error, url: string): SmcSocketError {
	if (error instanceof SmcSocketError) return error;
	const path = new URL(url).pathname;
	if (/handshake has timed out/i.test(error.message)) return new SmcSocketError('timeout', `The websocket handshake on ${path} timed out`);
	if (/Max payload size exceeded/i.test(error.message)) return new SmcSocketError('oversized', `The SMC sent a frame on ${path} larger than allowed`);
	const code = (error as NodeJS.ErrnoException).code;
	if (code || /socket hang up/i.test(error.message)) {
		const network = classifyNetworkError(error, url);
		const failure: Record<NetworkFailureKind, SocketFailure> = { tls: 'tls', unreachable: 'unreachable', timeout: 'timeout', reset: 'handshake-closed', oversized: 'oversized' };
		return new SmcSocketError(failure[network.kind], `${network.message} (websocket ${path})`, {
			description: network.kind === 'tls' ? 'Add the SMC CA to the credential (Custom CA Certificate), or turn on Ignore SSL Issues for a lab SMC.' : undefined,
		});
	}
	return new SmcSocketError('closed', `The websocket ${path} failed: ${error.message}`);
}
