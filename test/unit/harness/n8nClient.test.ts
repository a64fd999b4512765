/**
 * The e2e/demo client talks to n8n on a connection per request, closed after the answer: n8n closes
 * idle connections after 5 s, and a pooled connection it was closing as a request went out failed that
 * request with "other side closed". With nothing pooled there is nothing n8n can close under a request.
 */
import * as http from 'node:http';
import type { Socket } from 'node:net';

import { N8nClient, request } from '../../support/n8n/n8nClient';

describe('n8n client connections', () => {
	let server: http.Server;
	let url: string;
	const connections: Socket[] = [];
	const seen: Array<{ method: string; path: string; connection: string | undefined; body: string }> = [];

	beforeAll(async () => {
		server = http.createServer((req, res) => {
			let body = '';
			req.on('data', (chunk: Buffer) => (body += chunk.toString()));
			req.on('end', () => {
				seen.push({ method: req.method!, path: req.url!, connection: req.headers.connection, body });
				if (req.url === '/empty') {
					res.writeHead(204).end();
					return;
				}
				res.setHeader('set-cookie', ['n8n-auth=abc; Path=/; HttpOnly', 'other=1']);
				res.setHeader('content-type', 'application/json');
				res.end(JSON.stringify({ data: { ok: true } }));
			});
		});
		// Even shorter than n8n's 5 s: a pooled connection would be closed between two requests below.
		server.keepAliveTimeout = 50;
		server.on('connection', (socket: Socket) => connections.push(socket));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
	});
	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});

	it('opens one connection per request, asks for it to be closed, and leaves none open', async () => {
		const client = new N8nClient(url);
		for (let n = 0; n < 3; n++) {
			await client.api('POST', '/things', { n });
			// longer than the server's keep-alive: a pooled socket would now be closing
			await new Promise((resolve) => setTimeout(resolve, 80));
		}
		const response = await client.rest('GET', '/rest/settings');
		expect(await response.json()).toEqual({ data: { ok: true } });
		expect(response.headers.getSetCookie()).toEqual(['n8n-auth=abc; Path=/; HttpOnly', 'other=1']);

		expect(seen.map((entry) => [entry.method, entry.path, entry.connection])).toEqual([
			['POST', '/api/v1/things', 'close'],
			['POST', '/api/v1/things', 'close'],
			['POST', '/api/v1/things', 'close'],
			['GET', '/rest/settings', 'close'],
		]);
		expect(seen[0].body).toBe('{"n":0}');
		expect(connections).toHaveLength(4);
		// every connection is closed once its answer is read
		for (let attempt = 0; attempt < 100 && connections.some((socket) => !socket.destroyed); attempt++) {
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		expect(connections.filter((socket) => !socket.destroyed)).toHaveLength(0);
	});

	it('answers a bodiless status as an empty Response', async () => {
		const response = await request('DELETE', `${url}/empty`);
		expect(response.status).toBe(204);
		expect(await response.text()).toBe('');
	});
});
