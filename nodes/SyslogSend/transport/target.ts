/** Where messages go, and what each socket failure means for the user. */
import { ApplianceError } from '../../shared/errors';
import { RetryableError, type RetryGaveUpError } from '../../shared/retry';
import type { Framing, Transport } from './framing';

export interface SyslogTarget {
	host: string;
	port: number;
	transport: Transport;
	/** TCP and TLS only; RFC 5425 (syslog over TLS) prescribes octet counting */
	framing: Framing;
	tls: {
		/** PEM; empty = the system's and NODE_EXTRA_CA_CERTS' CAs */
		ca?: string;
		/** PEM client certificate and key, for receivers that require one */
		cert?: string;
		key?: string;
		passphrase?: string;
		rejectUnauthorized: boolean;
		/** name the certificate must carry when it differs from the host (an IP address, say) */
		serverName?: string;
	};
	connectTimeoutMs: number;
	/** how long the receiver may go without reading before the connection counts as stalled */
	sendTimeoutMs: number;
}

export function receiverName(target: Pick<SyslogTarget, 'transport' | 'host' | 'port'>): string {
	const host = target.host.includes(':') ? `[${target.host}]` : target.host;
	return `${target.transport}://${host}:${target.port}`;
}

/** Network errors that may heal on their own: worth a reconnect with backoff. */
const TRANSIENT_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EHOSTDOWN',
	'ENETDOWN',
	'EAI_AGAIN',
	'ECONNABORTED',
	'ERR_STREAM_DESTROYED',
	'ERR_STREAM_WRITE_AFTER_END',
]);

/** Certificate problems: the receiver's certificate cannot be trusted as configured. */
const CERTIFICATE_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'CERT_UNTRUSTED',
	'CERT_SIGNATURE_FAILURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * A RetryableError for what a reconnect may cure, an ApplianceError for what it cannot (a TLS
 * failure, an unknown host): retrying those only delays the same answer.
 */
export function classifySocketError(error: Error, target: SyslogTarget): RetryableError | ApplianceError {
	if (error instanceof RetryableError || error instanceof ApplianceError) return error;
	const code = (error as NodeJS.ErrnoException).code ?? '';
	const receiver = receiverName(target);
	if (CERTIFICATE_CODES.has(code)) {
		return new ApplianceError('tls', `The TLS certificate of ${receiver} is not trusted (${code})`, {
			description:
				"Paste the receiver's CA certificate (PEM) into Custom CA, set Server Name to the name in its certificate, or trust the CA on the n8n host (NODE_EXTRA_CA_CERTS). Nothing was sent.",
		});
	}
	if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO' || /alert|handshake|ssl|tls/i.test(error.message)) {
		return new ApplianceError('tls', `${receiver} refused the TLS session (${code || error.message})`, {
			description:
				'The receiver may require a client certificate (set Client Certificate and Key in the credential), or the port does not speak TLS (check port and transport). Nothing was sent.',
		});
	}
	if (code === 'ENOTFOUND') {
		return new ApplianceError('config', `The host "${target.host}" of the syslog receiver cannot be resolved (ENOTFOUND)`, {
			description: 'Check the host name. Nothing was sent.',
		});
	}
	if (code === 'ECONNREFUSED') {
		const what = target.transport === 'udp' ? `answered "port unreachable": nothing listens on UDP port ${target.port}` : 'refused the connection';
		return new RetryableError(`${receiver} ${what} (ECONNREFUSED)`, 'connection', undefined, error);
	}
	if (TRANSIENT_CODES.has(code)) {
		return new RetryableError(`${receiver} closed or lost the connection (${code})`, 'connection', undefined, error);
	}
	return new ApplianceError('unreachable', `Sending to ${receiver} failed: ${code || error.message}`, {
		description: 'Check host, port and transport of the syslog receiver.',
	});
}

/** The retry policy's last word, worded so the user knows a later retry can still succeed. */
export function gaveUpError(target: SyslogTarget, error: RetryGaveUpError): ApplianceError {
	return new ApplianceError('unreachable', `${error.last.message}; gave up after ${error.attempts} attempts in ${Math.round(error.elapsedMs / 1000)} s`, {
		description: `This is temporary if ${receiverName(target)} is restarting or overloaded: nothing that failed was reported as sent, so turning on Retry On Fail in the node's settings (or running the workflow again) delivers it. Check that the receiver runs and listens on this port.`,
	});
}
