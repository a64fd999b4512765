import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { credentialTestResult, DEFAULT_RETRY_POLICY } from '../../shared/transport';
import { LogInsightClient, readLogInsightCredentials } from '../transport';

/** Asks vRLI for its version (after a login when the credential has a user); says what is wrong otherwise. */
export async function logInsightApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	let client: LogInsightClient | undefined;
	const secrets = () => client?.secrets ?? [data.password as string | undefined];
	return await credentialTestResult(this, secrets, 'vRLI', async (send) => {
		client = new LogInsightClient(send, readLogInsightCredentials(data), { retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 }, timeoutMs: 15_000 });
		const answer = await client.version();
		if (answer.needsSession) {
			return 'vRLI answered; ingestion without a login: vRLI files events older than 10 minutes at their arrival time (add a username and password to keep original times)';
		}
		return `Connected to vRLI ${answer.version ?? ''} as ${client.credentials.login?.username ?? 'anonymous'}; events keep their original timestamps`.replace('  ', ' ');
	});
}
