import type { IDataObject } from 'n8n-workflow';

/** A VCO event exactly as event/getEnterpriseEvents returns it (VCO's fields in VCO's order). */
export const VCO_EVENT: IDataObject = {
	id: 2913202,
	eventTime: '2021-10-23T06:48:57.000Z',
	event: 'VPN_DATACENTER_STATUS',
	category: 'SYSTEM',
	severity: 'NOTICE',
	message: 'Tunnel to [Azure-SIN] - "IKE" a=b | c\\d\nretrying',
	detail: '{"ipAddress": "13.76.153.194", "ikeState": "DOWN"}',
	enterpriseUsername: null,
	edgeName: 'Zürich-Edge-02',
	segmentName: null,
};

/** One item per vendor shape, as the package's nodes (and the simulators behind them) produce them. */
export const VELOCLOUD_EVENT: IDataObject = { ...VCO_EVENT, enterpriseId: 1, enterpriseName: 'Zürich Retail AG' };

export const ILLUMIO_EVENT: IDataObject = {
	href: '/orgs/1/events/4f1a2c3d-0000-4000-8000-000000000001',
	timestamp: '2026-11-29T10:15:00.123Z',
	pce_fqdn: 'pce.example.com',
	created_by: { user: { href: '/users/2', username: 'amelia.hart@example.com' } },
	event_type: 'user.login',
	status: 'failure',
	severity: 'warning',
	action: { uuid: 'a1', api_endpoint: '/api/v2/users/login', api_method: 'GET', http_status_code: 401, src_ip: '10.1.2.3' },
	resource_changes: [],
	notifications: [],
};

export const ILLUMIO_AGENT_EVENT: IDataObject = {
	href: '/orgs/1/events/5f1a2c3d-0000-4000-8000-000000000002',
	timestamp: '2026-11-29T10:16:00.000Z',
	pce_fqdn: 'pce.example.com',
	created_by: { agent: { href: '/orgs/1/agents/1007', hostname: 'web-prod-02' } },
	event_type: 'workload.update',
	status: 'success',
	severity: 'info',
	action: { uuid: 'a2', api_endpoint: null, api_method: null, http_status_code: null, src_ip: 'FILTERED' },
	resource_changes: [
		{
			uuid: 'c1',
			resource: { workload: { href: '/orgs/1/workloads/w1', hostname: 'web-prod-02' } },
			changes: { labels: { before: [], after: [] } },
			change_type: 'update',
		},
	],
	notifications: [{ uuid: 'n1', notification_type: 'agent.firewall_tampered', info: {} }],
};

/** A LogQuery record in field_format "name" with resolved texts. */
export const SMC_ALERT_RECORD: IDataObject = {
	Timestamp: '2026-11-29 10:20:00',
	ReceptionTime: '2026-11-29 10:20:01',
	LogId: '1042',
	NodeId: 'Helsinki Cluster node 1',
	SenderDomain: 'Shared Domain',
	DataType: '3',
	Facility: 'Inspection',
	Type: 'Alert',
	Src: '203.0.113.9',
	Dst: '10.10.4.20',
	Sport: '51515',
	Dport: '22',
	Protocol: 'TCP',
	Service: 'SSH',
	Action: 'Discard',
	RuleId: '@2097160.1',
	IpsAppId: 'SSH',
	Event: 'Connection discarded',
	AlertSeverity: 'High',
	Situation: 'SSH_Brute-Force-Attempt',
	InfoMsg: 'Situation matched an Inspection rule',
};

/** The same kind of record in field_format "pretty". */
export const SMC_PRETTY_RECORD: IDataObject = {
	'Creation Time': '2026-11-29 10:21:00 UTC',
	Sender: 'Plano FW node 1',
	'Src Addr': '192.168.1.40',
	'Dst Addr': '198.51.100.7',
	'Dst Port': '443',
	Service: 'HTTPS',
	Action: 'Allow',
	Event: 'New connection',
	'Information Message': 'Connection allowed',
};

