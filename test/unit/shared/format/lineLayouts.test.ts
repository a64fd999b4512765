/**
 * The named line layouts Event Format's NDJSON preset and Event Archive share: the VCO archiver
 * script's line, byte for byte, from an item as the VeloCloud Trigger emits it; Compact style keeps
 * nested objects; both nodes write the same bytes for the same choice.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { format as ndjsonFormat } from '../../../../nodes/EventFormat/presets/ndjson';
import { jsonLine, layoutKeys } from '../../../../nodes/shared/format/lineLayouts';

/** The line of the VCO archiver script's README (json.dumps of one getEnterpriseEvents row). */
const SCRIPT_LINE =
	'{"id": 2913202, "eventTime": "2021-10-23T06:48:57.000Z", "event": "VPN_DATACENTER_STATUS", "category": "SYSTEM", "severity": "NOTICE", "message": "Tunnel to [Azure-SIN] - Failed to negotiate child SA IKEv2_I with 13.76.153.194. Error: ERR_IKE_TIMEOUT", "detail": "{\\"enterpriseLogicalId\\": \\"24676352-23ed-4cdd-a0db-52f61810de1b\\", \\"dataCenterLogicalId\\": \\"bb395d4c-5963-4d14-8e6d-c2822c9dfadc\\", \\"ipAddress\\": \\"13.76.153.194\\", \\"ikeState\\": \\"DOWN\\", \\"numberP2SA\\": 0, \\"Hint\\": \\"No response from peer or no proposal chosen; check VPN type, GWIP, DH Group, IKE-ID, subnets.\\"}", "enterpriseUsername": null, "edgeName": null, "segmentName": null}';

/** The same event as the trigger emits it: routing fields added, fields in another order. */
const TRIGGER_ITEM: IDataObject = {
	enterpriseName: 'Acme Retail Group',
	segmentName: null,
	edgeName: null,
	enterpriseUsername: null,
	detail: (JSON.parse(SCRIPT_LINE) as IDataObject).detail,
	message: 'Tunnel to [Azure-SIN] - Failed to negotiate child SA IKEv2_I with 13.76.153.194. Error: ERR_IKE_TIMEOUT',
	severity: 'NOTICE',
	category: 'SYSTEM',
	event: 'VPN_DATACENTER_STATUS',
	eventTime: '2021-10-23T06:48:57.000Z',
	id: 2913202,
	enterpriseId: 1,
};

function ndjsonContext(parameters: IDataObject): IExecuteFunctions {
	return {
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => parameters[name] ?? fallback,
		getNode: () => ({ name: 'Event Format' }),
	} as unknown as IExecuteFunctions;
}

describe('named line layouts', () => {
	it('write the VCO archiver script line from a trigger item (VeloCloud Event, Python json.dumps style)', () => {
		expect(jsonLine(TRIGGER_ITEM, 'veloCloudEvent', 'python')).toBe(SCRIPT_LINE);
	});

	it('put fields VCO adds after its own and leave the routing fields out', () => {
		expect(layoutKeys('veloCloudEvent', { extra: 1, enterpriseId: 1, id: 2, enterpriseName: 'x' })).toEqual([
			'id',
			'eventTime',
			'event',
			'category',
			'severity',
			'message',
			'detail',
			'enterpriseUsername',
			'edgeName',
			'segmentName',
			'extra',
		]);
		expect(layoutKeys('asIs', { b: 1, a: 2 })).toEqual(['b', 'a']);
	});

	it('keep an object detail whole in Compact style', () => {
		const item = { ...TRIGGER_ITEM, detail: { ipAddress: '13.76.153.194', nested: { numberP2SA: 0, list: [{ a: 1 }] } } };
		const line = jsonLine(item, 'veloCloudEvent', 'compact');
		expect((JSON.parse(line) as IDataObject).detail).toEqual(item.detail);
		expect(line.startsWith('{"id":2913202,"eventTime":')).toBe(true);
		expect(jsonLine({ b: 1, a: 'é', gone: undefined }, 'asIs', 'compact')).toBe('{"b":1,"a":"é"}');
	});

	it('write values that are not objects as they are', () => {
		expect(jsonLine([1, 'é'], 'veloCloudEvent', 'python')).toBe('[1, "\\u00e9"]');
		expect(jsonLine('text', 'asIs', 'compact')).toBe('"text"');
	});

	it('are what Event Format\'s NDJSON preset writes', () => {
		for (const [layout, style] of [
			['veloCloudEvent', 'python'],
			['veloCloudEvent', 'compact'],
			['asIs', 'python'],
			['asIs', 'compact'],
		] as const) {
			const context = ndjsonContext({ ndjsonSource: 'item', ndjsonLayout: layout, ndjsonStyle: style });
			expect(ndjsonFormat.call(context, 0, TRIGGER_ITEM)).toBe(jsonLine(TRIGGER_ITEM, layout, style));
		}
		const scriptLine = ndjsonFormat.call(ndjsonContext({ ndjsonSource: 'item', ndjsonLayout: 'veloCloudEvent', ndjsonStyle: 'python' }), 0, TRIGGER_ITEM);
		expect(scriptLine).toBe(SCRIPT_LINE);
	});
});
