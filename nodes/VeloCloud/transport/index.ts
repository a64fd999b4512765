import type { IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';

import { toNodeError } from '../../shared/errors';
import { httpSendFromN8n } from '../../shared/http';
import { VeloCloudClient } from './client';
import { readVeloCloudCredentials } from './credentials';

export * from './api';
export { VeloCloudClient, networkFailure } from './client';
export { normaliseVeloCloudHost, readVeloCloudCredentials, type VeloCloudCredentials } from './credentials';

type ContextWithHttp = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/** A client for one execution or one poll, sending through n8n's request helper. */
async function veloCloudClientFor(context: ContextWithHttp): Promise<VeloCloudClient> {
	const credentials = readVeloCloudCredentials(await context.getCredentials('veloCloudApi'));
	return new VeloCloudClient(httpSendFromN8n(context.helpers.httpRequest.bind(context.helpers)), credentials);
}

/**
 * Runs `work` with a client, turns what went wrong into n8n's errors with every secret redacted, and
 * always logs the session out afterwards.
 */
export async function withVeloCloudClient<T>(
	context: ContextWithHttp,
	work: (client: VeloCloudClient) => Promise<T>,
	itemIndex?: number,
): Promise<T> {
	let client: VeloCloudClient | undefined;
	try {
		client = await veloCloudClientFor(context);
		return await work(client);
	} catch (error) {
		throw toNodeError(context.getNode(), error, client?.secrets ?? [], itemIndex);
	} finally {
		await client?.close();
	}
}