export const SMC_ELEMENT_CHANGE: IDataObject = {
	type: 'delete',
	element: 'https://smc.example.com:8082/7.1/elements/host/1732',
	subscription_id: 1,
};

/** A vRNI bulk-fetch result: the flow entity beside its time (epoch seconds). */
export const VRNI_FLOW_RESULT: IDataObject = {
	entity_id: '10000:515:1491521924',
	entity_type: 'Flow',
	time: 1764411600,
	entity: {
		entity_id: '10000:515:1491521924',
		name: '10.197.53.40 -> 10.197.53.38 [port:3306]',
		entity_type: 'Flow',
		source_vm: { entity_id: '1:1:1', entity_type: 'VirtualMachine', entity_name: 'app-vm-07' },
		destination_vm: { entity_id: '1:1:2', entity_type: 'VirtualMachine', entity_name: 'db-vm-01' },
		source_ip: { ip_address: '10.197.53.40', netmask: '255.255.255.0', network_address: '10.197.53.0' },
		destination_ip: { ip_address: '10.197.53.38', netmask: '255.255.255.0', network_address: '10.197.53.0' },
		port: { start: 3306, end: 3306, display: '3306', iana_name: 'mysql', iana_port_display: '3306 [mysql]' },
		protocol: 'TCP',
		traffic_type: 'EAST_WEST_TRAFFIC',
		firewall_action: 'DENY',
		firewall_rule_id: '2003',
	},
};

export const GENERIC_EVENT: IDataObject = {
	timestamp: '2026-11-29T11:00:00Z',
	level: 'error',
	host: 'router-1',
	msg: 'BGP peer 192.0.2.1 down',
	type: 'bgp.peer_down',
};

export const ALL_SAMPLES: Record<string, IDataObject> = {
	velocloud: VELOCLOUD_EVENT,
	illumio: ILLUMIO_EVENT,
	illumioAgent: ILLUMIO_AGENT_EVENT,
	smcAlert: SMC_ALERT_RECORD,
	smcPretty: SMC_PRETTY_RECORD,
	smcElement: SMC_ELEMENT_CHANGE,
	vrniFlow: VRNI_FLOW_RESULT,
	generic: GENERIC_EVENT,
};

/** 1 MB of text: every preset must answer with a bounded message, quickly. */
export const ONE_MEGABYTE = 'A'.repeat(1024 * 1024);

/**
 * What an event's text can carry when someone controls it: a forged syslog record after CR LF,
 * terminal escapes, NUL, a bidi override, a lone surrogate, Slack mentions and links, HTML and
 * Markdown, wiki markup and a noformat terminator.
 */
export const HOSTILE_TEXT =
	'Link down\r\n<13>1 2026-01-01T00:00:00Z forged - - - - fake record\n' +
	'\u0000\u001b[31mred\u001b[0m \u202Egnp.exe\u202C \uD800 ' +
	'<!channel> <@U123> <https://evil.example|click me> *bold* _it_ ~s~ `code` &amp; ' +
	'<script>alert(1)</script><img src=x onerror=alert(2)> [link](https://evil.example) **b** ' +
	'{noformat}{color:red}x{color}|cell| !image.png! # heading';

export const HOSTILE_VCO_EVENT: IDataObject = {
	...VELOCLOUD_EVENT,
	message: HOSTILE_TEXT,
	edgeName: `edge\r\nforged ${'E'.repeat(400)}`,
	enterpriseName: ONE_MEGABYTE,
};

export const HOSTILE_ILLUMIO_EVENT: IDataObject = {
	...ILLUMIO_EVENT,
	created_by: { user: { href: '/users/9', username: HOSTILE_TEXT } },
	pce_fqdn: 'pce.example.com/"><script>',
	resource_changes: Array.from({ length: 5000 }, (_, index) => ({
		uuid: `c${index}`,
		resource: { ip_list: { href: `/orgs/1/sec_policy/draft/ip_lists/${index}`, name: `${HOSTILE_TEXT} ${index}` } },
		changes: null,
		change_type: 'create',
	})),
};
