/**
 * The Syslog Send transport against the syslog sink over real loopback sockets: framing byte for
 * byte, one connection per execution, replay after a reset, receivers that are down, TLS trust and
 * client certificates.
 */
import * as net from 'node:net';

import { composeFrame } from '../../../nodes/SyslogSend/transport/compose';
import type { Framing, Transport } from '../../../nodes/SyslogSend/transport/framing';
import { SyslogSender } from '../../../nodes/SyslogSend/transport/sender';
import type { SyslogTarget } from '../../../nodes/SyslogSend/transport/target';
import { closedPort } from '../../simulators/sinks';
import { clientCertificates } from '../../simulators/sinks/certificates';
import { SyslogSink } from '../../simulators/sinks/syslog';

const noWait = async () => undefined;

function frames(texts: string[], transport: Transport, framing: Framing, maxMessageBytes = 8192): Buffer[] {
	return texts.map(
		(text) =>
			composeFrame(text, {
				header: 'asIs',
				maxMessageBytes,
				oversize: 'truncate',
				escapeControlCharacters: false,
				transport,
				framing,
			}).frame,
	);
}

const MESSAGES = [
	'<133>1 2021-10-23T06:48:57.000Z vco n8n - VPN - [netsec@32473 edge="Zürich"] Tunnel "IKE" down\nretrying',
	'<131>1 2021-10-23T06:50:00.000Z vco n8n - LINK_DEAD - CEF:0|VMware|VCO|5.0|LINK_DEAD|Link GE3 dead|7|dvchost=Edge-SIN-01',
	'<134>Oct 23 06:51:00 vco n8n: 12 starts with digits',
];

async function sendAll(sender: SyslogSender, payloads: Buffer[]) {
	const failed: Array<{ tag: number; message: string }> = [];
	for (const [tag, frame] of payloads.entries()) {
		await sender.send(frame, tag).catch((error: Error) => failed.push({ tag, message: error.message }));
	}
	for (const { tag, error } of await sender.finish()) failed.push({ tag, message: error.message });
	return failed;
}

