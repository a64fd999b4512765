/**
 * Forcepoint (Stonesoft) SMC simulator: REST login with a JSESSIONID cookie (or, in token mode, an
 * Authorization token), entry points, element search and a few element resources, block-list
 * commands, and the websockets (log browsing, session monitoring, element-change notifications,
 * element status), as described in ../shared/api/smc.md. The unchanged smc-python 1.0.31 +
 * smc-python-monitoring 1.5.6 pass against it in both session modes at every version it offers.
 *
 * Choices where smc.md is silent: a wrong key or an unknown domain answers 401 with an SMC error
 * body {message, details}; REST without a live session answers 401; a websocket upgrade without a
 * live JSESSIONID is refused with HTTP 401 (404 for unknown paths or versions), open sockets survive
 * a session expiry; the notification ack is {"success":"Subscribed for notifications",
 * "subscription_id":N,"context":...}; an abort of a running fetch answers {"fetch":N,"end":"Fetch
 * aborted"} and an abort of an unknown one is ignored; a live log query streams only records that
 * arrive after it started; session snapshots that match nothing send no records message; the
 * server's default field_format is "name" (smc.md infers it); texts values are strings, detailed
 * and raw values are unconverted; BLACKLIST is refused on SMC >= 7.0 and BLOCK_LIST below it;
 * translated filters and Filter elements (expression filters) evaluate the subset of the filter
 * expression language in forcepointSmcFilterExpression.ts; cs_like is not simulated (failure).
 *
 * Token mode (sessionTracking "token", the SMC's "Use SSL for session ID"): login answers an
 * `Authorization` header and no cookie; REST calls are recognised by that header or by the
 * connection the login came through (smc-python reads entry points and logs out without the
 * header, relying on the server tracking its TLS session); websockets offer the subprotocols
 * `access_token` and the token, and the server echoes `access_token`.
 * Also guessed: `current_user` lives at /{ver}/system/current_user and answers {"value": <href of
 * the API client or administrator>}; engines carry a `block_list` link (API >= 7.0, `blacklist`
 * below) that takes {"entries":[...]}; in a combined format each part carries the entry's href
 * (smc-python reads block_list_href from the "bldata" part) while delta_key and first_fetch stay
 * beside the parts; /monitoring/log/schemas answers a JSON Schema of the log query message; the
 * status socket acknowledges {"success":"Subscribed for status","subscription_id":N} and then sends
 * one {"status":{...},"subscription_id":N} per matching engine.
 *
 * Control endpoints (besides the shared /__sim/faults, /__sim/reset, /__sim/stats):
 *   POST /__sim/smc/element-change {entryPoint, action, name?, id?}  notify subscribers
 *   POST /__sim/smc/logs           {count, backdateMs?}               add log records (live queries get them)
 *   POST /__sim/smc/session-change {definition, target, action, count?} push added/updated/deleted deltas
 *   POST /__sim/smc/drop-sockets                                      terminate every websocket abruptly
 *   POST /__sim/smc/expire-sessions                                   forget every login
 *   POST /__sim/smc/session-tracking {mode: "cookie" | "token"}       switch the session mode for later logins
 *   GET  /__sim/smc/state                                             counts for assertions
 */
import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import type { Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { compileFilterExpression, ipv4Matches, ipv4ToInt, type ExpressionContext } from './forcepointSmcFilterExpression';
import { SimulatorBase, json, lowerBound, parseCookies, pick, schemeOf, seededRandom, type SimRequest, type SimResponse } from './common';

export interface ForcepointSmcSimulatorOptions {
	seed: number;
	/** the API client's authentication key (24 characters in a real SMC) */
	apiKey: string;
	/** versions `GET /api` offers; every one of them is served */
	apiVersions: string[];
	/** the version `credentials()` hands out */
	apiVersion: string;
	/** the admin domain `credentials()` hands out */
	domain: string;
	/** every admin domain a login may name */
	domains: string[];
	/** product version behind `GET /{ver}/system/smc_version`; >= 7.0 speaks BLOCK_LIST, below BLACKLIST */
	smcVersion: string;
	/** stored log records generated at start (and again on reset) */
	logCount: number;
	/** the stored logs spread over this span, ending at `anchorMs` */
	logSpanMs: number;
	/** newest stored-log time (epoch ms); defaults to the construction time */
	anchorMs: number;
	/** CONNECTIONS entries per engine (the other session tables have fixed small sizes) */
	connectionCount: number;
	/** records per websocket message (smc-monitoring documents batches of at most 200) */
	batchSize: number;
	/** Tomcat's text buffer: a bigger client frame closes the socket with the buffer error */
	maxMessageBytes: number;
	/** when > 0, every trickleMs one log record and one element change happen */
	trickleMs: number;
	/** when > 0, a session idle for longer is forgotten (next call answers 401) */
	sessionIdleMs: number;
	/** "cookie" (JSESSIONID, the default) or "token" ("Use SSL for session ID": an Authorization token) */
	sessionTracking: 'cookie' | 'token';
	/** administrators `lms_login` accepts (login with user name and password, SMC >= 6.4) */
	admins: Array<{ login: string; password: string }>;
}

const DEFAULTS: Omit<ForcepointSmcSimulatorOptions, 'anchorMs'> = {
	seed: 1,
	apiKey: 'SmcSimKey0123456789abcde',
	apiVersions: ['6.5', '6.10', '7.0', '7.1'],
	apiVersion: '7.1',
	domain: 'Shared Domain',
	domains: ['Shared Domain', 'Branch Offices'],
	smcVersion: '7.1.2',
	logCount: 1000,
	logSpanMs: 24 * 3600 * 1000,
	connectionCount: 250,
	batchSize: 200,
	maxMessageBytes: 8192,
	trickleMs: 0,
	sessionIdleMs: 0,
	sessionTracking: 'cookie',
	admins: [{ login: 'n8n-admin', password: 'SmcSimAdminPass1' }],
};

/** Close reason Tomcat sends for an oversized text frame (smc.md §2.2). */
export const SMC_BUFFER_ERROR =
	'The decoded text message was too big for the output buffer and the endpoint does not support partial messages';

// ---------------------------------------------------------------------------------------------
// Log fields (smc.md §5). `name` is the field_format "name" key, `pretty` the Management Client
// label; labels other than the few smc.md quotes are plausible guesses.
// ---------------------------------------------------------------------------------------------

type FieldKind = 'time' | 'ip' | 'number' | 'string' | 'action' | 'protocol' | 'severity' | 'node';

interface FieldDef {
	id: number;
	name: string;
	pretty: string;
	kind: FieldKind;
}

export const SMC_FIELDS: readonly FieldDef[] = [
	{ id: 1, name: 'Timestamp', pretty: 'Creation Time', kind: 'time' },
	{ id: 2, name: 'LogId', pretty: 'Data Identifier', kind: 'number' },
	{ id: 4, name: 'NodeId', pretty: 'Sender', kind: 'node' },
	{ id: 6, name: 'Event', pretty: 'Event', kind: 'string' },
	{ id: 7, name: 'Src', pretty: 'Src Addr', kind: 'ip' },
	{ id: 8, name: 'Dst', pretty: 'Dst Addr', kind: 'ip' },
	{ id: 9, name: 'Sport', pretty: 'Src Port', kind: 'number' },
	{ id: 10, name: 'Dport', pretty: 'Dst Port', kind: 'number' },
	{ id: 11, name: 'Protocol', pretty: 'IP Protocol', kind: 'protocol' },
	{ id: 12, name: 'SrcIf', pretty: 'Source Interface', kind: 'number' },
	{ id: 13, name: 'DstIf', pretty: 'Destination Interface', kind: 'number' },
	{ id: 14, name: 'Action', pretty: 'Action', kind: 'action' },
	{ id: 15, name: 'NatSrc', pretty: 'NAT Src', kind: 'ip' },
	{ id: 19, name: 'InfoMsg', pretty: 'Information Message', kind: 'string' },
	{ id: 20, name: 'RuleId', pretty: 'Rule Tag', kind: 'string' },
	{ id: 22, name: 'Facility', pretty: 'Facility', kind: 'string' },
	{ id: 23, name: 'Type', pretty: 'Type', kind: 'string' },
	{ id: 24, name: 'ReceptionTime', pretty: 'Reception Time', kind: 'time' },
	{ id: 27, name: 'Service', pretty: 'Service', kind: 'string' },
	{ id: 34, name: 'DataType', pretty: 'Data Type', kind: 'number' },
	{ id: 38, name: 'SenderDomain', pretty: 'Sender Domain', kind: 'string' },
	{ id: 46, name: 'SrcZone', pretty: 'Source Zone', kind: 'string' },
	{ id: 47, name: 'DstZone', pretty: 'Destination Zone', kind: 'string' },
	{ id: 104, name: 'AccElapsed', pretty: 'Elapsed Time', kind: 'number' },
	{ id: 105, name: 'AccTxBytes', pretty: 'Bytes Sent', kind: 'number' },
	{ id: 106, name: 'AccRxBytes', pretty: 'Bytes Received', kind: 'number' },
	{ id: 108, name: 'AuthName', pretty: 'Auth. User', kind: 'string' },
	{ id: 113, name: 'DstVlan', pretty: 'Destination VLAN', kind: 'number' },
	{ id: 116, name: 'State', pretty: 'State', kind: 'string' },
	{ id: 117, name: 'BlacklistEntryId', pretty: 'Blacklist Entry ID', kind: 'string' },
	{ id: 118, name: 'BlacklistEntrySourceIp', pretty: 'Blacklist Entry Source', kind: 'ip' },
	{ id: 119, name: 'BlacklistEntrySourceIpMask', pretty: 'Blacklist Entry Source Mask', kind: 'ip' },
	{ id: 120, name: 'BlacklistEntryDestinationIp', pretty: 'Blacklist Entry Destination', kind: 'ip' },
	{ id: 121, name: 'BlacklistEntryDestinationIpMask', pretty: 'Blacklist Entry Destination Mask', kind: 'ip' },
	{ id: 122, name: 'BlacklistEntryProtocol', pretty: 'Blacklist Entry Protocol', kind: 'protocol' },
	{ id: 123, name: 'BlacklistEntrySourcePort', pretty: 'Blacklist Entry Source Port', kind: 'number' },
	{ id: 124, name: 'BlacklistEntrySourcePortRange', pretty: 'Blacklist Entry Source Port Range', kind: 'number' },
	{ id: 125, name: 'BlacklistEntryDestinationPort', pretty: 'Blacklist Entry Destination Port', kind: 'number' },
	{ id: 126, name: 'BlacklistEntryDestinationPortRange', pretty: 'Blacklist Entry Destination Port Range', kind: 'number' },
	{ id: 127, name: 'BlacklistEntryDuration', pretty: 'Blacklist Entry Duration', kind: 'number' },
	{ id: 128, name: 'Blacklister', pretty: 'Blacklister', kind: 'string' },
	{ id: 134, name: 'IpsAppId', pretty: 'Network Application', kind: 'string' },
	{ id: 160, name: 'RouteNetwork', pretty: 'Network', kind: 'ip' },
	{ id: 161, name: 'RouteNetmask', pretty: 'Netmask', kind: 'number' },
	{ id: 163, name: 'RouteMetric', pretty: 'Metric', kind: 'number' },
	{ id: 164, name: 'RouteGateway', pretty: 'Gateway', kind: 'ip' },
	{ id: 165, name: 'RouteType', pretty: 'Route Type', kind: 'string' },
	{ id: 172, name: 'BlacklistEntrySourceIpPrefixlen', pretty: 'Blacklist Entry Source Prefix Length', kind: 'number' },
	{ id: 173, name: 'BlacklistEntryDestinationIpPrefixlen', pretty: 'Blacklist Entry Destination Prefix Length', kind: 'number' },
	{ id: 302, name: 'SessionEvent', pretty: 'Session Event', kind: 'number' },
	{ id: 485, name: 'DataTags', pretty: 'Data Tags', kind: 'string' },
	{ id: 501, name: 'VpnId', pretty: 'VPN', kind: 'string' },
	{ id: 502, name: 'SecurityGateway', pretty: 'Gateway', kind: 'string' },
	{ id: 504, name: 'Endpoint', pretty: 'Endpoint', kind: 'ip' },
	{ id: 505, name: 'PeerSecurityGateway', pretty: 'Peer Gateway', kind: 'string' },
	{ id: 506, name: 'PeerEndpoint', pretty: 'Peer Endpoint', kind: 'ip' },
	{ id: 534, name: 'ExpirationTime', pretty: 'Expiration Time', kind: 'time' },
	{ id: 535, name: 'SaClass', pretty: 'SA Type', kind: 'string' },
	{ id: 536, name: 'CipherAlg', pretty: 'Cipher Algorithm', kind: 'string' },
	{ id: 539, name: 'NegotiationRole', pretty: 'Negotiation Role', kind: 'string' },
	{ id: 601, name: 'LongMsg', pretty: 'Long Message', kind: 'string' },
	{ id: 602, name: 'AlertSeverity', pretty: 'Severity', kind: 'severity' },
	{ id: 603, name: 'AlertCount', pretty: 'Alert Count', kind: 'number' },
	{ id: 604, name: 'AlertStatus', pretty: 'Alert Status', kind: 'string' },
	{ id: 809, name: 'SslVpnSessionMonReceived', pretty: 'Session Start', kind: 'time' },
	{ id: 810, name: 'SslVpnSessionMonTimeout', pretty: 'Session Expiration', kind: 'time' },
	// ids as smc-python-monitoring's LogField numbers them (interface 733 ... state 737)
	{ id: 733, name: 'NeighborInterface', pretty: 'Neighbor Interface', kind: 'string' },
	{ id: 734, name: 'NeighborProtocol', pretty: 'Neighbor Protocol', kind: 'string' },
	{ id: 735, name: 'NeighborL3Data', pretty: 'Neighbor L3 Data', kind: 'string' },
	{ id: 736, name: 'NeighborL2Data', pretty: 'Neighbor L2 Data', kind: 'string' },
	{ id: 737, name: 'NeighborState', pretty: 'Neighbor State', kind: 'string' },
	{ id: 1000, name: 'Situation', pretty: 'Situation', kind: 'string' },
	{ id: 3000, name: 'IkeCookie', pretty: 'IKE Cookie', kind: 'string' },
	{ id: 3001, name: 'UserName', pretty: 'User', kind: 'string' },
	{ id: 3003, name: 'IdService', pretty: 'ID Service', kind: 'string' },
	{ id: 12200, name: 'NumBytesSent', pretty: 'Bytes Sent', kind: 'number' },
	{ id: 12201, name: 'NumBytesReceived', pretty: 'Bytes Received', kind: 'number' },
	{ id: 20000, name: 'VulnerabilityReferences', pretty: 'Vulnerability References', kind: 'string' },
	{ id: 20007, name: 'SrcAddrs', pretty: 'Source Addresses', kind: 'string' },
	{ id: 20008, name: 'DstAddrs', pretty: 'Destination Addresses', kind: 'string' },
];

const FIELD_BY_ID = new Map(SMC_FIELDS.map((field) => [field.id, field]));
const FIELD_BY_NAME = new Map(SMC_FIELDS.map((field) => [field.name.toLowerCase(), field]));

/** LogField ids used in code. */
export const F = {
	TIMESTAMP: 1, LOGID: 2, NODEID: 4, EVENT: 6, SRC: 7, DST: 8, SPORT: 9, DPORT: 10, PROTOCOL: 11,
	SRCIF: 12, DSTIF: 13, ACTION: 14, NATSRC: 15, INFOMSG: 19, RULEID: 20, FACILITY: 22, TYPE: 23,
	RECEPTIONTIME: 24, SERVICE: 27, DATATYPE: 34, SENDERDOMAIN: 38, SRCZONE: 46, DSTZONE: 47,
	ACCELAPSED: 104, ACCTXBYTES: 105, ACCRXBYTES: 106, AUTHNAME: 108, DSTVLAN: 113, STATE: 116,
	BLENTRYID: 117, BLSRC: 118, BLSRCMASK: 119, BLDST: 120, BLDSTMASK: 121, BLPROTO: 122, BLSPORT: 123,
	BLSPORTRANGE: 124, BLDPORT: 125, BLDPORTRANGE: 126, BLDURATION: 127, BLACKLISTER: 128, IPSAPPID: 134,
	ROUTENETWORK: 160, ROUTENETMASK: 161, ROUTEMETRIC: 163, ROUTEGATEWAY: 164, ROUTETYPE: 165,
	BLSRCPREFIXLEN: 172, BLDSTPREFIXLEN: 173,
	SESSIONEVENT: 302, DATATAGS: 485, VPNID: 501, SECURITYGATEWAY: 502, ENDPOINT: 504,
	PEERSECURITYGATEWAY: 505, PEERENDPOINT: 506, EXPIRATIONTIME: 534, SACLASS: 535, CIPHERALG: 536,
	NEGOTIATIONROLE: 539, LONGMSG: 601, ALERTSEVERITY: 602, ALERTCOUNT: 603, ALERTSTATUS: 604,
	SSLVPNRECEIVED: 809, SSLVPNTIMEOUT: 810, NEIGHBORINTERFACE: 733, NEIGHBORPROTOCOL: 734, NEIGHBORL3DATA: 735,
	NEIGHBORL2DATA: 736, NEIGHBORSTATE: 737, SITUATION: 1000, IKECOOKIE: 3000, USERNAME: 3001,
	IDSERVICE: 3003, NUMBYTESSENT: 12200, NUMBYTESRECEIVED: 12201, VULNREFS: 20000, SRCADDRS: 20007,
	DSTADDRS: 20008,
} as const;

/** smc_monitoring constants (smc.md §5). */
const ACTION_NAMES: Record<number, string> = {
	0: 'Discard', 1: 'Allow', 2: 'Refuse', 4: 'Discard (passive)', 8: 'Terminate (passive)', 9: 'Terminate',
	10: 'Terminate (failed)', 11: 'Permit', 12: 'Terminate (reset)', 13: 'Block',
};
const SEVERITY_NAMES: Record<number, string> = { 1: 'Info', 3: 'Low', 5: 'High', 10: 'Critical' };
const PROTOCOL_NAMES: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 50: 'ESP' };
const PROTOCOL_NUMBERS: Record<string, number> = { ICMP: 1, TCP: 6, UDP: 17, ESP: 50 };

