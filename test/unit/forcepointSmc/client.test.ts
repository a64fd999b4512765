/**
 * The SMC REST client, queries and block-list commands through n8n's real request helper against the
 * SMC simulator; the credential test through n8n's legacy helper, with loopback servers for TLS and
 * refused connections.
 */
import type { ICredentialTestFunctions } from 'n8n-workflow';

import { forcepointSmcApiTest } from '../../../nodes/ForcepointSmc/methods/credentialTest';
import {
	addBlockListEntry,
	blockListEntryJson,
	deleteBlockListEntry,
	findEngine,
	ForcepointSmcClient,
	readForcepointSmcCredentials,
	runMonitoringQuery,
	type MonitoringQuery,
} from '../../../nodes/ForcepointSmc/transport';
import { compareApiVersions, isSupportedApiVersion } from '../../../nodes/ForcepointSmc/transport/client';
import { normaliseSmcUrl } from '../../../nodes/ForcepointSmc/transport/credentials';
import { buildFilter } from '../../../nodes/ForcepointSmc/transport/filters';
import { ApplianceError } from '../../../nodes/shared/errors';
import { DEFAULT_RETRY_POLICY, httpSendFromN8n } from '../../../nodes/shared/transport';
import { simulatorTls } from '../../simulators/common';
import { ForcepointSmcSimulator } from '../../simulators/forcepointSmc';
import { n8nHttpRequest, n8nLegacyRequest } from '../helpers/n8nHttp';
import { startSelfSignedServer } from '../helpers/selfSignedServer';

const sim = new ForcepointSmcSimulator({ logCount: 500 });
const send = httpSendFromN8n(n8nHttpRequest());
const clients: ForcepointSmcClient[] = [];

beforeAll(() => sim.start(0));
afterAll(() => sim.stop());
afterEach(async () => {
	await Promise.all(clients.splice(0).map((client) => client.close()));
	sim.options.sessionTracking = 'cookie';
	sim.reset();
});

function client(data: Record<string, unknown> = {}): ForcepointSmcClient {
	const made = new ForcepointSmcClient(send, readForcepointSmcCredentials({ url: sim.url, apiKey: sim.options.apiKey, caCertificate: simulatorTls().ca, ...data }), {
		retryPolicy: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, maxDelayMs: 5 },
	});
	clients.push(made);
	return made;
}

async function failure(promise: Promise<unknown>): Promise<ApplianceError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(ApplianceError);
		return error as ApplianceError;
	}
	throw new Error('expected an ApplianceError');
}

