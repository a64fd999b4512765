import { redactSecrets } from '../../../nodes/shared/errors';

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