/** Fields and value names a filter expression ($Src, $Protocol == "TCP"...) refers to. */
const EXPRESSION_CONTEXT: ExpressionContext = {
	field: (name) => FIELD_BY_NAME.get(name),
	names: { action: ACTION_NAMES, severity: SEVERITY_NAMES, protocol: PROTOCOL_NAMES },
};

type FieldValue = string | number;

/** One log or session-monitoring record: typed field values by LogField id, plus per-entry keys. */
export interface SmcRecord {
	fields: Record<number, FieldValue>;
	/** keys sent beside the formatted fields (delta_key, block_list_href, first_fetch...) */
	meta: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Engines, elements and session definitions
// ---------------------------------------------------------------------------------------------

interface Engine {
	name: string;
	type: 'single_fw' | 'fw_cluster';
	id: number;
	domain: string;
	nodes: Array<{ name: string; ip: string }>;
}

const ENGINES: readonly Engine[] = [
	{ name: 'Plano FW', type: 'single_fw', id: 1649, domain: 'Shared Domain', nodes: [{ name: 'Plano FW node 1', ip: '192.168.1.1' }] },
	{
		name: 'Helsinki Cluster',
		type: 'fw_cluster',
		id: 1702,
		domain: 'Shared Domain',
		nodes: [
			{ name: 'Helsinki Cluster node 1', ip: '10.10.0.1' },
			{ name: 'Helsinki Cluster node 2', ip: '10.10.0.2' },
		],
	},
	{ name: 'Branch FW', type: 'single_fw', id: 1811, domain: 'Branch Offices', nodes: [{ name: 'Branch FW node 1', ip: '192.168.50.1' }] },
];
const NODE_NAMES = new Map(ENGINES.flatMap((engine) => engine.nodes.map((node) => [node.ip, node.name] as const)));

/** Entry points `GET /{ver}/api` lists: element rels (also notification contexts) and a few others. */
const ELEMENT_RELS = [
	'host', 'network', 'address_range', 'router', 'domain_name', 'group', 'tcp_service', 'udp_service',
	'icmp_service', 'service_group', 'single_fw', 'fw_cluster', 'virtual_fw', 'single_layer2', 'single_ips',
	'fw_policy', 'layer2_policy', 'ips_policy', 'inspection_template_policy', 'sub_ipv4_fw_policy',
	'admin_domain', 'log_server', 'mgt_server', 'api_client', 'admin_user', 'vpn', 'filter_expression',
] as const;
const OTHER_RELS: ReadonlyArray<[string, string, string]> = [
	['login', 'login', 'POST'],
	['lms_login', 'lms_login', 'POST'],
	['logout', 'logout', 'PUT'],
	['system', 'system', 'GET'],
	['current_user', 'system/current_user', 'GET'],
	['elements', 'elements', 'GET'],
	['engine_clusters', 'elements/engine_clusters', 'GET'],
];

/** Engine element types (the `engine_clusters` collection). */
const ENGINE_TYPES = ['single_fw', 'fw_cluster', 'virtual_fw', 'single_layer2', 'single_ips'] as const;

/** Collections `filter_context` (and `/elements/<collection>`) accept besides single element types. */
const ELEMENT_COLLECTIONS: Readonly<Record<string, readonly string[]>> = {
	engine_clusters: ENGINE_TYPES,
	fw_clusters: ['fw_cluster'],
	network_elements: ['host', 'network', 'address_range', 'router', 'domain_name', 'group'],
	services: ['tcp_service', 'udp_service', 'icmp_service', 'service_group'],
	services_and_applications: ['tcp_service', 'udp_service', 'icmp_service', 'service_group'],
};

interface SmcElement {
	id: number;
	type: string;
	name: string;
	/** type-specific attributes (address, ipv4_network, ip_range...) */
	attributes: Record<string, unknown>;
	comment: string;
	/** bumped on every update, served as ETag */
	revision: number;
}

/**
 * Filter elements (`filter_expression`) an `{"type":"expression","href"}` filter may name, with the
 * expression each stands for. The first is the one smc-python's examples/monitoring/logs.py uses; the
 * REST shape of a real Filter element is not documented, so `expression` is this simulator's [choice].
 */
const FILTER_ELEMENTS: ReadonlyArray<[string, string]> = [
	['Inspection and Packet Filter Facility', '$Facility == "Inspection" OR $Facility == "Packet Filtering"'],
	['Discarded Traffic', '$Action == "Discard" OR $Action == "Block"'],
];

/** Session-monitoring definitions this simulator serves (smc.md §3.2). */
const SESSION_DEFINITIONS = ['CONNECTIONS', 'BLOCK_LIST', 'BLACKLIST', 'ROUTING', 'USERS', 'SSLVPNV2', 'VPN_SA', 'ACTIVE_ALERTS', 'NEIGHBORS'] as const;
type SessionDefinition = (typeof SESSION_DEFINITIONS)[number];

const NOTIFICATION_ACTIONS = ['create', 'update', 'delete', 'trashed', 'untrashed', 'validating', 'validated'] as const;
export type SmcElementAction = (typeof NOTIFICATION_ACTIONS)[number];

/**
 * One change of what the SMC holds, as a journal keeps it (see journal.ts): a log record added, an
 * element created, updated or deleted, session-table entries added, updated or removed, or a reset.
 * Contents come from seeded streams keyed by ids, so the records replayed in order (`restoreChanges`)
 * rebuild the same logs, elements and entries, and what comes after them takes new ids.
 */
export type SmcChangeRecord =
	| { kind: 'log'; logId: number; time: number }
	| {
			kind: 'element';
			entryPoint: string;
			action: 'create' | 'update' | 'delete';
			id: number;
			name: string;
			/** the trickle's position after this change, when the trickle made it */
			trickleStep?: number;
	  }
	| { kind: 'sessionAdd'; definition: string; target: string; time: number; count: number; blockEntries?: BlockEntry[] }
	| { kind: 'sessionUpdate' | 'sessionDelete'; definition: string; target: string; time: number; deltaKeys: string[] }
	| { kind: 'reset' };

// ---------------------------------------------------------------------------------------------
// Websocket state
// ---------------------------------------------------------------------------------------------

type SocketKind = 'log' | 'session' | 'notification' | 'status';

interface SmcSession {
	/** the JSESSIONID cookie, or in token mode the Authorization token */
	id: string;
	domain: string;
	lastUsed: number;
	/** element path of who logged in (the API client, or the administrator for lms_login) */
	user: string;
}

interface SmcSocket {
	ws: WebSocket;
	kind: SocketKind;
	apiVersion: string;
	/** scheme://host:port the client connected to, used in element hrefs */
	base: string;
	sessionId: string;
	fetches: Map<number, ActiveFetch>;
	/** a query or format sent without fetch, used by a later `{"fetch":{}}` (smc.md §3.1) */
	pendingQuery?: Record<string, unknown>;
	pendingFormat?: Record<string, unknown>;
	subscriptions: Map<number, { context: string; rels: Set<string> | 'all' }>;
	nextSubscriptionId: number;
}

/** Where a request or upgrade may carry its session (smc.md §1.2, §2.2). */
interface SessionCarrier {
	headers: http.IncomingHttpHeaders;
	socket: Socket;
}

interface ActiveFetch {
	id: number;
	socket: SmcSocket;
	mode: 'stored' | 'current' | 'session';
	predicate: Predicate;
	format: Record<string, unknown>;
	/** session queries: table key `${definition}|${target}` */
	tableKey?: string;
	cancelled: boolean;
}

interface SessionTable {
	/** `${kind}|${target}`: BLACKLIST and BLOCK_LIST name the same engine table */
	key: string;
	definition: SessionDefinition;
	target: string;
	entries: Map<string, SmcRecord>;
	nextKey: number;
}

type Predicate = (record: SmcRecord) => boolean;

class FilterError extends Error {}

export class ForcepointSmcSimulator extends SimulatorBase {
	readonly options: ForcepointSmcSimulatorOptions;
	private random: () => number;
	private readonly sessions = new Map<string, SmcSession>();
	private readonly clients = new Set<SmcSocket>();
	private readonly wss = new WebSocketServer({
		noServer: true,
		perMessageDeflate: false,
		maxPayload: 16 * 1024 * 1024,
		// Token mode: the client offers `access_token` and the token; echo the fixed name, never the secret.
		handleProtocols: (protocols) => (protocols.has('access_token') ? 'access_token' : false),
	});
	/** token mode: the session a keep-alive connection logged in with (stands in for the TLS session) */
	private readonly connectionSessions = new WeakMap<Socket, string>();
	private elements = new Map<string, Map<number, SmcElement>>();
	private nextElementId = 1732;
	/** stored logs, oldest first */
	private logs: SmcRecord[] = [];
	private nextLogId = 1;
	private tables = new Map<string, SessionTable>();
	private trickleStep = 0;
	/** told of every change of logs, elements and session tables, e.g. to journal it across restarts */
	onChange?: (record: SmcChangeRecord) => void;

