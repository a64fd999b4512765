/**
 * The n8n floor's trigger: reads the VCO window exactly as the bare floor does (fetch, JSON.parse) and
 * emits the events as they came, in executions of `perExecution` events, each once the one before it
 * ended, as the VeloCloud Trigger splits a large window. No cursor, no checks: what is left of the
 * archiver's time in n8n is n8n's own work on the same items. Installed only into the benchmark's n8n.
 */
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions, IRun } from 'n8n-workflow';

import { veloCloudFloor } from './vcoFloor';

export class BenchFloorTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bench Floor Trigger',
		name: 'benchFloorTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Emits one VCO window once, as the benchmark floor reads it',
		defaults: { name: 'Bench Floor Trigger' },
		polling: true,
		inputs: [],
		outputs: ['main'],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Token', name: 'token', type: 'string', default: '' },
			{ displayName: 'Start', name: 'start', type: 'number', default: 0 },
			{ displayName: 'End', name: 'end', type: 'number', default: 0 },
			{ displayName: 'Events per Execution', name: 'perExecution', type: 'number', default: 50_000 },
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const state = this.getWorkflowStaticData('node');
		if (state.emitted === true) return null;
		state.emitted = true;
		const parameter = (name: string) => this.getNodeParameter(name) as string & number;
		const events: IDataObject[] = [];
		await veloCloudFloor(parameter('url'), parameter('token'), parameter('start'), parameter('end'), (rows) => {
			for (const row of rows) events.push(row as IDataObject);
		});
		const perExecution = parameter('perExecution');
		const emitFrom = (offset: number) => {
			const done = this.helpers.createDeferredPromise<IRun | undefined>();
			void done.promise.then(() => {
				if (offset + perExecution < events.length) emitFrom(offset + perExecution);
			});
			this.__emit([this.helpers.returnJsonArray(events.slice(offset, offset + perExecution))], undefined, done);
		};
		emitFrom(0);
		return null;
	}
}