/** The simulator drops a socket when its close reaches it, a moment after the client is done. */
async function socketsClosed(): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (Object.values(sim.socketCounts()).some((count) => count > 0)) {
		if (Date.now() > deadline) throw new Error(`sockets left open: ${JSON.stringify(sim.socketCounts())}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

function query(overrides: Partial<MonitoringQuery>): MonitoringQuery {
	return { kind: 'logs', target: '', format: { fieldFormat: 'name' }, maxRecords: 1000, timeoutMs: 5000, snapshotWaitMs: 1000, quietMs: 100, ...overrides };
}

describe('SMC credentials', () => {
	it.each([
		['smc.example.com', 'https://smc.example.com:8082'],
		['smc.example.com:9443/', 'https://smc.example.com:9443'],
		['http://10.0.0.9', 'http://10.0.0.9:8082'],
		['https://smc.example.com:443/prefix/', 'https://smc.example.com:443/prefix'],
		['https://[2001:db8::9]', 'https://[2001:db8::9]:8082'],
	])('reads %s as %s', (input, url) => {
		expect(normaliseSmcUrl(input)).toBe(url);
	});

	it.each([
		[{ url: '' }, 'The Forcepoint SMC credential has no URL'],
		[{ url: 'ftp://smc' }, 'The SMC URL must start with https:// or http://, not ftp://'],
		[{ url: 'https://smc', apiKey: ' ' }, 'The Forcepoint SMC credential has no API key'],
		[{ url: 'https://smc', apiKey: 'k', apiVersion: 'seven' }, 'The API version "seven" is not of the form 7.1'],
		[{ url: 'https://smc', apiKey: 'k', caCertificate: 'not a pem' }, 'The Custom CA Certificate of the credential is not a PEM certificate'],
	])('refuses %j', (data, message) => {
		expect(() => readForcepointSmcCredentials({ apiKey: 'k', ...data })).toThrow(message);
	});

	it('defaults the domain to Shared Domain', () => {
		expect(readForcepointSmcCredentials({ url: 'smc', apiKey: 'k' }).domain).toBe('Shared Domain');
	});

	it('compares versions numerically and knows which it speaks', () => {
		expect(['7.1', '6.10', '6.5', '7.0'].sort(compareApiVersions)).toEqual(['6.5', '6.10', '7.0', '7.1']);
		expect(['6.4', '6.5', '6.10', '7.3', '8.0'].map(isSupportedApiVersion)).toEqual([false, true, true, true, false]);
	});
});

describe('SMC REST session', () => {
	it('uses the highest version offered, logs in with the cookie, logs out on close', async () => {
		const smc = client();
		expect(await smc.apiVersion()).toBe('7.1');
		await smc.ensureSession();
		expect((await smc.listEntryPoints()).map((entry) => entry.rel)).toEqual(expect.arrayContaining(['host', 'engine_clusters', 'logout']));
		expect(await smc.smcVersion()).toBe('7.1.2 [11277]');
		expect((await findEngine(smc, 'Helsinki Cluster')).href).toBe(`${sim.url}/7.1/elements/fw_cluster/1702`);
		await smc.close();
		expect(sim.stats.get('/7.1/logout')).toBe(1);
		expect(sim.sessionCount).toBe(0);
	});

	it('uses the credential version, and names one the SMC does not offer', async () => {
		expect(await client({ apiVersion: '6.10' }).apiVersion()).toBe('6.10');
		const error = await failure(client({ apiVersion: '5.9' }).apiVersion());
		expect([error.kind, error.message]).toEqual(['config', 'The SMC does not offer API version 5.9; it offers 6.5, 6.10, 7.0, 7.1']);
		const old = await new ForcepointSmcSimulator({ apiVersions: ['6.1', '6.4'], apiVersion: '6.4' }).start(0);
		try {
			const unsupported = await failure(new ForcepointSmcClient(send, readForcepointSmcCredentials({ url: old.url, apiKey: old.options.apiKey, caCertificate: simulatorTls().ca })).apiVersion());
			expect(unsupported.message).toBe('The SMC offers API versions 6.1, 6.4, none of which this node supports (6.5 to 7.x)');
		} finally {
			await old.stop();
		}
	});

	it('tells a wrong key from an unknown domain', async () => {
		const key = await failure(client({ apiKey: 'WrongKey0123456789abcdef' }).ensureSession());
		expect([key.kind, key.message]).toEqual(['auth', 'The SMC refused the login to domain "Shared Domain" (HTTP 401: Login failed: Invalid authentication key)']);
		expect(key.details.description).toContain('Check the API key');
		const domain = await failure(client({ domain: 'Nowhere' }).ensureSession());
		expect(domain.message).toBe('The SMC refused the login to domain "Nowhere" (HTTP 401: Login failed: Domain Nowhere is unknown or not allowed for this API client)');
		expect(domain.details.description).toContain('Check the Admin Domain');
	});

	it('logs in again once when the session expired, and uses the token in token mode', async () => {
		const smc = client();
		await smc.listEntryPoints();
		sim.expireAllSessions();
		expect(await smc.smcVersion()).toContain('7.1.2');
		expect(sim.stats.get('/7.1/login')).toBe(2);
		sim.options.sessionTracking = 'token';
		const token = client();
		expect((await findEngine(token, 'Plano FW')).name).toBe('Plano FW');
		await token.close();
		expect(sim.stats.get('/7.1/logout')).toBe(1);
	});

	it('never sends the session to an href on another host', async () => {
		const smc = client();
		const error = await failure(smc.get('https://evil.example:8082/7.1/elements/host/1'));
		expect(error.message).toBe(`The href https://evil.example:8082/7.1/elements/host/1 is not on the SMC of the credential (${sim.url})`);
		expect([sim.stats.get('/7.1/login'), sim.stats.get('/7.1/elements/host/1')]).toEqual([undefined, undefined]);
	});
});

