/**
 * A throw-away CA for the sinks (syslog over TLS, SMTP STARTTLS): a server certificate for 127.0.0.1
 * and localhost, and a client certificate for receivers that require one. Made once per process with
 * the openssl CLI, kept in memory only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SinkCertificates {
	ca: string;
	serverCert: string;
	serverKey: string;
	clientCert: string;
	clientKey: string;
	/** a second CA that signed nothing here: a client that trusts only it must fail verification */
	otherCa: string;
}

let cached: SinkCertificates | undefined;

export function sinkCertificates(): SinkCertificates {
	cached ??= makeCertificates();
	return cached;
}

function makeCertificates(): SinkCertificates {
	const folder = mkdtempSync(join(tmpdir(), 'netsec-sink-ca-'));
	const path = (name: string) => join(folder, name);
	const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore', timeout: 30_000 });
	const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	try {
		for (const ca of ['ca', 'other-ca']) {
			openssl('req', '-x509', ...ecKey, '-days', '30', '-subj', `/CN=netsec-events sinks ${ca}`, '-keyout', path(`${ca}.key`), '-out', path(`${ca}.pem`),
				'-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
		}
		const issue = (name: string, subject: string, extensions: string) => {
			writeFileSync(path(`${name}.ext`), extensions);
			openssl('req', ...ecKey, '-subj', subject, '-keyout', path(`${name}.key`), '-out', path(`${name}.csr`));
			openssl('x509', '-req', '-in', path(`${name}.csr`), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial',
				'-days', '30', '-out', path(`${name}.pem`), '-extfile', path(`${name}.ext`));
		};
		issue('server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
		issue('client', '/CN=n8n-syslog-client', 'extendedKeyUsage=clientAuth\n');
		const read = (name: string) => readFileSync(path(name), 'utf8');
		return {
			ca: read('ca.pem'),
			serverCert: read('server.pem'),
			serverKey: read('server.key'),
			clientCert: read('client.pem'),
			clientKey: read('client.key'),
			otherCa: read('other-ca.pem'),
		};
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}
