/**
 * VMware VeloCloud Orchestrator (VCO) Portal API v1 simulator: both transports (JSON-RPC on
 * `POST /portal/` and REST-like on `POST /portal/rest/<namespace>/<method>`), API-token and
 * session-cookie auth, `event/getEnterpriseEvents` with filters and `nextPageLink` paging, the
 * enterprise/edge/network/partner listings, aggregate link metrics, the leaky-bucket rate limit.
 *
 * Sources: ../shared/api/rest-apis.md §1 and the VCO v1 swagger 5.0.0 in
 * ../shared/api/specs. Where they are silent the choice is marked "[choice]" here or below.
 *
 * Users (defaults): the API token and `admin@acme.example` are enterprise users of enterprise 1;
 * `operator@vco.example` is an operator of network 1 (sees every enterprise); `msp@partner.example`
 * is an MSP user of enterprise proxy 1 (sees enterprises 2 and 3). `tokenRole` turns the token into
 * an operator or partner token; `tokens` adds more tokens with their roles.
 *
 * Status codes and error bodies. Errors are `{"error":{code,message,data?}}` on the REST-like
 * transport (the spec's `definitions.error`) and `{"jsonrpc":"2.0","error":{...},"id":N}` on
 * JSON-RPC; both transports use the same HTTP status for the same error:
 *   - no credentials: 401, code -32000, "Authorization Cookie not Received" (the spec's
 *     `no_credentials` text; [choice] the status, the spec names no status for it)
 *   - unknown/wrong API token: 401, code -32000, "tokenError [invalid token]"
 *   - expired, logged-out or unknown session cookie: **HTTP 200**, code -32000,
 *     "tokenError [expired session cookie]" (rest-apis.md §1.5/§5.3: VCO signals a dead session
 *     in the body of a 200). The `expireSession` fault and `sessionTtlMs` produce it; tokens are
 *     not sessions and are not affected by either.
 *   - insufficient privilege: 403, code -32000, "Insufficient Permissions: ..." (the spec's
 *     `forbidden` text; [choice] the status)
 *   - parse error -32700, invalid request -32600, unknown method -32601, invalid params -32602
 *     (with `data.valid=false` and `data.error[]` like the spec's validation details): HTTP 400
 *   - internal error: 500, code -32603; rate limited: 429 with Retry-After; non-POST: 405.
 * Logins answer 302 on success and on failure (spec); success sets
 * `velocloud.session=<random>; Path=/; HttpOnly`, failure sets `velocloud.message=<url-encoded>`
 * and an empty, expired `velocloud.session` (the spec says success means a *non-empty* session
 * cookie). Logout answers 302 and clears the cookie. [choice] Over JSON-RPC, the login methods
 * answer 200 with the same cookies and `result:{}`, or a -32000 error.
 *
 * getEnterpriseEvents. [choice] Newest first (eventTime descending, ties by id descending); bounds
 * are inclusive; `interval` omitted = the last 12 h, `end` omitted = now; times are epoch-ms
 * numbers or RFC 3339 strings, and a naive `YYYY-MM-DDTHH:MM:SS` (the seed's format) is read as UTC.
 * `filter.limit` defaults to 2048; [choice] the spec gives no maximum, so values above `maxLimit`
 * (10000) are cut to it silently and `metaData.limit` reports what was used. Follow-up pages send
 * the same params plus `nextPageLink` (and `limit` top-level as in S3, or `filter.limit`). The link
 * is opaque and checksummed; it carries the enterprise, the resolved interval (so a moving "now"
 * does not shift between pages; [choice] it wins over an interval sent again) and the (eventTime, id)
 * of the last row returned, never an offset, so events added meanwhile neither shift nor duplicate
 * rows; filter rules and edgeId come from each request. Rules are ANDed; a rule matches when
 * any of its values matches (`is`/`in`/`contains`/`startsWith`/`endsWith`), negations are the exact
 * opposite (so null fields match `isNot`, `notIn`...), `user` means `enterpriseUsername`, matching is
 * case-sensitive, and `greaterOrEquals`/`lesserOrEquals` on `severity` compare severity rank
 * (greater = more severe), elsewhere they compare strings. `edgeId` keeps events of those edges.
 *
 * Volume. The `eventCount` generated events are a pure function of (seed, index): event i happens
 * at a time non-decreasing in i, has id FIRST_EVENT_ID + i and belongs to enterprise i mod the
 * number of enterprises. A window maps to an index range by binary search, an enterprise's events
 * in it are every E-th index, and only the rows a request returns (or its filters inspect) are
 * built. Events added later (control API, trickle) live in small sorted arrays and are merged in.
 *
 * Control API (besides /__sim/faults, /__sim/reset, /__sim/stats from SimulatorBase):
 *   POST /__sim/vco/events  {"enterpriseId"?:1,"count"?:1,"eventTime"?:ISO|ms,"backdateMs"?:0,"event"?:"EDGE_DOWN"}
 *        adds events (ids continue after the largest id); backdateMs makes late events.
 *   GET  /__sim/vco/events?enterpriseId=&start=&end=   every event of a window (inclusive, all
 *        enterprises when enterpriseId is omitted), oldest first, as the API renders them.
 *   /__sim/reset also ends every session, drops added events and empties the rate-limit bucket.
 */
import { randomBytes } from 'node:crypto';
import { SimulatorBase, weightedPicker, json, lowerBound, parseCookies, seededRandom, type SimRequest, type SimResponse } from './common';

export type VcoRole = 'enterprise' | 'operator' | 'partner';

export const VCO_SEVERITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'] as const;
export type VcoSeverity = (typeof VCO_SEVERITIES)[number];
export type VcoCategory = 'SYSTEM' | 'NETWORK' | 'APPLICATION' | 'USER' | 'SECURITY' | 'EDGE' | 'GATEWAY' | 'CONFIGURATION' | 'ENTERPRISE';

/** An enterprise event exactly as getEnterpriseEvents renders it (key order included). */
export interface VcoEvent {
	id: number;
	eventTime: string;
	event: string;
	category: VcoCategory;
	severity: VcoSeverity;
	message: string;
	/** JSON, encoded as a string */
	detail: string;
	enterpriseUsername: string | null;
	edgeName: string | null;
	segmentName: string | null;
}

export interface VeloCloudSimulatorOptions {
	seed: number;
	token: string;
	/** who the API token belongs to: the enterprise user of enterprise 1, an operator, or the partner */
	tokenRole: VcoRole;
	/** extra API tokens and their roles */
	tokens: Record<string, VcoRole>;
	username: string;
	password: string;
	operatorUsername: string;
	operatorPassword: string;
	partnerUsername: string;
	partnerPassword: string;
	/** generated events, spread over `spanMs` ending at `anchorMs`, across every enterprise */
	eventCount: number;
	spanMs: number;
	/** newest possible generated-event time; 0 = the construction time */
	anchorMs: number;
	/** when > 0, one event is added to a random enterprise every `trickleMs` while started */
	trickleMs: number;
	sessionTtlMs: number;
	/** leaky bucket: requests per second it drains; 0 = no rate limit */
	rateLimitPerSecond: number;
	/** the bucket holds `rateLimitPerSecond` × this window (VCO's default window is 5 s) */
	rateLimitWindowMs: number;
	/** how long a throttled client is refused (VCO's default penalty is 5 s) */
	penaltyMs: number;
	/** largest page size honoured; bigger limits are cut to it */
	maxLimit: number;
}

const HOUR_MS = 3_600_000;

const DEFAULTS: VeloCloudSimulatorOptions = {
	seed: 1,
	token: 'vco-sim-token-7f3a9c',
	tokenRole: 'enterprise',
	tokens: {},
	username: 'admin@acme.example',
	password: 'Velo-Sim-Pass-1',
	operatorUsername: 'operator@vco.example',
	operatorPassword: 'Operator-Sim-Pass-1',
	partnerUsername: 'msp@partner.example',
	partnerPassword: 'Partner-Sim-Pass-1',
	eventCount: 2000,
	spanMs: 24 * HOUR_MS,
	anchorMs: 0,
	trickleMs: 0,
	sessionTtlMs: 24 * HOUR_MS,
	rateLimitPerSecond: 0,
	rateLimitWindowMs: 5000,
	penaltyMs: 5000,
	maxLimit: 10_000,
};

export interface AddVcoEventsOptions {
	enterpriseId?: number;
	count?: number;
	/** ISO string or epoch ms; default now */
	eventTime?: string | number;
	/** subtracted from eventTime: a late event, as VCO's ~10 min data delay produces */
	backdateMs?: number;
	/** force the event type (one of the catalogue's, or any name for a generic event) */
	event?: string;
}

/** Ids of generated events start here; added events continue after the largest id. */
/** One added event as a journal keeps it: enough to rebuild it exactly (its body is a function of its id). */
export interface VcoAddedEventRecord {
	enterpriseId: number;
	id: number;
	/** epoch ms */
	time: number;
	/** the event type when one was forced */
	event?: string;
}

export const FIRST_EVENT_ID = 82_700_001;
export const DEFAULT_EVENTS_LIMIT = 2048;
const NETWORK_ID = 1;
const MAX_CONTROL_EVENTS = 200_000;
const MAX_ADD_COUNT = 100_000;

// ---------------------------------------------------------------------------------------------
// Tenants: one network, one partner, four enterprises. Names include a folder-unsafe one and
// non-ASCII edge and user names, so consumers' escaping and sanitising get exercised.
// ---------------------------------------------------------------------------------------------

interface EdgeSeed {
	name: string;
	model: string;
	state: 'CONNECTED' | 'DEGRADED' | 'OFFLINE' | 'NEVER_ACTIVATED';
	lat: number;
	lon: number;
	/** WAN links: [interface, ISP] */
	links: Array<[string, string]>;
	ha?: boolean;
}

interface EnterpriseSeed {
	id: number;
	name: string;
	domain: string;
	prefix: string;
	accountNumber: string;
	proxyId: number | null;
	contactName: string;
	contactEmail: string;
	contactPhone: string;
	streetAddress: string;
	city: string;
	state: string | null;
	postalCode: string;
	country: string;
	lat: number;
	lon: number;
	timezone: string;
	locale: string;
	/** people who appear as enterpriseUsername in events */
	users: string[];
	edges: EdgeSeed[];
}