	constructor(options?: Partial<ForcepointSmcSimulatorOptions>) {
		super('forcepoint-smc');
		this.options = { ...DEFAULTS, anchorMs: Date.now(), ...options };
		this.random = seededRandom(this.options.seed);
		this.buildState();
		this.registerRoutes();
	}

	credentials(): { url: string; apiKey: string; apiVersion: string; domain: string } {
		return { url: this.url, apiKey: this.options.apiKey, apiVersion: this.options.apiVersion, domain: this.options.domain };
	}

	override async stop(): Promise<void> {
		for (const socket of this.clients) socket.ws.terminate();
		this.clients.clear();
		await new Promise<void>((resolve) => this.wss.close(() => resolve()));
		await super.stop();
	}

	// ------------------------------------------------------------------ in-process controls

	/** Logs every session out; REST calls answer 401 and socket upgrades are refused until a new login. */
	expireAllSessions(): void {
		this.sessions.clear();
	}

	/** Live REST sessions (logins not yet logged out or expired). */
	get sessionCount(): number {
		return this.sessions.size;
	}

	/** Number of open websockets, by kind. */
	socketCounts(): Record<SocketKind, number> {
		const counts: Record<SocketKind, number> = { log: 0, session: 0, notification: 0, status: 0 };
		for (const socket of this.clients) counts[socket.kind] += 1;
		return counts;
	}

	/** Running fetches by mode and notification subscriptions, for clients that wait for a query to be live. */
	activity(): { fetches: Record<ActiveFetch['mode'], number>; subscriptions: number } {
		const fetches: Record<ActiveFetch['mode'], number> = { stored: 0, current: 0, session: 0 };
		let subscriptions = 0;
		for (const socket of this.clients) {
			for (const fetch of socket.fetches.values()) fetches[fetch.mode] += 1;
			if (socket.kind === 'notification') subscriptions += socket.subscriptions.size;
		}
		return { fetches, subscriptions };
	}

	/** Closes every websocket without a close frame (a network drop mid-stream). */
	dropSockets(): number {
		const count = this.clients.size;
		for (const socket of this.clients) socket.ws.terminate();
		this.clients.clear();
		return count;
	}

	/** Every stored log record, oldest first (copies). */
	storedLogs(): SmcRecord[] {
		return this.logs.map((record) => structuredClone(record));
	}

	/** Every element, by type then id (copies). */
	elementList(): Array<{ type: string; id: number; name: string; attributes: Record<string, unknown>; comment: string; revision: number }> {
		return [...this.elements.keys()]
			.sort()
			.flatMap((type) => [...this.store(type).values()].sort((a, b) => a.id - b.id).map((element) => structuredClone(element)));
	}

	/** The entries of a session-monitoring table by delta key (copies), or undefined for no such table. */
	sessionEntries(definition: string, target: string): Record<string, SmcRecord> | undefined {
		const table = this.table(definition as SessionDefinition, target);
		return table && Object.fromEntries([...table.entries].map(([key, record]) => [key, structuredClone(record)]));
	}

	/** Adds `count` log records stamped now (minus backdateMs) and streams them to live log queries. */
	addLogs(count: number, backdateMs = 0): SmcRecord[] {
		const time = Date.now() - backdateMs;
		const added: SmcRecord[] = [];
		for (let i = 0; i < count; i++) {
			const change: SmcChangeRecord = { kind: 'log', logId: this.nextLogId, time };
			added.push(this.applyLog(change));
			this.onChange?.(change);
		}
		// Every message is rendered before the first goes out, so a reader's throughput is not the renderer's.
		const outgoing: Array<[SmcSocket, string]> = [];
		for (const socket of this.clients) {
			for (const fetch of socket.fetches.values()) {
				if (fetch.mode !== 'current' || fetch.cancelled) continue;
				const matching = added.filter(fetch.predicate);
				for (let i = 0; i < matching.length; i += this.options.batchSize) {
					const batch = matching.slice(i, i + this.options.batchSize).map((record) => renderRecord(record, fetch.format, socket));
					outgoing.push([socket, JSON.stringify({ fetch: fetch.id, records: batch })]);
				}
			}
		}
		for (const [socket, text] of outgoing) if (socket.ws.readyState === WebSocket.OPEN) socket.ws.send(text);
		return added;
	}

	/**
	 * Creates, updates or deletes an element of `entryPoint` (or emits another notification action)
	 * and tells every matching subscription. Returns the element href path and how many events went out.
	 */
	elementChange(
		entryPoint: string,
		action: SmcElementAction,
		name?: string,
		id?: number,
	): { entryPoint: string; action: SmcElementAction; id: number; name: string; path: string; delivered: number } {
		if (!(ELEMENT_RELS as readonly string[]).includes(entryPoint)) throw new Error(`unknown entry point ${entryPoint}`);
		if (!(NOTIFICATION_ACTIONS as readonly string[]).includes(action)) throw new Error(`unknown action ${action}`);
		return this.changeElement(entryPoint, action, name, id);
	}

	private changeElement(
		entryPoint: string,
		action: SmcElementAction,
		name?: string,
		id?: number,
		trickleStep?: number,
	): { entryPoint: string; action: SmcElementAction; id: number; name: string; path: string; delivered: number } {
		const store = this.store(entryPoint);
		let element: SmcElement | undefined;
		if (action === 'create') {
			element = { id: this.nextElementId, type: entryPoint, name: name ?? `${entryPoint}-${this.nextElementId}`, attributes: {}, comment: '', revision: 1 };
		} else {
			element =
				id !== undefined
					? store.get(id)
					: name !== undefined
						? [...store.values()].find((candidate) => candidate.name === name)
						: [...store.values()].at(-1);
			if (!element) throw new Error(`no ${entryPoint} element ${id ?? name ?? ''} to ${action}`);
		}
		// The other actions (trashed, validated...) only notify: nothing to keep.
		if (action === 'create' || action === 'update' || action === 'delete') {
			const change: SmcChangeRecord = { kind: 'element', entryPoint, action, id: element.id, name: element.name, ...(trickleStep === undefined ? {} : { trickleStep }) };
			element = this.applyElementChange(change);
			this.onChange?.(change);
		}
		const path = `/elements/${entryPoint}/${element.id}`;
		let delivered = 0;
		for (const socket of this.clients) {
			if (socket.kind !== 'notification') continue;
			const href = `${socket.base}/${socket.apiVersion}${path}`;
			for (const [subscriptionId, subscription] of socket.subscriptions) {
				if (subscription.rels !== 'all' && !subscription.rels.has(entryPoint)) continue;
				const event = { type: action, element: href };
				// API <= 6.5 wraps events in a list; newer versions send one `event` (smc.md §4).
				this.sendJson(
					socket,
					compareVersions(socket.apiVersion, '6.5') <= 0
						? { events: [event], subscription_id: subscriptionId }
						: { event, subscription_id: subscriptionId },
				);
				delivered += 1;
			}
		}
		return { entryPoint, action, id: element.id, name: element.name, path, delivered };
	}

	/**
	 * Adds, updates or removes entries of a session-monitoring table and streams the delta to the
	 * live session queries on it. Returns the affected records.
	 */
	sessionChange(definition: string, target: string, action: 'add' | 'update' | 'delete', count = 1): SmcRecord[] {
		const table = this.table(definition as SessionDefinition, target);
		if (!table) throw new Error(`no session table ${definition} on ${target}`);
		const time = Date.now();
		const change: SmcChangeRecord =
			action === 'add'
				? { kind: 'sessionAdd', definition: table.definition, target, time, count }
				: { kind: action === 'update' ? 'sessionUpdate' : 'sessionDelete', definition: table.definition, target, time, deltaKeys: [...table.entries.keys()].slice(0, count) };
		const changed = this.applySessionChange(change);
		this.onChange?.(change);
		const bucket = action === 'add' ? 'added' : action === 'update' ? 'updated' : 'deleted';
		this.pushDelta(table.key, bucket, changed);
		return changed;
	}

	/**
	 * Puts back the changes of an earlier run, in the order they happened (see SmcChangeRecord): the same
	 * log records, elements and session entries, and what comes after them takes new ids.
	 */
	restoreChanges(records: readonly SmcChangeRecord[]): void {
		for (const record of records) {
			if (record.kind === 'log') this.applyLog(record);
			else if (record.kind === 'element') {
				this.applyElementChange(record);
				if (record.trickleStep !== undefined) this.trickleStep = record.trickleStep;
			} else if (record.kind === 'reset') this.buildState();
			else this.applySessionChange(record);
		}
	}

	/** Adds one log record, its content a function of its id: a journal keeps only the id and time. */
	private applyLog(change: Extract<SmcChangeRecord, { kind: 'log' }>): SmcRecord {
		const record = this.makeLog(seededRandom(hashString(`${this.options.seed}/log/${change.logId}`)), change.time, change.logId);
		this.nextLogId = Math.max(this.nextLogId, change.logId + 1);
		// Back-dated records land in their place in time so stored queries see them in order.
		const index = lowerBound(this.logs, change.time + 1, (item) => item.fields[F.TIMESTAMP] as number);
		this.logs.splice(index, 0, record);
		return record;
	}

	/** Creates, updates or deletes one element; a created one's attributes are a function of its id. */
	private applyElementChange(change: Extract<SmcChangeRecord, { kind: 'element' }>): SmcElement {
		const store = this.store(change.entryPoint);
		if (change.action === 'create') {
			const attributes = defaultAttributes(change.entryPoint, seededRandom(hashString(`${this.options.seed}/element/${change.id}`)));
			const created: SmcElement = { id: change.id, type: change.entryPoint, name: change.name, attributes, comment: '', revision: 1 };
			this.putElement(created);
			this.nextElementId = Math.max(this.nextElementId, change.id + 1);
			return created;
		}
		const element = store.get(change.id);
		if (!element) throw new Error(`no ${change.entryPoint} element ${change.id} to ${change.action}`);
		if (change.action === 'update') {
			element.revision += 1;
			element.comment = `updated ${element.revision}`;
		} else {
			store.delete(element.id);
		}
		return element;
	}

