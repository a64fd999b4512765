import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperations, type OperationTable } from '../../shared/node/router';
import { openVeloCloudClient, type VeloCloudClient } from '../transport';
import * as edge from './edge';
import * as enterprise from './enterprise';
import * as event from './event';

const OPERATIONS: OperationTable<VeloCloudClient> = {
	event: { getMany: event.getMany.execute },
	enterprise: { get: enterprise.get.execute, getMany: enterprise.getMany.execute },
	edge: { getMany: edge.getMany.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations(this, openVeloCloudClient, OPERATIONS);
}