const PROXY = {
	id: 1,
	name: 'Northwind Managed Networks',
	domain: 'partner.example',
	prefix: 'northwind',
	contactName: 'Priya Raman',
	contactEmail: 'noc@partner.example',
	contactPhone: '+1 415 555 0142',
	streetAddress: '500 Howard Street',
	city: 'San Francisco',
	state: 'CA',
	postalCode: '94105',
	country: 'US',
	lat: 37.7886,
	lon: -122.3966,
};

const ENTERPRISES: readonly EnterpriseSeed[] = [
	{
		id: 1,
		name: 'Acme Retail Group',
		domain: 'acme.example',
		prefix: 'acme',
		accountNumber: 'ACME-000117',
		proxyId: null,
		contactName: 'Dana Whitfield',
		contactEmail: 'netops@acme.example',
		contactPhone: '+1 312 555 0188',
		streetAddress: '233 South Wacker Drive',
		city: 'Chicago',
		state: 'IL',
		postalCode: '60606',
		country: 'US',
		lat: 41.8789,
		lon: -87.6359,
		timezone: 'America/Chicago',
		locale: 'en-US',
		users: ['admin@acme.example', 'netops@acme.example', 'josé.garcía@acme.example'],
		edges: [
			{ name: 'Chicago-HQ-Edge-01', model: 'edge840', state: 'CONNECTED', lat: 41.8789, lon: -87.6359, links: [['GE3', 'Comcast Business'], ['GE4', 'AT&T']], ha: true },
			{ name: 'Dallas-Store-114', model: 'edge510', state: 'CONNECTED', lat: 32.7767, lon: -96.797, links: [['GE3', 'Spectrum Enterprise'], ['CELL1', 'Verizon Wireless']] },
			{ name: 'Zürich-Edge-02', model: 'edge620', state: 'CONNECTED', lat: 47.3769, lon: 8.5417, links: [['GE3', 'Swisscom'], ['GE4', 'Sunrise UPC']] },
			{ name: 'Denver-DC-Edge', model: 'edge3400', state: 'DEGRADED', lat: 39.7392, lon: -104.9903, links: [['GE3', 'Lumen'], ['GE4', 'Zayo']] },
			{ name: 'Seattle-Store-207', model: 'edge510', state: 'OFFLINE', lat: 47.6062, lon: -122.3321, links: [['GE3', 'Comcast Business']] },
			{ name: 'Austin-Store-301', model: 'edge510', state: 'NEVER_ACTIVATED', lat: 30.2672, lon: -97.7431, links: [] },
		],
	},
	{
		id: 2,
		name: 'Globex Corp. (APAC)',
		domain: 'globex-apac.example',
		prefix: 'globex-apac',
		accountNumber: 'GLBX-APAC-0042',
		proxyId: 1,
		contactName: 'Wei Lin Tan',
		contactEmail: 'it-apac@globex.example',
		contactPhone: '+65 6555 0123',
		streetAddress: '8 Marina View, #30-01',
		city: 'Singapore',
		state: null,
		postalCode: '018960',
		country: 'SG',
		lat: 1.2801,
		lon: 103.8509,
		timezone: 'Asia/Singapore',
		locale: 'en-SG',
		users: ['ops@globex-apac.example', 'msp@partner.example'],
		edges: [
			{ name: 'Singapore-HQ-01', model: 'edge840', state: 'CONNECTED', lat: 1.2801, lon: 103.8509, links: [['GE3', 'Singtel'], ['GE4', 'StarHub']], ha: true },
			{ name: 'Sydney-Branch-03', model: 'edge610', state: 'CONNECTED', lat: -33.8688, lon: 151.2093, links: [['GE3', 'Telstra']] },
			{ name: 'Tokyo-DC-Edge-01', model: 'edge3800', state: 'CONNECTED', lat: 35.6762, lon: 139.6503, links: [['GE3', 'NTT Communications'], ['GE4', 'KDDI']] },
		],
	},
	{
		id: 3,
		name: 'Initech Financial Services',
		domain: 'initech.example',
		prefix: 'initech',
		accountNumber: 'INTC-2291',
		proxyId: 1,
		contactName: 'Bill Lumbergh',
		contactEmail: 'secops@initech.example',
		contactPhone: '+1 212 555 0199',
		streetAddress: '55 Water Street',
		city: 'New York',
		state: 'NY',
		postalCode: '10041',
		country: 'US',
		lat: 40.7033,
		lon: -74.0107,
		timezone: 'America/New_York',
		locale: 'en-US',
		users: ['secops@initech.example', 'msp@partner.example'],
		edges: [
			{ name: 'NYC-Trading-Edge', model: 'edge3400', state: 'CONNECTED', lat: 40.7033, lon: -74.0107, links: [['GE3', 'Verizon Business'], ['GE4', 'Lumen']] },
			{ name: 'London-Branch-Edge', model: 'edge620', state: 'CONNECTED', lat: 51.5072, lon: -0.1276, links: [['GE3', 'BT Business']] },
			{ name: 'Frankfurt-DR-Edge', model: 'edge840', state: 'OFFLINE', lat: 50.1109, lon: 8.6821, links: [['GE3', 'Deutsche Telekom']] },
		],
	},
	{
		id: 4,
		name: 'Umbrella Logistics B.V.',
		domain: 'umbrella.example',
		prefix: 'umbrella',
		accountNumber: 'UMB-NL-7730',
		proxyId: null,
		contactName: 'Sanne de Vries',
		contactEmail: 'it@umbrella.example',
		contactPhone: '+31 10 555 0177',
		streetAddress: 'Wilhelminakade 123',
		city: 'Rotterdam',
		state: null,
		postalCode: '3072 AP',
		country: 'NL',
		lat: 51.9074,
		lon: 4.4883,
		timezone: 'Europe/Amsterdam',
		locale: 'nl-NL',
		users: ['it@umbrella.example'],
		edges: [
			{ name: 'Rotterdam-Port-Edge', model: 'edge840', state: 'CONNECTED', lat: 51.9074, lon: 4.4883, links: [['GE3', 'KPN'], ['GE4', 'Ziggo Zakelijk']] },
			{ name: 'São-Paulo-Hub', model: 'edge620', state: 'CONNECTED', lat: -23.5558, lon: -46.6396, links: [['GE3', 'Vivo Empresas']] },
			{ name: 'Johannesburg-Depot', model: 'edge510', state: 'DEGRADED', lat: -26.2041, lon: 28.0473, links: [['GE3', 'Vodacom Business']] },
		],
	},
];

interface SimLink {
	id: number;
	interface: string;
	isp: string;
	internalId: string;
	ipAddress: string;
}

interface SimEdge {
	id: number;
	seed: EdgeSeed;
	enterpriseId: number;
	logicalId: string;
	serialNumber: string;
	haSerialNumber: string | null;
	selfMacAddress: string;
	deviceId: string;
	activationKey: string;
	links: SimLink[];
}

interface SimEnterprise {
	/** position in ENTERPRISES: generated event i belongs to enterprise (i mod count) */
	index: number;
	seed: EnterpriseSeed;
	logicalId: string;
	edges: SimEdge[];
	/** edges that can raise events (activated ones) */
	eventEdges: SimEdge[];
}

// ---------------------------------------------------------------------------------------------
// Event catalogue. Names, categories and severities use the spec's enums; messages follow the
// spec's example ("Link GE4 is no longer DEAD") where one exists, the rest are plausible.
// ---------------------------------------------------------------------------------------------

interface EventContext {
	rng: () => number;
	time: number;
	enterprise: SimEnterprise;
	edge: SimEdge;
	link: SimLink;
	user: string;
}

interface EventBody {
	severity: VcoSeverity;
	message: string;
	detail: Record<string, unknown>;
	segmentName: string | null;
}

interface EventTemplate {
	event: string;
	category: VcoCategory;
	weight: number;
	/** edgeName is set */
	edge: boolean;
	/** enterpriseUsername is set */
	user: boolean;
	build(c: EventContext): EventBody;
}