	/** Adds, updates or removes session-table entries; returns them as the delta sends them. */
	private applySessionChange(change: Extract<SmcChangeRecord, { kind: 'sessionAdd' | 'sessionUpdate' | 'sessionDelete' }>): SmcRecord[] {
		const table = this.table(change.definition as SessionDefinition, change.target);
		if (!table) throw new Error(`no session table ${change.definition} on ${change.target}`);
		if (change.kind === 'sessionAdd') {
			const count = change.blockEntries?.length ?? change.count;
			return Array.from({ length: count }, (_, index) => this.addSessionEntry(table, change.time, false, undefined, change.blockEntries?.[index]));
		}
		const changed: SmcRecord[] = [];
		for (const key of change.deltaKeys) {
			const entry = table.entries.get(key);
			if (!entry) throw new Error(`no entry ${key} in session table ${table.key}`);
			const next: SmcRecord = {
				fields: { ...entry.fields, [F.SESSIONEVENT]: change.kind === 'sessionUpdate' ? 2 : 3, [F.TIMESTAMP]: change.time },
				meta: { ...entry.meta },
			};
			delete next.meta.first_fetch;
			if (change.kind === 'sessionUpdate') {
				// Traffic counters grow between updates, where the definition has them.
				for (const counter of [F.ACCTXBYTES, F.NUMBYTESSENT]) {
					const sent = next.fields[counter];
					if (typeof sent === 'number') next.fields[counter] = sent + 4096;
				}
				table.entries.set(key, next);
			} else {
				table.entries.delete(key);
			}
			changed.push(next);
		}
		return changed;
	}

	// ------------------------------------------------------------------ state

	/** Elements and stored logs as at start (the same for a seed and anchor). */
	private buildState(): void {
		this.elements = new Map();
		this.nextElementId = 1732;
		this.tables = new Map();
		const seedElements: Array<[string, string, Record<string, unknown>, number?]> = [
			['host', 'DNS Server 1', { address: '10.0.0.53' }],
			['host', 'Mail Relay', { address: '10.0.1.25' }],
			['host', 'Web Frontend', { address: '172.16.10.80' }],
			['host', 'Jump Host', { address: '10.0.5.22' }],
			['host', 'Syslog Collector', { address: '10.0.9.14' }],
			['network', 'Internal Network', { ipv4_network: '10.0.0.0/16' }],
			['network', 'DMZ Network', { ipv4_network: '172.16.10.0/24' }],
			['network', 'Branch LAN', { ipv4_network: '192.168.50.0/24' }],
			['address_range', 'DHCP Pool', { ip_range: '10.0.100.10-10.0.100.250' }],
			['router', 'ISP Router', { address: '203.0.113.1' }],
			['tcp_service', 'HTTPS-8443', { min_dst_port: 8443, max_dst_port: 8443 }],
			['udp_service', 'Syslog-5514', { min_dst_port: 5514, max_dst_port: 5514 }],
			['fw_policy', 'Corporate Policy', {}],
			['fw_policy', 'Branch Policy', {}],
			['layer2_policy', 'L2 Default Policy', {}],
			['log_server', 'LogServer 10.0.0.10', { address: '10.0.0.10' }],
			['mgt_server', 'Management Server', { address: '10.0.0.9' }],
			['api_client', 'n8n', {}],
		];
		let id = 1600;
		for (const [type, name, attributes] of seedElements) this.putElement({ id: id++, type, name, attributes, comment: '', revision: 1 });
		for (const engine of ENGINES) {
			this.putElement({ id: engine.id, type: engine.type, name: engine.name, attributes: { nodes: engine.nodes.map((node) => node.name) }, comment: '', revision: 1 });
		}
		for (const domain of this.options.domains) this.putElement({ id: id++, type: 'admin_domain', name: domain, attributes: {}, comment: '', revision: 1 });
		for (const admin of this.options.admins) this.putElement({ id: id++, type: 'admin_user', name: admin.login, attributes: { superuser: true }, comment: '', revision: 1 });
		// ids of their own, so the elements above keep theirs
		FILTER_ELEMENTS.forEach(([name, expression], index) => {
			this.putElement({ id: 1690 + index, type: 'filter_expression', name, attributes: { expression }, comment: '', revision: 1 });
		});

		const logRandom = seededRandom(this.options.seed ^ 0x51ed);
		const end = this.options.anchorMs;
		const start = end - this.options.logSpanMs;
		this.logs = [];
		this.nextLogId = 1;
		const times = Array.from({ length: this.options.logCount }, () => Math.floor(start + logRandom() * (end - start))).sort((a, b) => a - b);
		for (const time of times) this.logs.push(this.makeLog(logRandom, time, this.nextLogId++));
	}

	protected override resetState(): void {
		this.buildState();
		this.onChange?.({ kind: 'reset' });
	}

	protected override expireSessions(): void {
		this.expireAllSessions();
	}

	private store(type: string): Map<number, SmcElement> {
		let store = this.elements.get(type);
		if (!store) {
			store = new Map();
			this.elements.set(type, store);
		}
		return store;
	}

	private putElement(element: SmcElement): void {
		this.store(element.type).set(element.id, element);
	}

	private makeLog(random: () => number, time: number, logId: number): SmcRecord {
		const engine = pick(random, ENGINES);
		const node = pick(random, engine.nodes);
		const service = pick(random, SERVICES);
		const alert = random() < 0.08;
		const action = alert ? pick(random, [0, 13]) : pick(random, [1, 1, 1, 1, 0, 2, 11]);
		const fields: Record<number, FieldValue> = {
			[F.TIMESTAMP]: time,
			[F.RECEPTIONTIME]: time + Math.floor(random() * 1500),
			[F.LOGID]: logId,
			[F.NODEID]: node.ip,
			[F.SENDERDOMAIN]: engine.domain,
			[F.DATATYPE]: alert ? 3 : 1,
			[F.FACILITY]: alert ? 'Inspection' : 'Packet Filtering',
			[F.TYPE]: alert ? 'Alert' : 'Notification',
			[F.SRC]: internalIp(random),
			[F.DST]: random() < 0.5 ? internalIp(random) : externalIp(random),
			[F.SPORT]: 1024 + Math.floor(random() * 64000),
			[F.DPORT]: service.port,
			[F.PROTOCOL]: PROTOCOL_NUMBERS[service.protocol],
			[F.SERVICE]: service.name,
			[F.ACTION]: action,
			[F.RULEID]: `@${2097152 + Math.floor(random() * 40)}.${Math.floor(random() * 3)}`,
			[F.SRCIF]: 0,
			[F.DSTIF]: 1,
			[F.SRCZONE]: 'Internal',
			[F.DSTZONE]: pick(random, ['External', 'DMZ', 'Internal']),
			[F.IPSAPPID]: service.app,
			[F.EVENT]: action === 1 || action === 11 ? 'New connection' : 'Connection discarded',
		};
		if (alert) {
			fields[F.ALERTSEVERITY] = pick(random, [1, 3, 5, 10]);
			fields[F.SITUATION] = pick(random, SITUATIONS);
			fields[F.INFOMSG] = 'Situation matched an Inspection rule';
		}
		if (random() < 0.1) fields[F.AUTHNAME] = pick(random, USERS);
		return { fields, meta: {} };
	}

	// ------------------------------------------------------------------ session tables

	private table(definition: SessionDefinition, target: string): SessionTable | undefined {
		const kind = definition === 'BLACKLIST' ? 'BLOCK_LIST' : definition;
		const key = `${kind}|${target}`;
		const existing = this.tables.get(key);
		if (existing) return existing;
		if (kind === 'ACTIVE_ALERTS') {
			if (!this.options.domains.includes(target)) return undefined;
		} else if (!ENGINES.some((engine) => engine.name === target)) {
			return undefined;
		}
		const table: SessionTable = { key, definition, target, entries: new Map(), nextKey: 1 };
		const random = seededRandom(this.options.seed ^ hashString(key));
		const size: Record<string, number> = {
			CONNECTIONS: this.options.connectionCount, BLOCK_LIST: 12, ROUTING: 8, USERS: 10, SSLVPNV2: 5, VPN_SA: 6, ACTIVE_ALERTS: 15, NEIGHBORS: 4,
		};
		// Timed from the anchor, not from the first query: a restarted SMC (same anchor) holds the same entries.
		for (let i = 0; i < size[kind]; i++) this.addSessionEntry(table, this.options.anchorMs - Math.floor(random() * 3600_000), true, random);
		this.tables.set(key, table);
		return table;
	}

	/**
	 * smc.md §3.2/§3.6: an SMC >= 7.0 speaks BLOCK_LIST and its entries carry block_list_href; older
	 * ones speak BLACKLIST with blacklist_href.
	 */
	private get blockList(): { definition: 'BLOCK_LIST' | 'BLACKLIST'; hrefKey: string; resource: string } {
		return compareVersions(this.options.smcVersion, '7.0') >= 0
			? { definition: 'BLOCK_LIST', hrefKey: 'block_list_href', resource: 'block_list' }
			: { definition: 'BLACKLIST', hrefKey: 'blacklist_href', resource: 'blacklist' };
	}

