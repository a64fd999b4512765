import { pythonJsonDumps } from '../../../nodes/shared/pythonJson';

describe('pythonJsonDumps (json.dumps defaults)', () => {
	it('writes the VCO archiver script\'s line byte for byte', () => {
		const event = {
			id: 2913202,
			eventTime: '2021-10-23T06:48:57.000Z',
			event: 'VPN_DATACENTER_STATUS',
			category: 'SYSTEM',
			severity: 'NOTICE',
			message: 'Tunnel to [Azure-SIN] - Failed to negotiate child SA IKEv2_I with 13.76.153.194. Error: ERR_IKE_TIMEOUT',
			detail:
				'{"enterpriseLogicalId": "24676352-23ed-4cdd-a0db-52f61810de1b", "dataCenterLogicalId": "bb395d4c-5963-4d14-8e6d-c2822c9dfadc", "ipAddress": "13.76.153.194", "ikeState": "DOWN", "numberP2SA": 0, "Hint": "No response from peer or no proposal chosen; check VPN type, GWIP, DH Group, IKE-ID, subnets."}',
			enterpriseUsername: null,
			edgeName: null,
			segmentName: null,
		};
		// The line of the script's README, as Python's json.dumps writes it.
		expect(pythonJsonDumps(event)).toBe(
			'{"id": 2913202, "eventTime": "2021-10-23T06:48:57.000Z", "event": "VPN_DATACENTER_STATUS", "category": "SYSTEM", "severity": "NOTICE", "message": "Tunnel to [Azure-SIN] - Failed to negotiate child SA IKEv2_I with 13.76.153.194. Error: ERR_IKE_TIMEOUT", "detail": "{\\"enterpriseLogicalId\\": \\"24676352-23ed-4cdd-a0db-52f61810de1b\\", \\"dataCenterLogicalId\\": \\"bb395d4c-5963-4d14-8e6d-c2822c9dfadc\\", \\"ipAddress\\": \\"13.76.153.194\\", \\"ikeState\\": \\"DOWN\\", \\"numberP2SA\\": 0, \\"Hint\\": \\"No response from peer or no proposal chosen; check VPN type, GWIP, DH Group, IKE-ID, subnets.\\"}", "enterpriseUsername": null, "edgeName": null, "segmentName": null}',
		);
	});

	it('escapes non-ASCII, DEL and control characters as Python does', () => {
		expect(pythonJsonDumps({ name: 'Zürich \u007f 東京 😀', tab: '\t\u0001' })).toBe(
			'{"name": "Z\\u00fcrich \\u007f \\u6771\\u4eac \\ud83d\\ude00", "tab": "\\t\\u0001"}',
		);
	});

	it('escapes every character as json.dumps does, whether the text is plain ASCII or not', () => {
		// Python's ensure_ascii rule, one UTF-16 unit at a time: \" \\ and the short escapes, else
		// printable ASCII as is, else \uXXXX.
		const short: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
		const python = (text: string) =>
			`"${[...text]
				.flatMap((char) => (char.length === 2 ? [char[0], char[1]] : [char]))
				.map((unit) => short[unit] ?? (unit >= ' ' && unit <= '~' ? unit : `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`))
				.join('')}"`;
		for (let code = 0; code < 0x180; code++) {
			const char = String.fromCharCode(code);
			for (const text of [char, `plain ${char}`, `${char} text`]) expect(pythonJsonDumps({ text })).toBe(`{"text": ${python(text)}}`);
		}
		expect(pythonJsonDumps({ text: 'plain ASCII only, no escapes: ~!@#$%^&*()' })).toBe('{"text": "plain ASCII only, no escapes: ~!@#$%^&*()"}');
	});

	it('handles nesting, booleans and numbers', () => {
		expect(pythonJsonDumps([1, 2.5, true, false, null, { a: [] }, {}])).toBe('[1, 2.5, true, false, null, {"a": []}, {}]');
	});
});
