import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { itemParameterReader } from '../../../nodes/shared/node/itemParameters';

/** A node whose getNodeParameter marks what n8n evaluated, so the test sees which reads went through it. */
function context(parameters: IDataObject, items: IDataObject[]) {
	const calls: Array<[string, number]> = [];
	const fake = {
		getNode: () => ({ parameters }),
		getInputData: () => items.map((json) => ({ json })),
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			calls.push([name, itemIndex]);
			return name in parameters ? `n8n:${String(parameters[name])}:${itemIndex}` : fallback;
		},
	} as unknown as IExecuteFunctions;
	return { fake, calls };
}

describe('itemParameterReader', () => {
	const items: IDataObject[] = [
		{ enterpriseName: 'Zürich Retail AG', enterpriseId: 7, id: 101, detail: { edge: 'b1' }, flag: true },
		{ enterpriseName: '東京 Networks', enterpriseId: 8, id: 102, detail: { edge: 'b2' }, flag: false },
	];

	it('reads a value without an expression once, through n8n', () => {
		const { fake, calls } = context({ fileName: 'events.json' }, items);
		const read = itemParameterReader(fake);
		expect([read('fileName', 0), read('fileName', 1), read('missing', 0, 'fallback'), read('missing', 1, 'fallback')]).toEqual([
			'n8n:events.json:0',
			'n8n:events.json:0',
			'fallback',
			'fallback',
		]);
		expect(calls).toEqual([
			['fileName', 0],
			['missing', 0],
		]);
	});

	it('resolves expressions that only read fields of the item from the item, as n8n renders them', () => {
		const parameters = {
			folderKey: '={{ $json.enterpriseName }}',
			eventKey: '={{ $json.enterpriseId }}:{{ $json.id }}',
			nested: "={{ $json.detail['edge'] }}",
			asText: '=flag is {{ $json.flag }}',
		};
		const { fake, calls } = context(parameters, items);
		const read = itemParameterReader(fake);
		expect(items.map((_, index) => [read('folderKey', index), read('eventKey', index), read('nested', index), read('asText', index)])).toEqual([
			['Zürich Retail AG', '7:101', 'b1', 'flag is true'],
			['東京 Networks', '8:102', 'b2', 'flag is false'],
		]);
		expect(calls).toEqual([]);
	});

	it('leaves to n8n what it is unsure of: other expressions, missing fields, objects inside text', () => {
		const parameters = {
			computed: '={{ $json.id + 1 }}',
			missing: '={{ $json.nothing }}',
			objectInText: '=edge {{ $json.detail }}',
			otherNode: "={{ $('Trigger').item.json.id }}",
		};
		const { fake, calls } = context(parameters, items);
		const read = itemParameterReader(fake);
		for (const name of Object.keys(parameters)) read(name, 1);
		expect(calls).toEqual(Object.keys(parameters).map((name) => [name, 1]));
	});
});