	private addSessionEntry(
		table: SessionTable,
		time: number,
		firstFetch: boolean,
		tableRandom?: () => number,
		blockEntry?: BlockEntry,
	): SmcRecord {
		const n = table.nextKey++;
		// An entry added later is a function of its number, so a journal replaying the additions rebuilds it.
		const random = tableRandom ?? seededRandom(hashString(`${this.options.seed}/${table.key}/${n}`));
		const kind = table.definition === 'BLACKLIST' ? 'BLOCK_LIST' : table.definition;
		const engine = ENGINES.find((candidate) => candidate.name === table.target) ?? ENGINES[0];
		const node = pick(random, engine.nodes);
		const fields: Record<number, FieldValue> = {
			[F.TIMESTAMP]: time,
			[F.RECEPTIONTIME]: time + 200,
			[F.NODEID]: node.ip,
			[F.SENDERDOMAIN]: kind === 'ACTIVE_ALERTS' ? table.target : engine.domain,
			[F.SESSIONEVENT]: 1,
			[F.DATATAGS]: `INFO: ${table.definition} Monitoring`,
		};
		const meta: Record<string, unknown> = { delta_key: Buffer.from([2, (n >> 8) & 255, n & 255]).toString('base64') };
		const service = pick(random, SERVICES);
		switch (kind) {
			case 'CONNECTIONS':
				Object.assign(fields, {
					[F.SRC]: internalIp(random), [F.SPORT]: 1024 + Math.floor(random() * 64000), [F.SRCZONE]: 'Internal',
					[F.DST]: random() < 0.6 ? externalIp(random) : internalIp(random), [F.DPORT]: service.port, [F.DSTZONE]: pick(random, ['External', 'DMZ']),
					[F.SERVICE]: service.name, [F.IPSAPPID]: service.app, [F.PROTOCOL]: PROTOCOL_NUMBERS[service.protocol],
					[F.STATE]: pick(random, ['Established', 'Established', 'SYN sent', 'FIN wait']),
					[F.ACCTXBYTES]: Math.floor(random() * 5_000_000), [F.ACCRXBYTES]: Math.floor(random() * 50_000_000),
				});
				break;
			case 'BLOCK_LIST': {
				const entry = blockEntry ?? {
					source: externalIp(random), sourcePrefix: 32, destination: internalIp(random), destinationPrefix: 32,
					sourcePorts: [0, 65535] as [number, number], destinationPorts: [service.port, service.port] as [number, number],
					duration: pick(random, [0, 300, 3600, 86400]), blacklister: pick(random, ['Inspection', 'API Client', 'Management Client']),
				};
				Object.assign(fields, blockListFields(entry, Buffer.from(String(n)).toString('base64')));
				meta[this.blockList.hrefKey] = `/elements/${engine.type}/${engine.id}/${this.blockList.resource}/${fields[F.BLENTRYID]}`;
				break;
			}
			case 'ROUTING':
				Object.assign(fields, {
					[F.DSTIF]: n % 4, [F.DSTVLAN]: n % 3 === 0 ? 100 + n : 0, [F.DSTZONE]: n === 1 ? 'External' : 'Internal',
					[F.ROUTEGATEWAY]: n === 1 ? '203.0.113.1' : `10.${n}.0.1`, [F.ROUTENETWORK]: n === 1 ? '0.0.0.0' : `10.${n}.0.0`,
					[F.ROUTENETMASK]: n === 1 ? 0 : 16, [F.ROUTETYPE]: n === 1 ? 'Static' : pick(random, ['Connected', 'OSPF', 'BGP']),
					[F.ROUTEMETRIC]: n === 1 ? 1 : Math.floor(random() * 200),
				});
				break;
			case 'USERS':
				Object.assign(fields, {
					[F.USERNAME]: `${pick(random, USERS)}@corp.example`, [F.SRC]: internalIp(random),
					[F.EXPIRATIONTIME]: time + 8 * 3600_000, [F.IDSERVICE]: pick(random, ['Forcepoint User ID Service', 'Integrated User ID Service']),
				});
				break;
			case 'SSLVPNV2':
				Object.assign(fields, {
					[F.SSLVPNRECEIVED]: time, [F.SSLVPNTIMEOUT]: time + 4 * 3600_000, [F.SRC]: externalIp(random), [F.USERNAME]: pick(random, USERS),
				});
				break;
			case 'VPN_SA':
				Object.assign(fields, {
					[F.VPNID]: 'Corporate VPN', [F.SECURITYGATEWAY]: `${engine.name} - Primary`, [F.PEERSECURITYGATEWAY]: pick(random, ['Branch FW - Primary', 'AWS VGW']),
					[F.IKECOOKIE]: `${hex(random, 16)}|${hex(random, 16)}`, [F.ENDPOINT]: '198.51.100.10', [F.PEERENDPOINT]: externalIp(random),
					[F.SACLASS]: n % 2 ? 'IKE SA' : 'IPsec SA', [F.CIPHERALG]: 'AES-GCM-256', [F.NEGOTIATIONROLE]: pick(random, ['Initiator', 'Responder']),
					[F.SRCADDRS]: '10.0.0.0/16', [F.DSTADDRS]: '192.168.50.0/24', [F.PROTOCOL]: 50,
					[F.NUMBYTESSENT]: Math.floor(random() * 1e9), [F.NUMBYTESRECEIVED]: Math.floor(random() * 1e9), [F.EXPIRATIONTIME]: time + 3600_000,
				});
				meta.vpn_sa_href = `/elements/${engine.type}/${engine.id}/vpn_sa/${Buffer.from(String(n)).toString('base64')}`;
				break;
			case 'NEIGHBORS': {
				// IPv4 (ARP) and IPv6 (NDP) neighbours: smc-python's examples/monitoring/neighbor.py filters
				// NEIGHBORPROTOCOL on StringValue("IPv6").
				const state = pick(random, ['Reachable', 'Stale', 'Delay']);
				const protocol = pick(random, ['IPv4', 'IPv6']);
				const address = internalIp(random);
				Object.assign(fields, {
					[F.DATATYPE]: 40, [F.INFOMSG]: 'Neighbor seen', [F.NEIGHBORSTATE]: state,
					[F.NEIGHBORINTERFACE]: String(n % 3), [F.NEIGHBORPROTOCOL]: protocol,
					[F.NEIGHBORL3DATA]: protocol === 'IPv6' ? `fd00::${address.split('.').slice(2).join(':')}` : address,
					[F.NEIGHBORL2DATA]: hex(random, 12).replace(/(..)(?!$)/g, '$1:'),
				});
				break;
			}
			case 'ACTIVE_ALERTS':
				Object.assign(fields, {
					[F.ALERTSEVERITY]: pick(random, [1, 3, 5, 5, 10]), [F.ACTION]: pick(random, [0, 1, 13]),
					[F.SRC]: externalIp(random), [F.DST]: internalIp(random), [F.SERVICE]: service.name, [F.PROTOCOL]: PROTOCOL_NUMBERS[service.protocol],
					[F.SPORT]: 1024 + Math.floor(random() * 64000), [F.DPORT]: service.port, [F.SITUATION]: pick(random, SITUATIONS),
					[F.VULNREFS]: pick(random, ['CVE-2021-44228', 'CVE-2023-4966', 'MS17-010', '']),
					[F.LONGMSG]: 'Alert raised by an Inspection rule', [F.ALERTCOUNT]: 1 + Math.floor(random() * 9), [F.ALERTSTATUS]: 'Active',
				});
				break;
		}
		if (firstFetch) meta.first_fetch = true;
		const record: SmcRecord = { fields, meta };
		table.entries.set(meta.delta_key as string, record);
		return record;
	}

	private pushDelta(tableKey: string, bucket: 'added' | 'updated' | 'deleted', records: SmcRecord[]): void {
		for (const socket of this.clients) {
			for (const fetch of socket.fetches.values()) {
				if (fetch.mode !== 'session' || fetch.cancelled || fetch.tableKey !== tableKey) continue;
				const matching = records.filter(fetch.predicate).map((record) => renderRecord(record, fetch.format, socket));
				if (matching.length === 0) continue;
				const payload = { added: [] as unknown[], updated: [] as unknown[], deleted: [] as unknown[] };
				payload[bucket] = matching;
				this.sendJson(socket, { fetch: fetch.id, records: payload });
			}
		}
	}

	protected override trickleEveryMs(): number {
		return this.options.trickleMs;
	}

	/** One beat of the trickle: a log record and an element change (public so a test can beat it). */
	override trickleOnce(): void {
		this.addLogs(1);
		// Cycles create, update, delete over a few entry points so subscribers see every action.
		const rels = ['host', 'network', 'fw_policy'];
		const rel = rels[Math.floor(this.trickleStep / 3) % rels.length];
		const action = (['create', 'update', 'delete'] as const)[this.trickleStep % 3];
		this.trickleStep += 1;
		try {
			this.changeElement(rel, action, action === 'create' ? `trickle-${rel}-${this.trickleStep}` : undefined, undefined, this.trickleStep);
		} catch {
			// nothing left to update or delete of this type: skip this beat
		}
	}

	// ------------------------------------------------------------------ REST

	private registerRoutes(): void {
		const version = '(\\d+\\.\\d+)';
		this.route('GET', '/api', (request) =>
			json(200, { version: this.options.apiVersions.map((rel) => ({ rel, href: `${baseOf(request.raw)}/${rel}/api` })) }),
		);
		this.route('POST', new RegExp(`^/${version}/login$`), (request, [ver]) => this.versioned(ver, () => this.login(request)));
		this.route('POST', new RegExp(`^/${version}/lms_login$`), (request, [ver]) => this.versioned(ver, () => this.lmsLogin(request)));
		const logout = (request: SimRequest, [ver]: string[]): SimResponse =>
			this.versioned(ver, () => {
				const session = this.session(request.raw);
				if (!session) return unauthorized();
				this.sessions.delete(session.id);
				return { status: 204, text: '' };
			});
		this.route('PUT', new RegExp(`^/${version}/logout$`), logout);
		this.route('POST', new RegExp(`^/${version}/logout$`), logout);
		this.route('GET', new RegExp(`^/${version}/api$`), (request, [ver]) =>
			this.authed(request, ver, () => {
				const base = `${baseOf(request.raw)}/${ver}`;
				const entryPoints = [
					...ELEMENT_RELS.map((rel) => ({ rel, href: `${base}/elements/${rel}`, method: 'GET' })),
					...OTHER_RELS.map(([rel, path, method]) => ({ rel, href: `${base}/${path}`, method })),
				];
				return json(200, { entry_point: entryPoints });
			}),
		);
		this.route('GET', new RegExp(`^/${version}/system$`), (request, [ver]) =>
			this.authed(request, ver, () => {
				const base = `${baseOf(request.raw)}/${ver}/system`;
				return json(200, {
					link: ['smc_version', 'smc_time', 'current_user'].map((rel) => ({ rel, href: `${base}/${rel}`, method: 'GET' })),
				});
			}),
		);
		this.route('GET', new RegExp(`^/${version}/system/smc_version$`), (request, [ver]) =>
			this.authed(request, ver, () => json(200, { value: `${this.options.smcVersion} [11277]` })),
		);
		this.route('GET', new RegExp(`^/${version}/system/smc_time$`), (request, [ver]) =>
			this.authed(request, ver, () => json(200, { value: String(Date.now()) })),
		);
		// smc-python reads this right after login to learn who it is.
		this.route('GET', new RegExp(`^/${version}/system/current_user$`), (request, [ver]) =>
			this.authed(request, ver, (session) => json(200, { value: `${baseOf(request.raw)}/${ver}${session.user}` })),
		);
		this.route('GET', new RegExp(`^/${version}/monitoring/log/schemas$`), (request, [ver]) =>
			this.authed(request, ver, () => json(200, logQuerySchema())),
		);
		// Search across element types: smc-python's Host('name') / Engine('name') (smc.md §1.2).
		this.route('GET', new RegExp(`^/${version}/elements$`), (request, [ver]) =>
			this.authed(request, ver, () => {
				const context = request.query.get('filter_context');
				const types = context ? this.typesOf(context) : [...this.elements.keys()];
				return json(200, { result: this.searchElements(request, ver, types ?? []) });
			}),
		);
		this.route('GET', new RegExp(`^/${version}/elements/([a-z0-9_]+)$`), (request, [ver, type]) =>
			this.authed(request, ver, () => {
				const types = this.typesOf(type);
				if (!types) return smcError(404, 'Not Found', `Unknown entry point ${type}`);
				return json(200, { result: this.searchElements(request, ver, types) });
			}),
		);
		this.route('GET', new RegExp(`^/${version}/elements/([a-z0-9_]+)/(\\d+)$`), (request, [ver, type, id]) =>
			this.authed(request, ver, () => {
				const element = this.store(type).get(Number(id));
				if (!element) return smcError(404, 'Not Found', `Element ${type}/${id} not found`);
				const href = `${baseOf(request.raw)}/${ver}/elements/${type}/${id}`;
				const link = [{ rel: 'self', href, type }];
				if ((ENGINE_TYPES as readonly string[]).includes(type)) {
					// smc-python adds block-list entries through this link: `blacklist` below API 7.0.
					const resource = compareVersions(ver, '7.0') >= 0 ? 'block_list' : 'blacklist';
					link.push({ rel: resource, href: `${href}/${resource}`, type }, { rel: `flush_${resource}`, href: `${href}/flush_${resource}`, type });
				}
				return json(
					200,
					{ name: element.name, comment: element.comment, ...element.attributes, key: element.id, read_only: false, system: false, link },
					{ etag: `"${element.id}-${element.revision}"` },
				);
			}),
		);
		this.route('POST', new RegExp(`^/${version}/elements/(${ENGINE_TYPES.join('|')})/(\\d+)/(block_list|blacklist)$`), (request, [ver, type, id]) =>
			this.authed(request, ver, () => {
				const engine = ENGINES.find((candidate) => candidate.type === type && candidate.id === Number(id));
				if (!engine) return smcError(404, 'Not Found', `Element ${type}/${id} not found`);
				// API <= 6.3 posts one entry, later versions {"entries":[...]}.
				const body = request.json;
				const inputs = isObject(body) && Array.isArray(body.entries) ? body.entries : isObject(body) && 'end_point1' in body ? [body] : undefined;
				if (!inputs || inputs.length === 0) return smcError(400, 'Bad Request', 'Expected {"entries":[{end_point1, end_point2, duration}]}');
				let entries: BlockEntry[];
				try {
					entries = inputs.map(parseBlockEntry);
				} catch (error) {
					return smcError(400, 'Bad Request', (error as Error).message);
				}
				const table = this.table(this.blockList.definition, engine.name)!;
				const change: SmcChangeRecord = { kind: 'sessionAdd', definition: table.definition, target: table.target, time: Date.now(), count: entries.length, blockEntries: entries };
				const added = this.applySessionChange(change);
				this.onChange?.(change);
				this.pushDelta(table.key, 'added', added);
				return { status: 204, text: '' };
			}),
		);
		// smc.md §3.6: DELETE on an entry's block_list_href / vpn_sa_href removes it from the engine.
		this.route('DELETE', new RegExp(`^/${version}/elements/(single_fw|fw_cluster)/(\\d+)/(block_list|blacklist|vpn_sa)/([A-Za-z0-9+/=]+)$`), (request, [ver, type, id, list, key]) =>
			this.authed(request, ver, () => {
				const engine = ENGINES.find((candidate) => candidate.type === type && candidate.id === Number(id));
				const definition = list === 'vpn_sa' ? 'VPN_SA' : this.blockList.definition;
				const table = engine ? this.table(definition, engine.name) : undefined;
				const entry = table ? [...table.entries.entries()].find(([, record]) => hrefOf(record).endsWith(`/${list}/${key}`)) : undefined;
				if (!table || !entry) return smcError(404, 'Not Found', `Entry ${key} not found`);
				table.entries.delete(entry[0]);
				this.onChange?.({ kind: 'sessionDelete', definition: table.definition, target: table.target, time: Date.now(), deltaKeys: [entry[0]] });
				const removed: SmcRecord = { fields: { ...entry[1].fields, [F.SESSIONEVENT]: 3 }, meta: { ...entry[1].meta } };
				delete removed.meta.first_fetch;
				this.pushDelta(table.key, 'deleted', [removed]);
				return { status: 204, text: '' };
			}),
		);
	}

