/**
 * A syslog receiver on 127.0.0.1: UDP (RFC 5426, one message a datagram), TCP (RFC 6587: octet
 * counting or LF-terminated, told apart per frame as §3.4 describes) and TLS (RFC 5425, a server
 * certificate from the sinks' CA; a client certificate requested, and required on demand).
 *
 * It records every message and, per connection, the exact bytes that arrived, so tests can check
 * framing byte for byte. After a sender's FIN it closes its side once everything is read, as rsyslog
 * and syslog-ng do (that close is what confirms delivery to Syslog Send).
 *
 * Faults: `resetAfterMessages` resets the next connection after that many messages (RST, the rest of
 * the read discarded), as a receiver that crashes mid-stream.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as tls from 'node:tls';

import { simulatorTls, type SimulatorTls } from '../common';
import { clientCertificates } from './certificates';

export type SyslogSinkTransport = 'udp' | 'tcp' | 'tls';

export interface ReceivedSyslogMessage {
	/** 1-based arrival order over all transports */
	seq: number;
	transport: SyslogSinkTransport;
	framing: 'octetCounting' | 'lf' | 'datagram';
	message: string;
	/** size of the message itself, without framing */
	bytes: number;
	/** 1-based id of the TCP/TLS connection (0 for UDP) */
	connection: number;
	/** the verified client certificate's subject CN, on TLS */
	clientCertificate?: string;
}

export interface SinkConnection {
	id: number;
	transport: 'tcp' | 'tls';
	/** every byte received, in order, up to `maxRawBytes` */
	raw: Buffer[];
	rawBytes: number;
	messages: number;
	clientCertificate?: string;
	/** 'peer' when the sender ended the stream, 'reset' when the sink reset it, 'error' otherwise */
	end?: 'peer' | 'reset' | 'error';
	error?: string;
}

export interface SyslogSinkOptions {
	/** refuse TLS clients without a certificate from the sinks' CA */
	requireClientCertificate: boolean;
	/** keep at most this many messages (later ones are counted, not kept) */
	maxRecorded: number;
	maxRawBytes: number;
	/** print each message on stderr, for a person trying the demo */
	log: boolean;
}

const DEFAULTS: SyslogSinkOptions = { requireClientCertificate: false, maxRecorded: 200_000, maxRawBytes: 64 * 1024 * 1024, log: false };

