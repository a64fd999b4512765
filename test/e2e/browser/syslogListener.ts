/**
 * A syslog-over-TLS receiver for the Syslog credential of the browser test: it accepts connections on
 * 127.0.0.1 with the simulator certificate and discards what it reads (the editor never sends).
 */
import type { AddressInfo, Socket } from 'node:net';
import { createServer } from 'node:tls';

import { simulatorTls } from '../../simulators/common';

export async function startSyslogListener(): Promise<{ port: number; stop(): Promise<void> }> {
	const { key, cert } = simulatorTls();
	const sockets = new Set<Socket>();
	const server = createServer({ key, cert }, (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		socket.resume();
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	return {
		port: (server.address() as AddressInfo).port,
		stop: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