	/** Element types an entry point or filter_context names, or undefined when it names none. */
	private typesOf(context: string): readonly string[] | undefined {
		if (ELEMENT_COLLECTIONS[context]) return ELEMENT_COLLECTIONS[context];
		return (ELEMENT_RELS as readonly string[]).includes(context) || (ENGINE_TYPES as readonly string[]).includes(context) ? [context] : undefined;
	}

	/** `filter` matches names case-insensitively (a substring unless `exact_match` is true). */
	private searchElements(request: SimRequest, ver: string, types: readonly string[]): Array<{ href: string; name: string; type: string }> {
		const filter = request.query.get('filter');
		const exact = (request.query.get('exact_match') ?? '').toLowerCase() === 'true';
		const needle = filter?.toLowerCase();
		const base = `${baseOf(request.raw)}/${ver}/elements`;
		return types.flatMap((type) =>
			[...this.store(type).values()]
				.filter((element) => !needle || (exact ? element.name === filter : element.name.toLowerCase().includes(needle)))
				.map((element) => ({ href: `${base}/${type}/${element.id}`, name: element.name, type })),
		);
	}

	protected override notFound(request: SimRequest): SimResponse {
		return smcError(404, 'Not Found', `No resource at ${request.path}`);
	}

	private versioned(ver: string, handler: () => SimResponse): SimResponse {
		if (!this.options.apiVersions.includes(ver)) return smcError(404, 'Not Found', `API version ${ver} is not available`);
		return handler();
	}

	private authed(request: SimRequest, ver: string, handler: (session: SmcSession) => SimResponse): SimResponse {
		return this.versioned(ver, () => {
			const session = this.session(request.raw);
			return session ? handler(session) : unauthorized();
		});
	}

	private login(request: SimRequest): SimResponse {
		const body = request.json as { authenticationkey?: unknown; domain?: unknown } | undefined;
		if (!body || typeof body !== 'object') return smcError(400, 'Bad Request', 'Expected a JSON body with authenticationkey');
		if (body.authenticationkey !== this.options.apiKey) return smcError(401, 'Login failed', 'Invalid authentication key');
		const apiClient = [...this.store('api_client').values()][0];
		return this.openSession(request, body.domain, `/elements/api_client/${apiClient.id}`);
	}

	/** Administrator login (SMC >= 6.4): credentials in the query string, domain in query or body. */
	private lmsLogin(request: SimRequest): SimResponse {
		const user = request.query.get('login');
		const admin = this.options.admins.find((candidate) => candidate.login === user && candidate.password === request.query.get('pwd'));
		if (!admin) return smcError(401, 'Login failed', 'Invalid user name or password');
		const element = [...this.store('admin_user').values()].find((candidate) => candidate.name === admin.login)!;
		const body = isObject(request.json) ? request.json : {};
		return this.openSession(request, request.query.get('domain') ?? body.domain, `/elements/admin_user/${element.id}`);
	}

	private openSession(request: SimRequest, requestedDomain: unknown, user: string): SimResponse {
		const domain = requestedDomain === undefined || requestedDomain === null || requestedDomain === '' ? 'Shared Domain' : String(requestedDomain);
		if (!this.options.domains.includes(domain)) return smcError(401, 'Login failed', `Domain ${domain} is unknown or not allowed for this API client`);
		// Not from the seeded stream: a restarted SMC (same seed) must not hand out an earlier run's session id.
		const id = randomBytes(16).toString('hex').toUpperCase();
		this.sessions.set(id, { id, domain, lastUsed: Date.now(), user });
		if (this.options.sessionTracking === 'token') {
			this.connectionSessions.set(request.raw.socket, id);
			return { status: 200, text: '', headers: { authorization: id, 'content-type': 'application/json' } };
		}
		return { status: 200, text: '', headers: { 'set-cookie': `JSESSIONID=${id}; Path=/; HttpOnly`, 'content-type': 'application/json' } };
	}

	/**
	 * The live session a request or upgrade carries: its JSESSIONID cookie, its Authorization token,
	 * an `access_token` subprotocol offer, or (token mode) the connection it logged in through.
	 */
	private session(request: SessionCarrier): SmcSession | undefined {
		const candidates = [parseCookies(request.headers.cookie).get('JSESSIONID'), request.headers.authorization];
		const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((name) => name.trim());
		if (offered.includes('access_token')) candidates.push(...offered.filter((name) => name !== 'access_token'));
		candidates.push(this.connectionSessions.get(request.socket));
		const id = candidates.find((candidate) => candidate !== undefined && this.sessions.has(candidate));
		const session = id ? this.sessions.get(id) : undefined;
		if (!session) return undefined;
		const now = Date.now();
		if (this.options.sessionIdleMs > 0 && now - session.lastUsed > this.options.sessionIdleMs) {
			this.sessions.delete(session.id);
			return undefined;
		}
		session.lastUsed = now;
		return session;
	}

	// ------------------------------------------------------------------ websockets

	protected override onUpgrade(request: http.IncomingMessage, socket: Socket, head: Buffer): void {
		void this.upgrade(request, socket, head);
	}

	private async upgrade(request: http.IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
		const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
		const fault = this.takeFault(path);
		if (fault) {
			if (fault.kind === 'drop') return void socket.destroy();
			if (fault.kind === 'status') return refuse(socket, fault.status ?? 500);
			if (fault.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1000));
			if (fault.kind === 'expireSession') this.expireAllSessions();
		}
		const match = /^\/(\d+\.\d+)\/(monitoring\/log\/socket|monitoring\/session\/socket|notification\/socket|status\/socket)$/.exec(path);
		if (!match || !this.options.apiVersions.includes(match[1])) return refuse(socket, 404);
		// No Origin check: smc-python suppresses Origin on purpose (smc.md §2.2).
		const session = this.session(request);
		if (!session) return refuse(socket, 401);
		const kinds: Record<string, SocketKind> = {
			'notification/socket': 'notification', 'status/socket': 'status', 'monitoring/log/socket': 'log', 'monitoring/session/socket': 'session',
		};
		const kind = kinds[match[2]];
		this.wss.handleUpgrade(request, socket, head, (ws) => {
			const state: SmcSocket = {
				ws,
				kind,
				apiVersion: match[1],
				base: baseOf(request),
				sessionId: session.id,
				fetches: new Map(),
				subscriptions: new Map(),
				nextSubscriptionId: 0,
			};
			this.clients.add(state);
			ws.on('message', (data, isBinary) => this.onMessage(state, data, isBinary));
			ws.on('close', () => this.closeSocket(state));
			ws.on('error', () => this.closeSocket(state));
		});
	}

	private closeSocket(state: SmcSocket): void {
		for (const fetch of state.fetches.values()) fetch.cancelled = true;
		state.fetches.clear();
		this.clients.delete(state);
	}

	private sendJson(socket: SmcSocket, message: unknown): void {
		if (socket.ws.readyState === WebSocket.OPEN) socket.ws.send(JSON.stringify(message));
	}

	private onMessage(socket: SmcSocket, data: RawData, isBinary: boolean): void {
		const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
		if (buffer.length > this.options.maxMessageBytes) {
			// Tomcat cannot buffer the frame: it closes with 1009 and this text (smc.md §2.2).
			socket.ws.close(1009, SMC_BUFFER_ERROR);
			return;
		}
		if (isBinary) return this.sendJson(socket, { failure: 'Binary messages are not supported' });
		let message: unknown;
		try {
			message = JSON.parse(buffer.toString('utf8'));
		} catch {
			return this.sendJson(socket, { failure: 'Invalid JSON message' });
		}
		if (!message || typeof message !== 'object' || Array.isArray(message)) return this.sendJson(socket, { failure: 'Expected a JSON object' });
		const body = message as Record<string, unknown>;
		if (socket.kind === 'notification') return this.onNotificationMessage(socket, body);
		if (socket.kind === 'status') return this.onStatusMessage(socket, body);
		if ('abort' in body) return this.abort(socket, Number(body.abort));
		if (isObject(body.query)) socket.pendingQuery = body.query;
		if (isObject(body.format)) socket.pendingFormat = body.format;
		if (!('fetch' in body)) return this.sendJson(socket, { success: 'No fetch' });
		this.startFetch(socket, isObject(body.fetch) ? body.fetch : {});
	}

	private onNotificationMessage(socket: SmcSocket, body: Record<string, unknown>): void {
		if ('unsubscribe' in body) {
			const id = Number(body.unsubscribe);
			if (!socket.subscriptions.delete(id)) return this.sendJson(socket, { failure: `Unknown subscription ${String(body.unsubscribe)}` });
			return this.sendJson(socket, { success: 'Unsubscribed', subscription_id: id });
		}
		if (!('context' in body)) return this.sendJson(socket, { failure: 'Expected a context or unsubscribe message' });
		const context = typeof body.context === 'string' ? body.context : '';
		// "*" or "" is everything; otherwise "host, router" or "network,host" (smc.md §4).
		const names = context.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
		let rels: Set<string> | 'all' = 'all';
		if (context.trim() !== '*' && names.length > 0) {
			const unknown = names.filter((name) => !(ELEMENT_RELS as readonly string[]).includes(name));
			if (unknown.length > 0) return this.sendJson(socket, { failure: `Unknown context: ${unknown.join(', ')}` });
			rels = new Set(names);
		}
		const id = socket.nextSubscriptionId++;
		socket.subscriptions.set(id, { context, rels });
		this.sendJson(socket, { success: 'Subscribed for notifications', subscription_id: id, context });
	}

	/** smc.md §4 (status socket): subscribe by engine type ({"context"}) or one engine ({"element": href}). */
	private onStatusMessage(socket: SmcSocket, body: Record<string, unknown>): void {
		let engines: Engine[];
		if (typeof body.element === 'string') {
			const match = /\/elements\/([a-z0-9_]+)\/(\d+)$/.exec(body.element);
			engines = ENGINES.filter((engine) => match && engine.type === match[1] && engine.id === Number(match[2]));
			if (engines.length === 0) return this.sendJson(socket, { failure: `Unknown element ${body.element}` });
		} else if (typeof body.context === 'string') {
			const context = body.context.trim();
			const types = context === '*' || context === '' ? ENGINE_TYPES : this.typesOf(context);
			if (!types || !types.every((type) => (ENGINE_TYPES as readonly string[]).includes(type))) {
				return this.sendJson(socket, { failure: `Unknown context: ${context}` });
			}
			engines = ENGINES.filter((engine) => types.includes(engine.type));
		} else {
			return this.sendJson(socket, { failure: 'Expected a context or element message' });
		}
		const id = socket.nextSubscriptionId++;
		this.sendJson(socket, { success: 'Subscribed for status', subscription_id: id });
		for (const engine of engines) {
			this.sendJson(socket, {
				status: {
					element: `${socket.base}/${socket.apiVersion}/elements/${engine.type}/${engine.id}`,
					name: engine.name,
					monitoring_state: 'READY',
					monitoring_status: 'OK',
					configuration_status: 'Installed',
					nodes: engine.nodes.map((node) => ({ name: node.name, status: 'Online', state: 'ONLINE' })),
				},
				subscription_id: id,
			});
		}
	}

	private abort(socket: SmcSocket, id: number): void {
		const fetch = socket.fetches.get(id);
		// smc-python aborts even after `end`: an unknown or finished fetch is ignored.
		if (!fetch) return;
		fetch.cancelled = true;
		socket.fetches.delete(id);
		this.sendJson(socket, { fetch: id, end: 'Fetch aborted' });
	}

	private newFetchId(): number {
		// Ints that may be negative, like the documented -1616514795; never 0 (falsy in smc-python).
		let id = 0;
		while (id === 0) id = Math.floor(this.random() * 4294967296) - 2147483648;
		return id;
	}

