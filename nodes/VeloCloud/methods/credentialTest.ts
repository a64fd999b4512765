import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { ApplianceError, redactSecrets } from '../../shared/errors';
import { httpSendFromLegacyRequest, NetworkError } from '../../shared/http';
import { DEFAULT_RETRY_POLICY } from '../../shared/retry';
import { listEnterprises, networkFailure, readVeloCloudCredentials, VeloCloudClient } from '../transport';

/**
 * Tests the credential with a cheap authenticated call (the enterprises the account sees) and says
 * which of token, password, host or TLS is wrong. No retries: the user is waiting.
 */
export async function veloCloudApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const credentials = readVeloCloudCredentials(credential.data ?? {});
	const secrets = [credentials.apiToken, credentials.password];
	try {
		// n8n gives credential tests only its legacy request helper; the adapter keeps the rest of the
		// transport on the same code path as the nodes.
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
		const client = new VeloCloudClient(httpSendFromLegacyRequest(this.helpers.request), credentials, {
			retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 },
			timeoutMs: 15_000,
		});
		try {
			const enterprises = await listEnterprises(client);
			const names = enterprises.map((enterprise) => enterprise.name).join(', ');
			return { status: 'OK', message: `Connected with ${client.usesToken ? 'the API token' : 'a session login'}; sees: ${names}` };
		} finally {
			await client.close();
		}
	} catch (error) {
		const failure = error instanceof NetworkError ? networkFailure(error) : error;
		const message =
			failure instanceof ApplianceError
				? [failure.message, failure.details.description].filter(Boolean).join('. ')
				: failure instanceof Error
					? failure.message
					: String(failure);
		return { status: 'Error', message: redactSecrets(message, secrets) };
	}
}
