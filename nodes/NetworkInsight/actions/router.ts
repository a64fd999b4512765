import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperations, type OperationTable } from '../../shared/node/router';
import { openNetworkInsightClient, type NetworkInsightClient } from '../transport';
import * as entity from './entity';
import * as flow from './flow';

const OPERATIONS: OperationTable<NetworkInsightClient> = {
	flow: { search: flow.search.execute },
	entity: { search: entity.search.execute, get: entity.get.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations(this, openNetworkInsightClient, OPERATIONS);
}
