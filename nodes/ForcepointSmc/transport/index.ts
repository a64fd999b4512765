import type { ContextWithHttp, HttpSend } from '../../shared/transport';
import { ForcepointSmcClient } from './client';
import { readForcepointSmcCredentials } from './credentials';

export * from './api';
export { ForcepointSmcClient } from './client';
export { readForcepointSmcCredentials, type ForcepointSmcCredentials } from './credentials';

/** The SMC client of one execution, one trigger activation or one option load (for `withClient` and the router). */
export async function openForcepointSmcClient(context: ContextWithHttp, send: HttpSend): Promise<ForcepointSmcClient> {
	return new ForcepointSmcClient(send, readForcepointSmcCredentials(await context.getCredentials('forcepointSmcApi')));
}
