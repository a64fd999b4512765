/** The HTTP seam through n8n's real request helpers, against real loopback sockets. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { httpSendFromLegacyRequest, httpSendFromN8n, NetworkError, urlWithQuery, type HttpSend } from '../../../nodes/shared/transport/http';
import { n8nHttpRequest, n8nLegacyRequest } from '../../support/n8nHttp';

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; close: () => Promise<void> }> {
	const server: Server = createServer(handler);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

const adapters: Array<[string, () => HttpSend]> = [
	['n8n httpRequest', () => httpSendFromN8n(n8nHttpRequest())],
	['legacy request (credential tests)', () => httpSendFromLegacyRequest(n8nLegacyRequest())],
];

describe.each(adapters)('HTTP seam through %s', (_name, makeSend) => {
	it('sends the query, repeating array parameters, and reads the answer', async () => {
		let seen = '';
		const server = await serve((request, response) => {
			seen = request.url ?? '';
			response.end('{"ok":true}');
		});
		try {
			const result = await makeSend()({
				method: 'GET',
				url: `${server.url}/api/v2/orgs/1/events`,
				query: { 'timestamp[gte]': '2026-11-29T00:00:00Z', event_type: ['user.login', 'user.logout'], max_results: 500, skipped: undefined },
				tls: { skipVerification: false },
				timeoutMs: 10_000,
				maxResponseBytes: 1024,
			});
			expect(result.text).toBe('{"ok":true}');
			expect(seen).toBe('/api/v2/orgs/1/events?timestamp%5Bgte%5D=2026-11-29T00%3A00%3A00Z&event_type=user.login&event_type=user.logout&max_results=500');
		} finally {
			await server.close();
		}
	});

	it('stops a server that sends headers and then trickles its body, at the deadline', async () => {
		const server = await serve((_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.write('[');
			// then silence: the body never ends
		});
		try {
			const error = await makeSend()({
				method: 'GET',
				url: `${server.url}/slow`,
				tls: { skipVerification: false },
				timeoutMs: 300,
				maxResponseBytes: 1024,
			}).catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(NetworkError);
			expect((error as NetworkError).kind).toBe('timeout');
			expect((error as NetworkError).message).toMatch(/did not send its whole answer within/);
		} finally {
			await server.close();
		}
	});

	it('refuses an endless answer at the size cap while reading it', async () => {
		const server = await serve((_request, response) => {
			response.writeHead(200);
			const chunk = Buffer.alloc(64 * 1024, 'a');
			const pump = () => {
				while (response.write(chunk)) {
					/* keep the socket full */
				}
			};
			response.on('drain', pump);
			pump();
		});
		try {
			const error = await makeSend()({
				method: 'GET',
				url: `${server.url}/endless`,
				tls: { skipVerification: false },
				timeoutMs: 20_000,
				maxResponseBytes: 1024 * 1024,
			}).catch((caught: unknown) => caught);
			expect((error as NetworkError).kind).toBe('oversized');
		} finally {
			await server.close();
		}
	});
});

describe('urlWithQuery', () => {
	it('keeps a query already in the URL and adds nothing for an empty one', () => {
		expect(urlWithQuery('https://x/a?b=1', { c: 2 })).toBe('https://x/a?b=1&c=2');
		expect(urlWithQuery('https://x/a', {})).toBe('https://x/a');
		expect(urlWithQuery('https://x/a', undefined)).toBe('https://x/a');
	});
});
