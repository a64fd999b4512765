/** An HTTPS server on 127.0.0.1 with a freshly made self-signed certificate, for real TLS failures. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

export async function startSelfSignedServer(
	handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ url: string; certificate: string; close: () => Promise<void> }> {
	const folder = mkdtempSync(join(tmpdir(), 'netsec-tls-'));
	execFileSync(
		'openssl',
		['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem')],
		{ stdio: 'ignore', timeout: 30_000 },
	);
	const certificate = readFileSync(join(folder, 'cert.pem'), 'utf8');
	const server: Server = createServer({ key: readFileSync(join(folder, 'key.pem')), cert: certificate }, handler);
	rmSync(folder, { recursive: true, force: true });
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	return {
		url: `https://127.0.0.1:${port}`,
		certificate,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
