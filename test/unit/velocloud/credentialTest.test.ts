import nock from 'nock';
import type { ICredentialTestFunctions } from 'n8n-workflow';

import { veloCloudApiTest } from '../../../nodes/VeloCloud/methods/credentialTest';
import { n8nLegacyRequest } from '../../support/n8nHttp';
import { useNockWithLoopback } from '../helpers/nock';
import { startSelfSignedServer } from '../helpers/selfSignedServer';

const HOST = 'https://vco.cred.test';
const TOKEN = 'cred-token-abcdef123456';
const PASSWORD = 'cred-Password-42';

const context = { helpers: { request: n8nLegacyRequest() } } as unknown as ICredentialTestFunctions;

async function test(data: Record<string, unknown>) {
	const result = await veloCloudApiTest.call(context, { id: '1', name: 'VCO', type: 'veloCloudApi', data: { host: 'vco.cred.test/', ...data } });
	expect(result.message).not.toContain(TOKEN);
	expect(result.message).not.toContain(PASSWORD);
	return result;
}

useNockWithLoopback();

describe('VeloCloud credential test', () => {
	it('passes with a good token and names what the account sees', async () => {
		nock(HOST).post('/portal/rest/enterprise/getEnterprise').matchHeader('authorization', `Token ${TOKEN}`).reply(200, { id: 1, name: 'Acme' });
		await expect(test({ apiToken: TOKEN, accountType: 'enterprise' })).resolves.toEqual({
			status: 'OK',
			message: 'Connected with the API token; sees: Acme',
		});
	});

	it('prefers the token when a password is set too (the seed rule)', async () => {
		nock(HOST).post('/portal/rest/enterprise/getEnterprise').matchHeader('authorization', `Token ${TOKEN}`).reply(200, { id: 1, name: 'Acme' });
		await expect(test({ apiToken: TOKEN, username: 'u', password: PASSWORD })).resolves.toMatchObject({ status: 'OK' });
	});

	it('passes with a password login and logs out', async () => {
		nock(HOST)
			.post('/portal/rest/login/enterpriseLogin')
			.reply(302, '', { 'set-cookie': 'velocloud.session=abc; Path=/' })
			.post('/portal/rest/enterpriseProxy/getEnterpriseProxyEnterprises')
			.reply(200, [{ id: 2, name: 'Globex' }, { id: 3, name: 'Initech' }])
			.post('/portal/rest/logout')
			.reply(302, '');
		await expect(test({ username: 'msp@partner.test', password: PASSWORD, accountType: 'partner' })).resolves.toEqual({
			status: 'OK',
			message: 'Connected with a session login; sees: Globex, Initech',
		});
	});

	it('gives a different, clear message for each failure', async () => {
		nock(HOST).post('/portal/rest/enterprise/getEnterprise').reply(401, { error: { code: -32000, message: 'tokenError [invalid token]' } });
		const wrongToken = await test({ apiToken: TOKEN });
		expect(wrongToken).toEqual({
			status: 'Error',
			message: 'VCO refused the API token (tokenError [invalid token]). The token is wrong, revoked or expired: create a new one under Account → API Tokens.',
		});

		nock(HOST).post('/portal/rest/login/enterpriseLogin').reply(302, '', { 'set-cookie': 'velocloud.message=Invalid%20password; Path=/' });
		const wrongPassword = await test({ username: 'u@acme.test', password: PASSWORD });
		expect(wrongPassword).toEqual({
			status: 'Error',
			message: 'VCO refused the login: Invalid password. Check the username, the password and the account type (enterprise login).',
		});

		// Loopback port 1 is closed: a real refused connection.
		const unreachable = await test({ host: 'http://127.0.0.1:1', apiToken: TOKEN });
		expect(unreachable.message).toBe(
			'Cannot reach 127.0.0.1:1 (connection refused). Check the host name, the port and that n8n can reach VCO (DNS, firewall, proxy).',
		);

		// A real TLS handshake with a self-signed certificate: refused, then accepted once allowed.
		const server = await startSelfSignedServer((_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{"id":1,"name":"Acme"}');
		});
		let tls;
		try {
			tls = await test({ host: server.url, apiToken: TOKEN });
			expect(tls.message).toMatch(/^TLS failure talking to 127\.0\.0\.1:\d+ \(DEPTH_ZERO_SELF_SIGNED_CERT\).*Custom CA Certificate/);
			await expect(test({ host: server.url, apiToken: TOKEN, allowUnauthorizedCerts: true })).resolves.toMatchObject({ status: 'OK' });
			// The appliance's CA in the credential: verified, and accepted.
			await expect(test({ host: server.url, apiToken: TOKEN, caCertificate: server.certificate })).resolves.toMatchObject({ status: 'OK' });
			await expect(test({ host: server.url, apiToken: TOKEN, caCertificate: 'not a certificate' })).resolves.toMatchObject({
				status: 'Error',
				message: expect.stringMatching(/not a PEM certificate/),
			});
		} finally {
			await server.close();
		}

		expect(new Set([wrongToken.message, wrongPassword.message, unreachable.message, tls.message]).size).toBe(4);
	});

	it('says what is missing when neither a token nor a password is set', async () => {
		await expect(test({ username: 'only-user' })).resolves.toEqual({
			status: 'Error',
			message: 'The VeloCloud credential has neither an API token nor a username and password. Fill in the API token, or the username and password, in the credential.',
		});
	});
});
