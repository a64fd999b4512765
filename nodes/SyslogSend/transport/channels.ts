/**
 * The socket under one syslog connection: a TCP or TLS stream, or a connected UDP socket. Each
 * channel writes frames, says whether it is still usable, and confirms what it carried when closed.
 * Every failure comes out classified (target.ts): retryable, or not.
 */
import * as dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import * as net from 'node:net';
import * as tls from 'node:tls';

import { ApplianceError } from '../../shared/errors';
import { RetryableError } from '../../shared/transport/retry';
import { classifySocketError, receiverName, type SyslogTarget } from './target';

export interface Channel {
	/** false once the channel saw an error or was closed: the next attempt opens a new one */
	readonly healthy: boolean;
	/** what the handshake agreed (TLS version), for the credential test */
	readonly description: string;
	/** undefined when the frame is on its way and nothing needs waiting for (the common case, kept cheap) */
	write(frame: Buffer): Promise<void> | undefined;
	/** Closes and proves the receiver took everything (as far as the transport can), or throws. */
	confirm(): Promise<void>;
	destroy(): void;
}

/** Frames gathered per write to a stream: large enough to spare system calls, small enough for any receiver's buffer. */
const CHUNK_BYTES = 64 * 1024;

export async function openChannel(target: SyslogTarget): Promise<Channel> {
	return target.transport === 'udp' ? await DatagramChannel.open(target) : await StreamChannel.open(target);
}

/**
 * TCP or TLS. After our FIN the receiver reads to the end of the stream and closes its side, so a
 * clean close proves it read every byte; a reset proves it did not.
 */
class StreamChannel implements Channel {
	private error?: Error;
	private gathered: Buffer[] = [];
	private gatheredBytes = 0;
	private flushScheduled = false;

	private constructor(
		private readonly socket: net.Socket,
		private readonly target: SyslogTarget,
	) {
		socket.on('error', (error) => {
			this.error ??= error;
		});
	}

	static open(target: SyslogTarget): Promise<StreamChannel> {
		const { host, port, transport, tls: tlsOptions, connectTimeoutMs } = target;
		return new Promise((resolve, reject) => {
			const socket =
				transport === 'tls'
					? tls.connect({
							host,
							port,
							// SNI carries names only; an IP host is still checked against the certificate's IP SANs
							servername: tlsOptions.serverName || (net.isIP(host) ? undefined : host),
							ca: tlsOptions.ca || undefined,
							cert: tlsOptions.cert || undefined,
							key: tlsOptions.key || undefined,
							passphrase: tlsOptions.passphrase || undefined,
							rejectUnauthorized: tlsOptions.rejectUnauthorized,
						})
					: net.connect({ host, port });
			const timer = setTimeout(() => {
				socket.destroy();
				reject(new RetryableError(`${receiverName(target)} did not accept the connection within ${connectTimeoutMs / 1000} s`, 'connection'));
			}, connectTimeoutMs);
			const onError = (error: Error) => {
				clearTimeout(timer);
				socket.destroy();
				reject(classifySocketError(error, target));
			};
			socket.once('error', onError);
			socket.once(transport === 'tls' ? 'secureConnect' : 'connect', () => {
				clearTimeout(timer);
				socket.removeListener('error', onError);
				resolve(new StreamChannel(socket, target));
			});
		});
	}

	get healthy(): boolean {
		return !this.error && !this.socket.destroyed && this.socket.writable;
	}

	get description(): string {
		return this.socket instanceof tls.TLSSocket ? `${this.socket.getProtocol() ?? 'TLS'}` : 'TCP';
	}

	/**
	 * Frames are gathered into chunks of up to 64 KiB (one system call each instead of one per
	 * message); a chunk goes out when full, when the event loop turns, or before the close. Waits only
	 * when the kernel's buffer is full (the receiver reads slower than we write).
	 */
	write(frame: Buffer): Promise<void> | undefined {
		this.gathered.push(frame);
		this.gatheredBytes += frame.length;
		if (this.gatheredBytes >= CHUNK_BYTES) return this.flush();
		if (!this.flushScheduled) {
			this.flushScheduled = true;
			setImmediate(() => {
				this.flushScheduled = false;
				// a failure shows as the socket's error, which the next write or the close reports
				this.flush()?.catch(() => undefined);
			});
		}
		return undefined;
	}

