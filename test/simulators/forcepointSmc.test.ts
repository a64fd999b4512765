/**
 * Conformance of the SMC simulator with smc.md, driven by plain clients only (axios and the `ws`
 * client with the session cookie), never by our node code.
 */
import { WebSocket } from 'ws';
import { ForcepointSmcSimulator, SMC_BUFFER_ERROR } from './forcepointSmc';
import { addedOf, connect, http, login, logRecordsOf, refusedStatus, waitFor, wsUrl, type SessionRecords } from './forcepointSmcTestClient';

describe('Forcepoint SMC simulator', () => {
	const sim = new ForcepointSmcSimulator();
	let cookie: string;

	beforeAll(async () => {
		await sim.start(0);
		cookie = await login(sim);
	});
	afterAll(() => sim.stop());

	describe('REST login and session', () => {
		it('lists API versions without a session', async () => {
			const response = await http.get(`${sim.url}/api`);
			expect(response.status).toBe(200);
			expect(response.data).toEqual({
				version: ['6.5', '6.10', '7.0', '7.1'].map((rel) => ({ rel, href: `${sim.url}/${rel}/api` })),
			});
		});

		it('hands out the default credentials', () => {
			expect(sim.credentials()).toEqual({ url: sim.url, apiKey: 'SmcSimKey0123456789abcde', apiVersion: '7.1', domain: 'Shared Domain' });
			expect(sim.options.apiKey).toHaveLength(24);
		});

		it('logs in with the key and sets a JSESSIONID cookie', async () => {
			const response = await http.post(`${sim.url}/7.1/login`, { domain: 'Shared Domain', authenticationkey: sim.options.apiKey });
			expect(response.status).toBe(200);
			expect(response.headers['set-cookie']).toHaveLength(1);
			expect(response.headers['set-cookie']?.[0]).toMatch(/^JSESSIONID=[0-9A-F]{32}; Path=\/; HttpOnly$/);
		});

		it('logs in without a domain (the minimal documented body) and into another admin domain', async () => {
			expect((await http.post(`${sim.url}/6.10/login`, { authenticationkey: sim.options.apiKey })).status).toBe(200);
			expect((await http.post(`${sim.url}/7.1/login`, { domain: 'Branch Offices', authenticationkey: sim.options.apiKey })).status).toBe(200);
		});

		it('refuses a wrong key and an unknown domain with 401', async () => {
			const wrong = await http.post(`${sim.url}/7.1/login`, { domain: 'Shared Domain', authenticationkey: 'WrongKey0123456789abcdef' });
			expect(wrong.status).toBe(401);
			expect(wrong.data).toEqual({ message: 'Login failed', details: ['Invalid authentication key'] });
			expect(wrong.headers['set-cookie']).toBeUndefined();
			const domain = await http.post(`${sim.url}/7.1/login`, { domain: 'Nowhere', authenticationkey: sim.options.apiKey });
			expect(domain.status).toBe(401);
			expect(domain.data).toEqual({ message: 'Login failed', details: ['Domain Nowhere is unknown or not allowed for this API client'] });
		});

		it('answers 404 for a version it does not offer', async () => {
			const response = await http.post(`${sim.url}/5.9/login`, { authenticationkey: sim.options.apiKey });
			expect(response.status).toBe(404);
		});

		it('lists entry points with the session only', async () => {
			const response = await http.get(`${sim.url}/7.1/api`, { headers: { Cookie: cookie } });
			expect(response.status).toBe(200);
			const entries = response.data.entry_point as Array<{ rel: string; href: string; method: string }>;
			for (const rel of ['host', 'network', 'address_range', 'router', 'layer2_policy', 'fw_policy', 'single_fw', 'fw_cluster']) {
				expect(entries).toContainEqual({ rel, href: `${sim.url}/7.1/elements/${rel}`, method: 'GET' });
			}
			expect(entries).toContainEqual({ rel: 'logout', href: `${sim.url}/7.1/logout`, method: 'PUT' });
			expect(entries).toContainEqual({ rel: 'system', href: `${sim.url}/7.1/system`, method: 'GET' });
			const anonymous = await http.get(`${sim.url}/7.1/api`);
			expect(anonymous.status).toBe(401);
			expect(anonymous.data).toEqual({ message: 'Unauthorized', details: ['Not logged in or the session has expired'] });
		});

		it('serves the SMC version and elements', async () => {
			const version = await http.get(`${sim.url}/7.1/system/smc_version`, { headers: { Cookie: cookie } });
			expect(version.data).toEqual({ value: '7.1.2 [11277]' });
			const hosts = await http.get(`${sim.url}/7.1/elements/host`, { headers: { Cookie: cookie } });
			expect(hosts.status).toBe(200);
			expect(hosts.data.result[0]).toEqual({ href: `${sim.url}/7.1/elements/host/1600`, name: 'DNS Server 1', type: 'host' });
			expect(hosts.data.result).toHaveLength(5);
			const host = await http.get(`${sim.url}/7.1/elements/host/1600`, { headers: { Cookie: cookie } });
			expect(host.status).toBe(200);
			expect(host.headers.etag).toBe('"1600-1"');
			expect(host.data).toMatchObject({ name: 'DNS Server 1', address: '10.0.0.53', key: 1600 });
			const engine = await http.get(`${sim.url}/7.1/elements/single_fw?filter=plano`, { headers: { Cookie: cookie } });
			expect(engine.data.result).toEqual([{ href: `${sim.url}/7.1/elements/single_fw/1649`, name: 'Plano FW', type: 'single_fw' }]);
			expect((await http.get(`${sim.url}/7.1/elements/host/9999`, { headers: { Cookie: cookie } })).status).toBe(404);
		});

		it('logs out with PUT (204), after which the cookie is dead', async () => {
			const own = await login(sim);
			expect((await http.put(`${sim.url}/7.1/logout`, undefined, { headers: { Cookie: own } })).status).toBe(204);
			expect((await http.get(`${sim.url}/7.1/api`, { headers: { Cookie: own } })).status).toBe(401);
			expect((await http.put(`${sim.url}/7.1/logout`, undefined, { headers: { Cookie: own } })).status).toBe(401);
			expect(await refusedStatus(wsUrl(sim, '/7.1/monitoring/log/socket'), own)).toBe(401);
		});

		it('expires sessions through the expireSession fault: REST 401, upgrade refused, relogin works', async () => {
			const own = await login(sim);
			const open = await connect(wsUrl(sim, '/7.1/notification/socket'), own);
			sim.injectFaults([{ path: '/7.1/api', kind: 'expireSession' }]);
			expect((await http.get(`${sim.url}/7.1/api`, { headers: { Cookie: own } })).status).toBe(401);
			expect(await refusedStatus(wsUrl(sim, '/7.1/notification/socket'), own)).toBe(401);
			// An open socket is not torn down by the expiry.
			expect(open.ws.readyState).toBe(WebSocket.OPEN);
			open.ws.close();
			cookie = await login(sim);
			expect((await http.get(`${sim.url}/7.1/api`, { headers: { Cookie: cookie } })).status).toBe(200);
		});

		it('expires idle sessions when sessionIdleMs is set', async () => {
			const idle = await new ForcepointSmcSimulator({ sessionIdleMs: 400 }).start(0);
			try {
				const own = await login(idle);
				expect((await http.get(`${idle.url}/7.1/api`, { headers: { Cookie: own } })).status).toBe(200);
				await new Promise((resolve) => setTimeout(resolve, 600));
				expect((await http.get(`${idle.url}/7.1/api`, { headers: { Cookie: own } })).status).toBe(401);
			} finally {
				await idle.stop();
			}
		});
	});

	describe('websocket upgrade', () => {
		it('refuses an upgrade without or with a bad cookie (401) and unknown paths (404)', async () => {
			expect(await refusedStatus(wsUrl(sim, '/7.1/monitoring/session/socket'))).toBe(401);
			expect(await refusedStatus(wsUrl(sim, '/7.1/monitoring/session/socket'), 'JSESSIONID=0000')).toBe(401);
			expect(await refusedStatus(wsUrl(sim, '/5.9/monitoring/session/socket'), cookie)).toBe(404);
			expect(await refusedStatus(wsUrl(sim, '/7.1/monitoring/other/socket'), cookie)).toBe(404);
		});

		it('accepts the cookie without any Origin header on all three sockets', async () => {
			for (const path of ['/7.1/monitoring/log/socket', '/7.1/monitoring/session/socket', '/7.1/notification/socket', '/6.5/notification/socket']) {
				expect(await refusedStatus(wsUrl(sim, path), cookie)).toBe(101);
			}
		});

		it('closes with 1009 and the Tomcat buffer error when a frame is too big', async () => {
			const inbox = await connect(wsUrl(sim, '/7.1/monitoring/log/socket'), cookie);
			// smc.md's example: an InFilter with 203 addresses no longer fits Tomcat's 8 KiB buffer.
			const right = Array.from({ length: 203 }, (_, i) => ({ type: 'ip', value: `192.168.${100 + (i % 100)}.${100 + i}` }));
			const query = { query: { type: 'stored', filter: { type: 'in', left: { type: 'field', id: 7 }, right } }, fetch: {}, format: { type: 'texts' } };
			expect(JSON.stringify(query).length).toBeGreaterThan(8192);
			inbox.send(query);
			expect(await inbox.closeWithin()).toEqual({ code: 1009, reason: SMC_BUFFER_ERROR });
		});
	});

	describe('session monitoring socket', () => {
		const connections = { query: { definition: 'CONNECTIONS', target: 'Plano FW' }, fetch: {}, format: { type: 'texts', field_format: 'id' } };

		it('streams a CONNECTIONS snapshot in batches of 200 and ends on abort', async () => {
			const inbox = await connect(wsUrl(sim, '/7.1/monitoring/session/socket'), cookie);
			inbox.send(connections);
			const success = await inbox.next();
			expect(success.success).toBe('Fetch started');
			expect(Number.isInteger(success.fetch)).toBe(true);
			const first = await inbox.next();
			const second = await inbox.next();
			expect(first.fetch).toBe(success.fetch);
			const firstRecords = first.records as SessionRecords;
			expect(firstRecords.added).toHaveLength(200);
			expect(firstRecords.updated).toEqual([]);
			expect(firstRecords.deleted).toEqual([]);
			expect((second.records as SessionRecords).added).toHaveLength(50);
			const record = firstRecords.added[0];
			expect(record.first_fetch).toBe(true);
			expect(record.delta_key).toBe('AgAB');
			expect(Object.keys(record)).toEqual(expect.arrayContaining(['1', '4', '7', '8', '9', '10', '11', '27', '46', '47', '116', '134', '302']));
			expect(record['4']).toBe('Plano FW node 1');
			expect(record['302']).toBe('1');
			expect(await inbox.quiet(100)).toBe(true);
			inbox.send({ abort: success.fetch });
			expect(await inbox.next()).toEqual({ fetch: success.fetch, end: 'Fetch aborted' });
			inbox.ws.close();
		});

		it('applies in / and / or / not / defined filters to the records', async () => {
			const all = await connect(wsUrl(sim, '/7.1/monitoring/session/socket'), cookie);
			all.send(connections);
			const everything = addedOf(await all.until((message) => addedOf([message]).length === 50));
			all.ws.close();
			expect(everything).toHaveLength(250);

			const filter = {
				type: 'and',
				values: [
					{ type: 'or', values: [
						{ type: 'in', left: { type: 'field', id: 10 }, right: [{ type: 'number', value: 443 }, { type: 'number', value: 80 }] },
						{ type: 'in', left: { type: 'field', id: 27 }, right: [{ type: 'service', value: 'UDP/53' }] },
					] },
					{ type: 'not', value: { type: 'in', left: { type: 'field', name: 'Src' }, right: [{ type: 'ip', value: '10.0.0.0/24' }] } },
					{ type: 'defined', value: { type: 'field', id: 134 } },
				],
			};
			const expected = everything.filter(
				(record) => ['443', '80'].includes(String(record['10'])) || (record['11'] === 'UDP' && record['10'] === '53'),
			).filter((record) => !String(record['7']).startsWith('10.0.0.'));
			expect(expected.length).toBeGreaterThan(0);
			expect(expected.length).toBeLessThan(250);

			const filtered = await connect(wsUrl(sim, '/7.1/monitoring/session/socket'), cookie);
			filtered.send({ ...connections, query: { ...connections.query, filter } });
			const messages = [await filtered.next(), await filtered.next()];
			expect(messages[0].success).toBe('Fetch started');
			expect(addedOf(messages)).toEqual(expected);
			expect(await filtered.quiet(100)).toBe(true);
			filtered.ws.close();
		});

		it('serves BLOCK_LIST (SMC >= 7.0) with pretty labels and block_list_href, and refuses BLACKLIST', async () => {
			const inbox = await connect(wsUrl(sim, '/7.1/monitoring/session/socket'), cookie);
			inbox.send({ query: { definition: 'BLOCK_LIST', target: 'Plano FW' }, fetch: {}, format: { type: 'texts', field_format: 'pretty' } });
			expect((await inbox.next()).success).toBe('Fetch started');
			const entries = (((await inbox.next()).records) as SessionRecords).added;
			expect(entries).toHaveLength(12);
			expect(entries[0]['Blacklist Entry ID']).toBe('MQ==');
			expect(entries[0].block_list_href).toBe(`${sim.url}/7.1/elements/single_fw/1649/block_list/MQ==`);
			expect(entries[0]['Data Tags']).toBe('INFO: BLOCK_LIST Monitoring');
			inbox.send({ query: { definition: 'BLACKLIST', target: 'Plano FW' }, fetch: {}, format: { type: 'texts' } });
			expect(await inbox.next()).toEqual({ failure: 'Unknown definition BLACKLIST' });

			// DELETE on the href removes the entry and live queries see it deleted.
			const href = String(entries[0].block_list_href);
			expect((await http.delete(href, { headers: { Cookie: cookie } })).status).toBe(204);
			const deleted = await inbox.next();
			expect((deleted.records as SessionRecords).deleted).toHaveLength(1);
			expect((deleted.records as SessionRecords).deleted[0]['Session Event']).toBe('3');
			expect((deleted.records as SessionRecords).deleted[0].block_list_href).toBe(href);
			expect((await http.delete(href, { headers: { Cookie: cookie } })).status).toBe(404);
			inbox.ws.close();
		});

		it('serves BLACKLIST with blacklist_href and name-style keys on an SMC below 7.0', async () => {
			const old = await new ForcepointSmcSimulator({ smcVersion: '6.10.5', apiVersions: ['6.5', '6.10'], apiVersion: '6.10' }).start(0);
			try {
				const own = await login(old, '6.10');
				const inbox = await connect(wsUrl(old, '/6.10/monitoring/session/socket'), own);
				inbox.send({ query: { definition: 'BLACKLIST', target: 'Helsinki Cluster' }, fetch: {}, format: { type: 'texts' } });
				expect((await inbox.next()).success).toBe('Fetch started');
				const entries = (((await inbox.next()).records) as SessionRecords).added;
				expect(entries).toHaveLength(12);
				expect(entries[0].blacklist_href).toBe(`${old.url}/6.10/elements/fw_cluster/1702/blacklist/MQ==`);
				expect(entries[0].BlacklistEntryId).toBe('MQ==');
				expect(entries[0].BlacklistEntrySourceIpMask).toBe('255.255.255.255');
				expect(entries[0].DataTags).toBe('INFO: BLACKLIST Monitoring');
				inbox.send({ query: { definition: 'BLOCK_LIST', target: 'Helsinki Cluster' }, fetch: {}, format: { type: 'texts' } });
				expect(await inbox.next()).toEqual({ failure: 'Unknown definition BLOCK_LIST' });
				inbox.ws.close();
			} finally {
				await old.stop();
			}
		});

		it('serves ROUTING, USERS, SSLVPNV2 and VPN_SA on an engine', async () => {
			const expectations: Array<[string, number, string[]]> = [
				['ROUTING', 8, ['Timestamp', 'DstIf', 'DstZone', 'RouteGateway', 'RouteNetwork', 'RouteNetmask', 'RouteType', 'RouteMetric']],
				['USERS', 10, ['Timestamp', 'UserName', 'Src', 'NodeId', 'SenderDomain', 'ExpirationTime', 'IdService']],
				['SSLVPNV2', 5, ['SslVpnSessionMonReceived', 'SslVpnSessionMonTimeout', 'NodeId', 'Src', 'UserName']],
				['VPN_SA', 6, ['Timestamp', 'NodeId', 'VpnId', 'SecurityGateway', 'PeerSecurityGateway', 'IkeCookie', 'Endpoint', 'PeerEndpoint', 'SaClass', 'CipherAlg', 'NegotiationRole', 'SrcAddrs', 'DstAddrs', 'Protocol', 'NumBytesSent', 'NumBytesReceived', 'ExpirationTime']],
			];
			for (const [definition, count, keys] of expectations) {
				const inbox = await connect(wsUrl(sim, '/7.1/monitoring/session/socket'), cookie);
				inbox.send({ query: { definition, target: 'Helsinki Cluster' }, fetch: {}, format: { type: 'texts' } });
				expect((await inbox.next()).success).toBe('Fetch started');
				const entries = (((await inbox.next()).records) as SessionRecords).added;
				expect(entries).toHaveLength(count);
				expect(Object.keys(entries[0])).toEqual(expect.arrayContaining(keys));
				expect(String(entries[0].NodeId)).toMatch(/^Helsinki Cluster node [12]$/);
				if (definition === 'VPN_SA') expect(entries[0].vpn_sa_href).toBe(`${sim.url}/7.1/elements/fw_cluster/1702/vpn_sa/MQ==`);
				inbox.ws.close();
			}
		});

		it('targets ACTIVE_ALERTS at an admin domain and filters on severity constants', async () => {
			const inbox = await connect(wsUrl(sim, '/7.1/monitoring/session/socket'), cookie);
			inbox.send({ query: { definition: 'ACTIVE_ALERTS', target: 'Shared Domain' }, fetch: {}, format: { type: 'texts', field_format: 'pretty' } });
			expect((await inbox.next()).success).toBe('Fetch started');
			const all = (((await inbox.next()).records) as SessionRecords).added;
			expect(all).toHaveLength(15);
			const severe = all.filter((record) => ['High', 'Critical'].includes(String(record.Severity)));
			const filter = { type: 'in', left: { type: 'field', id: 602 }, right: [{ type: 'constant', value: 5 }, { type: 'constant', value: 10 }] };
			inbox.send({ query: { definition: 'ACTIVE_ALERTS', target: 'Shared Domain', filter }, fetch: {}, format: { type: 'texts', field_format: 'pretty' } });
			expect((await inbox.next()).success).toBe('Fetch started');
			expect((((await inbox.next()).records) as SessionRecords).added).toEqual(severe);
			inbox.send({ query: { definition: 'ACTIVE_ALERTS', target: 'Plano FW' }, fetch: {}, format: { type: 'texts' } });
			expect(await inbox.next()).toEqual({ failure: 'Unknown target Plano FW' });
			// The same alerts through a filter expression: a severity by name, or by number.
			const translated = { type: 'translated', value: '$AlertSeverity == "High" OR $AlertSeverity >= 10' };
			inbox.send({ query: { definition: 'ACTIVE_ALERTS', target: 'Shared Domain', filter: translated }, fetch: {}, format: { type: 'texts', field_format: 'pretty' } });
			expect((await inbox.next()).success).toBe('Fetch started');
			expect((((await inbox.next()).records) as SessionRecords).added).toEqual(severe);
			inbox.send({ query: { definition: 'CONNECTIONS', target: 'Plano FW', filter: { type: 'cs_like' } }, fetch: {} });
			expect(await inbox.next()).toEqual({ failure: 'Unsupported filter type cs_like' });
			inbox.ws.close();
		});

		it('streams added, updated and deleted deltas to a live session query', async () => {
			const inbox = await connect(wsUrl(sim, '/7.1/monitoring/session/socket'), cookie);
			inbox.send({ query: { definition: 'USERS', target: 'Branch FW' }, fetch: {}, format: { type: 'texts' } });
			const success = await inbox.next();
			const snapshot = (((await inbox.next()).records) as SessionRecords).added;
			expect(snapshot).toHaveLength(10);
			const update = await http.post(`${sim.url}/__sim/smc/session-change`, { definition: 'USERS', target: 'Branch FW', action: 'update' });
			expect(update.data).toEqual({ changed: 1, deltaKeys: [snapshot[0].delta_key] });
			const updated = await inbox.next();
			expect(updated.fetch).toBe(success.fetch);
			expect((updated.records as SessionRecords).updated.map((record) => [record.delta_key, record.SessionEvent, record.first_fetch])).toEqual([[snapshot[0].delta_key, '2', undefined]]);
			await http.post(`${sim.url}/__sim/smc/session-change`, { definition: 'USERS', target: 'Branch FW', action: 'add', count: 2 });
			expect((((await inbox.next()).records) as SessionRecords).added.map((record) => record.delta_key)).toEqual(['AgAL', 'AgAM']);
			await http.post(`${sim.url}/__sim/smc/session-change`, { definition: 'USERS', target: 'Branch FW', action: 'delete' });
			expect((((await inbox.next()).records) as SessionRecords).deleted.map((record) => record.SessionEvent)).toEqual(['3']);
			inbox.send({ abort: success.fetch });
			expect(await inbox.next()).toEqual({ fetch: success.fetch, end: 'Fetch aborted' });
			await http.post(`${sim.url}/__sim/smc/session-change`, { definition: 'USERS', target: 'Branch FW', action: 'add' });
			expect(await inbox.quiet(150)).toBe(true);
			inbox.ws.close();
		});
	});

	describe('log socket', () => {
		it('answers a query without fetch with "No fetch", then fetches on {"fetch":{}}', async () => {
			const inbox = await connect(wsUrl(sim, '/7.1/monitoring/log/socket'), cookie);
			inbox.send({ query: { type: 'stored' }, format: { type: 'texts' } });
			expect(await inbox.next()).toEqual({ success: 'No fetch' });
			inbox.send({ fetch: { quantity: 3 } });
			const messages = await inbox.until((message) => message.end !== undefined);
			expect(messages.map((message) => Object.keys(message).sort().join(','))).toEqual(['fetch,success', 'fetch,status', 'fetch,records', 'end,fetch']);
			expect(messages[1].status).toBe('Querying...');
			expect(logRecordsOf(messages)).toHaveLength(3);
			expect(messages[3].end).toBe('end of data');
			inbox.ws.close();
		});

		it('fetches a time range newest first in batches of 200, bounded by quantity', async () => {
			const inbox = await connect(wsUrl(sim, '/7.1/monitoring/log/socket'), cookie);
			// Reference: every stored record, oldest first, raw values keyed by field id.
			inbox.send({ query: { type: 'stored' }, fetch: { backwards: false }, format: { type: 'detailed', field_format: 'id', field_ids: [1, 2, 7] } });
			const all = await inbox.until((message) => message.end !== undefined);
			expect(all[0].fields).toEqual([
				{ id: 1, name: 'Timestamp', pretty: 'Creation Time' },
				{ id: 2, name: 'LogId', pretty: 'Data Identifier' },
				{ id: 7, name: 'Src', pretty: 'Src Addr' },
			]);
			const records = logRecordsOf(all);
			expect(records).toHaveLength(sim.options.logCount);
			expect(logRecordsOf(all.slice(0, 3))).toHaveLength(200);
			const times = records.map((record) => Number(record['1']));
			expect([...times].sort((a, b) => a - b)).toEqual(times);

			const start = times[100];
			const end = times[699];
			const inRange = records.filter((record) => Number(record['1']) >= start && Number(record['1']) <= end);
			const expected = [...inRange].reverse().slice(0, 250).map((record) => record['2']);
			inbox.send({ query: { type: 'stored', start_ms: start, end_ms: end }, fetch: { quantity: 250 }, format: { type: 'detailed', field_format: 'id', field_ids: [1, 2] } });
			const ranged = await inbox.until((message) => message.end !== undefined);
			expect(ranged.map((message) => (Array.isArray(message.records) ? message.records.length : -1))).toEqual([-1, -1, 200, 50, -1]);
			expect(logRecordsOf(ranged).map((record) => record['2'])).toEqual(expected);
			inbox.ws.close();
		});

		it('answers the field lookup smc-python uses (quantity 0, detailed) with fields and end', async () => {
			const inbox = await connect(wsUrl(sim, '/7.1/monitoring/log/socket'), cookie);
			inbox.send({ fetch: { quantity: 0 }, format: { type: 'detailed', field_ids: [7, 8, 134] }, query: {} });
			const messages = await inbox.until((message) => message.end !== undefined);
			expect(messages).toEqual([
				{
					success: 'Fetch started',
					fetch: messages[0].fetch,
					fields: [
						{ id: 7, name: 'Src', pretty: 'Src Addr' },
						{ id: 8, name: 'Dst', pretty: 'Dst Addr' },
						{ id: 134, name: 'IpsAppId', pretty: 'Network Application' },
					],
				},
				{ fetch: messages[0].fetch, end: 'end of data' },
			]);
			inbox.ws.close();
		});

		it('renders texts with pretty labels, resolved senders and a timezone', async () => {
			const inbox = await connect(wsUrl(sim, '/7.1/monitoring/log/socket'), cookie);
			const filter = { type: 'in', left: { type: 'field', id: 14 }, right: [{ type: 'constant', value: 1 }] };
			inbox.send({
				query: { type: 'stored', filter },
				fetch: { quantity: 5 },
				format: { type: 'texts', field_format: 'pretty', resolving: { senders: true, timezone: 'Europe/Helsinki', time_show_zone: true }, field_ids: [1, 4, 7, 10, 14] },
			});
			const records = logRecordsOf(await inbox.until((message) => message.end !== undefined));
			expect(records).toHaveLength(5);
			for (const record of records) {
				expect(Object.keys(record)).toEqual(['Creation Time', 'Sender', 'Src Addr', 'Dst Port', 'Action']);
				expect(record.Action).toBe('Allow');
				expect(String(record['Creation Time'])).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Europe\/Helsinki$/);
				expect(['Plano FW node 1', 'Helsinki Cluster node 1', 'Helsinki Cluster node 2', 'Branch FW node 1']).toContain(record.Sender);
			}
			inbox.ws.close();
		});

		it('streams new records to a live (current) query until aborted', async () => {
			const inbox = await connect(wsUrl(sim, '/7.1/monitoring/log/socket'), cookie);
			inbox.send({ query: { type: 'current' }, fetch: {}, format: { type: 'texts', field_format: 'name' } });
			const success = await inbox.next();
			expect(success.success).toBe('Fetch started');
			expect(await inbox.next()).toEqual({ fetch: success.fetch, status: 'Querying...' });
			expect(await inbox.quiet(100)).toBe(true);
			const added = await http.post(`${sim.url}/__sim/smc/logs`, { count: 3 });
			expect(added.status).toBe(200);
			expect(added.data.added).toBe(3);
			const live = await inbox.next();
			expect(live.fetch).toBe(success.fetch);
			expect((live.records as Array<Record<string, unknown>>).map((record) => Number(record.LogId))).toEqual(added.data.logIds);
			sim.addLogs(2);
			expect((await inbox.next()).records).toHaveLength(2);
			inbox.send({ abort: success.fetch });
			expect(await inbox.next()).toEqual({ fetch: success.fetch, end: 'Fetch aborted' });
			sim.addLogs(2);
			expect(await inbox.quiet(150)).toBe(true);
			// The abort smc-python sends after `end` is ignored.
			inbox.send({ abort: success.fetch });
			expect(await inbox.quiet(100)).toBe(true);
			inbox.ws.close();
		});

		it('filters live records too', async () => {
			const inbox = await connect(wsUrl(sim, '/7.1/monitoring/log/socket'), cookie);
			const filter = { type: 'in', left: { type: 'field', id: 11 }, right: [{ type: 'number', value: 17 }] };
			inbox.send({ query: { type: 'current', filter }, fetch: {}, format: { type: 'texts', field_format: 'id', field_ids: [11] } });
			await inbox.until((message) => message.status !== undefined);
			const added = sim.addLogs(40);
			const udp = added.filter((record) => record.fields[11] === 17).length;
			expect(udp).toBeGreaterThan(0);
			const live = await inbox.next();
			expect(live.records).toEqual(Array.from({ length: udp }, () => ({ '11': 'UDP' })));
			inbox.ws.close();
		});

		it('answers failure for an unknown query type or format', async () => {
			const inbox = await connect(wsUrl(sim, '/7.1/monitoring/log/socket'), cookie);
			inbox.send({ query: { type: 'later' }, fetch: {}, format: { type: 'texts' } });
			expect(await inbox.next()).toEqual({ failure: 'Unknown query type later' });
			inbox.send({ query: { type: 'stored' }, fetch: {}, format: { type: 'html' } });
			expect(await inbox.next()).toEqual({ failure: 'Unknown format type html' });
			inbox.ws.send('not json');
			expect(await inbox.next()).toEqual({ failure: 'Invalid JSON message' });
			inbox.ws.close();
		});
	});

	describe('notification socket', () => {
		it('acknowledges each subscription with its own id and sends `event` on API >= 6.6', async () => {
			const inbox = await connect(wsUrl(sim, '/7.1/notification/socket'), cookie);
			inbox.send({ context: 'host, router' });
			expect(await inbox.next()).toEqual({ success: 'Subscribed for notifications', subscription_id: 0, context: 'host, router' });
			inbox.send({ context: '*' });
			expect(await inbox.next()).toEqual({ success: 'Subscribed for notifications', subscription_id: 1, context: '*' });
			inbox.send({ context: 'bogus' });
			expect(await inbox.next()).toEqual({ failure: 'Unknown context: bogus' });

			const created = await http.post(`${sim.url}/__sim/smc/element-change`, { entryPoint: 'host', action: 'create', name: 'New Host' });
			expect(created.data).toEqual({ entryPoint: 'host', action: 'create', id: 1732, name: 'New Host', path: '/elements/host/1732', delivered: 2 });
			const href = `${sim.url}/7.1/elements/host/1732`;
			expect([await inbox.next(), await inbox.next()]).toEqual([
				{ event: { type: 'create', element: href }, subscription_id: 0 },
				{ event: { type: 'create', element: href }, subscription_id: 1 },
			]);
			// The element exists over REST until it is deleted.
			expect((await http.get(href, { headers: { Cookie: cookie } })).data.name).toBe('New Host');

			sim.elementChange('network', 'update', 'DMZ Network');
			expect(await inbox.next()).toEqual({ event: { type: 'update', element: `${sim.url}/7.1/elements/network/1606` }, subscription_id: 1 });
			expect(await inbox.quiet(100)).toBe(true);

			sim.elementChange('host', 'delete', undefined, 1732);
			expect((await inbox.until((message) => message.subscription_id === 1)).map((message) => message.event?.type)).toEqual(['delete', 'delete']);
			expect((await http.get(href, { headers: { Cookie: cookie } })).status).toBe(404);

			inbox.send({ unsubscribe: 1 });
			expect(await inbox.next()).toEqual({ success: 'Unsubscribed', subscription_id: 1 });
			sim.elementChange('router', 'update');
			expect(await inbox.next()).toEqual({ event: { type: 'update', element: `${sim.url}/7.1/elements/router/1609` }, subscription_id: 0 });
			inbox.ws.close();
		});

		it('sends the `events` list form on API 6.5', async () => {
			const own = await login(sim, '6.5');
			const inbox = await connect(wsUrl(sim, '/6.5/notification/socket'), own);
			inbox.send({ context: 'network,host' });
			expect(await inbox.next()).toEqual({ success: 'Subscribed for notifications', subscription_id: 0, context: 'network,host' });
			inbox.send({ context: 'host' });
			expect((await inbox.next()).subscription_id).toBe(1);
			const created = sim.elementChange('host', 'create', 'Old API Host');
			const href = `${sim.url}/6.5/elements/host/${created.id}`;
			expect([await inbox.next(), await inbox.next()]).toEqual([
				{ events: [{ type: 'create', element: href }], subscription_id: 0 },
				{ events: [{ type: 'create', element: href }], subscription_id: 1 },
			]);
			inbox.ws.close();
		});
	});

	describe('faults and trickle', () => {
		it('drops every websocket abruptly on demand', async () => {
			const log = await connect(wsUrl(sim, '/7.1/monitoring/log/socket'), cookie);
			const notification = await connect(wsUrl(sim, '/7.1/notification/socket'), cookie);
			log.send({ query: { type: 'current' }, fetch: {}, format: { type: 'texts' } });
			await log.until((message) => message.status !== undefined);
			// Sockets closed by earlier tests finish their close handshake first.
			await waitFor(() => JSON.stringify(sim.socketCounts()) === JSON.stringify({ log: 1, session: 0, notification: 1, status: 0 }));
			const response = await http.post(`${sim.url}/__sim/smc/drop-sockets`);
			expect(response.data).toEqual({ dropped: 2 });
			expect((await log.closeWithin()).code).toBe(1006);
			expect((await notification.closeWithin()).code).toBe(1006);
			expect(sim.socketCounts()).toEqual({ log: 0, session: 0, notification: 0, status: 0 });
		});

		it('refuses an upgrade with a status fault on the socket path', async () => {
			sim.injectFaults([{ path: '/7.1/notification/socket', kind: 'status', status: 503 }]);
			expect(await refusedStatus(wsUrl(sim, '/7.1/notification/socket'), cookie)).toBe(503);
			expect(await refusedStatus(wsUrl(sim, '/7.1/notification/socket'), cookie)).toBe(101);
		});

		it('trickles log records and element changes when trickleMs is set', async () => {
			const busy = await new ForcepointSmcSimulator({ trickleMs: 30 }).start(0);
			try {
				const own = await login(busy);
				const logs = await connect(wsUrl(busy, '/7.1/monitoring/log/socket'), own);
				logs.send({ query: { type: 'current' }, fetch: {}, format: { type: 'texts' } });
				const notes = await connect(wsUrl(busy, '/7.1/notification/socket'), own);
				notes.send({ context: '*' });
				expect(logRecordsOf(await logs.until((message) => Array.isArray(message.records)))).toHaveLength(1);
				// Which beat the subscription starts at depends on timing; the cycle itself does not.
				const seen = new Set<string>();
				const messages = await notes.until((message) => {
					if (message.event?.type) seen.add(message.event.type);
					return seen.size === 3;
				});
				const types = messages.flatMap((message) => (message.event?.type ? [message.event.type] : []));
				const cycle = ['create', 'update', 'delete'];
				for (let index = 1; index < types.length; index++) {
					expect(types[index]).toBe(cycle[(cycle.indexOf(types[index - 1]) + 1) % cycle.length]);
				}
			} finally {
				await busy.stop();
			}
		});

		it('resets added logs and elements through /__sim/reset', async () => {
			const fresh = await new ForcepointSmcSimulator({ logCount: 10 }).start(0);
			try {
				fresh.addLogs(5);
				fresh.elementChange('host', 'create', 'Temp');
				expect((await http.get(`${fresh.url}/__sim/smc/state`)).data.logs).toBe(15);
				await http.post(`${fresh.url}/__sim/reset`);
				const state = await http.get(`${fresh.url}/__sim/smc/state`);
				expect(state.data).toEqual({
					sessions: 0,
					sockets: { log: 0, session: 0, notification: 0, status: 0 },
					logs: 10,
					fetches: { stored: 0, current: 0, session: 0 },
					subscriptions: 0,
				});
			} finally {
				await fresh.stop();
			}
		});
	});
});
