/**
 * The SMC websocket transport against real loopback servers: what goes on the wire (cookie or
 * token subprotocol, no Origin, abort before close), every refusal and failure named, every socket
 * gone at the end.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';

import { SMC_BUFFER_ERROR, SmcSocket, SmcSocketError, type SmcSocketOptions } from '../../../nodes/ForcepointSmc/transport/socket';

interface Peer {
	url: string;
	/** upgrade requests seen, with their headers */
	upgrades: http.IncomingHttpHeaders[];
	/** messages and close codes per accepted socket */
	received: string[];
	closes: number[];
	sockets: Set<WebSocket>;
	wss: WebSocketServer;
	close(): Promise<void>;
}

type Upgrade = (request: http.IncomingMessage, socket: Socket, head: Buffer, accept: () => void) => void;

async function startPeer(options: { upgrade?: Upgrade; onConnection?: (ws: WebSocket) => void; tls?: { key: Buffer; cert: Buffer }; autoPong?: boolean } = {}): Promise<Peer> {
	const server = options.tls ? https.createServer(options.tls) : http.createServer();
	const wss = new WebSocketServer({
		noServer: true,
		autoPong: options.autoPong ?? true,
		handleProtocols: (protocols) => (protocols.has('access_token') ? 'access_token' : false),
	});
	const peer: Peer = {
		url: '',
		upgrades: [],
		received: [],
		closes: [],
		sockets: new Set(),
		wss,
		close: async () => {
			for (const ws of peer.sockets) ws.terminate();
			// Upgraded and half-upgraded connections are no longer the HTTP server's to close.
			for (const connection of connections) connection.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
	const connections = new Set<Socket>();
	server.on('connection', (connection: Socket) => {
		connections.add(connection);
		connection.on('close', () => connections.delete(connection));
	});
	server.on('upgrade', (request, socket: Socket, head) => {
		peer.upgrades.push(request.headers);
		const accept = () =>
			wss.handleUpgrade(request, socket, head, (ws) => {
				peer.sockets.add(ws);
				ws.on('message', (data) => peer.received.push(data.toString()));
				ws.on('close', (code) => {
					peer.closes.push(code);
					peer.sockets.delete(ws);
				});
				options.onConnection?.(ws);
			});
		if (options.upgrade) options.upgrade(request, socket, head, accept);
		else accept();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	peer.url = `${options.tls ? 'wss' : 'ws'}://127.0.0.1:${port}/7.1/monitoring/log/socket`;
	return peer;
}

function refuseWith(status: number): Upgrade {
	return (_request, socket) => socket.end(`HTTP/1.1 ${status} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

async function failureOf(promise: Promise<unknown>): Promise<SmcSocketError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(SmcSocketError);
		return error as SmcSocketError;
	}
	throw new Error('expected an SmcSocketError');
}

async function waitFor(condition: () => boolean): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

const COOKIE = 'JSESSIONID=0123456789ABCDEF0123456789ABCDEF';

function optionsFor(peer: Peer, extra: Partial<SmcSocketOptions> = {}): SmcSocketOptions {
	return { url: peer.url, cookie: COOKIE, handshakeTimeoutMs: 2000, keepAliveMs: 0, ...extra };
}

describe('SMC websocket transport', () => {
	let peer: Peer;
	afterEach(() => peer?.close());

	it('sends the session cookie and no Origin, reads JSON in order, aborts the fetch before a 1000 close', async () => {
		peer = await startPeer({
			onConnection: (ws) => {
				for (let i = 0; i < 600; i++) ws.send(JSON.stringify({ fetch: 42, records: [{ n: i }] }));
			},
		});
		const socket = await SmcSocket.open(optionsFor(peer));
		expect(peer.upgrades[0].cookie).toBe(COOKIE);
		expect(peer.upgrades[0].origin).toBeUndefined();
		expect(peer.upgrades[0]['sec-websocket-protocol']).toBeUndefined();
		// More than the queue holds before pausing the socket: nothing is lost or reordered.
		for (let i = 0; i < 600; i++) expect(await socket.next(2000)).toEqual({ fetch: 42, records: [{ n: i }] });
		socket.send({ query: { type: 'stored' }, fetch: {}, format: { type: 'texts' } });
		await socket.close(42);
		await waitFor(() => peer.closes.length === 1);
		expect(peer.received).toEqual([JSON.stringify({ query: { type: 'stored' }, fetch: {}, format: { type: 'texts' } }), '{"abort":42}']);
		expect(peer.closes).toEqual([1000]);
		expect(socket.isOpen).toBe(false);
	});

	it('offers access_token and the token in token mode, with no cookie', async () => {
		peer = await startPeer();
		const socket = await SmcSocket.open({ url: peer.url, token: 'ABCDEF0123456789', keepAliveMs: 0 });
		expect(peer.upgrades[0]['sec-websocket-protocol']).toBe('access_token,ABCDEF0123456789');
		expect(peer.upgrades[0].cookie).toBeUndefined();
		await socket.close();
	});

	it('refuses to open without a session or with a token that cannot be a subprotocol', async () => {
		peer = await startPeer();
		expect((await failureOf(SmcSocket.open({ url: peer.url }))).failure).toBe('config');
		const bad = await failureOf(SmcSocket.open({ url: peer.url, token: 'has space' }));
		expect(bad.message).toBe('The SMC session token cannot be sent as a websocket subprotocol');
		expect(bad.message).not.toContain('has space');
		expect(peer.upgrades).toHaveLength(0);
	});

	it.each([
		[401, 'unauthorized', 'The SMC refused the session on /7.1/monitoring/log/socket (HTTP 401)', false],
		[404, 'not-found', 'The SMC does not serve /7.1/monitoring/log/socket (HTTP 404)', false],
		[503, 'refused', 'The SMC refused the websocket /7.1/monitoring/log/socket (HTTP 503)', true],
	])('names an upgrade refused with %s', async (status, failure, message, retryable) => {
		peer = await startPeer({ upgrade: refuseWith(status) });
		const error = await failureOf(SmcSocket.open(optionsFor(peer)));
		expect([error.failure, error.message, error.retryable, error.details.status]).toEqual([failure, message, retryable, status]);
	});

	it('names a socket the SMC closes mid-handshake, and one that never answers the upgrade', async () => {
		peer = await startPeer({ upgrade: (_request, socket) => socket.destroy() });
		const closed = await failureOf(SmcSocket.open(optionsFor(peer)));
		expect(closed.failure).toBe('handshake-closed');
		expect(closed.retryable).toBe(true);
		await peer.close();
		peer = await startPeer({ upgrade: () => undefined });
		const silent = await failureOf(SmcSocket.open(optionsFor(peer, { handshakeTimeoutMs: 200 })));
		expect([silent.failure, silent.message]).toEqual(['timeout', 'The websocket handshake on /7.1/monitoring/log/socket timed out']);
	});

	it('names an unreachable SMC', async () => {
		peer = await startPeer();
		const url = peer.url;
		await peer.close();
		const error = await failureOf(SmcSocket.open({ url, cookie: COOKIE }));
		expect(error.failure).toBe('unreachable');
		expect(error.message).toMatch(/^Cannot reach 127\.0\.0\.1:\d+ \(connection refused\) \(websocket \/7.1\/monitoring\/log\/socket\)$/);
	});

	it('cancels an open in progress through its signal', async () => {
		peer = await startPeer({ upgrade: () => undefined });
		const controller = new AbortController();
		const opening = SmcSocket.open(optionsFor(peer, { signal: controller.signal }));
		await waitFor(() => peer.upgrades.length === 1);
		controller.abort();
		expect((await failureOf(opening)).failure).toBe('aborted');
		expect((await failureOf(SmcSocket.open(optionsFor(peer, { signal: controller.signal })))).failure).toBe('aborted');
	});

	describe('TLS', () => {
		let folder: string;
		let tls: { key: Buffer; cert: Buffer };
		beforeAll(() => {
			folder = mkdtempSync(join(tmpdir(), 'smc-ws-tls-'));
			execFileSync(
				'openssl',
				['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem')],
				{ stdio: 'ignore', timeout: 30_000 },
			);
			tls = { key: readFileSync(join(folder, 'key.pem')), cert: readFileSync(join(folder, 'cert.pem')) };
		});
		afterAll(() => rmSync(folder, { recursive: true, force: true }));

		it('refuses an untrusted certificate, trusts the credential CA, and can skip verification', async () => {
			peer = await startPeer({ tls });
			const untrusted = await failureOf(SmcSocket.open(optionsFor(peer)));
			expect(untrusted.failure).toBe('tls');
			expect(untrusted.details.description).toContain('Add the SMC CA to the credential');
			expect(untrusted.message).toMatch(/^TLS failure talking to 127\.0\.0\.1:\d+ \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
			const trusted = await SmcSocket.open(optionsFor(peer, { tls: { ca: tls.cert.toString() } }));
			await trusted.close();
			const skipped = await SmcSocket.open(optionsFor(peer, { tls: { skipVerification: true } }));
			await skipped.close();
		});
	});

	describe('bad frames', () => {
		it.each([
			['not JSON', (ws: WebSocket) => ws.send('{"fetch": 1, "records": ['), 'malformed', 'that is not JSON'],
			['a JSON list', (ws: WebSocket) => ws.send('[1, 2]'), 'malformed', 'that is not an object'],
			['binary', (ws: WebSocket) => ws.send(Buffer.from([1, 2, 3])), 'malformed', 'a binary frame'],
			['oversized', (ws: WebSocket) => ws.send(JSON.stringify({ padding: 'x'.repeat(4096) })), 'oversized', 'larger than allowed'],
		])('ends the socket on a frame that is %s, after the messages before it', async (_name, misbehave, failure, words) => {
			peer = await startPeer({
				onConnection: (ws) => {
					ws.send('{"success":"Fetch started","fetch":7}');
					misbehave(ws);
				},
			});
			const socket = await SmcSocket.open(optionsFor(peer, { maxMessageBytes: 1024 }));
			expect(await socket.next(2000)).toEqual({ success: 'Fetch started', fetch: 7 });
			const error = await failureOf(socket.next(2000));
			expect(error.failure).toBe(failure);
			expect(error.message).toContain(words);
			await socket.close(7);
			await waitFor(() => peer.sockets.size === 0);
		});

		it('refuses to send a message larger than the SMC buffer, and keeps the socket', async () => {
			peer = await startPeer();
			const socket = await SmcSocket.open(optionsFor(peer));
			const right = Array.from({ length: 203 }, (_, i) => ({ type: 'ip', value: `192.168.${100 + (i % 100)}.${100 + i}` }));
			const error = await failureOf(Promise.resolve().then(() => socket.send({ query: { filter: { type: 'in', left: { type: 'field', id: 7 }, right } } })));
			expect(error.failure).toBe('oversized');
			expect(error.message).toMatch(/is \d+ bytes, more than the 8192 bytes the SMC's websocket accepts/);
			expect(socket.isOpen).toBe(true);
			await socket.close();
		});

		it('names the Tomcat buffer close', async () => {
			peer = await startPeer({ onConnection: (ws) => ws.on('message', () => ws.close(1009, `${SMC_BUFFER_ERROR} and the endpoint does not support partial messages`)) });
			const socket = await SmcSocket.open(optionsFor(peer, { maxSendBytes: 1 << 20 }));
			socket.send({ query: {} });
			const error = await failureOf(socket.next(2000));
			expect(error.failure).toBe('oversized');
			expect(error.message).toBe('The SMC closed /7.1/monitoring/log/socket: a message was too big for its websocket buffer');
			await socket.close();
		});
	});

	describe('ends', () => {
		it('reports a drop as a retryable close after the queued messages', async () => {
			peer = await startPeer({ onConnection: (ws) => ws.send('{"fetch":1,"records":[]}') });
			const socket = await SmcSocket.open(optionsFor(peer));
			await waitFor(() => peer.sockets.size === 1);
			for (const ws of peer.sockets) ws.terminate();
			expect(await socket.next(2000)).toEqual({ fetch: 1, records: [] });
			const error = await failureOf(socket.next(2000));
			expect([error.failure, error.retryable]).toEqual(['closed', true]);
			expect(error.message).toMatch(/^The SMC closed \/7.1\/monitoring\/log\/socket \(code 1006/);
			await socket.close();
		});

		it('times out a wait for the next message without closing', async () => {
			peer = await startPeer();
			const socket = await SmcSocket.open(optionsFor(peer));
			const error = await failureOf(socket.next(50));
			expect(error.failure).toBe('timeout');
			expect(socket.isOpen).toBe(true);
			await socket.close();
		});

		it('cuts off a peer that never answers pings', async () => {
			peer = await startPeer({ autoPong: false });
			const socket = await SmcSocket.open(optionsFor(peer, { keepAliveMs: 50 }));
			const error = await failureOf(socket.next(3000));
			expect(error.failure).toBe('timeout');
			expect(error.message).toBe('The SMC did not answer a websocket ping on /7.1/monitoring/log/socket within 50 ms');
			await socket.close();
			await waitFor(() => peer.sockets.size === 0);
		});

		it('keeps a peer that answers pings', async () => {
			peer = await startPeer();
			const socket = await SmcSocket.open(optionsFor(peer, { keepAliveMs: 20 }));
			const error = await failureOf(socket.next(200));
			expect(error.failure).toBe('timeout');
			expect(error.message).toContain('No message on');
			expect(socket.isOpen).toBe(true);
			await socket.close();
		});

		it('terminates a peer that does not finish the close handshake', async () => {
			peer = await startPeer({
				onConnection: (ws) => {
					// Swallow the close frame: the peer never answers it.
					(ws as unknown as { _receiver: { removeAllListeners(name: string): void } })._receiver.removeAllListeners('conclude');
				},
			});
			const socket = await SmcSocket.open(optionsFor(peer));
			await socket.close(undefined, 100);
			expect(socket.isOpen).toBe(false);
		});

		it('closes through its abort signal, and close twice is harmless', async () => {
			peer = await startPeer();
			const controller = new AbortController();
			const socket = await SmcSocket.open(optionsFor(peer, { signal: controller.signal }));
			const waiting = failureOf(socket.next());
			controller.abort();
			expect((await waiting).failure).toBe('closed');
			await socket.close();
			await socket.close();
			await waitFor(() => peer.sockets.size === 0);
		});
	});
});
