/**
 * n8n's real request helpers (from n8n-core, as nodes get them at run time) for unit tests, so the
 * transports are tested through the same axios path as inside n8n, with nock in front of the network.
 */
import type { INode, IHttpRequestOptions } from 'n8n-workflow';
import { getRequestHelperFunctions } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

const NODE: INode = {
	id: 'unit',
	name: 'Unit',
	type: 'n8n-nodes-netsec-events.unit',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

type Helpers = ReturnType<typeof getRequestHelperFunctions>;

function helpers(): Helpers {
	// Only the helpers that need no workflow, credentials or execution data are used here.
	return getRequestHelperFunctions({} as never, NODE, {} as never);
}

export function n8nHttpRequest(): (options: IHttpRequestOptions) => Promise<unknown> {
	const { httpRequest } = helpers();
	return httpRequest;
}

export function n8nLegacyRequest(): (options: object) => Promise<unknown> {
	const { request } = helpers();
	return request as (options: object) => Promise<unknown>;
}