const between = (rng: () => number, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const choose = <T>(rng: () => number, values: readonly T[]): T => values[Math.floor(rng() * values.length)];
const SEGMENTS = ['Global Segment', 'Global Segment', 'Global Segment', 'PCI-Segment', 'Guest-WiFi'];
const DATA_CENTERS = ['AWS-us-east-1-TGW', 'Azure-WestEurope-vHub', 'Equinix-CH1-Hub', 'Zscaler-FRA4'];
const CONFIG_MODULES = ['deviceSettings', 'firewall', 'QOS', 'controlPlane', 'WAN'];
const USER_AGENTS = [
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
	'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
	'python-requests/2.31.0',
];
const publicIp = (rng: () => number) => `${choose(rng, [198, 203, 192])}.${choose(rng, [51, 0])}.${between(rng, 0, 255)}.${between(rng, 1, 254)}`;
const privateIp = (rng: () => number) => `10.${between(rng, 0, 255)}.${between(rng, 0, 255)}.${between(rng, 1, 254)}`;
const iso = (ms: number) => new Date(ms).toISOString();

const CATALOGUE: readonly EventTemplate[] = [
	{
		event: 'LINK_ALIVE',
		category: 'NETWORK',
		weight: 14,
		edge: true,
		user: false,
		build: (c) => ({
			severity: 'INFO',
			message: `Link ${c.link.interface} is no longer DEAD`,
			detail: { logicalId: c.edge.logicalId, internalId: c.link.internalId },
			segmentName: null,
		}),
	},
	{
		event: 'LINK_DEAD',
		category: 'NETWORK',
		weight: 10,
		edge: true,
		user: false,
		build: (c) => ({
			severity: 'WARNING',
			message: `Link ${c.link.interface} is now DEAD`,
			detail: { logicalId: c.edge.logicalId, internalId: c.link.internalId, isp: c.link.isp, lossPct: between(c.rng, 60, 100) },
			segmentName: null,
		}),
	},
	{
		event: 'EDGE_UP',
		category: 'EDGE',
		weight: 5,
		edge: true,
		user: false,
		build: (c) => ({
			severity: 'NOTICE',
			message: `Edge ${c.edge.seed.name} is up`,
			detail: { edgeId: c.edge.id, logicalId: c.edge.logicalId, serialNumber: c.edge.serialNumber, downtimeSeconds: between(c.rng, 20, 3600) },
			segmentName: null,
		}),
	},
	{
		event: 'EDGE_DOWN',
		category: 'EDGE',
		weight: 4,
		edge: true,
		user: false,
		build: (c) => ({
			severity: 'CRITICAL',
			message: `Edge ${c.edge.seed.name} is down: no heartbeat for ${between(c.rng, 2, 9)} minutes`,
			detail: { edgeId: c.edge.id, logicalId: c.edge.logicalId, lastContact: iso(c.time - between(c.rng, 120, 540) * 1000), reason: 'HEARTBEAT_TIMEOUT' },
			segmentName: null,
		}),
	},
	{
		event: 'EDGE_INTERFACE_UP',
		category: 'NETWORK',
		weight: 6,
		edge: true,
		user: false,
		build: (c) => {
			const port = c.rng() < 0.5 ? c.link.interface : choose(c.rng, ['GE1', 'GE2', 'SFP1']);
			return {
				severity: 'NOTICE',
				message: `Interface ${port} is up`,
				detail: { interface: port, speedMbps: choose(c.rng, [100, 1000, 10000]), duplex: 'FULL' },
				segmentName: null,
			};
		},
	},
	{
		event: 'EDGE_INTERFACE_DOWN',
		category: 'NETWORK',
		weight: 5,
		edge: true,
		user: false,
		build: (c) => {
			const port = c.rng() < 0.5 ? c.link.interface : choose(c.rng, ['GE1', 'GE2', 'SFP1']);
			return {
				severity: 'WARNING',
				message: `Interface ${port} is down`,
				detail: { interface: port, reason: choose(c.rng, ['CARRIER_LOST', 'ADMIN_DOWN', 'SFP_REMOVED']) },
				segmentName: null,
			};
		},
	},
	{
		event: 'VPN_DATACENTER_STATUS',
		category: 'NETWORK',
		weight: 8,
		edge: true,
		user: false,
		build: (c) => {
			const up = c.rng() < 0.75;
			const dataCenter = choose(c.rng, DATA_CENTERS);
			return {
				severity: up ? 'INFO' : 'WARNING',
				message: `VPN tunnel to data center ${dataCenter} is ${up ? 'UP' : 'DOWN'}`,
				detail: { dataCenter, state: up ? 'UP' : 'DOWN', localIp: c.link.ipAddress, peerIp: publicIp(c.rng), tunnelType: 'IPsec' },
				segmentName: 'Global Segment',
			};
		},
	},
	{
		event: 'MGD_CONF_APPLIED',
		category: 'CONFIGURATION',
		weight: 7,
		edge: true,
		user: false,
		build: (c) => {
			const module = choose(c.rng, CONFIG_MODULES);
			const version = String(Math.floor(c.time / 1000) - between(c.rng, 5, 300));
			return {
				severity: 'INFO',
				message: `Applied new configuration for ${module} version ${version}`,
				detail: { module, version, configurationId: between(c.rng, 1000, 9999) },
				segmentName: null,
			};
		},
	},
	{
		event: 'USER_LOGIN',
		category: 'USER',
		weight: 8,
		edge: false,
		user: true,
		build: (c) => {
			const ip = publicIp(c.rng);
			return {
				severity: 'INFO',
				message: `User ${c.user} logged in from ${ip}`,
				detail: { ip, userAgent: choose(c.rng, USER_AGENTS), authMethod: choose(c.rng, ['PASSWORD', 'SAML']) },
				segmentName: null,
			};
		},
	},
	{
		event: 'USER_LOGIN_FAILURE',
		category: 'SECURITY',
		weight: 3,
		edge: false,
		user: true,
		build: (c) => {
			const ip = publicIp(c.rng);
			return {
				severity: 'WARNING',
				message: `Failed login for ${c.user} from ${ip}: invalid password`,
				detail: { ip, reason: 'INVALID_PASSWORD', consecutiveFailures: between(c.rng, 1, 6) },
				segmentName: null,
			};
		},
	},
	{
		event: 'EDGE_HA_FAILOVER',
		category: 'EDGE',
		weight: 2,
		edge: true,
		user: false,
		build: (c) => ({
			severity: 'CRITICAL',
			message: `HA failover on ${c.edge.seed.name}: standby took over as active`,
			detail: { activeSerialNumber: c.edge.haSerialNumber ?? c.edge.serialNumber, standbySerialNumber: c.edge.serialNumber, reason: 'ACTIVE_HEARTBEAT_LOST' },
			segmentName: null,
		}),
	},
	{
		event: 'BGP_NEIGHBOR_DOWN',
		category: 'NETWORK',
		weight: 3,
		edge: true,
		user: false,
		build: (c) => {
			const neighborIp = privateIp(c.rng);
			const asn = between(c.rng, 64512, 65534);
			return {
				severity: 'ERROR',
				message: `BGP neighbor ${neighborIp} (AS ${asn}) is down`,
				detail: { neighborIp, neighborAsn: asn, state: 'IDLE', reason: 'Hold timer expired' },
				segmentName: choose(c.rng, SEGMENTS),
			};
		},
	},
	{
		event: 'BGP_NEIGHBOR_UP',
		category: 'NETWORK',
		weight: 4,
		edge: true,
		user: false,
		build: (c) => {
			const neighborIp = privateIp(c.rng);
			const asn = between(c.rng, 64512, 65534);
			return {
				severity: 'INFO',
				message: `BGP neighbor ${neighborIp} (AS ${asn}) is up`,
				detail: { neighborIp, neighborAsn: asn, state: 'ESTABLISHED', prefixesReceived: between(c.rng, 1, 400) },
				segmentName: choose(c.rng, SEGMENTS),
			};
		},
	},
	{
		event: 'LICENSE_EXPIRING',
		category: 'ENTERPRISE',
		weight: 1,
		edge: false,
		user: false,
		build: (c) => {
			const days = between(c.rng, 1, 30);
			const license = `SD-WAN Enterprise ${choose(c.rng, ['100 Mbps', '500 Mbps', '1 Gbps'])}`;
			return {
				severity: 'WARNING',
				message: `Service license "${license}" expires in ${days} days`,
				detail: { license, expires: iso(c.time + days * 24 * HOUR_MS).slice(0, 10) },
				segmentName: null,
			};
		},
	},
];

const pickTemplate = weightedPicker(CATALOGUE);

/** For added events of a type outside the catalogue. */
function genericTemplate(event: string): EventTemplate {
	return {
		event,
		category: 'EDGE',
		weight: 0,
		edge: true,
		user: false,
		build: (c) => ({ severity: 'INFO', message: `${event} on ${c.edge.seed.name}`, detail: { logicalId: c.edge.logicalId }, segmentName: null }),
	};
}

/** Murmur3-style finaliser: decorrelates (a, b) into 32 bits. */
function hash32(a: number, b: number): number {
	let h = Math.imul(a ^ 0x85ebca6b, 0xcc9e2d51) ^ b;
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return (h ^ (h >>> 16)) >>> 0;
}

function hex(rng: () => number, digits: number): string {
	let out = '';
	for (let i = 0; i < digits; i++) out += Math.floor(rng() * 16).toString(16);
	return out;
}

function uuid(rng: () => number): string {
	return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${'89ab'[Math.floor(rng() * 4)]}${hex(rng, 3)}-${hex(rng, 12)}`;
}

/**
 * Epoch ms from a number, an RFC 3339 string, or a naive `YYYY-MM-DDTHH:MM:SS[.fff]` read as UTC
 * (the seed sends that). Digit-only strings are refused: the spec's epoch form is a number.
 */
export function parseVcoTime(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string') return undefined;
	const match = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/.exec(value);
	if (!match) return undefined;
	const [, y, mo, d, h, mi, s, fraction, zone] = match;
	if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 60) return undefined;
	const base = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
	const offset = !zone || zone === 'Z' || zone === 'z' ? 0 : (zone[0] === '-' ? -1 : 1) * (+zone.slice(1, 3) * 60 + +zone.slice(4, 6)) * 60_000;
	return base + (fraction ? Math.floor(Number(fraction) * 1000) : 0) - offset;
}

// ---------------------------------------------------------------------------------------------
// Errors and principals
// ---------------------------------------------------------------------------------------------

interface ValidationDetail {
	code: string;
	message: string;
	path: string;
}

class VcoError extends Error {
	constructor(
		readonly status: number,
		readonly code: number,
		message: string,
		readonly data?: { valid: boolean; error: ValidationDetail[]; warning: ValidationDetail[] },
		readonly headers?: Record<string, string>,
	) {
		super(message);
	}
}

const invalidParams = (path: string, message: string) =>
	new VcoError(400, -32602, `Invalid params: ${message}`, { valid: false, error: [{ code: 'INVALID', message, path }], warning: [] });
const forbidden = (message: string) => new VcoError(403, -32000, `Insufficient Permissions: ${message}`);
const EXPIRED_SESSION = 'tokenError [expired session cookie]';

type Principal =
	| { role: 'enterprise'; enterpriseId: number; username: string }
	| { role: 'partner'; proxyId: number; username: string }
	| { role: 'operator'; networkId: number; username: string };

interface Session {
	principal: Principal;
	expiresAt: number;
}

type Params = Record<string, unknown>;
type Method = (principal: Principal, params: Params) => unknown;

interface Row {
	time: number;
	id: number;
	edgeId: number | null;
	event: VcoEvent;
}

interface AddedEvent extends Row {
	enterpriseId: number;
}

interface Cursor {
	time: number;
	id: number;
}

interface Window {
	start: number;
	end: number;
}

type Transport = 'rpc' | 'rest';

const LOGIN_PATHS: Record<string, 'enterprise' | 'operator'> = {
	'/portal/rest/login/enterpriseLogin': 'enterprise',
	'/portal/rest/login/operatorLogin': 'operator',
	// the seed posts without the /portal/rest prefix
	'/login/enterpriseLogin': 'enterprise',
	'/login/operatorLogin': 'operator',
};
const LOGOUT_PATHS = new Set(['/portal/rest/logout', '/logout']);

export class VeloCloudSimulator extends SimulatorBase {
	readonly options: VeloCloudSimulatorOptions;
	private readonly baseMs: number;
	private readonly enterprises: SimEnterprise[];
	private readonly enterpriseById = new Map<number, SimEnterprise>();
	private readonly edgeById = new Map<number, SimEdge>();
	private readonly methods: Record<string, Method>;
	private readonly linkSecret: number;
	private sessions = new Map<string, Session>();
	/** added events per enterprise, ascending by (time, id) */
	private added = new Map<number, AddedEvent[]>();
	private nextAddedId: number;
	private trickleRandom: () => number;
	/** told of every added event (trickle or control API), e.g. to journal it across restarts */
	onEventAdded?: (record: VcoAddedEventRecord) => void;
	private bucketLevel = 0;
	private bucketAt = 0;
	private penaltyUntil = 0;

	constructor(options: Partial<VeloCloudSimulatorOptions> = {}) {
		super('velocloud');
		this.options = { ...DEFAULTS, ...options };
		if (!this.options.anchorMs) this.options.anchorMs = Date.now();
		if (!(this.options.eventCount >= 0) || !(this.options.spanMs > 0)) throw new Error('eventCount must be >= 0 and spanMs > 0');
		this.baseMs = this.options.anchorMs - this.options.spanMs;
		this.nextAddedId = FIRST_EVENT_ID + this.options.eventCount;
		this.linkSecret = hash32(this.options.seed, 0x51ed270b);
		this.trickleRandom = seededRandom(hash32(this.options.seed, 0x27d4eb2f));
		this.enterprises = this.buildTenants();
		for (const enterprise of this.enterprises) {
			this.enterpriseById.set(enterprise.seed.id, enterprise);
			for (const edge of enterprise.edges) this.edgeById.set(edge.id, edge);
		}
		this.methods = {
			'event/getEnterpriseEvents': (principal, params) => this.getEnterpriseEvents(principal, params),
			'enterprise/getEnterprise': (principal, params) => this.getEnterprise(principal, params),
			'enterprise/getEnterpriseEdges': (principal, params) => this.getEnterpriseEdges(principal, params),
			'network/getNetworkEnterprises': (principal, params) => this.getNetworkEnterprises(principal, params),
			'enterpriseProxy/getEnterpriseProxyEnterprises': (principal, params) => this.getEnterpriseProxyEnterprises(principal, params),
			'monitoring/getAggregateEdgeLinkMetrics': (principal, params) => this.getAggregateEdgeLinkMetrics(principal, params),
		};
		// One catch-all route: VCO paths are dispatched here after merging duplicate slashes, as the
		// nginx in front of a real VCO does (the seed's trailing-slash hostname yields `//portal/`).
		this.route('*', /^\/.*$/, (request) => this.dispatch(request));
	}

	credentials(): {
		url: string;
		token: string;
		username: string;
		password: string;
		operatorUsername: string;
		operatorPassword: string;
		partnerUsername: string;
		partnerPassword: string;
	} {
		const o = this.options;
		return {
			url: this.url,
			token: o.token,
			username: o.username,
			password: o.password,
			operatorUsername: o.operatorUsername,
			operatorPassword: o.operatorPassword,
			partnerUsername: o.partnerUsername,
			partnerPassword: o.partnerPassword,
		};
	}

	/** Enterprise ids and names, for tests. */
	get enterpriseNames(): Array<{ id: number; name: string; enterpriseProxyId: number | null }> {
		return this.enterprises.map((e) => ({ id: e.seed.id, name: e.seed.name, enterpriseProxyId: e.seed.proxyId }));
	}

	protected override trickleEveryMs(): number {
		return this.options.trickleMs;
	}

	protected override trickleOnce(): void {
		const enterprise = this.enterprises[Math.floor(this.trickleRandom() * this.enterprises.length)];
		this.addEvents({ enterpriseId: enterprise.seed.id, count: 1 });
	}

	/** Adds `count` events (default 1) to an enterprise (default 1); returns them as the API renders them. */
	addEvents(options: AddVcoEventsOptions = {}): VcoEvent[] {
		const enterpriseId = options.enterpriseId ?? 1;
		const enterprise = this.enterpriseById.get(enterpriseId);
		if (!enterprise) throw new Error(`no enterprise ${enterpriseId}`);
		const count = options.count ?? 1;
		if (!Number.isInteger(count) || count < 0 || count > MAX_ADD_COUNT) throw new Error(`count must be an integer from 0 to ${MAX_ADD_COUNT}`);
		const at = options.eventTime === undefined ? Date.now() : parseVcoTime(options.eventTime);
		if (at === undefined) throw new Error(`eventTime must be epoch ms or RFC 3339: ${String(options.eventTime)}`);
		const time = Math.floor(at - (options.backdateMs ?? 0));
		let list = this.added.get(enterpriseId);
		if (!list) this.added.set(enterpriseId, (list = []));
		const events: VcoEvent[] = [];
		for (let n = 0; n < count; n++) {
			const record: VcoAddedEventRecord = { enterpriseId, id: this.nextAddedId++, time, ...(options.event === undefined ? {} : { event: options.event }) };
			const row = this.addedRow(record);
			// After every event of the same millisecond: those all have smaller ids.
			list.splice(lowerBound(list, time + 1, (e) => e.time), 0, row);
			events.push(row.event);
			this.onEventAdded?.(record);
		}
		return events;
	}

	/**
	 * Puts back events added by an earlier run (same ids, times and bodies), so a restarted simulator
	 * keeps its history and numbers new events after the largest id it ever gave out.
	 */
	restoreAddedEvents(records: readonly VcoAddedEventRecord[]): void {
		for (const record of records) {
			if (!this.enterpriseById.has(record.enterpriseId)) throw new Error(`no enterprise ${record.enterpriseId}`);
			let list = this.added.get(record.enterpriseId);
			if (!list) this.added.set(record.enterpriseId, (list = []));
			list.push(this.addedRow(record));
			this.nextAddedId = Math.max(this.nextAddedId, record.id + 1);
		}
		for (const list of this.added.values()) list.sort((a, b) => a.time - b.time || a.id - b.id);
	}

	private addedRow(record: VcoAddedEventRecord): AddedEvent {
		const enterprise = this.enterpriseById.get(record.enterpriseId)!;
		const template = record.event === undefined ? undefined : (CATALOGUE.find((t) => t.event === record.event) ?? genericTemplate(record.event));
		const row = this.compose(record.id, record.time, enterprise, seededRandom(hash32(this.options.seed ^ 0x68e31da4, record.id)), template);
		return { ...row, enterpriseId: record.enterpriseId };
	}

	/** Every event of a window (inclusive), oldest first; all enterprises when none is given. */
	eventsBetween(enterpriseId: number | undefined, startMs: number, endMs: number, cap = MAX_CONTROL_EVENTS): VcoEvent[] {
		const targets = enterpriseId === undefined ? this.enterprises : [this.enterpriseById.get(enterpriseId)];
		const rows: Row[] = [];
		for (const enterprise of targets) {
			if (!enterprise) throw new Error(`no enterprise ${String(enterpriseId)}`);
			rows.push(...this.scan(enterprise, { start: startMs, end: endMs }, undefined, () => true, cap + 1 - rows.length));
			if (rows.length > cap) throw new Error(`the window holds more than ${cap} events; narrow it`);
		}
		rows.sort((a, b) => a.time - b.time || a.id - b.id);
		return rows.map((row) => row.event);
	}

	protected override expireSessions(): void {
		this.sessions.clear();
	}

	protected override resetState(): void {
		this.sessions.clear();
		this.added = new Map();
		this.bucketLevel = 0;
		this.bucketAt = 0;
		this.penaltyUntil = 0;
	}

	protected override notFound(request: SimRequest): SimResponse {
		return json(404, { error: { code: -32601, message: `Not found: ${request.method} ${request.path}` } });
	}

	// -------------------------------------------------------------------------------------------
	// Tenants
	// -------------------------------------------------------------------------------------------

	private buildTenants(): SimEnterprise[] {
		const rng = seededRandom(hash32(this.options.seed, 0x3c6ef372));
		let edgeId = 101;
		let linkId = 5001;
		return ENTERPRISES.map((seed, index) => {
			const edges = seed.edges.map((edgeSeed): SimEdge => {
				const serial = () => `VC0${between(rng, 5, 7)}${String(between(rng, 0, 99_999_999)).padStart(8, '0')}`;
				const mac = Array.from({ length: 6 }, (_, i) => (i === 0 ? 0x00 : between(rng, 0, 255)).toString(16).padStart(2, '0')).join(':');
				return {
					id: edgeId++,
					seed: edgeSeed,
					enterpriseId: seed.id,
					logicalId: uuid(rng),
					serialNumber: serial(),
					haSerialNumber: edgeSeed.ha ? serial() : null,
					selfMacAddress: mac,
					deviceId: uuid(rng).toUpperCase(),
					activationKey: `${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 4)}`.toUpperCase(),
					links: edgeSeed.links.map(([iface, isp]) => ({
						id: linkId++,
						interface: iface,
						isp,
						internalId: `00000${between(rng, 1, 9)}${hex(rng, 2)}-${hex(rng, 4)}-4${hex(rng, 3)}-${'89ab'[Math.floor(rng() * 4)]}${hex(rng, 3)}-${hex(rng, 12)}`,
						ipAddress: publicIp(rng),
					})),
				};
			});
			return {
				index,
				seed,
				logicalId: uuid(rng),
				edges,
				eventEdges: edges.filter((edge) => edge.seed.state !== 'NEVER_ACTIVATED'),
			};
		});
	}

	private enterpriseObject(enterprise: SimEnterprise): Record<string, unknown> {
		const s = enterprise.seed;
		const created = iso(this.options.anchorMs - (400 + enterprise.index * 90) * 24 * HOUR_MS).replace(/T.*/, 'T14:05:12.000Z');
		return {
			id: s.id,
			created,
			networkId: NETWORK_ID,
			gatewayPoolId: s.proxyId === null ? 1 : 3,
			alertsEnabled: 1,
			operatorAlertsEnabled: 1,
			endpointPkiMode: 'CERTIFICATE_OPTIONAL',
			name: s.name,
			domain: s.domain,
			prefix: s.prefix,
			logicalId: enterprise.logicalId,
			accountNumber: s.accountNumber,
			description: null,
			contactName: s.contactName,
			contactPhone: s.contactPhone,
			contactMobile: null,
			contactEmail: s.contactEmail,
			streetAddress: s.streetAddress,
			streetAddress2: null,
			city: s.city,
			state: s.state,
			postalCode: s.postalCode,
			country: s.country,
			lat: s.lat,
			lon: s.lon,
			timezone: s.timezone,
			locale: s.locale,
			modified: iso(this.options.anchorMs - (3 + enterprise.index) * 24 * HOUR_MS).replace(/T.*/, 'T09:41:27.000Z'),
			bastionState: 'UNCONFIGURED',
		};
	}

	private proxyObject(): Record<string, unknown> {
		return {
			id: PROXY.id,
			created: iso(this.options.anchorMs - 900 * 24 * HOUR_MS).replace(/T.*/, 'T11:00:00.000Z'),
			networkId: NETWORK_ID,
			proxyType: 'MSP',
			operateGateways: false,
			logicalId: uuid(seededRandom(hash32(this.options.seed, 0x7f4a7c15))),
			name: PROXY.name,
			domain: PROXY.domain,
			prefix: PROXY.prefix,
			description: null,
			contactName: PROXY.contactName,
			contactPhone: PROXY.contactPhone,
			contactMobile: null,
			contactEmail: PROXY.contactEmail,
			streetAddress: PROXY.streetAddress,
			streetAddress2: null,
			city: PROXY.city,
			state: PROXY.state,
			postalCode: PROXY.postalCode,
			country: PROXY.country,
			lat: PROXY.lat,
			lon: PROXY.lon,
			modified: iso(this.options.anchorMs - 30 * 24 * HOUR_MS).replace(/T.*/, 'T11:00:00.000Z'),
		};
	}

	private edgeObject(edge: SimEdge, withOptions: Set<string>): Record<string, unknown> {
		const anchor = this.options.anchorMs;
		const state = edge.seed.state;
		const activated = state !== 'NEVER_ACTIVATED';
		const lastContact = state === 'OFFLINE' ? anchor - 3 * HOUR_MS : anchor - 40_000;
		const upSince = iso(anchor - (6 + (edge.id % 5)) * 24 * HOUR_MS);
		const object: Record<string, unknown> = {
			id: edge.id,
			created: iso(anchor - (200 + edge.id) * 24 * HOUR_MS),
			enterpriseId: edge.enterpriseId,
			siteId: edge.id + 300,
			activationKey: edge.activationKey,
			activationKeyExpires: iso(anchor + 30 * 24 * HOUR_MS),
			activationState: activated ? 'ACTIVATED' : 'PENDING',
			activationTime: activated ? iso(anchor - (190 + edge.id) * 24 * HOUR_MS) : null,
			softwareVersion: activated ? '4.5.1' : null,
			bastionState: 'UNCONFIGURED',
			buildNumber: activated ? 'R451-20220301-GA' : null,
			factorySoftwareVersion: '3.4.6',
			factoryBuildNumber: 'R346-20210415-GA',
			platformFirmwareVersion: activated ? '2.3.1' : null,
			platformBuildNumber: activated ? 'PF231-20211102' : null,
			modemFirmwareVersion: null,
			modemBuildNumber: null,
			softwareUpdated: activated ? iso(anchor - 45 * 24 * HOUR_MS) : null,
			selfMacAddress: activated ? edge.selfMacAddress : null,
			deviceId: activated ? edge.deviceId : null,
			logicalId: edge.logicalId,
			serialNumber: activated ? edge.serialNumber : null,
			modelNumber: edge.seed.model,
			deviceFamily: deviceFamily(edge.seed.model),
			name: edge.seed.name,
			dnsName: null,
			description: null,
			alertsEnabled: 1,
			operatorAlertsEnabled: 1,
			edgeState: state,
			edgeStateTime: iso(state === 'CONNECTED' ? anchor - 5 * 24 * HOUR_MS : anchor - 3 * HOUR_MS),
			isLive: 0,
			systemUpSince: activated ? upSince : null,
			serviceUpSince: activated ? upSince : null,
			// VCO's zero date for "never": a real quirk that date parsers must survive
			lastContact: activated ? iso(lastContact) : '0000-00-00 00:00:00',
			serviceState: activated ? 'IN_SERVICE' : 'PENDING_SERVICE',
			endpointPkiMode: 'CERTIFICATE_OPTIONAL',
			haState: edge.seed.ha ? 'READY' : 'UNCONFIGURED',
			haPreviousState: edge.seed.ha ? 'PENDING_CONFIRMED' : 'UNCONFIGURED',
			haLastContact: edge.seed.ha ? iso(lastContact) : '0000-00-00 00:00:00',
			haSerialNumber: edge.haSerialNumber,
			modified: iso(anchor - 2 * 24 * HOUR_MS),
			customInfo: null,
			isHub: edge.seed.model === 'edge3400' || edge.seed.model === 'edge3800',
			isSoftwareVersionSupportedByVco: true,
		};
		if (withOptions.has('links') || withOptions.has('recentLinks')) {
			const links = edge.links.map((link) => this.linkObject(edge, link));
			if (withOptions.has('links')) object.links = links;
			if (withOptions.has('recentLinks')) object.recentLinks = links;
		}
		return object;
	}

	private linkObject(edge: SimEdge, link: SimLink): Record<string, unknown> {
		const dead = edge.seed.state === 'OFFLINE';
		return {
			id: link.id,
			created: iso(this.options.anchorMs - (180 + edge.id) * 24 * HOUR_MS),
			edgeId: edge.id,
			logicalId: link.internalId,
			internalId: link.internalId,
			interface: link.interface,
			macAddress: null,
			ipAddress: link.ipAddress,
			netmask: null,
			networkSide: 'WAN',
			networkType: link.interface.startsWith('CELL') ? 'WIRELESS' : 'ETHERNET',
			displayName: link.isp,
			isp: link.isp,
			lastActive: iso(dead ? this.options.anchorMs - 3 * HOUR_MS : this.options.anchorMs - 60_000),
			state: dead ? 'DISCONNECTED' : 'STABLE',
			backupState: 'UNCONFIGURED',
			vpnState: dead ? 'DEAD' : 'STABLE',
			lastEvent: iso(this.options.anchorMs - 2 * HOUR_MS),
			lastEventState: dead ? 'DISCONNECTED' : 'STABLE',
			modified: iso(this.options.anchorMs - 2 * HOUR_MS),
		};
	}

	/** The enterprises a principal may see. */
	private visibleEnterprises(principal: Principal): SimEnterprise[] {
		switch (principal.role) {
			case 'operator':
				return this.enterprises;
			case 'partner':
				return this.enterprises.filter((e) => e.seed.proxyId === principal.proxyId);
			case 'enterprise':
				return this.enterprises.filter((e) => e.seed.id === principal.enterpriseId);
		}
	}

	/**
	 * The enterprise a call is about: inferred for an enterprise user (another id is forbidden),
	 * required for operators and partners (a partner sees only its own customers).
	 */
	private targetEnterprise(principal: Principal, params: Params, aliases: readonly string[]): SimEnterprise {
		let raw: unknown;
		let name = aliases[0];
		for (const alias of aliases) {
			if (params[alias] !== undefined && params[alias] !== null) {
				raw = params[alias];
				name = alias;
				break;
			}
		}
		if (raw !== undefined && !Number.isInteger(raw)) throw invalidParams(name, `${name} must be an integer`);
		const id = raw as number | undefined;
		if (principal.role === 'enterprise') {
			if (id !== undefined && id !== principal.enterpriseId) throw forbidden(`no access to enterprise ${id}`);
			return this.enterpriseById.get(principal.enterpriseId)!;
		}
		if (id === undefined) throw invalidParams(name, `${name} is required for ${principal.role} users`);
		const enterprise = this.enterpriseById.get(id);
		if (principal.role === 'partner') {
			if (!enterprise || enterprise.seed.proxyId !== principal.proxyId) throw forbidden(`no access to enterprise ${id}`);
			return enterprise;
		}
		if (!enterprise) throw invalidParams(name, `no enterprise with id ${id}`);
		return enterprise;
	}

	// -------------------------------------------------------------------------------------------
	// Events
	// -------------------------------------------------------------------------------------------

	/** Time of generated event i: non-decreasing in i, jittered inside its slot. */
	private baseTime(index: number): number {
		const { eventCount, spanMs } = this.options;
		const fraction = hash32(this.options.seed ^ 0x9e3779b9, index) / 4294967296;
		return this.baseMs + Math.floor(((index + fraction) * spanMs) / eventCount);
	}

	/** First generated index whose time is >= value. */
	private baseLowerBound(value: number): number {
		let low = 0;
		let high = this.options.eventCount;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.baseTime(middle) < value) low = middle + 1;
			else high = middle;
		}
		return low;
	}

	private baseRow(index: number): Row {
		const enterprise = this.enterprises[index % this.enterprises.length];
		return this.compose(FIRST_EVENT_ID + index, this.baseTime(index), enterprise, seededRandom(hash32(this.options.seed, index)));
	}

	private compose(id: number, time: number, enterprise: SimEnterprise, rng: () => number, forced?: EventTemplate): Row {
		const template = forced ?? pickTemplate(rng());
		const edge = choose(rng, enterprise.eventEdges);
		const link = choose(rng, edge.links);
		const user = choose(rng, enterprise.seed.users);
		const body = template.build({ rng, time, enterprise, edge, link, user });
		const event: VcoEvent = {
			id,
			eventTime: iso(time),
			event: template.event,
			category: template.category,
			severity: body.severity,
			message: body.message,
			detail: JSON.stringify(body.detail),
			enterpriseUsername: template.user ? user : null,
			edgeName: template.edge ? edge.seed.name : null,
			segmentName: body.segmentName,
		};
		return { time, id, edgeId: template.edge ? edge.id : null, event };
	}

	/**
	 * Up to `want` rows of one enterprise in `window` (inclusive) that `accept`, newest first,
	 * strictly after `cursor` in that order. Cost: O(log n) to place the window, then one row build
	 * per candidate inspected; never proportional to the events held outside the window.
	 */
	private scan(enterprise: SimEnterprise, window: Window, cursor: Cursor | undefined, accept: (row: Row) => boolean, want: number): Row[] {
		const rows: Row[] = [];
		if (want <= 0 || window.end < window.start) return rows;
		const stride = this.enterprises.length;
		const start = Math.ceil(window.start);
		const end = Math.floor(window.end);

		// generated events: indices lo..hi, this enterprise's are those ≡ index (mod stride)
		const lo = this.baseLowerBound(start);
		let hi = this.baseLowerBound(end + 1) - 1;
		if (cursor) {
			const before = this.baseLowerBound(cursor.time) - 1;
			const tieEnd = this.baseLowerBound(cursor.time + 1) - 1;
			hi = Math.min(hi, Math.max(before, Math.min(tieEnd, cursor.id - FIRST_EVENT_ID - 1)));
		}
		let index = hi - ((((hi - enterprise.index) % stride) + stride) % stride);

		// added events: walk down from the last one inside the window and before the cursor
		const list = this.added.get(enterprise.seed.id) ?? [];
		let a = lowerBound(list, end + 1, (e) => e.time) - 1;
		if (cursor) a = Math.min(a, firstNotBefore(list, cursor) - 1);

		while (rows.length < want) {
			const baseLeft = index >= lo;
			const addedLeft = a >= 0 && list[a].time >= start;
			if (!baseLeft && !addedLeft) break;
			let row: Row;
			if (baseLeft && (!addedLeft || isAfter(this.baseTime(index), FIRST_EVENT_ID + index, list[a]))) {
				row = this.baseRow(index);
				index -= stride;
			} else {
				row = list[a];
				a--;
			}
			if (accept(row)) rows.push(row);
		}
		return rows;
	}

	private getEnterpriseEvents(principal: Principal, params: Params): unknown {
		const enterprise = this.targetEnterprise(principal, params, ['enterpriseId']);
		const filter = params.filter;
		if (filter !== undefined && filter !== null && (typeof filter !== 'object' || Array.isArray(filter))) throw invalidParams('filter', 'filter must be an object');
		const filterObject = (filter ?? {}) as Params;
		const limit = this.pageLimit(params.limit ?? filterObject.limit);
		const rules = compileRules(filterObject.rules);
		const edgeIds = parseEdgeIds(params.edgeId);
		const accept = (row: Row) => (edgeIds === undefined || (row.edgeId !== null && edgeIds.has(row.edgeId))) && rules(row.event);

		let window: Window;
		let cursor: Cursor | undefined;
		if (params.nextPageLink !== undefined && params.nextPageLink !== null) {
			const link = this.decodePageLink(params.nextPageLink);
			if (!link) throw invalidParams('nextPageLink', 'nextPageLink is not valid');
			if (link.enterpriseId !== enterprise.seed.id) throw invalidParams('nextPageLink', 'nextPageLink belongs to another enterprise');
			window = link.window;
			cursor = link.cursor;
		} else {
			window = parseInterval(params.interval);
		}

		const rows = this.scan(enterprise, window, cursor, accept, limit + 1);
		const more = rows.length > limit;
		if (more) rows.length = limit;
		const last = rows[rows.length - 1];
		const metaData = more
			? { limit, more, nextPageLink: this.encodePageLink(enterprise.seed.id, window, { time: last.time, id: last.id }) }
			: { limit, more };
		return { metaData, data: rows.map((row) => row.event) };
	}

	private pageLimit(raw: unknown): number {
		if (raw === undefined || raw === null) return DEFAULT_EVENTS_LIMIT;
		if (!Number.isInteger(raw) || (raw as number) < 1) throw invalidParams('filter.limit', 'limit must be a positive integer');
		return Math.min(raw as number, this.options.maxLimit);
	}

	/** An opaque, checksummed page link: enterprise, resolved window, last row's (time, id). */
	private encodePageLink(enterpriseId: number, window: Window, cursor: Cursor): string {
		const fields = [1, enterpriseId, window.start, window.end, cursor.time, cursor.id];
		return Buffer.from(JSON.stringify([...fields, this.checksum(fields)])).toString('base64url');
	}

	private decodePageLink(raw: unknown): { enterpriseId: number; window: Window; cursor: Cursor } | undefined {
		if (typeof raw !== 'string' || !/^[A-Za-z0-9_-]+$/.test(raw)) return undefined;
		let fields: unknown;
		try {
			fields = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
		} catch {
			return undefined;
		}
		if (!Array.isArray(fields) || fields.length !== 7 || !fields.every((f) => typeof f === 'number' && Number.isFinite(f))) return undefined;
		const values = fields as number[];
		if (values[0] !== 1 || values[6] !== this.checksum(values.slice(0, 6))) return undefined;
		return { enterpriseId: values[1], window: { start: values[2], end: values[3] }, cursor: { time: values[4], id: values[5] } };
	}

	private checksum(fields: number[]): number {
		let h = this.linkSecret;
		for (const c of fields.join(':')) h = hash32(h, c.charCodeAt(0));
		return h;
	}

	// -------------------------------------------------------------------------------------------
	// Enterprises, edges, metrics
	// -------------------------------------------------------------------------------------------

	private getEnterprise(principal: Principal, params: Params): unknown {
		const enterprise = this.targetEnterprise(principal, params, ['enterpriseId', 'id']);
		const object = this.enterpriseObject(enterprise);
		if (withSet(params.with).has('enterpriseProxy')) object.enterpriseProxy = enterprise.seed.proxyId === null ? null : this.proxyObject();
		return object;
	}

	private getEnterpriseEdges(principal: Principal, params: Params): unknown {
		const enterprise = this.targetEnterprise(principal, params, ['enterpriseId', 'id']);
		const options = withSet(params.with);
		return enterprise.edges.map((edge) => this.edgeObject(edge, options));
	}

	private withEdges(enterprise: SimEnterprise, options: Set<string>, object: Record<string, unknown>): Record<string, unknown> {
		if (options.has('edgeCount')) object.edgeCount = enterprise.edges.length;
		if (options.has('edges')) object.edges = enterprise.edges.map((edge) => this.edgeObject(edge, new Set()));
		return object;
	}

	private getNetworkEnterprises(principal: Principal, params: Params): unknown {
		if (principal.role !== 'operator') throw forbidden('network/getNetworkEnterprises is for operator users');
		const networkId = params.networkId ?? params.id;
		if (networkId !== undefined && networkId !== null && networkId !== NETWORK_ID) throw invalidParams('networkId', `no network with id ${String(networkId)}`);
		const wanted = params.enterprises;
		if (wanted !== undefined && (!Array.isArray(wanted) || !wanted.every((id) => Number.isInteger(id)))) {
			throw invalidParams('enterprises', 'enterprises must be an array of integers');
		}
		const options = withSet(params.with);
		return this.enterprises
			.filter((e) => !wanted || (wanted as number[]).includes(e.seed.id))
			.map((e) =>
				this.withEdges(e, options, {
					...this.enterpriseObject(e),
					enterpriseProxyId: e.seed.proxyId,
					enterpriseProxyName: e.seed.proxyId === null ? null : PROXY.name,
				}),
			);
	}

	private getEnterpriseProxyEnterprises(principal: Principal, params: Params): unknown {
		let proxyId: number;
		if (principal.role === 'partner') {
			if (params.enterpriseProxyId !== undefined && params.enterpriseProxyId !== principal.proxyId) {
				throw forbidden(`no access to enterprise proxy ${String(params.enterpriseProxyId)}`);
			}
			proxyId = principal.proxyId;
		} else if (principal.role === 'operator') {
			if (!Number.isInteger(params.enterpriseProxyId)) throw invalidParams('enterpriseProxyId', 'enterpriseProxyId is required for operator users');
			proxyId = params.enterpriseProxyId as number;
			if (proxyId !== PROXY.id) throw invalidParams('enterpriseProxyId', `no enterprise proxy with id ${proxyId}`);
		} else {
			throw forbidden('enterpriseProxy/getEnterpriseProxyEnterprises is for partner and operator users');
		}
		const options = withSet(params.with);
		return this.enterprises.filter((e) => e.seed.proxyId === proxyId).map((e) => this.withEdges(e, options, this.enterpriseObject(e)));
	}

	private getAggregateEdgeLinkMetrics(principal: Principal, params: Params): unknown {
		const window = parseInterval(params.interval);
		let targets = this.visibleEnterprises(principal);
		if (params.enterpriseProxyId !== undefined && principal.role === 'operator') {
			targets = targets.filter((e) => e.seed.proxyId === params.enterpriseProxyId);
		}
		if (params.enterprises !== undefined) {
			const ids = params.enterprises;
			if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id))) throw invalidParams('enterprises', 'enterprises must be an array of integers');
			for (const id of ids as number[]) {
				if (!targets.some((e) => e.seed.id === id)) throw forbidden(`no access to enterprise ${id}`);
			}
			targets = targets.filter((e) => (ids as number[]).includes(e.seed.id));
		}
		let metrics: string[] | undefined;
		if (params.metrics !== undefined) {
			if (!Array.isArray(params.metrics) || !params.metrics.every((m) => typeof m === 'string')) throw invalidParams('metrics', 'metrics must be an array of strings');
			metrics = params.metrics as string[];
		}
		const result: unknown[] = [];
		for (const enterprise of targets) {
			for (const edge of enterprise.eventEdges) {
				for (const link of edge.links) result.push(this.linkMetrics(enterprise, edge, link, window, metrics));
			}
		}
		return result;
	}

	private linkMetrics(enterprise: SimEnterprise, edge: SimEdge, link: SimLink, window: Window, metrics: string[] | undefined): unknown {
		const rng = seededRandom(hash32(hash32(this.options.seed, link.id), Math.floor(window.start / 300_000)));
		const hours = Math.max(0, window.end - window.start) / HOUR_MS;
		const dead = edge.seed.state === 'OFFLINE';
		const volume = (perHour: number) => (dead ? 0 : Math.round(perHour * hours * (0.6 + rng() * 0.8)));
		const bytesTx = volume(180_000_000);
		const bytesRx = volume(260_000_000);
		const packetsTx = Math.round(bytesTx / 190);
		const packetsRx = Math.round(bytesRx / 260);
		const values: Record<string, number> = {
			bytesTx,
			bytesRx,
			packetsTx,
			packetsRx,
			totalBytes: bytesTx + bytesRx,
			totalPackets: packetsTx + packetsRx,
			p1BytesRx: Math.round(bytesRx * 0.07),
			p1BytesTx: Math.round(bytesTx * 0.06),
			p1PacketsRx: Math.round(packetsRx * 0.03),
			p1PacketsTx: Math.round(packetsTx * 0.04),
			p2BytesRx: Math.round(bytesRx * 0.58),
			p2BytesTx: Math.round(bytesTx * 0.57),
			p2PacketsRx: Math.round(packetsRx * 0.34),
			p2PacketsTx: Math.round(packetsTx * 0.33),
			p3BytesRx: Math.round(bytesRx * 0.19),
			p3BytesTx: Math.round(bytesTx * 0.08),
			p3PacketsRx: Math.round(packetsRx * 0.05),
			p3PacketsTx: Math.round(packetsTx * 0.04),
			controlBytesRx: Math.round(bytesRx * 0.16),
			controlBytesTx: Math.round(bytesTx * 0.29),
			controlPacketsRx: Math.round(packetsRx * 0.58),
			controlPacketsTx: Math.round(packetsTx * 0.59),
			bpsOfBestPathRx: link.interface.startsWith('CELL') ? 48_000_000 : 950_000_000,
			bpsOfBestPathTx: link.interface.startsWith('CELL') ? 12_000_000 : 480_000_000,
			bestJitterMsRx: Math.round(rng() * 300) / 100,
			bestJitterMsTx: Math.round(rng() * 300) / 100,
			bestLatencyMsRx: Math.round((4 + rng() * 40) * 10_000) / 10_000,
			bestLatencyMsTx: Math.round((4 + rng() * 40) * 10_000) / 10_000,
			bestLossPctRx: edge.seed.state === 'DEGRADED' ? Math.round(rng() * 500) / 100 : 0,
			bestLossPctTx: edge.seed.state === 'DEGRADED' ? Math.round(rng() * 500) / 100 : 0,
			scoreTx: dead ? 0 : 4.4,
			scoreRx: dead ? 0 : 4.39,
			signalStrength: 0,
			state: 0,
		};
		const item: Record<string, unknown> = { linkId: link.id };
		for (const [key, value] of Object.entries(values)) if (!metrics || metrics.includes(key)) item[key] = value;
		const lastActive = iso(dead ? this.options.anchorMs - 3 * HOUR_MS : this.options.anchorMs - 60_000);
		item.name = link.interface;
		item.link = {
			enterpriseName: enterprise.seed.name,
			enterpriseId: enterprise.seed.id,
			enterpriseProxyId: enterprise.seed.proxyId,
			enterpriseProxyName: enterprise.seed.proxyId === null ? null : PROXY.name,
			edgeName: edge.seed.name,
			edgeState: edge.seed.state,
			edgeSystemUpSince: iso(this.options.anchorMs - 6 * 24 * HOUR_MS),
			edgeServiceUpSince: iso(this.options.anchorMs - 6 * 24 * HOUR_MS),
			edgeLastContact: lastActive,
			edgeId: edge.id,
			edgeSerialNumber: edge.serialNumber,
			edgeHASerialNumber: edge.haSerialNumber,
			edgeModelNumber: edge.seed.model,
			edgeLatitude: edge.seed.lat,
			edgeLongitude: edge.seed.lon,
			displayName: link.isp,
			isp: link.isp,
			interface: link.interface,
			internalId: link.internalId,
			linkState: dead ? 'DISCONNECTED' : 'STABLE',
			linkLastActive: lastActive,
			linkVpnState: dead ? 'DEAD' : 'STABLE',
			linkId: link.id,
			linkIpAddress: link.ipAddress,
			linkIpV6Address: null,
			linkMode: 'ACTIVE',
			linkBackupState: 'UNCONFIGURED',
		};
		return item;
	}

	// -------------------------------------------------------------------------------------------
	// HTTP: transports, auth, rate limit
	// -------------------------------------------------------------------------------------------

	private dispatch(request: SimRequest): SimResponse {
		const rawPath = (request.raw.url ?? '/').split('?')[0];
		const path = rawPath.replace(/\/{2,}/g, '/');
		if (request.method === 'GET' && (path === '/' || path === '/login.html')) {
			// where the login/logout redirects point: clients that follow them end on a 200 page
			return { status: 200, text: PORTAL_PAGE, headers: { 'content-type': 'text/html; charset=utf-8' } };
		}
		let transport: Transport;
		if (path === '/portal' || path === '/portal/') transport = 'rpc';
		else if (path.startsWith('/portal/rest/') || path in LOGIN_PATHS || LOGOUT_PATHS.has(path)) transport = 'rest';
		else return this.notFound({ ...request, path });

		if (request.method !== 'POST') {
			return this.errorResponse(transport, null, new VcoError(405, -32600, `Method ${request.method} not allowed: the Portal API accepts POST only`, undefined, { allow: 'POST' }));
		}
		const throttled = this.throttle(Date.now());
		if (throttled) return this.errorResponse(transport, null, throttled);

		try {
			if (transport === 'rpc') return this.handleJsonRpc(request);
			if (path in LOGIN_PATHS) return this.login(request, LOGIN_PATHS[path], 'rest', null);
			if (LOGOUT_PATHS.has(path)) return this.logout(request);
			const params = restParams(request);
			const result = this.invoke(request, path.slice('/portal/rest/'.length), params);
			return json(200, result);
		} catch (error) {
			return this.errorResponse(transport, null, asVcoError(error));
		}
	}

	private handleJsonRpc(request: SimRequest): SimResponse {
		let id: unknown = null;
		try {
			if (request.body.length === 0 || request.json === undefined) throw new VcoError(400, -32700, 'Parse error: the body is not JSON');
			const envelope = request.json;
			if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
				throw new VcoError(400, -32600, 'Invalid Request: expected a JSON-RPC 2.0 request object (batches are not supported)');
			}
			const { jsonrpc, method, params } = envelope as Record<string, unknown>;
			id = (envelope as Record<string, unknown>).id ?? null;
			if (jsonrpc !== '2.0') throw new VcoError(400, -32600, 'Invalid Request: jsonrpc must be "2.0"');
			if (typeof method !== 'string' || method === '') throw new VcoError(400, -32600, 'Invalid Request: method must be a string');
			if (params !== undefined && params !== null && (typeof params !== 'object' || Array.isArray(params))) {
				throw invalidParams('params', 'params must be an object');
			}
			const loginKind = method === 'login/enterpriseLogin' ? 'enterprise' : method === 'login/operatorLogin' ? 'operator' : undefined;
			if (loginKind) return this.login({ ...request, json: params ?? {} }, loginKind, 'rpc', id);
			const result = this.invoke(request, method, (params ?? {}) as Params);
			return json(200, { jsonrpc: '2.0', result, id });
		} catch (error) {
			return this.errorResponse('rpc', id, asVcoError(error));
		}
	}

	/** Authenticates, then runs a Portal method. */
	private invoke(request: SimRequest, method: string, params: Params): unknown {
		const principal = this.authenticate(request);
		if (method === 'logout') {
			this.endSession(request);
			return {};
		}
		const handler = Object.prototype.hasOwnProperty.call(this.methods, method) ? this.methods[method] : undefined;
		if (!handler) throw new VcoError(400, -32601, `Method not found: ${method}`);
		return handler(principal, params);
	}

	private authenticate(request: SimRequest): Principal {
		const header = request.headers.authorization;
		if (header !== undefined && header !== '') {
			const match = /^Token\s+(\S+)\s*$/i.exec(header);
			const role = match ? this.tokenRole(match[1]) : undefined;
			if (!role) throw new VcoError(401, -32000, 'tokenError [invalid token]');
			return this.principalFor(role, 'api-token');
		}
		const cookie = parseCookies(request.headers.cookie).get('velocloud.session');
		if (cookie === undefined || cookie === '') throw new VcoError(401, -32000, 'Authorization Cookie not Received');
		const session = this.sessions.get(cookie);
		if (!session || Date.now() >= session.expiresAt) {
			this.sessions.delete(cookie);
			throw new VcoError(200, -32000, EXPIRED_SESSION);
		}
		return session.principal;
	}

	private tokenRole(token: string): VcoRole | undefined {
		if (token === this.options.token) return this.options.tokenRole;
		return Object.prototype.hasOwnProperty.call(this.options.tokens, token) ? this.options.tokens[token] : undefined;
	}

	private principalFor(role: VcoRole, username: string): Principal {
		if (role === 'operator') return { role, networkId: NETWORK_ID, username };
		if (role === 'partner') return { role, proxyId: PROXY.id, username };
		return { role, enterpriseId: 1, username };
	}

	private login(request: SimRequest, kind: 'enterprise' | 'operator', transport: Transport, rpcId: unknown): SimResponse {
		const { username, password } = loginFields(request);
		const o = this.options;
		let role: VcoRole | undefined;
		if (kind === 'operator' && username === o.operatorUsername && password === o.operatorPassword) role = 'operator';
		if (kind === 'enterprise' && username === o.username && password === o.password) role = 'enterprise';
		if (kind === 'enterprise' && username === o.partnerUsername && password === o.partnerPassword) role = 'partner';

		if (!role) {
			const message = 'Invalid username or password';
			const cookies = [`velocloud.message=${encodeURIComponent(message)}; Path=/`, 'velocloud.session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly'];
			if (transport === 'rpc') return json(200, { jsonrpc: '2.0', error: { code: -32000, message }, id: rpcId }, { 'set-cookie': cookies });
			return { status: 302, headers: { location: '/login.html', 'set-cookie': cookies, 'content-type': 'text/plain' }, text: '' };
		}
		const session = randomBytes(24).toString('base64url');
		this.sessions.set(session, { principal: this.principalFor(role, username ?? ''), expiresAt: Date.now() + o.sessionTtlMs });
		const cookies = [`velocloud.session=${session}; Path=/; HttpOnly`];
		if (transport === 'rpc') return json(200, { jsonrpc: '2.0', result: {}, id: rpcId }, { 'set-cookie': cookies });
		return { status: 302, headers: { location: '/', 'set-cookie': cookies, 'content-type': 'text/plain' }, text: '' };
	}

	/** 302 whether or not a session was open (spec). */
	private logout(request: SimRequest): SimResponse {
		this.endSession(request);
		return {
			status: 302,
			headers: { location: '/login.html', 'set-cookie': ['velocloud.session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly'], 'content-type': 'text/plain' },
			text: '',
		};
	}

	private endSession(request: SimRequest): void {
		const cookie = parseCookies(request.headers.cookie).get('velocloud.session');
		if (cookie) this.sessions.delete(cookie);
	}

	/** Leaky bucket: drains `rateLimitPerSecond`, holds that × the window; overflow → penalty box. */
	private throttle(now: number): VcoError | undefined {
		const rate = this.options.rateLimitPerSecond;
		if (rate <= 0) return undefined;
		const refuse = () =>
			new VcoError(429, -32000, 'Rate limit exceeded: too many requests, retry after the penalty period', undefined, {
				'retry-after': String(Math.max(1, Math.ceil((this.penaltyUntil - now) / 1000))),
			});
		if (now < this.penaltyUntil) return refuse();
		const capacity = Math.max(1, (rate * this.options.rateLimitWindowMs) / 1000);
		this.bucketLevel = Math.max(0, this.bucketLevel - ((now - this.bucketAt) * rate) / 1000);
		this.bucketAt = now;
		if (this.bucketLevel + 1 > capacity) {
			this.penaltyUntil = now + this.options.penaltyMs;
			return refuse();
		}
		this.bucketLevel += 1;
		return undefined;
	}

	private errorResponse(transport: Transport, rpcId: unknown, error: VcoError): SimResponse {
		const body = { code: error.code, message: error.message, ...(error.data ? { data: error.data } : {}) };
		if (transport === 'rpc') return json(error.status, { jsonrpc: '2.0', error: body, id: rpcId }, error.headers);
		return json(error.status, { error: body }, error.headers);
	}

	// -------------------------------------------------------------------------------------------
	// Control API
	// -------------------------------------------------------------------------------------------

	protected override vendorControl(method: string, path: string, body: unknown, query?: URLSearchParams): SimResponse | undefined {
		if (path !== '/__sim/vco/events') return undefined;
		if (method === 'POST') {
			const input = (body ?? {}) as Record<string, unknown>;
			try {
				const events = this.addEvents({
					enterpriseId: input.enterpriseId === undefined ? undefined : Number(input.enterpriseId),
					count: input.count === undefined ? undefined : Number(input.count),
					eventTime: input.eventTime as string | number | undefined,
					backdateMs: input.backdateMs === undefined ? undefined : Number(input.backdateMs),
					event: typeof input.event === 'string' ? input.event : undefined,
				});
				return json(200, { added: events.length, events });
			} catch (error) {
				return json(400, { error: (error as Error).message });
			}
		}
		if (method === 'GET') {
			const start = controlBound(query?.get('start'), Number.NEGATIVE_INFINITY);
			const end = controlBound(query?.get('end'), Number.POSITIVE_INFINITY);
			if (start === undefined || end === undefined) return json(400, { error: 'start and end must be epoch ms or RFC 3339' });
			const rawEnterprise = query?.get('enterpriseId');
			const enterpriseId = rawEnterprise ? Number(rawEnterprise) : undefined;
			if (enterpriseId !== undefined && !this.enterpriseById.has(enterpriseId)) return json(400, { error: `no enterprise ${rawEnterprise}` });
			try {
				const events = this.eventsBetween(enterpriseId, start, end);
				return json(200, { count: events.length, events });
			} catch (error) {
				return json(413, { error: (error as Error).message });
			}
		}
		return undefined;
	}
}

