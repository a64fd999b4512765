/** A plain HTTP server on 127.0.0.1 that answers each request with the next step of a script. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptStep =
	| { status: number; body?: string; headers?: Record<string, string> }
	/** close the connection without answering: a real ECONNRESET / socket hang up */
	| 'reset';

export async function startScriptedServer(steps: ScriptStep[]): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
	let served = 0;
	const server = createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			const step = steps[Math.min(served, steps.length - 1)];
			served++;
			if (step === 'reset') {
				response.socket?.destroy();
				return;
			}
			response.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
			response.end(step.body ?? '');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests: () => served,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