	async confirm(): Promise<void> {
		await this.flush();
		this.socket.end();
		await this.settle('close', () => {
			// It may have read everything and merely keep the connection half open: sending it all again
			// would repeat what it has, so the items fail (retryable) instead of being replayed.
			return new ApplianceError('timeout', `${receiverName(this.target)} did not close the connection within ${this.target.sendTimeoutMs / 1000} s after n8n finished sending, so delivery cannot be confirmed`, {
				description: 'Receivers such as rsyslog and syslog-ng close their side once they have read everything. Check that this one is not stuck, or raise Send Timeout.',
			});
		});
		if (this.error) throw classifySocketError(this.error, this.target);
	}

	destroy(): void {
		this.socket.destroy();
	}

	private flush(): Promise<void> | undefined {
		if (this.gatheredBytes === 0) return undefined;
		const chunk = this.gathered.length === 1 ? this.gathered[0] : Buffer.concat(this.gathered, this.gatheredBytes);
		this.gathered = [];
		this.gatheredBytes = 0;
		if (this.socket.write(chunk)) return undefined;
		return this.settle('drain', () => new RetryableError(`${receiverName(this.target)} stopped reading for ${this.target.sendTimeoutMs / 1000} s`, 'connection'));
	}

	/** Waits for `event`, failing on an error, an early close or the send timeout. */
	private settle(event: 'drain' | 'close', timeoutError: () => Error): Promise<void> {
		const { socket, target } = this;
		return new Promise((resolve, reject) => {
			const finish = (error?: Error) => {
				clearTimeout(timer);
				socket.removeListener(event, onEvent);
				socket.removeListener('close', onClose);
				if (!error) return resolve();
				socket.destroy();
				reject(error);
			};
			const timer = setTimeout(
				() => finish(timeoutError()),
				target.sendTimeoutMs,
			);
			const onEvent = () => finish();
			const onClose = () => finish(classifySocketError(this.error ?? Object.assign(new Error('closed'), { code: 'ECONNRESET' }), target));
			socket.once(event, onEvent);
			if (event !== 'close') socket.once('close', onClose);
			if (socket.destroyed) (event === 'close' ? onEvent : onClose)();
		});
	}
}

/**
 * A connected UDP socket. Nothing confirms a datagram arrived, but the kernel reports an ICMP "port
 * unreachable" for a receiver that is not listening, as an error event or as the error of the next
 * send: the sender then counts the datagram before as lost and sends it again.
 */
class DatagramChannel implements Channel {
	private error?: Error;
	private closed = false;

	private constructor(
		private readonly socket: dgram.Socket,
		private readonly target: SyslogTarget,
	) {
		socket.on('error', (error) => {
			this.error ??= error;
		});
	}

	static async open(target: SyslogTarget): Promise<DatagramChannel> {
		let address: { address: string; family: number };
		try {
			address = await lookup(target.host);
		} catch (error) {
			throw classifySocketError(error as Error, target);
		}
		const socket = dgram.createSocket(address.family === 6 ? 'udp6' : 'udp4');
		await new Promise<void>((resolve, reject) => {
			const onError = (error: Error) => {
				socket.close();
				reject(classifySocketError(error, target));
			};
			socket.once('error', onError);
			socket.connect(target.port, address.address, () => {
				socket.removeListener('error', onError);
				resolve();
			});
		});
		return new DatagramChannel(socket, target);
	}

	get healthy(): boolean {
		return !this.error && !this.closed;
	}

	get description(): string {
		return 'UDP';
	}

	async write(frame: Buffer): Promise<void> {
		this.throwIfFailed();
		await new Promise<void>((resolve, reject) => {
			this.socket.send(frame, (error) => {
				if (error) this.error ??= error;
				if (error) reject(classifySocketError(error, this.target));
				else resolve();
			});
		});
	}

	/** One turn of the event loop lets a local receiver's ICMP answer to the last datagram arrive. */
	async confirm(): Promise<void> {
		await new Promise((resolve) => setImmediate(resolve));
		this.throwIfFailed();
		this.destroy();
	}

	destroy(): void {
		if (this.closed) return;
		this.closed = true;
		this.socket.close();
	}

	private throwIfFailed(): void {
		if (this.error) throw classifySocketError(this.error, this.target);
	}
}