describe('Syslog Send transport against the syslog sink', () => {
	let sink: SyslogSink;
	const certificates = clientCertificates();

	const target = (transport: Transport, framing: Framing = 'octetCounting', tls: Partial<SyslogTarget['tls']> = {}): SyslogTarget => {
		const ports = sink.ports;
		return {
			host: '127.0.0.1',
			port: ports[transport],
			transport,
			framing,
			tls: { ca: sink.credentials().ca, rejectUnauthorized: true, ...tls },
			connectTimeoutMs: 5_000,
			sendTimeoutMs: 5_000,
		};
	};

	beforeAll(async () => {
		sink = await new SyslogSink().start();
	});
	afterAll(async () => {
		await sink.stop();
	});
	beforeEach(() => sink.clear());

	it.each([
		['tcp', 'octetCounting'],
		['tcp', 'lf'],
		['tls', 'octetCounting'],
		['tls', 'lf'],
	] as const)('%s with %s framing: one connection, every byte as framed, confirmed by a clean close', async (transport, framing) => {
		// Escaping is the composer's job; LF framing gets escaped text, as the node sends it.
		const texts = framing === 'lf' ? MESSAGES.map((text) => text.replace(/\n/g, '#012')) : MESSAGES;
		const payloads = frames(texts, transport, framing);
		const sender = new SyslogSender(target(transport, framing), { wait: noWait });
		expect(await sendAll(sender, payloads)).toEqual([]);

		expect(sink.connections).toHaveLength(1);
		expect(sink.connections[0]).toMatchObject({ transport, end: 'peer', messages: 3 });
		expect(sink.rawBytes(1).equals(Buffer.concat(payloads))).toBe(true);
		expect(sink.messages.map((message) => [message.framing, message.message])).toEqual(texts.map((text) => [framing, text]));
	});

	it('udp: one datagram a message, nothing added', async () => {
		const payloads = frames(MESSAGES, 'udp', 'octetCounting');
		const sender = new SyslogSender(target('udp'), { wait: noWait });
		expect(await sendAll(sender, payloads)).toEqual([]);
		await sink.waitForCount(3, 5_000);
		expect(sink.messages.map((message) => [message.transport, message.framing, message.message])).toEqual(
			MESSAGES.map((text) => ['udp', 'datagram', text]),
		);
	});

	it('tls with a client certificate, for a receiver that requires one', async () => {
		const strict = await new SyslogSink({ requireClientCertificate: true }).start();
		try {
			const withCertificate = { ...target('tls'), port: strict.ports.tls, tls: { ca: strict.credentials().ca, rejectUnauthorized: true, cert: certificates.clientCert, key: certificates.clientKey } };
			expect(await sendAll(new SyslogSender(withCertificate, { wait: noWait }), frames(MESSAGES, 'tls', 'octetCounting'))).toEqual([]);
			expect(strict.messages.map((message) => message.clientCertificate)).toEqual(['n8n-syslog-client', 'n8n-syslog-client', 'n8n-syslog-client']);

			// Without one, the receiver ends the session: every item fails, none is reported sent.
			const without = { ...withCertificate, tls: { ca: strict.credentials().ca, rejectUnauthorized: true } };
			const failed = await sendAll(new SyslogSender(without, { wait: noWait }), frames(MESSAGES, 'tls', 'octetCounting'));
			expect(failed.map((failure) => failure.tag).sort()).toEqual([0, 1, 2]);
			expect(failed[0].message).toMatch(/tls:\/\/127\.0\.0\.1:\d+ (refused the TLS session|closed or lost the connection)/);
			expect(strict.messages).toHaveLength(3);
		} finally {
			await strict.stop();
		}
	});

	it('tls refuses a receiver whose certificate it cannot verify, without retrying', async () => {
		let attempts = 0;
		const sender = new SyslogSender(target('tls', 'octetCounting', { ca: certificates.otherCa }), {
			wait: async () => {
				attempts++;
			},
		});
		const failed = await sendAll(sender, frames(MESSAGES, 'tls', 'octetCounting'));
		expect(failed).toHaveLength(3);
		expect(failed[0].message).toMatch(/^The TLS certificate of tls:\/\/127\.0\.0\.1:\d+ is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/);
		expect(attempts).toBe(0);
		expect(sink.messages).toHaveLength(0);
	});

	it('tls checks the name in the certificate: Server Name overrides the host', async () => {
		const wrongName = target('tls', 'octetCounting', { serverName: 'siem.example.com' });
		const failed = await sendAll(new SyslogSender(wrongName, { wait: noWait }), frames(MESSAGES.slice(0, 1), 'tls', 'octetCounting'));
		expect(failed[0].message).toMatch(/not trusted \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
		const rightName = target('tls', 'octetCounting', { serverName: 'localhost' });
		expect(await sendAll(new SyslogSender(rightName, { wait: noWait }), frames(MESSAGES.slice(0, 1), 'tls', 'octetCounting'))).toEqual([]);
	});

	it('replays what was not confirmed when the receiver resets the connection mid-stream', async () => {
		sink.faults.resetAfterMessages = 2;
		const texts = Array.from({ length: 10 }, (_, index) => `<134>1 - - - - - - message ${index}`);
		let waits = 0;
		const sender = new SyslogSender(target('tcp'), {
			wait: async () => {
				waits++;
			},
		});
		expect(await sendAll(sender, frames(texts, 'tcp', 'octetCounting'))).toEqual([]);
		expect(sink.connections.length).toBeGreaterThanOrEqual(2);
		expect(sink.connections[0].end).toBe('reset');
		expect(sink.connections.at(-1)!.end).toBe('peer');
		// at least once: every message arrived; the last connection carried everything unconfirmed, in order
		const received = sink.messages.map((message) => message.message);
		for (const text of texts) expect(received).toContain(text);
		const last = sink.messages.filter((message) => message.connection === sink.connections.at(-1)!.id).map((message) => message.message);
		expect(last).toEqual(texts.slice(texts.length - last.length));
		expect(waits).toBeGreaterThanOrEqual(1);
	});

	it('a receiver that is down: each item fails with a retryable error naming it, after the backoff', async () => {
		const closed = await closedPort();
		for (const transport of ['tcp', 'udp'] as const) {
			const waits: number[] = [];
			const sender = new SyslogSender({ ...target(transport), port: closed }, { wait: async (ms) => void waits.push(ms) });
			const failed = await sendAll(sender, frames(MESSAGES, transport, 'octetCounting'));
			expect(failed.map((failure) => failure.tag).sort()).toEqual([0, 1, 2]);
			const expected =
				transport === 'tcp'
					? `tcp://127.0.0.1:${closed} refused the connection: nothing listens on that port`
					: `udp://127.0.0.1:${closed} answered "port unreachable": nothing listens on UDP port ${closed}`;
			for (const failure of failed) expect(failure.message).toContain(expected);
			expect(failed[0].message).toMatch(/gave up after 5 attempts/);
			// the backoff ran once (4 waits for 5 attempts); later items failed at once
			expect(waits).toHaveLength(4);
		}
	});

	it('a receiver that keeps the connection half open: the items fail as unconfirmed, nothing is sent twice', async () => {
		const sockets: net.Socket[] = [];
		const halfOpen = net.createServer({ allowHalfOpen: true }, (socket) => {
			sockets.push(socket);
			socket.resume();
		});
		await new Promise<void>((resolve) => halfOpen.listen(0, '127.0.0.1', () => resolve()));
		try {
			const port = (halfOpen.address() as net.AddressInfo).port;
			const sender = new SyslogSender({ ...target('tcp'), port, sendTimeoutMs: 300 }, { wait: noWait });
			const failed = await sendAll(sender, frames(MESSAGES, 'tcp', 'octetCounting'));
			expect(failed.map((failure) => failure.tag)).toEqual([0, 1, 2]);
			expect(failed[0].message).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+ did not close the connection within 0\.3 s after n8n finished sending, so delivery cannot be confirmed$/);
			expect(sockets).toHaveLength(1);
		} finally {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => halfOpen.close(() => resolve()));
		}
	});

	it('a receiver that stops reading: reconnects and replays within the retry policy, then fails every item', async () => {
		const sockets: net.Socket[] = [];
		const stuck = net.createServer((socket) => {
			sockets.push(socket);
			socket.pause();
		});
		await new Promise<void>((resolve) => stuck.listen(0, '127.0.0.1', () => resolve()));
		try {
			const port = (stuck.address() as net.AddressInfo).port;
			const sender = new SyslogSender({ ...target('tcp'), port, sendTimeoutMs: 300 }, { wait: noWait });
			const big = Array.from({ length: 256 }, (_, index) => `<134>1 - - - - - - ${index} ${'x'.repeat(64 * 1024)}`);
			const failed = await sendAll(sender, frames(big, 'tcp', 'octetCounting', 128 * 1024));
			expect(failed).toHaveLength(256);
			expect(failed.find((failure) => /stopped reading for 0\.3 s; gave up after 5 attempts/.test(failure.message))).toBeDefined();
			expect(sockets).toHaveLength(5);
		} finally {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => stuck.close(() => resolve()));
		}
	});

	it('a host that does not resolve fails at once as a configuration error', async () => {
		const sender = new SyslogSender({ ...target('tcp'), host: 'no-such-host.invalid' }, { wait: noWait });
		const failed = await sendAll(sender, frames(MESSAGES.slice(0, 1), 'tcp', 'octetCounting'));
		expect(failed[0].message).toBe('The host "no-such-host.invalid" of the syslog receiver cannot be resolved');
	});

	it('a 1 MB message over TCP arrives whole when the limit allows it', async () => {
		const big = `<134>1 - - - - - - ${'x'.repeat(1024 * 1024)}`;
		const sender = new SyslogSender(target('tcp'), { wait: noWait });
		expect(await sendAll(sender, frames([big, MESSAGES[1]], 'tcp', 'octetCounting', 2 * 1024 * 1024))).toEqual([]);
		expect(sink.messages.map((message) => message.bytes)).toEqual([Buffer.byteLength(big), Buffer.byteLength(MESSAGES[1])]);
	});

	it('probes a receiver for the credential test', async () => {
		await expect(new SyslogSender(target('tls')).probe()).resolves.toMatch(/^Connected to tls:\/\/127\.0\.0\.1:\d+ \(TLSv1\.[23]\)$/);
		await expect(new SyslogSender(target('tcp')).probe()).resolves.toMatch(/^Connected to tcp:\/\/127\.0\.0\.1:\d+ \(TCP\)$/);
		await expect(new SyslogSender(target('udp')).probe()).resolves.toMatch(/UDP has no handshake/);
		expect(sink.messages).toHaveLength(0);
	});
});