/** Octet counts above this are treated as garbage: the connection is closed. */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export class SyslogSink {
	readonly messages: ReceivedSyslogMessage[] = [];
	readonly connections: SinkConnection[] = [];
	/** messages received, including those past `maxRecorded` */
	count = 0;
	faults: { resetAfterMessages?: number } = {};
	readonly options: SyslogSinkOptions;
	private udp?: dgram.Socket;
	private tcp?: net.Server;
	private tls?: tls.Server;
	private readonly sockets = new Set<net.Socket>();
	private readonly waiters = new Set<() => void>();
	private serverTls?: SimulatorTls;

	constructor(options: Partial<SyslogSinkOptions> = {}) {
		this.options = { ...DEFAULTS, ...options };
	}

	/** `tls`: the server certificate to present (default: the simulators' own). */
	async start(ports: { udp?: number; tcp?: number; tls?: number } = {}, serverTls: SimulatorTls = simulatorTls()): Promise<this> {
		this.serverTls = serverTls;
		this.udp = dgram.createSocket('udp4');
		this.udp.on('message', (datagram) => this.record('udp', 'datagram', datagram, 0));
		await new Promise<void>((resolve, reject) => {
			this.udp!.once('error', reject);
			this.udp!.bind(ports.udp ?? 0, '127.0.0.1', () => resolve());
		});
		this.tcp = net.createServer((socket) => this.accept(socket, 'tcp'));
		this.tls = tls.createServer(
			{
				key: serverTls.key,
				cert: serverTls.cert,
				ca: clientCertificates().clientCa,
				requestCert: true,
				rejectUnauthorized: this.options.requireClientCertificate,
			},
			(socket) => this.accept(socket, 'tls'),
		);
		// A failed handshake never reaches the connection handler; it is the sender's error to see.
		this.tls.on('tlsClientError', () => undefined);
		await listen(this.tcp, ports.tcp ?? 0);
		await listen(this.tls, ports.tls ?? 0);
		return this;
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		const closing: Array<Promise<void>> = [];
		if (this.udp) closing.push(new Promise((resolve) => this.udp!.close(() => resolve())));
		for (const server of [this.tcp, this.tls]) if (server) closing.push(new Promise((resolve) => server.close(() => resolve())));
		this.udp = this.tcp = this.tls = undefined;
		await Promise.all(closing);
	}

	get ports(): { udp: number; tcp: number; tls: number } {
		if (!this.udp || !this.tcp || !this.tls) throw new Error('syslog sink is not started');
		return {
			udp: this.udp.address().port,
			tcp: (this.tcp.address() as net.AddressInfo).port,
			tls: (this.tls.address() as net.AddressInfo).port,
		};
	}

	/** What a Syslog Receiver credential needs, plus the CA to trust for TLS. */
	credentials(): { host: string; udpPort: number; tcpPort: number; tlsPort: number; ca: string } {
		const ports = this.ports;
		return { host: '127.0.0.1', udpPort: ports.udp, tcpPort: ports.tcp, tlsPort: ports.tls, ca: this.serverTls!.ca };
	}

	clear(): void {
		this.messages.length = 0;
		this.connections.length = 0;
		this.count = 0;
		this.faults = {};
	}

	/** Every byte one connection carried, in order. */
	rawBytes(connectionId: number): Buffer {
		const connection = this.connections.find((entry) => entry.id === connectionId);
		if (!connection) throw new Error(`no connection ${connectionId}`);
		return Buffer.concat(connection.raw);
	}

	/** Bounded wait until `count` messages arrived in all. */
	async waitForCount(count: number, timeoutMs = 30_000): Promise<void> {
		if (this.count >= count) return;
		await new Promise<void>((resolve, reject) => {
			const check = () => {
				if (this.count < count) return;
				clearTimeout(timer);
				this.waiters.delete(check);
				resolve();
			};
			const timer = setTimeout(() => {
				this.waiters.delete(check);
				reject(new Error(`syslog sink: ${this.count} of ${count} messages after ${timeoutMs} ms`));
			}, timeoutMs);
			this.waiters.add(check);
		});
	}

	/** Bounded wait until at least `count` connections came and every one of them has ended. */
	async waitForConnectionsClosed(count = 1, timeoutMs = 30_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (this.connections.length < count || this.connections.some((connection) => !connection.end)) {
			if (Date.now() > deadline) throw new Error(`syslog sink: ${this.connections.length} of ${count} connections, or one still open`);
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}

	private accept(socket: net.Socket, transport: 'tcp' | 'tls'): void {
		this.sockets.add(socket);
		const connection: SinkConnection = { id: this.connections.length + 1, transport, raw: [], rawBytes: 0, messages: 0 };
		if (socket instanceof tls.TLSSocket && socket.authorized) {
			const subject = socket.getPeerCertificate().subject as { CN?: string } | undefined;
			connection.clientCertificate = subject?.CN;
		}
		this.connections.push(connection);
		const resetAfter = this.faults.resetAfterMessages;
		if (resetAfter !== undefined) this.faults.resetAfterMessages = undefined;
		let buffered = Buffer.alloc(0);
		socket.on('data', (chunk: Buffer) => {
			if (connection.end) return;
			if (connection.rawBytes + chunk.length <= this.options.maxRawBytes) connection.raw.push(chunk);
			connection.rawBytes += chunk.length;
			buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
			for (;;) {
				const frame = nextFrame(buffered);
				if (frame === 'incomplete') break;
				if (frame === 'garbage') {
					connection.end = 'error';
					connection.error = 'unreadable framing';
					socket.destroy();
					return;
				}
				buffered = buffered.subarray(frame.consumed);
				connection.messages++;
				this.record(transport, frame.framing, frame.message, connection.id, connection.clientCertificate);
				if (resetAfter !== undefined && connection.messages >= resetAfter) {
					connection.end = 'reset';
					socket.resetAndDestroy();
					return;
				}
			}
		});
		socket.on('end', () => {
			connection.end ??= 'peer';
		});
		socket.on('error', (error) => {
			connection.end ??= 'error';
			connection.error = error.message;
		});
		socket.on('close', () => {
			connection.end ??= 'error';
			this.sockets.delete(socket);
		});
	}

	private record(
		transport: SyslogSinkTransport,
		framing: ReceivedSyslogMessage['framing'],
		bytes: Buffer,
		connection: number,
		clientCertificate?: string,
	): void {
		this.count++;
		if (this.messages.length < this.options.maxRecorded) {
			const message = bytes.toString('utf8');
			this.messages.push({ seq: this.count, transport, framing, message, bytes: bytes.length, connection, clientCertificate });
			if (this.options.log) process.stderr.write(`[syslog sink] ${transport} ${message}\n`);
		}
		for (const waiter of [...this.waiters]) waiter();
	}
}

type Frame = { framing: 'octetCounting' | 'lf'; message: Buffer; consumed: number };

/** RFC 6587 §3.4: a frame starting with a nonzero digit is octet-counted, anything else ends at LF. */
function nextFrame(buffer: Buffer): Frame | 'incomplete' | 'garbage' {
	if (buffer.length === 0) return 'incomplete';
	const first = buffer[0];
	if (first >= 0x31 && first <= 0x39) {
		const space = buffer.indexOf(0x20);
		if (space === -1) return buffer.length > 10 ? 'garbage' : 'incomplete';
		const lengthText = buffer.subarray(0, space).toString('ascii');
		if (!/^[1-9][0-9]*$/.test(lengthText)) return 'garbage';
		const length = Number(lengthText);
		if (length > MAX_FRAME_BYTES) return 'garbage';
		if (buffer.length < space + 1 + length) return 'incomplete';
		return { framing: 'octetCounting', message: buffer.subarray(space + 1, space + 1 + length), consumed: space + 1 + length };
	}
	const lf = buffer.indexOf(0x0a);
	if (lf === -1) return buffer.length > MAX_FRAME_BYTES ? 'garbage' : 'incomplete';
	return { framing: 'lf', message: buffer.subarray(0, lf), consumed: lf + 1 };
}

function listen(server: net.Server, port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
}
