import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperations, type OperationTable } from '../../shared/node/router';
import { openIllumioClient, type IllumioClient } from '../transport';
import * as event from './event';

const OPERATIONS: OperationTable<IllumioClient> = {
	event: { get: event.get.execute, getMany: event.getMany.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations(this, openIllumioClient, OPERATIONS);
}
