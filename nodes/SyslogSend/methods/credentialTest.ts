import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY } from '../../shared/transport/retry';
import { credentialTestResult } from '../../shared/transport/withClient';
import { targetFromData } from '../actions/receiver';
import { SyslogSender } from '../transport/sender';

/**
 * Opens one connection to the receiver (with the TLS handshake and the client certificate) and closes
 * it cleanly; no message is sent and nothing is retried: the user is waiting. Syslog is no HTTP, so the
 * shared test body's request helper goes unused; its error wording and redaction are what is shared.
 */
export async function syslogReceiverTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const secrets = [data.clientPrivateKey, data.clientKeyPassphrase].map((value) => (typeof value === 'string' ? value : undefined));
	return await credentialTestResult(this, () => secrets, 'the syslog receiver', async () => {
		const target = targetFromData(data, { connectTimeoutMs: 10_000, sendTimeoutMs: 10_000 });
		if (!target.host) throw new Error('Fill in Host');
		return await new SyslogSender(target, { retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 } }).probe();
	});
}
