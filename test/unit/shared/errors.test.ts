import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ApplianceError, redactSecrets, toNodeError } from '../../../nodes/shared/errors';
import { classifyNetworkError } from '../../../nodes/shared/transport/http';

describe('redactSecrets', () => {
	it('removes known secrets and the usual carriers of unknown ones', () => {
		const text =
			'401 for Authorization: Token abcdef123456 with cookie velocloud.session=s3ss10n; password=hunter22 and my-secret-key in body {"authenticationkey":"k3y-value"}';
		const redacted = redactSecrets(text, ['my-secret-key', undefined, 'ab']);
		expect(redacted).toBe(
			'401 for Authorization: Token *** with cookie velocloud.session=***; password=*** and *** in body {"authenticationkey":"***"}',
		);
	});
});

describe('toNodeError', () => {
	const node = { id: 'n', name: 'VeloCloud', type: 'x', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

	it("keeps the package's message and fix for a host it cannot reach (messages carry words, not socket codes n8n would replace)", () => {
		expect(classifyNetworkError({ code: 'ECONNREFUSED' }, 'https://vco.example.com/x').message).toBe('Cannot reach vco.example.com (connection refused)');
		expect(classifyNetworkError({ code: 'ENOTFOUND' }, 'https://vco.example.com/x').message).toBe('Cannot reach vco.example.com (host name not found)');
		const error = toNodeError(
			node,
			new ApplianceError('unreachable', 'Cannot reach vco.example.com (connection refused)', { description: 'Check the host name' }),
			[],
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Cannot reach vco.example.com (connection refused)');
		expect((error as NodeOperationError).description).toBe('Check the host name');
		const timeout = toNodeError(node, new ApplianceError('timeout', 'vco.example.com did not answer in time (timed out)'), []);
		expect(timeout.message).toBe('vco.example.com did not answer in time (timed out)');
	});

	it("keeps the appliance's answer as a NodeApiError with its status and code, secrets redacted", () => {
		const error = toNodeError(node, new ApplianceError('vendor', 'VCO error: bad token tok-123456789', { status: 400, vendorCode: -32602 }), ['tok-123456789']);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('VCO error: bad token ***');
		expect((error as NodeApiError).httpCode).toBe('400');
	});
});