const PORTAL_PAGE = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>VMware SD-WAN Orchestrator</title></head><body>VMware SD-WAN Orchestrator (simulated)</body></html>';

/** VCO groups models into families: edge510 → EDGE5X0, edge3400 → EDGE3X00. */
function deviceFamily(model: string): string {
	const digits = model.replace(/\D/g, '');
	if (digits.length === 4) return `EDGE${digits[0]}X00`;
	return digits === '840' ? 'EDGE840' : `EDGE${digits[0]}X0`;
}

/** True when (time, id) comes after `entry` in newest-first order. */
function isAfter(time: number, id: number, entry: Cursor): boolean {
	return time > entry.time || (time === entry.time && id > entry.id);
}

/** First index in an ascending (time, id) list that is not before `cursor`. */
function firstNotBefore(list: readonly Row[], cursor: Cursor): number {
	let low = 0;
	let high = list.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		const entry = list[middle];
		if (entry.time < cursor.time || (entry.time === cursor.time && entry.id < cursor.id)) low = middle + 1;
		else high = middle;
	}
	return low;
}

function parseInterval(raw: unknown): Window {
	const now = Date.now();
	if (raw === undefined || raw === null) return { start: now - 12 * HOUR_MS, end: now };
	if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidParams('interval', 'interval must be an object');
	const { start, end } = raw as Params;
	if (start === undefined || start === null) throw invalidParams('interval.start', 'interval.start is required');
	const startMs = parseVcoTime(start);
	if (startMs === undefined) throw invalidParams('interval.start', `interval.start is not a date: ${JSON.stringify(start)}`);
	const endMs = end === undefined || end === null ? now : parseVcoTime(end);
	if (endMs === undefined) throw invalidParams('interval.end', `interval.end is not a date: ${JSON.stringify(end)}`);
	return { start: startMs, end: endMs };
}

