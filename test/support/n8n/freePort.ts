import { createServer } from 'node:net';

/** A free loopback port whose successor is free too (n8n's task broker listens on port + 1). */
export async function findFreePortPair(): Promise<number> {
	for (let attempt = 0; attempt < 20; attempt++) {
		const port = await listenOnce(0);
		if (port < 65000 && (await isFree(port + 1))) return port;
	}
	throw new Error('no free pair of loopback ports found');
}

function listenOnce(port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			const address = server.address();
			const chosen = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(chosen));
		});
	});
}

async function isFree(port: number): Promise<boolean> {
	try {
		await listenOnce(port);
		return true;
	} catch {
		return false;
	}
}
