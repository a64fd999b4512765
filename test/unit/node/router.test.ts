import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { ApplianceError } from '../../../nodes/shared/errors';
import { chunkByCountAndBytes, runBatched } from '../../../nodes/shared/node/batching';
import { routeOperations, type OperationTable } from '../../../nodes/shared/node/router';
import type { ClosableClient } from '../../../nodes/shared/transport';

const SECRET = 'session-secret-0123456789';

function context(items: IDataObject[], parameters: IDataObject, continueOnFail = false): IExecuteFunctions {
	return {
		getInputData: () => items.map((json) => ({ json })),
		getNodeParameter: (name: string, index: number) => {
			const value = parameters[name];
			return typeof value === 'function' ? (value as (index: number) => unknown)(index) : value;
		},
		getNode: () => ({ id: 'n', name: 'Node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} }),
		continueOnFail: () => continueOnFail,
		helpers: { httpRequest: async () => ({}) },
	} as unknown as IExecuteFunctions;
}

class FakeClient implements ClosableClient {
	static opened = 0;
	closed = false;
	readonly secrets = [SECRET];
	constructor() {
		FakeClient.opened++;
	}
	async close() {
		this.closed = true;
	}
}

const jsonOf = (output: INodeExecutionData[][]) => output[0].map((item) => [item.json, item.pairedItem]);

describe('routeOperations', () => {
	let clients: FakeClient[] = [];
	const open = async () => {
		const client = new FakeClient();
		clients.push(client);
		return client;
	};
	beforeEach(() => {
		clients = [];
	});

	const operations: OperationTable<FakeClient> = {
		thing: {
			echo: async function (_client, itemIndex) {
				const input = this.getInputData()[itemIndex].json;
				if (input.fail) throw new ApplianceError('vendor', `appliance refused ${SECRET}`);
				return [{ echoed: input.value }, { again: input.value }];
			},
		},
	};

	it('opens one client for the whole execution, pairs every output with its item, and closes the client', async () => {
		const output = await routeOperations(context([{ value: 1 }, { value: 2 }, { value: 3 }], { resource: 'thing', operation: 'echo' }), open, operations);
		expect(clients).toHaveLength(1);
		expect(clients[0].closed).toBe(true);
		expect(jsonOf(output)).toEqual([
			[{ echoed: 1 }, { item: 0 }],
			[{ again: 1 }, { item: 0 }],
			[{ echoed: 2 }, { item: 1 }],
			[{ again: 2 }, { item: 1 }],
			[{ echoed: 3 }, { item: 2 }],
			[{ again: 3 }, { item: 2 }],
		]);
	});

	it('with Continue On Fail, a failing item carries its error (secrets redacted) and the others go on', async () => {
		const output = await routeOperations(
			context([{ value: 1 }, { fail: true }, { value: 3 }], { resource: 'thing', operation: 'echo' }, true),
			open,
			operations,
		);
		expect(output[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 2 }, { item: 2 }]);
		expect(output[0][2].json.error).toBe('appliance refused ***');
		expect(clients[0].closed).toBe(true);
	});

	it('without it, the first failure stops the run with the item index, and the client is still closed', async () => {
		const error = (await routeOperations(context([{ value: 1 }, { fail: true }], { resource: 'thing', operation: 'echo' }), open, operations).catch(
			(caught: unknown) => caught,
		)) as { message: string; context: IDataObject };
		expect(error.message).toBe('appliance refused ***');
		expect(error.context.itemIndex).toBe(1);
		expect(clients[0].closed).toBe(true);
	});

	it('opens no client for no items and names an unknown operation', async () => {
		await routeOperations(context([], { resource: 'thing', operation: 'echo' }), open, operations);
		expect(clients).toHaveLength(0);
		await expect(routeOperations(context([{}], { resource: 'thing', operation: 'nope' }), open, operations)).rejects.toThrow(
			'The operation "nope" of "thing" is not supported',
		);
	});

	it('a login that fails is tried once, not once per item', async () => {
		let attempts = 0;
		const failingOpen = async (): Promise<FakeClient> => {
			attempts++;
			throw new ApplianceError('auth', 'wrong key');
		};
		const output = await routeOperations(context([{}, {}, {}], { resource: 'thing', operation: 'echo' }, true), failingOpen, operations);
		expect(attempts).toBe(1);
		expect(output[0].map((item) => item.json.error)).toEqual(['wrong key', 'wrong key', 'wrong key']);
	});
});

describe('batching', () => {
	it('chunks by count and by bytes, an oversized entry alone', () => {
		const sizes = [3, 3, 3, 10, 1, 1, 1, 1];
		expect(chunkByCountAndBytes(sizes, { maxCount: 3, maxBytes: 7, sizeOf: (size) => size })).toEqual([[3, 3], [3], [10], [1, 1, 1], [1]]);
		expect(chunkByCountAndBytes([], { maxCount: 3, maxBytes: 7, sizeOf: () => 1 })).toEqual([]);
	});

	it('sends items in batches, fails a bad item alone and a failed batch item by item, results paired', async () => {
		const sent: number[][] = [];
		const items = [1, 2, -1, 4, 5, 99].map((value) => ({ value }));
		const output = await runBatched(context(items, {}, true), {
			maxCount: 2,
			maxBytes: 1000,
			sizeOf: () => 1,
			prepare(itemIndex) {
				const value = this.getInputData()[itemIndex].json.value as number;
				if (value < 0) throw new ApplianceError('config', `item ${itemIndex} has a negative value`);
				return value;
			},
			async send(batch) {
				sent.push(batch.map((entry) => entry.value));
				if (batch.some((entry) => entry.value === 99)) throw new ApplianceError('server', 'receiver said 503');
				return batch.map((entry) => ({ accepted: entry.value }));
			},
		});
		expect(sent).toEqual([[1, 2], [4, 5], [99]]);
		expect(jsonOf(output)).toEqual([
			[{ accepted: 1 }, { item: 0 }],
			[{ accepted: 2 }, { item: 1 }],
			[{ error: 'item 2 has a negative value' }, { item: 2 }],
			[{ accepted: 4 }, { item: 3 }],
			[{ accepted: 5 }, { item: 4 }],
			[{ error: 'receiver said 503' }, { item: 5 }],
		]);
	});

	it('fails alone an entry the receiver refused alone (an Error in its place), the rest of the batch succeeds', async () => {
		const items = [1, 2, 3].map((value) => ({ value }));
		const run = (continueOnFail: boolean) =>
			runBatched(context(items, {}, continueOnFail), {
				maxCount: 10,
				maxBytes: 1000,
				sizeOf: () => 1,
				prepare(itemIndex) {
					return this.getInputData()[itemIndex].json.value as number;
				},
				send: async (batch) => batch.map((entry) => (entry.value === 2 ? new ApplianceError('vendor', `receiver refused ${SECRET}`) : { accepted: entry.value })),
				secrets: () => [SECRET],
			});
		expect(jsonOf(await run(true))).toEqual([
			[{ accepted: 1 }, { item: 0 }],
			[{ error: 'receiver refused ***' }, { item: 1 }],
			[{ accepted: 3 }, { item: 2 }],
		]);
		await expect(run(false)).rejects.toMatchObject({ message: 'receiver refused ***', context: { itemIndex: 1 } });
	});

	it('without Continue On Fail, a failed batch fails the run', async () => {
		await expect(
			runBatched(context([{ value: 1 }], {}), {
				maxCount: 10,
				maxBytes: 10,
				sizeOf: () => 1,
				prepare: () => 1,
				send: async () => await Promise.reject(new ApplianceError('server', 'receiver down')),
			}),
		).rejects.toThrow('receiver down');
	});
});