function parseEdgeIds(raw: unknown): Set<number> | undefined {
	if (raw === undefined || raw === null) return undefined;
	if (!Array.isArray(raw) || !raw.every((id) => Number.isInteger(id))) throw invalidParams('edgeId', 'edgeId must be an array of integers');
	return new Set(raw as number[]);
}

function withSet(raw: unknown): Set<string> {
	if (raw === undefined || raw === null) return new Set();
	if (!Array.isArray(raw) || !raw.every((value) => typeof value === 'string')) throw invalidParams('with', 'with must be an array of strings');
	return new Set(raw as string[]);
}

const RULE_FIELDS: Record<string, keyof VcoEvent> = {
	event: 'event',
	edgeName: 'edgeName',
	user: 'enterpriseUsername',
	severity: 'severity',
	message: 'message',
	detail: 'detail',
	segmentName: 'segmentName',
};

const severityRank = (value: string) => {
	const rank = (VCO_SEVERITIES as readonly string[]).indexOf(value.toUpperCase());
	return rank < 0 ? Number.NaN : rank;
};

type Test = (value: string, operand: string, field: string) => boolean;
const POSITIVE_OPS: Record<string, Test> = {
	is: (v, o) => v === o,
	in: (v, o) => v === o,
	contains: (v, o) => v.includes(o),
	startsWith: (v, o) => v.startsWith(o),
	endsWith: (v, o) => v.endsWith(o),
	// more severe = greater; other fields compare as strings
	greaterOrEquals: (v, o, f) => (f === 'severity' ? severityRank(v) <= severityRank(o) : v >= o),
	lesserOrEquals: (v, o, f) => (f === 'severity' ? severityRank(v) >= severityRank(o) : v <= o),
};
const NEGATED_OPS: Record<string, string> = { 'is not': 'is', isNot: 'is', notIn: 'in', notContains: 'contains', notStartsWith: 'startsWith', notEndsWith: 'endsWith' };