	private startFetch(socket: SmcSocket, fetchOptions: Record<string, unknown>): void {
		const query = socket.pendingQuery ?? {};
		const format = socket.pendingFormat ?? { type: 'texts' };
		let predicate: Predicate;
		try {
			predicate = this.compileFilter(query.filter);
			validateFormat(format);
		} catch (error) {
			return this.sendJson(socket, { failure: (error as Error).message });
		}
		if (socket.kind === 'session') return this.startSessionFetch(socket, query, format, predicate);
		const type = query.type ?? 'stored';
		if (type !== 'stored' && type !== 'current') return this.sendJson(socket, { failure: `Unknown query type ${String(type)}` });
		const fetch: ActiveFetch = { id: this.newFetchId(), socket, mode: type, predicate, format, cancelled: false };
		socket.fetches.set(fetch.id, fetch);
		this.sendJson(socket, this.successMessage(fetch.id, format));
		const quantity = typeof fetchOptions.quantity === 'number' ? fetchOptions.quantity : undefined;
		if (type === 'current') {
			// Live: only records that arrive from now on; quantity, range and backwards are ignored (smc.md §3.3).
			this.sendJson(socket, { fetch: fetch.id, status: 'Querying...' });
			return;
		}
		if (quantity === 0) return this.finish(fetch);
		this.sendJson(socket, { fetch: fetch.id, status: 'Querying...' });
		const start = Number(query.start_ms ?? 0);
		const end = Number(query.end_ms ?? 0);
		const backwards = fetchOptions.backwards !== false;
		const from = start > 0 ? lowerBound(this.logs, start, (record) => record.fields[F.TIMESTAMP] as number) : 0;
		const to = end > 0 ? lowerBound(this.logs, end + 1, (record) => record.fields[F.TIMESTAMP] as number) : this.logs.length;
		// Snapshot the window so records added meanwhile do not shift the walk.
		const window = this.logs.slice(from, to);
		if (backwards) window.reverse();
		let index = 0;
		let sent = 0;
		const limit = quantity === undefined || quantity < 0 ? Infinity : quantity;
		const step = (): void => {
			if (fetch.cancelled) return;
			const batch: unknown[] = [];
			while (index < window.length && batch.length < this.options.batchSize && sent < limit) {
				const record = window[index++];
				if (!predicate(record)) continue;
				batch.push(renderRecord(record, format, socket));
				sent += 1;
			}
			if (batch.length > 0) this.sendJson(socket, { fetch: fetch.id, records: batch });
			if (index >= window.length || sent >= limit) return this.finish(fetch);
			// Yield between batches so an abort or a drop can interleave, as on a real stream.
			setImmediate(step);
		};
		setImmediate(step);
	}

	private finish(fetch: ActiveFetch): void {
		if (fetch.cancelled) return;
		fetch.socket.fetches.delete(fetch.id);
		fetch.cancelled = true;
		this.sendJson(fetch.socket, { fetch: fetch.id, end: 'end of data' });
	}

	private startSessionFetch(socket: SmcSocket, query: Record<string, unknown>, format: Record<string, unknown>, predicate: Predicate): void {
		const definition = typeof query.definition === 'string' ? query.definition : '';
		if (!definition) return this.sendJson(socket, { failure: 'Missing query definition' });
		if (!(SESSION_DEFINITIONS as readonly string[]).includes(definition)) return this.sendJson(socket, { failure: `Unknown definition ${definition}` });
		// smc-monitoring picks BLOCK_LIST on SMC >= 7.0 and BLACKLIST below (smc.md §3.2).
		if ((definition === 'BLACKLIST' || definition === 'BLOCK_LIST') && definition !== this.blockList.definition) {
			return this.sendJson(socket, { failure: `Unknown definition ${definition}` });
		}
		const target = typeof query.target === 'string' ? query.target : '';
		const table = this.table(definition as SessionDefinition, target);
		if (!table) return this.sendJson(socket, { failure: `Unknown target ${target}` });
		const fetch: ActiveFetch = {
			id: this.newFetchId(), socket, mode: 'session', predicate, format, tableKey: table.key, cancelled: false,
		};
		socket.fetches.set(fetch.id, fetch);
		this.sendJson(socket, this.successMessage(fetch.id, format));
		// Snapshot first (first_fetch: true), then deltas as they happen until the client aborts.
		const snapshot = [...table.entries.values()].filter(predicate);
		for (let i = 0; i < snapshot.length; i += this.options.batchSize) {
			const added = snapshot.slice(i, i + this.options.batchSize).map((record) => renderRecord(record, format, socket));
			this.sendJson(socket, { fetch: fetch.id, records: { added, updated: [], deleted: [] } });
		}
	}

	private successMessage(id: number, format: Record<string, unknown>): Record<string, unknown> {
		const message: Record<string, unknown> = { success: 'Fetch started', fetch: id };
		if (format.type === 'detailed') {
			const ids = selectedFieldIds(format) ?? SMC_FIELDS.map((field) => field.id);
			message.fields = ids.flatMap((fieldId) => {
				const field = FIELD_BY_ID.get(fieldId);
				return field ? [{ id: field.id, name: field.name, pretty: field.pretty }] : [];
			});
		}
		return message;
	}

	// ------------------------------------------------------------------ filters (smc.md §3.4)

	private compileFilter(node: unknown): Predicate {
		if (node === undefined || node === null) return () => true;
		if (!isObject(node)) throw new FilterError('Invalid filter');
		switch (node.type) {
			case 'and':
			case 'or': {
				if (!Array.isArray(node.values)) throw new FilterError(`Filter ${node.type} needs values`);
				const parts = node.values.map((value) => this.compileFilter(value));
				return node.type === 'and' ? (record) => parts.every((part) => part(record)) : (record) => parts.some((part) => part(record));
			}
			case 'not': {
				const inner = this.compileFilter(node.value);
				return (record) => !inner(record);
			}
			case 'defined': {
				const value = this.compileValue(node.value);
				if (value.kind !== 'field') throw new FilterError('Filter defined needs a field value');
				return (record) => record.fields[value.id] !== undefined && record.fields[value.id] !== '';
			}
			case 'in': {
				const left = this.compileValue(node.left);
				if (!Array.isArray(node.right)) throw new FilterError('Filter in needs a right list');
				const right = node.right.map((value) => this.compileValue(value));
				return (record) => right.some((candidate) => valuesMatch(record, left, candidate));
			}
			case 'translated':
				if (typeof node.value !== 'string') throw new FilterError('Filter translated needs an expression in value');
				return this.compileExpression(node.value);
			case 'expression': {
				// a Filter element (filter_expression) by href: its stored expression applies
				const match = /\/elements\/filter_expression\/(\d+)$/.exec(String(node.href));
				const element = match ? this.store('filter_expression').get(Number(match[1])) : undefined;
				if (!element) throw new FilterError(`Filter element not found: ${String(node.href)}`);
				return this.compileExpression(String(element.attributes.expression));
			}
			default:
				// cs_like is unfinished in smc-python-monitoring (no value) and not simulated.
				throw new FilterError(`Unsupported filter type ${String(node.type)}`);
		}
	}

	private compileExpression(expression: string): Predicate {
		try {
			const predicate = compileFilterExpression(expression, EXPRESSION_CONTEXT);
			return (record) => predicate(record.fields);
		} catch (error) {
			throw new FilterError((error as Error).message);
		}
	}

	private compileValue(node: unknown): CompiledValue {
		if (!isObject(node)) throw new FilterError('Invalid filter value');
		switch (node.type) {
			case 'field': {
				if (typeof node.id === 'number') return { kind: 'field', id: node.id };
				const field = typeof node.name === 'string' ? FIELD_BY_NAME.get(node.name.toLowerCase()) : undefined;
				if (!field) throw new FilterError(`Unknown field ${String(node.name ?? node.id)}`);
				return { kind: 'field', id: field.id };
			}
			case 'ip':
				return { kind: 'ip', patterns: [String(node.value)] };
			case 'constant':
			case 'number':
				if (typeof node.value !== 'number') throw new FilterError(`Value ${node.type} needs a number`);
				return { kind: 'number', value: node.value };
			case 'string':
				return { kind: 'string', value: String(node.value) };
			case 'service': {
				const [protocol, port] = String(node.value).split('/');
				const number = PROTOCOL_NUMBERS[protocol?.toUpperCase() ?? ''];
				if (number === undefined) throw new FilterError(`Invalid service ${String(node.value)}`);
				return { kind: 'service', protocol: number, port: port === undefined ? undefined : Number(port) };
			}
			case 'element': {
				const match = /\/elements\/([a-z0-9_]+)\/(\d+)$/.exec(String(node.href));
				const element = match ? this.store(match[1]).get(Number(match[2])) : undefined;
				if (!element) throw new FilterError(`Element not found: ${String(node.href)}`);
				const attributes = element.attributes;
				const patterns = [attributes.address, attributes.ipv4_network, attributes.ip_range].filter((value): value is string => typeof value === 'string');
				if (ENGINES.some((engine) => engine.id === element.id)) patterns.push(...ENGINES.find((engine) => engine.id === element.id)!.nodes.map((n) => n.ip));
				return { kind: 'ip', patterns };
			}
			default:
				throw new FilterError(`Unsupported value type ${String(node.type)}`);
		}
	}

	// ------------------------------------------------------------------ control endpoints

	protected override vendorControl(method: string, path: string, body: unknown): SimResponse | undefined {
		const input = isObject(body) ? body : {};
		try {
			if (method === 'POST' && path === '/__sim/smc/element-change') {
				const result = this.elementChange(
					String(input.entryPoint ?? ''),
					String(input.action ?? '') as SmcElementAction,
					typeof input.name === 'string' ? input.name : undefined,
					typeof input.id === 'number' ? input.id : undefined,
				);
				return json(200, result);
			}
			if (method === 'POST' && path === '/__sim/smc/logs') {
				const added = this.addLogs(Math.max(0, Number(input.count ?? 1)), Number(input.backdateMs ?? 0));
				return json(200, { added: added.length, total: this.logs.length, logIds: added.map((record) => record.fields[F.LOGID]) });
			}
			if (method === 'POST' && path === '/__sim/smc/session-change') {
				const action = String(input.action ?? 'add');
				if (action !== 'add' && action !== 'update' && action !== 'delete') return json(400, { error: 'action must be add, update or delete' });
				const changed = this.sessionChange(String(input.definition ?? ''), String(input.target ?? ''), action, Number(input.count ?? 1));
				return json(200, { changed: changed.length, deltaKeys: changed.map((record) => record.meta.delta_key) });
			}
			if (method === 'POST' && path === '/__sim/smc/drop-sockets') return json(200, { dropped: this.dropSockets() });
			if (method === 'POST' && path === '/__sim/smc/expire-sessions') {
				const expired = this.sessions.size;
				this.expireAllSessions();
				return json(200, { expired });
			}
			if (method === 'POST' && path === '/__sim/smc/session-tracking') {
				if (input.mode !== 'cookie' && input.mode !== 'token') return json(400, { error: 'mode must be cookie or token' });
				this.options.sessionTracking = input.mode;
				return json(200, { mode: input.mode });
			}
			if (method === 'GET' && path === '/__sim/smc/state') {
				return json(200, { sessions: this.sessions.size, sockets: this.socketCounts(), logs: this.logs.length, ...this.activity() });
			}
		} catch (error) {
			return json(400, { error: (error as Error).message });
		}
		return undefined;
	}
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** One block-list entry as the engine holds it. */
export interface BlockEntry {
	source: string;
	sourcePrefix: number;
	destination: string;
	destinationPrefix: number;
	/** first and last port; [0, 65535] is any */
	sourcePorts: [number, number];
	destinationPorts: [number, number];
	/** seconds; 0 = until removed */
	duration: number;
	blacklister: string;
}

function prefixMask(prefix: number): string {
	const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
	return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 255).join('.');
}

function blockListFields(entry: BlockEntry, entryId: string): Record<number, FieldValue> {
	return {
		[F.BLENTRYID]: entryId,
		[F.BLSRC]: entry.source, [F.BLSRCMASK]: prefixMask(entry.sourcePrefix), [F.BLSRCPREFIXLEN]: entry.sourcePrefix,
		[F.BLDST]: entry.destination, [F.BLDSTMASK]: prefixMask(entry.destinationPrefix), [F.BLDSTPREFIXLEN]: entry.destinationPrefix,
		[F.BLPROTO]: 6, [F.PROTOCOL]: 6,
		[F.BLSPORT]: entry.sourcePorts[0], [F.BLSPORTRANGE]: entry.sourcePorts[1],
		[F.BLDPORT]: entry.destinationPorts[0], [F.BLDPORTRANGE]: entry.destinationPorts[1],
		[F.BLDURATION]: entry.duration, [F.BLACKLISTER]: entry.blacklister,
	};
}

/**
 * Reads one entry of a block-list command (smc-python's prepare_block_list): end_point1 is the
 * source, end_point2 the destination, each {"address_mode":"any"} or {"address_mode":"address",
 * "ip_network":"a.b.c.d/nn"} with optional port1/port2.
 */
