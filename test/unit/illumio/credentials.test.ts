import { ApplianceError } from '../../../nodes/shared/errors';
import { basicAuthorization, normalisePceUrl, readIllumioCredentials } from '../../../nodes/Illumio/transport/credentials';

describe('Illumio credential fields', () => {
	it.each([
		['pce.example.com', 'https://pce.example.com:8443'],
		['  PCE.Example.com/  ', 'https://pce.example.com:8443'],
		['https://pce.example.com', 'https://pce.example.com:8443'],
		['https://pce.example.com:8443/', 'https://pce.example.com:8443'],
		['scp.illum.io:443', 'https://scp.illum.io:443'],
		['https://scp.illum.io:443/api/v2', 'https://scp.illum.io:443'],
		['https://pce.example.com:9443/api', 'https://pce.example.com:9443'],
		['http://127.0.0.1:18444', 'http://127.0.0.1:18444'],
		['10.0.0.5', 'https://10.0.0.5:8443'],
		['[::1]:8443', 'https://[::1]:8443'],
	])('reads the PCE URL %j as %s (8443 when no port is given)', (input, expected) => {
		expect(normalisePceUrl(input)).toBe(expected);
	});

	it.each(['', 'https://', 'pce example com', 'https://pce.example.com/orgs/1', 'pce.example.com:70000', 'pce.example.com:0', 'ftp://pce.example.com'])(
		'refuses %j with a message naming the URL',
		(input) => {
			expect(() => normalisePceUrl(input)).toThrow(ApplianceError);
			expect(() => normalisePceUrl(input)).toThrow(/PCE URL/);
		},
	);

	it('reads the key, secret and org id', () => {
		expect(readIllumioCredentials({ url: 'pce.example.com', authUsername: ' api_1d9f490a0eabff1c4 ', apiKeySecret: 's3cret', orgId: 3 })).toEqual({
			tls: { skipVerification: false },
			baseUrl: 'https://pce.example.com:8443',
			apiKeyUsername: 'api_1d9f490a0eabff1c4',
			apiKeySecret: 's3cret',
			orgId: 3,
		});
		expect(readIllumioCredentials({ url: 'pce', authUsername: 'api_x', apiKeySecret: 's', orgId: ' 7 ' }).orgId).toBe(7);
	});

	it.each([0, -1, 1.5, 'one', ''])('refuses org id %j, naming the field', (orgId) => {
		expect(() => readIllumioCredentials({ url: 'pce', authUsername: 'api_x', apiKeySecret: 's', orgId })).toThrow(/Org ID .* must be a whole number of 1 or more/);
	});

	it('refuses a missing key or secret', () => {
		expect(() => readIllumioCredentials({ url: 'pce', authUsername: '', apiKeySecret: 's', orgId: 1 })).toThrow(/API key username and its secret/);
		expect(() => readIllumioCredentials({ url: 'pce', authUsername: 'api_x', apiKeySecret: '', orgId: 1 })).toThrow(/API key username and its secret/);
	});

	it('builds HTTP Basic from the key and secret', () => {
		expect(basicAuthorization({ apiKeyUsername: 'api_1d9f490a0eabff1c4', apiKeySecret: 'illumio-sim-secret-5b8e' })).toBe(
			`Basic ${Buffer.from('api_1d9f490a0eabff1c4:illumio-sim-secret-5b8e').toString('base64')}`,
		);
	});
});