/** Compiles `filter.rules` to one predicate (rules ANDed, a rule's values ORed). */
function compileRules(raw: unknown): (event: VcoEvent) => boolean {
	if (raw === undefined || raw === null) return () => true;
	if (!Array.isArray(raw)) throw invalidParams('filter.rules', 'rules must be an array');
	const tests = raw.map((rule: unknown, i): ((event: VcoEvent) => boolean) => {
		const path = `filter.rules[${i}]`;
		if (typeof rule !== 'object' || rule === null) throw invalidParams(path, 'a rule must be an object');
		const { field, op, values } = rule as Params;
		if (typeof field !== 'string' || !(field in RULE_FIELDS)) throw invalidParams(`${path}.field`, `unknown field ${JSON.stringify(field)}`);
		const key = RULE_FIELDS[field];
		if (op === 'isNull') return (event) => event[key] === null;
		if (op === 'isNotNull') return (event) => event[key] !== null;
		const positive = typeof op === 'string' ? (NEGATED_OPS[op] ?? op) : '';
		const test = Object.prototype.hasOwnProperty.call(POSITIVE_OPS, positive) ? POSITIVE_OPS[positive] : undefined;
		if (!test) throw invalidParams(`${path}.op`, `unknown op ${JSON.stringify(op)}`);
		if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string')) {
			throw invalidParams(`${path}.values`, 'values must be a non-empty array of strings');
		}
		const operands = values as string[];
		const matches = (event: VcoEvent) => {
			const value = event[key];
			return value !== null && operands.some((operand) => test(String(value), operand, field));
		};
		return positive === op ? matches : (event) => !matches(event);
	});
	return (event) => tests.every((test) => test(event));
}