describe('SMC monitoring queries', () => {
	it('reads stored logs in a window, oldest first, bounded', async () => {
		const smc = client();
		const end = sim.options.anchorMs;
		const records = await runMonitoringQuery(smc, query({ window: { start: end - 6 * 3600_000, end }, newestFirst: false, maxRecords: 30, format: { fieldFormat: 'id', fieldIds: [1, 2] } }));
		expect(records).toHaveLength(30);
		const ids = records.map((record) => Number(record['2']));
		expect(ids).toEqual([...ids].sort((a, b) => a - b));
		await socketsClosed();
	});

	it.each([
		['connections', 'Plano FW', 250],
		['blockList', 'Plano FW', 12],
		['routes', 'Plano FW', 8],
		['users', 'Plano FW', 10],
		['sslVpnUsers', 'Plano FW', 5],
		['vpnSas', 'Plano FW', 6],
		['activeAlerts', 'Shared Domain', 15],
		['neighbors', 'Plano FW', 4],
	] as const)('reads the %s snapshot of %s with operation and delta key', async (kind, target, count) => {
		const records = await runMonitoringQuery(client(), query({ kind, target }));
		expect(records).toHaveLength(count);
		expect(records.every((record) => record.operation === 'added' && typeof record.delta_key === 'string')).toBe(true);
		await socketsClosed();
	});

	it('names a query the SMC rejects (an unknown engine, a filter with a bad field) and a timeout', async () => {
		const smc = client();
		expect((await failure(runMonitoringQuery(smc, query({ kind: 'routes', target: 'Nowhere FW' })))).message).toBe('The SMC rejected the ROUTING query on Nowhere FW: Unknown target Nowhere FW');
		const rejected = buildFilter({ json: { type: 'in', left: { type: 'field', name: 'NoSuchField' }, right: [{ type: 'number', value: 1 }] } });
		expect((await failure(runMonitoringQuery(smc, query({ filter: rejected })))).message).toBe('The SMC rejected the log query: Unknown field NoSuchField');
		const slow = await failure(runMonitoringQuery(smc, query({ kind: 'connections', target: 'Plano FW', timeoutMs: 50, snapshotWaitMs: 10_000, filter: buildFilter({ conditions: [{ operator: 'in', field: 'SRC', valueType: 'ip', values: '192.0.2.1' }] }) })));
		expect([slow.kind, slow.message]).toEqual(['timeout', 'The CONNECTIONS query on Plano FW did not finish within 0 s']);
		await socketsClosed();
	});

	it('opens sockets with a new session when the old one expired', async () => {
		const smc = client();
		await smc.ensureSession();
		sim.expireAllSessions();
		expect(await runMonitoringQuery(smc, query({ kind: 'routes', target: 'Plano FW' }))).toHaveLength(8);
		expect(sim.stats.get('/7.1/login')).toBe(2);
	});
});

