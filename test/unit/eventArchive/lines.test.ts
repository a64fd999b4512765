import { itemLine, veloCloudEventLine, wholeLineChunks } from '../../../nodes/EventArchive/lines';

describe('archive lines', () => {
	it('writes VCO fields in VCO order and leaves the routing fields out', () => {
		const item = {
			enterpriseName: 'Acme',
			segmentName: null,
			edgeName: 'e1',
			id: 7,
			enterpriseId: 1,
			eventTime: '2021-10-23T06:48:57.000Z',
			event: 'LINK_DEAD',
			category: 'NETWORK',
			severity: 'ERROR',
			message: 'm',
			detail: '{"a": 1}',
			enterpriseUsername: null,
			extra: true,
		};
		expect(JSON.parse(veloCloudEventLine(item, 'compact'))).toEqual(JSON.parse(veloCloudEventLine(item, 'python')));
		expect(Object.keys(JSON.parse(veloCloudEventLine(item, 'compact')))[0]).toBe('id');
		expect(itemLine({ b: 1, a: 'é' }, 'python')).toBe('{"b": 1, "a": "\\u00e9"}');
		expect(itemLine({ b: 1, a: 'é' }, 'compact')).toBe('{"b":1,"a":"é"}');
		expect(veloCloudEventLine(item, 'python')).toBe(
			'{"id": 7, "eventTime": "2021-10-23T06:48:57.000Z", "event": "LINK_DEAD", "category": "NETWORK", "severity": "ERROR", "message": "m", "detail": "{\\"a\\": 1}", "enterpriseUsername": null, "edgeName": "e1", "segmentName": null, "extra": true}',
		);
	});

	it('chunks whole lines only', () => {
		const lines = Array.from({ length: 1000 }, (_, index) => `line-${index}-${'x'.repeat(index % 50)}`);
		const chunks = wholeLineChunks(lines, 4096);
		expect(chunks.length).toBeGreaterThan(1);
		for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
		expect(chunks.join('')).toBe(lines.map((line) => `${line}\n`).join(''));
	});
});
