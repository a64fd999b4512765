import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { ApplianceError, redactSecrets } from '../../shared/errors';
import { DEFAULT_RETRY_POLICY } from '../../shared/retry';
import { targetFromData } from '../actions/receiver';
import { SyslogSender } from '../transport/sender';

/**
 * Opens one connection to the receiver (with the TLS handshake and the client certificate) and closes
 * it cleanly; no message is sent and nothing is retried: the user is waiting.
 */
export async function syslogReceiverTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const target = targetFromData(data, { connectTimeoutMs: 10_000, sendTimeoutMs: 10_000 });
	const secrets = [target.tls.key, target.tls.passphrase];
	if (!target.host) return { status: 'Error', message: 'Fill in Host' };
	try {
		const sender = new SyslogSender(target, { retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 } });
		return { status: 'OK', message: await sender.probe() };
	} catch (error) {
		const message =
			error instanceof ApplianceError
				? [error.message, error.details.description].filter(Boolean).join('. ')
				: error instanceof Error
					? error.message
					: String(error);
		return { status: 'Error', message: redactSecrets(message, secrets) };
	}
}
