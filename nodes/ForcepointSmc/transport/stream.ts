/**
 * A websocket subscription that survives the SMC: read messages in order; when the socket is lost,
 * reconnect with exponential backoff and full jitter (the caller's `start` logs in again when the
 * session is gone and resubscribes), then report the gap, from the last moment the SMC was heard to
 * the moment the subscription was back. Losses a reconnect cannot cure (a refused key, an unknown
 * entry point, a rejected filter) end the stream through `onFatal`.
 */
import { ApplianceError } from '../../shared/errors';
import { SmcSocketError, type SmcMessage, type SmcSocket } from './socket';

export interface StreamGap {
	/** last moment anything came from the SMC before the loss (epoch ms) */
	from: number;
	/** when the subscription or query was running again (epoch ms) */
	to: number;
	/** why the socket was lost */
	reason: string;
	/** connection attempts it took */
	attempts: number;
}

export interface Backoff {
	initialMs: number;
	maxMs: number;
}

/** A socket whose subscription or query runs, and messages its start already read past (delivered first). */
export interface StartedStream {
	socket: SmcSocket;
	pending?: SmcMessage[];
}

export interface StreamHandlers {
	/** opens a socket and starts the subscription or query on it; throws to fail this attempt */
	start: (signal: AbortSignal) => Promise<StartedStream>;
	/** every message in order (the start's own acknowledgements excluded) */
	onMessage: (message: SmcMessage) => void | Promise<void>;
	onGap: (gap: StreamGap) => void | Promise<void>;
	/** a loss a reconnect cannot cure; the stream has stopped */
	onFatal: (error: Error) => void;
	/** ends a socket (a query aborts its fetch first) */
	close: (socket: SmcSocket) => Promise<void>;
	/** a retry is coming after `delayMs` */
	onRetry?: (error: Error, attempt: number, delayMs: number) => void;
}

/** Whether trying again can help: network losses and SMC 5xx yes; refusals, bad input and bad answers no. */
export function isTransient(error: unknown): boolean {
	if (error instanceof SmcSocketError) return error.retryable || error.failure === 'malformed';
	if (error instanceof ApplianceError) return ['unreachable', 'timeout', 'server', 'rate-limit', 'malformed'].includes(error.kind);
	return false;
}

export function backoffDelayMs(backoff: Backoff, attempt: number, random = Math.random): number {
	const step = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt - 1));
	return Math.round(step / 2 + random() * (step / 2));
}

/**
 * Reads `first` until `signal` aborts, reconnecting as needed. Resolves once the stream has stopped
 * and its last socket is closed, whether by the signal or by a fatal error.
 */
export async function runStream(first: StartedStream, handlers: StreamHandlers, backoff: Backoff, signal: AbortSignal): Promise<void> {
	let socket: SmcSocket | undefined = first.socket;
	let pending = first.pending ?? [];
	try {
		while (!signal.aborted && socket) {
			let lost: Error;
			try {
				for (const message of pending.splice(0)) await handlers.onMessage(message);
				for (;;) await handlers.onMessage(await socket.next());
			} catch (error) {
				lost = error as Error;
			}
			if (signal.aborted) break;
			if (!isTransient(lost)) {
				handlers.onFatal(lost);
				break;
			}
			const from = socket.lastActivityAt;
			await handlers.close(socket);
			socket = undefined;
			const next = await reconnect(handlers, backoff, signal);
			if (!next) break;
			socket = next.started.socket;
			pending = next.started.pending ?? [];
			await handlers.onGap({ from, to: Date.now(), reason: lost.message, attempts: next.attempts });
		}
	} finally {
		if (socket) await handlers.close(socket);
	}
}

/** The next socket and the attempts it took, or undefined when aborted or when a fatal error was reported. */
async function reconnect(handlers: StreamHandlers, backoff: Backoff, signal: AbortSignal): Promise<{ started: StartedStream; attempts: number } | undefined> {
	for (let attempt = 1; !signal.aborted; attempt++) {
		const delay = backoffDelayMs(backoff, attempt);
		try {
			await abortableSleep(delay, signal);
			if (signal.aborted) return undefined;
			return { started: await handlers.start(signal), attempts: attempt };
		} catch (error) {
			if (signal.aborted) return undefined;
			if (!isTransient(error)) {
				handlers.onFatal(error as Error);
				return undefined;
			}
			handlers.onRetry?.(error as Error, attempt, delay);
		}
	}
	return undefined;
}

/** Waits `ms`, or less when `signal` aborts; leaves no timer behind either way. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
	if (ms <= 0 || signal.aborted) return Promise.resolve();
	return new Promise((resolve) => {
		const done = () => {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		signal.addEventListener('abort', done, { once: true });
	});
}
