import type { HttpSend, ContextWithHttp } from '../../shared/transport';
import { VeloCloudClient } from './client';
import { readVeloCloudCredentials } from './credentials';

export * from './api';
export { VeloCloudClient } from './client';
export { normaliseVeloCloudHost, readVeloCloudCredentials, type VeloCloudCredentials } from './credentials';

/** The VeloCloud client of one execution or one poll (for `withClient` and the router). */
export async function openVeloCloudClient(context: ContextWithHttp, send: HttpSend): Promise<VeloCloudClient> {
	return new VeloCloudClient(send, readVeloCloudCredentials(await context.getCredentials('veloCloudApi')));
}
