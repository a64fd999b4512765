/**
 * The Network Insight node (router, Flow → Search, Entity → Search/Get), its trigger's poll and its
 * credential test against the vRNI simulator, through n8n's real request helpers.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { NetworkInsight } from '../../../nodes/NetworkInsight/NetworkInsight.node';
import { NetworkInsightTrigger } from '../../../nodes/NetworkInsight/NetworkInsightTrigger.node';
import { networkInsightApiTest } from '../../../nodes/NetworkInsight/methods/credentialTest';
import { NetworkInsightSimulator } from '../../simulators/networkInsight';
import { n8nHttpRequest, n8nLegacyRequest } from '../../support/n8nHttp';

const DAY_S = 86_400;

function credentials(sim: NetworkInsightSimulator, extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return { authType: 'onPrem', host: sim.url, username: sim.options.username, password: sim.options.password, domainType: 'LOCAL', caCertificate: sim.ca ?? '', ...extra };
}

function context(sim: NetworkInsightSimulator, parameters: IDataObject, items: IDataObject[] = [{}], continueOnFail = false, credentialData = credentials(sim)): IExecuteFunctions {
	return {
		getInputData: () => items.map((json) => ({ json })),
		getNodeParameter: (name: string, _index: number, fallback?: unknown) => (parameters[name] === undefined ? fallback : parameters[name]),
		getCredentials: async () => credentialData,
		getNode: () => ({ id: 'n', name: 'Network Insight', type: 'n8n-nodes-netsec-events.networkInsight', typeVersion: 1, position: [0, 0], parameters: {} }),
		getTimezone: () => 'UTC',
		continueOnFail: () => continueOnFail,
		helpers: { httpRequest: n8nHttpRequest() },
	} as unknown as IExecuteFunctions;
}

const json = (output: INodeExecutionData[][]) => output[0].map((item) => item.json);
const node = new NetworkInsight();
const tokens = (sim: NetworkInsightSimulator) => (sim as unknown as { tokens: Map<string, unknown> }).tokens.size;

describe('Network Insight node', () => {
	const sim = new NetworkInsightSimulator({ flowCount: 7000 });
	beforeAll(async () => {
		await sim.start(0);
	});
	afterAll(() => sim.stop());
	beforeEach(() => sim.reset());

	const yesterday = () => {
		const midnight = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S;
		return { start: midnight - DAY_S, end: midnight - 1 };
	};

	it("Flow → Search: yesterday's calendar day (UTC), every flow with details and its time, one token deleted at the end", async () => {
		const output = await node.execute.call(context(sim, { resource: 'flow', operation: 'search', filter: '', timeWindow: 'calendarDay', daysAgo: 1, timeZone: 'UTC', returnAll: true, options: {} }));
		const day = yesterday();
		const expected = sim.flowsBetween(day.start, day.end);
		expect(expected.length).toBeGreaterThan(500);
		expect(json(output).map((flow) => [flow.entity_id, flow.time])).toEqual(expected.map((flow) => [flow.entity_id, flow.time]));
		expect(json(output)[0]).toMatchObject({ entity_type: 'Flow', port: expect.any(Object), firewall_action: expect.any(String) });
		expect(sim.stats.get('/api/ni/entities/fetch')).toBe(Math.ceil(expected.length / 1000));
		expect(tokens(sim)).toBe(0);
	});

	it('Flow → Search: dedupe off by default; "destination" keeps what flows_to_vrli.py keeps', async () => {
		const base = { resource: 'flow', operation: 'search', filter: '((flow_tag = TAG_SRC_IP_VM) or (flow_tag = TAG_DST_IP_VM))', timeWindow: 'lastMinutes', lastMinutes: 1440, returnAll: true };
		const all = json(await node.execute.call(context(sim, { ...base, options: {} })));
		const deduped = json(await node.execute.call(context(sim, { ...base, options: { dedupe: 'destination' } })));
		const keys = new Set<string>();
		const scriptKept = all.filter((flow) => {
			const port = flow.port as IDataObject;
			const key = `${(flow.destination_ip as IDataObject).ip_address}-${String(flow.protocol)}--${String(port.start)}-${String(port.end)}`;
			if (keys.has(key)) return false;
			keys.add(key);
			return true;
		});
		expect(deduped.map((flow) => flow.entity_id)).toEqual(scriptKept.map((flow) => flow.entity_id));
		expect(deduped.length).toBeLessThan(all.length);
	});

	it('Flow → Search with a limit returns the first flows of the window', async () => {
		const output = await node.execute.call(context(sim, { resource: 'flow', operation: 'search', filter: 'port = 443', timeWindow: 'lastMinutes', lastMinutes: 1440, returnAll: false, limit: 7, options: { pageSize: 5 } }));
		expect(json(output)).toHaveLength(7);
		expect(json(output).every((flow) => (flow.port as IDataObject).start === 443)).toBe(true);
	});

	it('Entity → Search for VMs, hosts, security groups and problems; Entity → Get by id', async () => {
		const search = async (entityType: string, filter: string) =>
			json(await node.execute.call(context(sim, { resource: 'entity', operation: 'search', entityType, filter, timeWindow: 'lastMinutes', lastMinutes: 7 * 1440, returnAll: true, options: {} })));
		const vms = await search('VirtualMachine', "name like 'db-'");
		expect(vms.length).toBeGreaterThan(0);
		expect(vms.every((vm) => vm.entity_type === 'VirtualMachine' && String(vm.name).startsWith('db-'))).toBe(true);
		expect(await search('Host', "connection_state = 'DISCONNECTED'")).toEqual([expect.objectContaining({ entity_type: 'Host', maintenance_mode: 'true' })]);
		expect((await search('BaseSecurityGroup', '')).map((group) => group.name)).toEqual(['SG-Web', 'SG-App', 'SG-DB', 'SG-Infra']);
		const problems = await search('ProblemEvent', "severity in ('CRITICAL', 'MODERATE')");
		expect(problems.length).toBeGreaterThan(0);
		expect(problems.every((problem) => ['CRITICAL', 'MODERATE'].includes(String(problem.severity)))).toBe(true);
		const got = json(await node.execute.call(context(sim, { resource: 'entity', operation: 'get', entityType: 'VirtualMachine', entityId: vms[0].entity_id, asOf: '' })));
		expect(got).toEqual([expect.objectContaining({ entity_id: vms[0].entity_id, name: vms[0].name })]);
		const idsOnly = json(await node.execute.call(context(sim, { resource: 'entity', operation: 'search', entityType: 'Host', filter: '', timeWindow: 'lastMinutes', lastMinutes: 60, returnAll: true, options: { fetchDetails: false } })));
		expect(Object.keys(idsOnly[0]).sort()).toEqual(['entity_id', 'entity_type', 'time']);
	});

	it('one login for many input items', async () => {
		const output = await node.execute.call(context(sim, { resource: 'entity', operation: 'search', entityType: 'Cluster', filter: '', timeWindow: 'lastMinutes', lastMinutes: 60, returnAll: true, options: {} }, [{}, {}, {}]));
		expect(json(output)).toHaveLength(9);
		expect(output[0].map((item) => item.pairedItem)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2].map((item) => ({ item })));
		// One POST (the login) and one DELETE (the token deleted at the end) on /auth/token.
		expect(sim.stats.get('/api/ni/auth/token')).toBe(2);
		expect(tokens(sim)).toBe(0);
	});

	describe('bad input', () => {
		it('a filter vRNI rejects: its message shown on the item', async () => {
			const output = await node.execute.call(context(sim, { resource: 'flow', operation: 'search', filter: 'bytes > 100', timeWindow: 'lastMinutes', lastMinutes: 60, returnAll: true, options: {} }, [{}], true));
			expect(json(output)).toEqual([{ error: 'vRNI refused search: Invalid filter "bytes > 100": field bytes is not supported' }]);
		});

		it("the script's own \"in last 24 hours\": refused before any request, naming the fix", async () => {
			const error = (await node
				.execute.call(context(sim, { resource: 'flow', operation: 'search', filter: '(flow_tag = TAG_SRC_IP_VM) in last 24 hours', timeWindow: 'lastMinutes', lastMinutes: 60, returnAll: true, options: {} }))
				.catch((caught: unknown) => caught)) as { message: string; description: string };
			expect(error.message).toBe('The filter ends with "in last 24 hours", but the period comes from the Time Window');
			expect(error.description).toMatch(/Last N Hours with 24 hours/);
			expect(sim.stats.get('/api/ni/search')).toBeUndefined();
		});

		it('a token revoked mid-run: one new login, the run completes', async () => {
			sim.injectFaults([{ path: '/api/ni/entities/fetch', kind: 'expireSession', after: 1, times: 1 }]);
			const output = await node.execute.call(context(sim, { resource: 'flow', operation: 'search', filter: '', timeWindow: 'lastMinutes', lastMinutes: 2 * 1440, returnAll: true, options: { pageSize: 500 } }));
			const now = Math.floor(Date.now() / 1000);
			expect(json(output).length).toBeGreaterThanOrEqual(sim.flowsBetween(now - 2 * DAY_S + 60, now - 60).length);
			// The expired token answered 401 on the second fetch; the node logged in once more.
			expect(json(output).every((flow) => flow.detailsMissing === undefined)).toBe(true);
			expect(tokens(sim)).toBe(0);
		});

		it('an entity id that does not exist', async () => {
			const output = await node.execute.call(context(sim, { resource: 'entity', operation: 'get', entityType: 'Host', entityId: '10000:4:1', asOf: '' }, [{}], true));
			expect(json(output)).toEqual([{ error: 'vRNI has no Host with id 10000:4:1' }]);
		});

		it('a wrong password: the run fails without the password anywhere', async () => {
			const error = (await node
				.execute.call(context(sim, { resource: 'entity', operation: 'search', entityType: 'Host', filter: '', timeWindow: 'lastMinutes', lastMinutes: 60, returnAll: true, options: {} }, [{}], false, credentials(sim, { password: 'not-the-password-9' })))
				.catch((caught: unknown) => caught)) as Error;
			expect(error.message).toMatch(/vRNI refused the login of admin@local/);
			expect(JSON.stringify(error)).not.toContain('not-the-password-9');
		});
	});

	it('the credential test tells a wrong password, an unknown domain, an unreachable host and success apart', async () => {
		const test = (data: ICredentialDataDecryptedObject) => networkInsightApiTest.call({ helpers: { request: n8nLegacyRequest() } } as never, { id: '1', name: 'vrni', type: 'networkInsightApi', data } as never);
		expect(await test(credentials(sim))).toEqual({ status: 'OK', message: 'Connected to vRNI (API 1.1.0)' });
		expect(tokens(sim)).toBe(0);
		expect(await test(credentials(sim, { password: 'wrong-pass-77' }))).toEqual({
			status: 'Error',
			message: 'vRNI refused the login of admin@local: Authentication failed: invalid username, password or domain. Check the username and the password, and that the domain type matches the account (LOCAL or LDAP).',
		});
		expect((await test(credentials(sim, { domainType: 'LDAP', domain: 'corp.wrong' }))).message).toMatch(/Unknown LDAP domain: corp.wrong.*Check the domain/);
		expect((await test(credentials(sim, { host: 'http://127.0.0.1:1' }))).message).toMatch(/^Cannot reach 127.0.0.1:1 \(connection refused\)/);
	});
});

describe('Network Insight Trigger', () => {
	const sim = new NetworkInsightSimulator({ flowCount: 2000 });
	beforeAll(async () => {
		await sim.start(0);
	});
	afterAll(() => sim.stop());

	function pollContext(staticData: IDataObject, emitted: IDataObject[][], mode: 'trigger' | 'manual' = 'trigger'): IPollFunctions {
		return {
			getMode: () => mode,
			getNodeParameter: (name: string, fallback?: unknown) => ({ filter: 'flow_tag = TAG_SRC_IP_VM', options: { lookbackMinutes: 120 } } as IDataObject)[name] ?? fallback,
			getCredentials: async () => credentials(sim),
			getNode: () => ({ id: 't', name: 'Network Insight Trigger', type: 'n8n-nodes-netsec-events.networkInsightTrigger', typeVersion: 1, position: [0, 0], parameters: {} }),
			getWorkflowStaticData: () => staticData,
			helpers: {
				httpRequest: n8nHttpRequest(),
				returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
				createDeferredPromise: () => {
					let resolve!: (value: unknown) => void;
					const promise = new Promise((done) => (resolve = done));
					return { promise, resolve, reject: () => undefined };
				},
			},
			__emit: (data: INodeExecutionData[][], _response: unknown, done?: { resolve: (run: unknown) => void }) => {
				// an execution without items is the trigger storing that its last batch succeeded
				if (data[0].length === 0) return;
				emitted.push(data[0].map((item) => item.json));
				done?.resolve({ status: 'success', data: { resultData: {} } });
			},
		} as unknown as IPollFunctions;
	}

	it('emits new flows matching the filter exactly once, oldest first, keyed by entity_id', async () => {
		const staticData: IDataObject = {};
		const emitted: IDataObject[][] = [];
		const trigger = new NetworkInsightTrigger();
		await trigger.poll.call(pollContext(staticData, emitted));
		await new Promise((resolve) => setImmediate(resolve));
		expect(emitted).toHaveLength(1);
		const first = emitted[0];
		expect(first.length).toBeGreaterThan(0);
		expect(first.every((flow) => (flow.flow_tag as string[]).includes('TAG_SRC_IP_VM'))).toBe(true);
		expect(first.map((flow) => flow.time)).toEqual([...first.map((flow) => flow.time)].sort((a, b) => Number(a) - Number(b)));
		// Nothing new: nothing emitted. New flows: only those.
		await trigger.poll.call(pollContext(staticData, emitted));
		expect(emitted).toHaveLength(1);
		const added = sim.addFlows(30);
		await trigger.poll.call(pollContext(staticData, emitted));
		await new Promise((resolve) => setImmediate(resolve));
		const ids = new Set(added.map((flow) => flow.entity_id));
		expect(emitted).toHaveLength(2);
		expect(emitted[1].every((flow) => ids.has(String(flow.entity_id)))).toBe(true);
		expect(new Set([...first, ...emitted[1]].map((flow) => flow.entity_id)).size).toBe(first.length + emitted[1].length);
	});

	it('"Fetch Test Event" returns recent flows and leaves the cursor alone', async () => {
		const staticData: IDataObject = {};
		const result = await new NetworkInsightTrigger().poll.call(pollContext(staticData, [], 'manual'));
		expect(result?.[0].length).toBeGreaterThan(0);
		expect(staticData).toEqual({});
	});
});