function parseBlockEntry(input: unknown): BlockEntry {
	if (!isObject(input)) throw new FilterError('Each entry must be an object');
	const endpoint = (value: unknown, side: string): { address: string; prefix: number; ports: [number, number] } => {
		if (!isObject(value)) throw new FilterError(`Entry needs ${side}`);
		let address = '0.0.0.0';
		let prefix = 0;
		if (value.address_mode === 'address') {
			const [ip, bits = '32'] = String(value.ip_network ?? '').split('/');
			prefix = Number(bits);
			if (ipv4ToInt(ip) === undefined || !(Number.isInteger(prefix) && prefix >= 0 && prefix <= 32)) {
				throw new FilterError(`Invalid ip_network ${String(value.ip_network)} in ${side}`);
			}
			address = ip;
		} else if (value.address_mode !== 'any') {
			throw new FilterError(`Invalid address_mode ${String(value.address_mode)} in ${side}`);
		}
		const first = value.port1 === undefined ? 0 : Number(value.port1);
		const last = value.port2 === undefined ? (value.port1 === undefined ? 65535 : first) : Number(value.port2);
		return { address, prefix, ports: [first, last] };
	};
	const source = endpoint(input.end_point1, 'end_point1');
	const destination = endpoint(input.end_point2, 'end_point2');
	const duration = input.duration === undefined ? 3600 : Number(input.duration);
	if (!Number.isFinite(duration) || duration < 0) throw new FilterError(`Invalid duration ${String(input.duration)}`);
	return {
		source: source.address, sourcePrefix: source.prefix, sourcePorts: source.ports,
		destination: destination.address, destinationPrefix: destination.prefix, destinationPorts: destination.ports,
		duration, blacklister: 'API Client',
	};
}

type CompiledValue =
	| { kind: 'field'; id: number }
	| { kind: 'ip'; patterns: string[] }
	| { kind: 'number'; value: number }
	| { kind: 'string'; value: string }
	| { kind: 'service'; protocol: number; port?: number };

function valuesMatch(record: SmcRecord, a: CompiledValue, b: CompiledValue): boolean {
	if (a.kind !== 'field' && b.kind === 'field') return valuesMatch(record, b, a);
	if (a.kind !== 'field') return JSON.stringify(a) === JSON.stringify(b);
	if (b.kind === 'service') {
		// SERVICE is a pseudo field: TCP/443 means protocol 6 to destination port 443.
		if (a.id !== F.SERVICE) return false;
		return record.fields[F.PROTOCOL] === b.protocol && (b.port === undefined || record.fields[F.DPORT] === b.port);
	}
	const value = record.fields[a.id];
	if (value === undefined) return false;
	switch (b.kind) {
		case 'field':
			return record.fields[b.id] !== undefined && String(record.fields[b.id]) === String(value);
		case 'ip':
			return b.patterns.some((pattern) => ipv4Matches(String(value), pattern));
		case 'number':
			return Number(value) === b.value;
		case 'string':
			return String(value) === b.value;
	}
}

function selectedFieldIds(format: Record<string, unknown>): number[] | undefined {
	const ids = Array.isArray(format.field_ids) ? format.field_ids.filter((id): id is number => typeof id === 'number') : [];
	const names = Array.isArray(format.field_names) ? format.field_names : [];
	for (const name of names) {
		const field = FIELD_BY_NAME.get(String(name).toLowerCase());
		if (field && !ids.includes(field.id)) ids.push(field.id);
	}
	return ids.length > 0 || names.length > 0 ? ids : undefined;
}

function validateFormat(format: Record<string, unknown>): void {
	const type = format.type ?? 'texts';
	if (type === 'combined') {
		if (!isObject(format.formats)) throw new FilterError('Combined format needs formats');
		for (const inner of Object.values(format.formats)) {
			if (!isObject(inner)) throw new FilterError('Invalid combined format');
			validateFormat(inner);
		}
		return;
	}
	if (type !== 'texts' && type !== 'detailed' && type !== 'raw') throw new FilterError(`Unknown format type ${String(type)}`);
	const fieldFormat = format.field_format ?? 'name';
	if (fieldFormat !== 'pretty' && fieldFormat !== 'name' && fieldFormat !== 'id') throw new FilterError(`Unknown field format ${String(fieldFormat)}`);
}

/**
 * Renders a record as the server would for `format` (smc.md §3.5): keys by field_format (the server
 * default is "name"), texts values as display strings, detailed/raw values unconverted.
 */
function renderRecord(record: SmcRecord, format: Record<string, unknown>, socket?: SmcSocket): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const hrefs: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(record.meta)) {
		// hrefs are stored as paths; the server answers absolute URLs for the version in use.
		const absolute = typeof value === 'string' && value.startsWith('/elements/') && socket ? `${socket.base}/${socket.apiVersion}${value}` : value;
		if (key.endsWith('_href')) hrefs[key] = absolute;
		else out[key] = absolute;
	}
	if (format.type === 'combined' && isObject(format.formats)) {
		// Each part carries the entry's href: smc-python deletes through bldata's block_list_href.
		for (const [key, inner] of Object.entries(format.formats)) out[key] = { ...renderFields(record, inner as Record<string, unknown>), ...hrefs };
	} else {
		Object.assign(out, renderFields(record, format), hrefs);
	}
	return out;
}

function renderFields(record: SmcRecord, format: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const fieldFormat = format.field_format ?? 'name';
	const resolving = isObject(format.resolving) ? format.resolving : {};
	const texts = (format.type ?? 'texts') === 'texts';
	const ids = selectedFieldIds(format) ?? Object.keys(record.fields).map(Number);
	for (const id of ids) {
		const value = record.fields[id];
		const field = FIELD_BY_ID.get(id);
		if (value === undefined || !field) continue;
		const key = fieldFormat === 'pretty' ? field.pretty : fieldFormat === 'id' ? String(id) : field.name;
		out[key] = texts ? textValue(field, value, resolving) : value;
	}
	return out;
}

function textValue(field: FieldDef, value: FieldValue, resolving: Record<string, unknown>): string {
	switch (field.kind) {
		case 'time':
			return formatTime(Number(value), resolving);
		case 'action':
			return ACTION_NAMES[Number(value)] ?? String(value);
		case 'protocol':
			return PROTOCOL_NAMES[Number(value)] ?? String(value);
		case 'severity':
			return SEVERITY_NAMES[Number(value)] ?? String(value);
		case 'node':
			// Senders are resolved to node names unless resolving.senders is false.
			return resolving.senders === false ? String(value) : (NODE_NAMES.get(String(value)) ?? String(value));
		default:
			return String(value);
	}
}

const timeFormats = new Map<string, Intl.DateTimeFormat | null>();

function formatTime(ms: number, resolving: Record<string, unknown>): string {
	const zone = typeof resolving.timezone === 'string' ? resolving.timezone : 'UTC';
	let formatter = timeFormats.get(zone);
	if (formatter === undefined) {
		try {
			formatter = new Intl.DateTimeFormat('en-CA', {
				timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
			});
		} catch {
			// Names Intl does not know (e.g. "CST") fall back to UTC.
			formatter = null;
		}
		timeFormats.set(zone, formatter);
	}
	let text: string;
	let shownZone = zone;
	if (formatter) {
		const parts = Object.fromEntries(formatter.formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
		text = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
	} else {
		text = new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
		shownZone = 'UTC';
	}
	if (resolving.time_show_millis === true) text += `.${String(ms % 1000).padStart(3, '0')}`;
	if (resolving.time_show_zone === true) text += ` ${shownZone}`;
	return text;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Compares "6.10" and "6.5" numerically on major and minor (smc.md §1.1: never as floats). */
export function compareVersions(a: string, b: string): number {
	const [aMajor, aMinor = 0] = a.split('.').map(Number);
	const [bMajor, bMinor = 0] = b.split('.').map(Number);
	return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor;
}

function baseOf(request: http.IncomingMessage): string {
	return `${schemeOf(request)}://${request.headers.host ?? '127.0.0.1'}`;
}

/** The element path a session-monitoring entry can be deleted through, or '' when it has none. */
function hrefOf(record: SmcRecord): string {
	const key = Object.keys(record.meta).find((name) => name.endsWith('_href'));
	return key ? String(record.meta[key]) : '';
}

/** GET /{ver}/monitoring/log/schemas: a JSON Schema of the log query message (smc.md §3.1–3.5). */
function logQuerySchema(): Record<string, unknown> {
	const value = {
		type: 'object',
		required: ['type'],
		properties: {
			type: { enum: ['field', 'ip', 'service', 'constant', 'number', 'string', 'element'] },
			id: { type: 'integer' }, name: { type: 'string' }, value: {}, href: { type: 'string' },
		},
	};
	return {
		$schema: 'http://json-schema.org/draft-04/schema#',
		title: 'Log query',
		type: 'object',
		properties: {
			query: {
				type: 'object',
				properties: {
					type: { enum: ['stored', 'current'] },
					start_ms: { type: 'integer' },
					end_ms: { type: 'integer' },
					filter: { $ref: '#/definitions/filter' },
					servers: { type: 'array', items: { type: 'string' } },
				},
			},
			fetch: { type: 'object', properties: { quantity: { type: 'integer' }, backwards: { type: 'boolean' } } },
			format: {
				type: 'object',
				properties: {
					type: { enum: ['texts', 'detailed', 'raw', 'combined'] },
					field_format: { enum: ['pretty', 'name', 'id'] },
					field_ids: { type: 'array', items: { type: 'integer' } },
					field_names: { type: 'array', items: { type: 'string' } },
					resolving: { type: 'object' },
				},
			},
			abort: { type: 'integer' },
		},
		definitions: {
			value,
			filter: {
				type: 'object',
				required: ['type'],
				properties: {
					type: { enum: ['in', 'and', 'or', 'not', 'defined', 'translated', 'expression'] },
					left: { $ref: '#/definitions/value' },
					right: { type: 'array', items: { $ref: '#/definitions/value' } },
					values: { type: 'array', items: { $ref: '#/definitions/filter' } },
					value: {},
					href: { type: 'string' },
				},
			},
		},
		fields: SMC_FIELDS.map((field) => ({ id: field.id, name: field.name, pretty: field.pretty })),
	};
}

/** SMC error bodies carry message and details (smc-python's SMCOperationFailure reads both). */
function smcError(status: number, message: string, detail: string): SimResponse {
	return json(status, { message, details: [detail] });
}

function unauthorized(): SimResponse {
	return smcError(401, 'Unauthorized', 'Not logged in or the session has expired');
}

function refuse(socket: Socket, status: number): void {
	const reason = status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Error';
	socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

function hashString(text: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
	return hash;
}

function hex(random: () => number, length: number): string {
	return Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
}

function internalIp(random: () => number): string {
	return `10.0.${Math.floor(random() * 20)}.${1 + Math.floor(random() * 250)}`;
}

function externalIp(random: () => number): string {
	return `${pick(random, [198, 203, 185, 91])}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 250)}`;
}

function defaultAttributes(type: string, random: () => number): Record<string, unknown> {
	if (type === 'host' || type === 'router') return { address: internalIp(random) };
	if (type === 'network') return { ipv4_network: `10.${100 + Math.floor(random() * 100)}.0.0/16` };
	if (type === 'address_range') return { ip_range: '10.200.0.1-10.200.0.50' };
	return {};
}

const SERVICES: ReadonlyArray<{ name: string; protocol: 'TCP' | 'UDP'; port: number; app: string }> = [
	{ name: 'HTTPS', protocol: 'TCP', port: 443, app: 'HTTPS' },
	{ name: 'HTTP', protocol: 'TCP', port: 80, app: 'HTTP' },
	{ name: 'DNS (UDP)', protocol: 'UDP', port: 53, app: 'DNS' },
	{ name: 'SSH', protocol: 'TCP', port: 22, app: 'SSH' },
	{ name: 'SMTP', protocol: 'TCP', port: 25, app: 'SMTP' },
	{ name: 'NTP (UDP)', protocol: 'UDP', port: 123, app: 'NTP' },
	{ name: 'RDP', protocol: 'TCP', port: 3389, app: 'Remote Desktop' },
	{ name: 'LDAP (TCP)', protocol: 'TCP', port: 389, app: 'LDAP' },
];

const SITUATIONS = [
	'TCP_Port-Scan-Detected', 'HTTP_SHS-Suspicious-User-Agent', 'Anti-Spoofing_Packet-Discarded',
	'SSH_Brute-Force-Attempt', 'HTTP_CS-Log4j-JNDI-Lookup', 'DNS_Suspicious-Query',
];

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
