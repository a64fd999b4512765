/**
 * Which process opened each connection to a simulator: a TCP pass-through in front of it looks up, as
 * each connection arrives, the client socket in /proc/net/tcp and the process holding that socket.
 * Queue-mode tests use it to prove that only the main instance polls (never a worker).
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface ConnectionOwner {
	/** the client process, or undefined if it could not be found (the socket closed at once) */
	pid?: number;
	/** its process group: the n8n harness starts each instance as its own group (main + task runner) */
	processGroup?: number;
}

export interface OwnerTrackingProxy {
	port: number;
	connections: ConnectionOwner[];
	close(): Promise<void>;
}

/** Forwards 127.0.0.1:<port> to 127.0.0.1:<targetPort> byte for byte (plain HTTP or TLS alike). */
export async function startOwnerTrackingProxy(targetPort: number): Promise<OwnerTrackingProxy> {
	const connections: ConnectionOwner[] = [];
	const sockets = new Set<Socket>();
	const server: Server = createServer((client) => {
		connections.push(ownerOfClientSocket(client.remotePort!, client.localPort!));
		const upstream = connect(targetPort, '127.0.0.1');
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
			socket.on('error', () => {
				client.destroy();
				upstream.destroy();
			});
		}
		client.pipe(upstream);
		upstream.pipe(client);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const address = server.address();
	return {
		port: typeof address === 'object' && address ? address.port : 0,
		connections,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** /proc/net/tcp writes 127.0.0.1:port as 0100007F:PORT (address little-endian, port big-endian hex). */
function loopbackHex(port: number): string {
	return `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
}

function ownerOfClientSocket(clientPort: number, serverPort: number): ConnectionOwner {
	const local = loopbackHex(clientPort);
	const remote = loopbackHex(serverPort);
	let inode: string | undefined;
	for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
		const fields = line.trim().split(/\s+/);
		if (fields[1] === local && fields[2] === remote) {
			inode = fields[9];
			break;
		}
	}
	if (!inode || inode === '0') return {};
	const target = `socket:[${inode}]`;
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let fds: string[];
		try {
			fds = readdirSync(`/proc/${entry}/fd`);
		} catch {
			continue; // not ours to read, or gone
		}
		for (const fd of fds) {
			try {
				if (readlinkSync(`/proc/${entry}/fd/${fd}`) !== target) continue;
			} catch {
				continue;
			}
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			return { pid: Number(entry), processGroup: Number(fields[2]) };
		}
	}
	return {};
}
