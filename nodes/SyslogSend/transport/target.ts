/** Where messages go, and what each socket failure means for the user. */
import { ApplianceError } from '../../shared/errors';
import { RetryableError, type RetryGaveUpError } from '../../shared/transport/retry';
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

/**
 * Network errors that may heal on their own (worth a reconnect with backoff), in words. The codes stay
 * out of messages: n8n replaces a message naming ECONNREFUSED and the like with its own generic text.
 */
const TRANSIENT: Readonly<Record<string, string>> = {
	ECONNRESET: 'reset the connection',
	EPIPE: 'closed the connection while n8n was sending',
	ECONNABORTED: 'aborted the connection',
	ETIMEDOUT: 'did not answer in time',
	EHOSTUNREACH: 'cannot be reached (no route to the host)',
	ENETUNREACH: 'cannot be reached (no route to the network)',
	EHOSTDOWN: 'cannot be reached (the host is down)',
	ENETDOWN: 'cannot be reached (the network is down)',
	EAI_AGAIN: 'cannot be reached (its name did not resolve just now)',
	ERR_STREAM_DESTROYED: 'closed the connection',
	ERR_STREAM_WRITE_AFTER_END: 'closed the connection',
};

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
		return new ApplianceError('config', `The host "${target.host}" of the syslog receiver cannot be resolved`, {
			description: 'Check the host name (DNS answered that it does not exist). Nothing was sent.',
		});
	}
	if (code === 'ECONNREFUSED') {
		const what = target.transport === 'udp' ? `answered "port unreachable": nothing listens on UDP port ${target.port}` : 'refused the connection: nothing listens on that port';
		return new RetryableError(`${receiver} ${what}`, 'connection', undefined, error);
	}
	if (code in TRANSIENT) {
		return new RetryableError(`${receiver} ${TRANSIENT[code]}`, 'connection', undefined, error);
	}
	return new ApplianceError('unreachable', `Sending to ${receiver} failed`, {
		description: `Check host, port and transport of the syslog receiver (${code || error.message}).`,
	});
}

/** The retry policy's last word, worded so the user knows a later retry can still succeed. */
export function gaveUpError(target: SyslogTarget, error: RetryGaveUpError, earlierAttempts = 0): ApplianceError {
	const code = (error.last.lastError as NodeJS.ErrnoException | undefined)?.code;
	const attempts = error.attempts + earlierAttempts;
	return new ApplianceError('unreachable', `${error.last.message}; gave up after ${attempts} attempts in ${Math.round(error.elapsedMs / 1000)} s`, {
		description: `${code ? `System error ${code}. ` : ''}This is temporary if ${receiverName(target)} is restarting or overloaded: nothing that failed was reported as sent, so turning on Retry On Fail in the node's settings (or running the workflow again) delivers it. Check that the receiver runs and listens on this port.`,
	});
}