describe('SMC block list', () => {
	it.each(['7.1', '6.10'])('adds an entry (API %s), finds it with its prefix lengths, deletes it by its href', async (apiVersion) => {
		const smc = client({ apiVersion });
		await addBlockListEntry(smc, 'Plano FW', { source: '203.0.113.77', destination: '10.0.0.0/24', duration: 600, destinationPorts: '443' });
		const filter = buildFilter({ conditions: [{ operator: 'in', field: 'BLOCK_LISTENTRYSOURCEIP', valueType: 'ip', values: '203.0.113.77' }] });
		const [entry] = await runMonitoringQuery(smc, query({ kind: 'blockList', target: 'Plano FW', filter }));
		expect(entry).toMatchObject({
			BlacklistEntrySourceIp: '203.0.113.77',
			BlacklistEntrySourceIpPrefixlen: '32',
			BlacklistEntryDestinationIp: '10.0.0.0',
			BlacklistEntryDestinationIpPrefixlen: '24',
			BlacklistEntryDestinationPort: '443',
			BlacklistEntryDuration: '600',
		});
		await deleteBlockListEntry(smc, String(entry.block_list_href));
		expect(await runMonitoringQuery(smc, query({ kind: 'blockList', target: 'Plano FW', filter, snapshotWaitMs: 100 }))).toEqual([]);
	});

	it('builds smc-python entries', () => {
		expect(blockListEntryJson({ source: 'any', destination: '10.0.0.5', duration: 0, sourcePorts: '1000-1500', protocol: 'udp' })).toEqual({
			end_point1: { address_mode: 'any', port1: 1000, port2: 1500, port_mode: 'predefined_udp' },
			end_point2: { address_mode: 'address', ip_network: '10.0.0.5/32' },
			duration: 0,
		});
	});

	it.each([
		[{ source: '10.0.0.300' }, 'Source "10.0.0.300" is not "any", an IP address or a network (10.0.0.0/24)'],
		[{ destination: '10.0.0.0/40' }, 'Destination "10.0.0.0/40" is not "any", an IP address or a network'],
		[{ sourcePorts: '70000' }, 'Source ports "70000" are not a port or a range such as 1000-1500'],
		[{ destinationPorts: '500-100' }, 'Destination ports "500-100" are not a port or a range'],
		[{ duration: -1 }, 'Duration -1 is not a whole number of seconds (0 or more)'],
	])('refuses a bad entry %j', (bad, message) => {
		expect(() => blockListEntryJson({ source: '1.2.3.4', destination: 'any', duration: 60, ...bad })).toThrow(message);
	});

	it('names an unknown engine with the engines that exist, and an href that is no entry', async () => {
		const smc = client();
		const engine = await failure(addBlockListEntry(smc, 'Nowhere FW', { source: '1.2.3.4', destination: 'any', duration: 60 }));
		expect([engine.message, engine.details.description]).toEqual(['The SMC has no engine named "Nowhere FW"', 'Engines in this domain: Plano FW, Branch FW, Helsinki Cluster.']);
		const href = await failure(deleteBlockListEntry(smc, `${sim.url}/7.1/elements/host/1600`));
		expect(href.message).toBe(`"${sim.url}/7.1/elements/host/1600" is not a block-list entry href`);
		const gone = await failure(deleteBlockListEntry(smc, `${sim.url}/7.1/elements/single_fw/1649/block_list/OTk5`));
		expect([gone.kind, gone.message]).toEqual(['not-found', 'The SMC has nothing at DELETE /7.1/elements/single_fw/1649/block_list/OTk5: Not Found: Entry OTk5 not found']);
	});
});

describe('SMC credential test', () => {
	const context = { helpers: { request: n8nLegacyRequest() } } as unknown as ICredentialTestFunctions;
	async function test(data: Record<string, unknown>) {
		const result = await forcepointSmcApiTest.call(context, { id: '1', name: 'SMC', type: 'forcepointSmcApi', data: { apiKey: sim.options.apiKey, caCertificate: simulatorTls().ca, ...data } });
		expect(result.message).not.toContain(sim.options.apiKey);
		return result;
	}

	it('logs in and out and names the SMC and API version', async () => {
		await expect(test({ url: sim.url })).resolves.toEqual({ status: 'OK', message: 'Connected to SMC 7.1.2 [11277] with API 7.1 in domain "Shared Domain"' });
		expect(sim.stats.get('/7.1/logout')).toBe(1);
	});

	it.each([
		[{ apiKey: 'WrongKey0123456789abcdef' }, /^The SMC refused the login to domain "Shared Domain" \(HTTP 401: Login failed: Invalid authentication key\)\. Check the API key/],
		[{ domain: 'Nowhere' }, /^The SMC refused the login to domain "Nowhere" .*Check the Admin Domain/],
		[{ apiVersion: '5.9' }, /^The SMC does not offer API version 5.9; it offers 6.5, 6.10, 7.0, 7.1\. Pick one/],
	])('names %j', async (data, message) => {
		const result = await test({ url: sim.url, ...data });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
	});

	it('names an unreachable host and a TLS failure', async () => {
		const closed = await test({ url: 'http://127.0.0.1:9' });
		expect(closed.status).toBe('Error');
		expect(closed.message).toMatch(/^Cannot reach 127\.0\.0\.1:9 .*Check the host name, the port/);
		const tls = await startSelfSignedServer((_request, response) => response.end('{}'));
		try {
			const result = await test({ url: tls.url });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/TLS failure .*Custom CA Certificate/);
		} finally {
			await tls.close();
		}
	});
});
