import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperations, type OperationTable } from '../../shared/node/router';
import { openForcepointSmcClient, type ForcepointSmcClient } from '../transport';
import * as blockList from './blockList';
import * as monitoring from './monitoring';

const OPERATIONS: OperationTable<ForcepointSmcClient> = {
	monitoring: { runQuery: monitoring.runQuery.execute },
	blockList: { add: blockList.add.execute, delete: blockList.remove.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations(this, openForcepointSmcClient, OPERATIONS);
}
