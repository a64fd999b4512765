import nock from 'nock';
import type { ICredentialTestFunctions } from 'n8n-workflow';

import { illumioApiTest } from '../../../nodes/Illumio/methods/credentialTest';
import { n8nLegacyRequest } from '../helpers/n8nHttp';
import { useNockWithLoopback } from '../helpers/nock';
import { startSelfSignedServer } from '../helpers/selfSignedServer';

const HOST = 'https://pce.cred.test:8443';
const KEY = 'api_1d9f490a0eabff1c4';
const SECRET = 'cred-illumio-secret-99';
const BASIC = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
const SETTINGS = '/api/v2/orgs/1/settings/workloads';

const context = { helpers: { request: n8nLegacyRequest() } } as unknown as ICredentialTestFunctions;

async function test(data: Record<string, unknown>) {
	const result = await illumioApiTest.call(context, {
		id: '1',
		name: 'PCE',
		type: 'illumioApi',
		data: { url: 'pce.cred.test', authUsername: KEY, apiKeySecret: SECRET, orgId: 1, ...data },
	});
	expect(result.message).not.toContain(SECRET);
	expect(result.message).not.toContain(BASIC.slice(6));
	return result;
}

useNockWithLoopback();

describe('Illumio credential test', () => {
	it('passes with a good key: one org-scoped read with HTTP Basic, port 8443 by default', async () => {
		nock(HOST).get(SETTINGS).matchHeader('authorization', BASIC).reply(200, { href: '/orgs/1/settings/workloads' });
		await expect(test({})).resolves.toEqual({ status: 'OK', message: `Connected to ${HOST} as ${KEY}, org 1` });
	});

	it('tells a wrong key, a wrong org and an org that does not exist apart, with the PCE token', async () => {
		nock(HOST).get(SETTINGS).reply(401, [{ token: 'authentication_failed', message: 'Authentication failed: invalid API key or secret' }]);
		expect(await test({})).toEqual({
			status: 'Error',
			message:
				'The PCE refused the API key (HTTP 401 authentication_failed: Authentication failed: invalid API key or secret). Check the API key username (api_…) and secret in the credential; the key may have expired or been deleted.',
		});

		nock(HOST).get('/api/v2/orgs/2/settings/workloads').reply(403, [{ token: 'forbidden_error', message: 'Forbidden' }]);
		const wrongOrg = await test({ orgId: 2 });
		expect(wrongOrg.status).toBe('Error');
		expect(wrongOrg.message).toMatch(/^The PCE denied org 2's workload settings \(HTTP 403 forbidden_error: Forbidden\)\. The API key has no access to org 2/);

		nock(HOST).get('/api/v2/orgs/7/settings/workloads').reply(404, [{ token: 'not_found', message: 'Organization not found' }]);
		const noOrg = await test({ orgId: 7 });
		expect(noOrg.message).toMatch(/^Org 7 does not exist on https:\/\/pce\.cred\.test:8443 \(.*HTTP 404 not_found: Organization not found.*\)\. Check the Org ID/);
	});

	it('refuses bad fields before any request', async () => {
		expect((await test({ orgId: 0 })).message).toMatch(/^The Org ID of the Illumio credential must be a whole number of 1 or more/);
		expect((await test({ url: 'https://pce.cred.test/orgs/1' })).message).toMatch(/^The PCE URL "https:\/\/pce\.cred\.test\/orgs\/1" is not a PCE address/);
		expect((await test({ apiKeySecret: '' })).message).toMatch(/needs the API key username and its secret/);
	});

	it('names an unreachable PCE and a certificate it cannot verify, and passes with the custom CA', async () => {
		const unreachable = await test({ url: 'https://127.0.0.1:1' });
		expect(unreachable.message).toMatch(/^Cannot reach 127\.0\.0\.1:1 \(connection refused\)/);

		const server = await startSelfSignedServer((request, response) => {
			response.setHeader('content-type', 'application/json');
			response.end(request.headers.authorization === BASIC ? '{"href":"/orgs/1/settings/workloads"}' : '[]');
		});
		try {
			const untrusted = await test({ url: server.url });
			expect(untrusted.message).toMatch(/^TLS failure talking to 127\.0\.0\.1:\d+ \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
			expect(untrusted.message).toMatch(/Custom CA Certificate/);
			await expect(test({ url: server.url, caCertificate: server.certificate })).resolves.toMatchObject({ status: 'OK' });
		} finally {
			await server.close();
		}
	});
});