function restParams(request: SimRequest): Params {
	if (request.body.length === 0) return {};
	if (request.json === undefined) throw new VcoError(400, -32700, 'Parse error: the body is not JSON');
	if (typeof request.json !== 'object' || request.json === null || Array.isArray(request.json)) throw invalidParams('body', 'the body must be a JSON object');
	return request.json as Params;
}

/** Login bodies are JSON `{username,password}` (spec) or, as from the web form, url-encoded. */
function loginFields(request: SimRequest): { username?: string; password?: string } {
	const body = request.json;
	if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
		const fields = body as Params;
		const username = typeof fields.username === 'string' ? fields.username : typeof fields.email === 'string' ? fields.email : undefined;
		return { username, password: typeof fields.password === 'string' ? fields.password : undefined };
	}
	const form = new URLSearchParams(request.body.toString('utf8'));
	return { username: form.get('username') ?? undefined, password: form.get('password') ?? undefined };
}

function asVcoError(error: unknown): VcoError {
	if (error instanceof VcoError) return error;
	return new VcoError(500, -32603, `Internal error: ${(error as Error).message}`);
}

function controlBound(raw: string | null | undefined, fallback: number): number | undefined {
	if (raw === undefined || raw === null || raw === '') return fallback;
	if (/^-?\d+$/.test(raw)) return Number(raw);
	return parseVcoTime(raw);
}
