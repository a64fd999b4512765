/**
 * Certificates of the sinks. Their servers (syslog over TLS, SMTP STARTTLS) use the simulators' own
 * throw-away CA and server certificate (common.ts `simulatorTls`), so one CA is trusted for everything
 * local. Made here, once per process with the openssl CLI and kept in memory: a client CA with a client
 * certificate, for receivers that require one, and a CA that signed nothing the sinks use (a client
 * trusting only it must fail verification).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ClientCertificates {
	/** the CA a TLS sink checks client certificates against */
	clientCa: string;
	clientCert: string;
	clientKey: string;
	otherCa: string;
}

let cached: ClientCertificates | undefined;

export function clientCertificates(): ClientCertificates {
	cached ??= makeClientCertificates();
	return cached;
}

function makeClientCertificates(): ClientCertificates {
	const folder = mkdtempSync(join(tmpdir(), 'netsec-sink-ca-'));
	const path = (name: string) => join(folder, name);
	const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore', timeout: 30_000 });
	const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	try {
		for (const ca of ['client-ca', 'other-ca']) {
			openssl('req', '-x509', ...ecKey, '-days', '30', '-subj', `/CN=netsec-events sinks ${ca} (throw-away)`, '-keyout', path(`${ca}.key`), '-out', path(`${ca}.pem`),
				'-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
		}
		writeFileSync(path('client.ext'), 'extendedKeyUsage=clientAuth\n');
		openssl('req', ...ecKey, '-subj', '/CN=n8n-syslog-client', '-keyout', path('client.key'), '-out', path('client.csr'));
		openssl('x509', '-req', '-in', path('client.csr'), '-CA', path('client-ca.pem'), '-CAkey', path('client-ca.key'), '-set_serial', String(Date.now()),
			'-days', '30', '-out', path('client.pem'), '-extfile', path('client.ext'));
		const read = (name: string) => readFileSync(path(name), 'utf8');
		return { clientCa: read('client-ca.pem'), clientCert: read('client.pem'), clientKey: read('client.key'), otherCa: read('other-ca.pem') };
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}
