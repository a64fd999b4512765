/**
 * VMware vRealize Network Insight (vRNI) public API simulator: token auth, version, search with
 * cursor paging over flows and the inventory (VirtualMachine, Host, NSXSecurityGroup, SecurityTag,
 * ProblemEvent, clusters, datacenters, networks...), the entity lists, bulk and single entity fetch,
 * throttling. The filter language is the one the vRNI SDK's flows_to_vrli.py documents
 * (networkInsightFilter.ts), so that script runs unchanged against it.
 *
 * Sources: ../shared/api/rest-apis.md §3 and the vRNI 6.1.0 swagger (api/specs). Choices where
 * they are silent are marked "[choice]" below.
 *
 * Volume: the `flowCount` base flows are a pure function of (seed, index) with times monotonic in
 * the index, so a time window maps to an index range by binary search and a page only builds the
 * flows it returns (a filtered search also builds the flows it scans). Flows added later (control
 * API, trickle) are kept as a small sorted list of (time, index) and merged in.
 *
 * Choices where the sources are silent: windows are inclusive (start <= time <= end, epoch
 * seconds); with no time_range and no "in last" suffix a search or list covers the last 24 hours;
 * an explicit time_range wins over the suffix; the first page fixes the window, later pages reuse it
 * through the cursor (a keyset on (time, index), so flows back-dated behind it are not seen); the
 * last page has "cursor": null; size must be 1..maxPageSize (1000) else 400; every error carries an
 * ApiError body, 401 and 429 included (429 with Retry-After: 1); /info/version needs a token (the
 * spec marks it ApiKeyAuth); bulk fetch leaves unknown ids out; sort_by only supports time;
 * references carry entity_name as the SDK model does. Inventory objects exist over the whole span: a
 * search lists them with time = the window's end; a ProblemEvent is listed when it was open at some
 * point of the window, with time = max(opened, window start). A valid entity type the simulator holds
 * nothing of (e.g. EC2Instance) answers an empty page; a name outside AllEntityType is a 400.
 *
 * Control API (besides /__sim/faults, /__sim/reset, /__sim/stats from SimulatorBase):
 *   POST /__sim/vrni/flows  {"count":3,"backdateMs"?}  add flows stamped now (minus backdateMs)
 *   GET  /__sim/vrni/flows[/<start>/<end>]            flow ids and times of a window (epoch seconds,
 *        inclusive), oldest first; `?start=&end=` works once SimulatorBase forwards the query string
 *   POST /__sim/vrni/expire-tokens                    every token becomes invalid (401)
 *   GET  /__sim/vrni/state                            {tokens, flows}
 */
import { SimulatorBase, json, seededRandom, type SimRequest, type SimResponse } from './common';
import { compileFilter, FilterError, type CompiledFilter, type EntityPredicate } from './networkInsightFilter';

export interface NetworkInsightSimulatorOptions {
	seed: number;
	username: string;
	password: string;
	/** domain_type of the account: LOCAL, or LDAP with `ldapDomain` */
	domain: 'LOCAL' | 'LDAP';
	ldapDomain: string;
	/** token lifetime; vRNI tokens last 5 hours */
	tokenTtlMs: number;
	/** valid tokens a user may hold; one more answers 401 */
	maxTokensPerUser: number;
	/** base flows, spread over `spanMs` ending at `anchorMs` (up to 10^6) */
	flowCount: number;
	spanMs: number;
	/** newest possible base-flow time (epoch ms); defaults to the construction time */
	anchorMs: number;
	/** window searched when a request names no time at all [choice] */
	defaultWindowMs: number;
	/** largest `size` a page may ask for [choice]; more answers 400 */
	maxPageSize: number;
	/** VMs the flows run between */
	vmCount: number;
	/** when > 0, requests beyond this many per second answer 429 */
	rateLimitPerSecond: number;
	/** when > 0, one flow is added every trickleMs */
	trickleMs: number;
	/** ProblemEvents spread over the span */
	problemCount: number;
	apiVersion: string;
}

const DEFAULTS: Omit<NetworkInsightSimulatorOptions, 'anchorMs'> = {
	seed: 1,
	username: 'admin@local',
	password: 'vrni-sim-pass-8c2e',
	domain: 'LOCAL',
	ldapDomain: 'corp.example',
	tokenTtlMs: 5 * 3600 * 1000,
	maxTokensPerUser: 100,
	flowCount: 500,
	spanMs: 7 * 24 * 3600 * 1000,
	defaultWindowMs: 24 * 3600 * 1000,
	maxPageSize: 1000,
	vmCount: 60,
	rateLimitPerSecond: 0,
	trickleMs: 0,
	problemCount: 50,
	apiVersion: '1.1.0',
};

/** The bulk fetch limit the spec documents. */
export const VRNI_MAX_FETCH = 1000;

const MODEL_KEY = 10000;
/** vRNI object type codes inside entity ids (`10000:515:...` is a Flow in the spec example). */
const TYPE_CODES = {
	Flow: 515, VirtualMachine: 1, Host: 4, Vnic: 18, VCDatacenter: 105, Cluster: 66, ResourcePool: 79,
	Folder: 81, VlanL2Network: 12, NSXSecurityGroup: 82, VCenterManager: 8, Datastore: 80, SecurityTag: 97,
	ProblemEvent: 502,
} as const;
type EntityType = keyof typeof TYPE_CODES;
type Entity = Record<string, unknown>;

/** AllEntityType of the 6.1.0 swagger: what `entity_type` may name in a search. */
const ALL_ENTITY_TYPES = new Set(
	(
		'Group BaseSecurityGroup BaseEvent BaseVirtualMachine BaseFirewallRule BaseIPSet BaseL2Network BaseFirewall BaseService ' +
		'BaseServiceGroup BaseVnic VirtualMachine EC2Instance Host Vnic Vmknic VxlanLayer2Network VlanL2Network Cluster SecurityTag ' +
		'ResourcePool NSXIPSet NSXTIPSet EC2IPSet NSXSecurityGroup NSGroup NSXPolicyGroup EC2SecurityGroup Flow ProblemEvent Application ' +
		'Tier IPEndpoint NSXFirewallRule EC2SGFirewallRule NSXRedirectRule VCenterManager NSXVManager NSXTManager NSXPolicyManager ' +
		'CheckpointManager CheckpointMDSManager BaseManager BaseFirewallManager BaseNSXManager NSXService EC2Service NSService VPC ' +
		'CloudNetwork AzureVM AzureNSG AzureASG AzureNSGRule NSXDistributedFirewall EC2Firewall NSXServiceGroup NSServiceGroup ' +
		'DistributedVirtualSwitch DistributedVirtualPortgroup VCDatacenter Datastore Folder NSXTFirewallRule NSXTFirewall ' +
		'PolicyManagerFirewallRule PolicyManagerFirewall BaseGenericFirewall BaseGenericFirewallRule CheckpointFirewall ' +
		'CheckpointFirewallRule UserDefinedSubnet KubernetesService UserDefinedProblemEvent FirewallRuleMaskEvent EdgeDevice ' +
		'RouterDevice NSXController LogicalRouter NSXTManagementNode NSXTController NSXTTransportNode NSXTTransportZone ' +
		'NSXTLoadBalancer NSXTVirtualServer NSXTServerPool NSXTLogicalSwitch NSXTRouterDevice NSXTEdgeCluster NSXControllerCluster ' +
		'AzureSubscription AWSAccountManager HcxDataSource'
	).split(' '),
);

/** Abstract types a search may name and the simulated types they cover. */
const BASE_TYPES: Record<string, EntityType[]> = {
	Group: ['NSXSecurityGroup'],
	BaseSecurityGroup: ['NSXSecurityGroup'],
	BaseVirtualMachine: ['VirtualMachine'],
	BaseEvent: ['ProblemEvent'],
	BaseL2Network: ['VlanL2Network'],
	BaseVnic: ['Vnic'],
};

/** Properties of each simulated type besides entity_id, name and entity_type (the 6.1.0 swagger, allOf flattened): the fields a filter may name. */
const TYPE_FIELDS: Record<EntityType, string> = {
	Flow:
		'source_vm destination_vm source_vnic destination_vnic source_vpc destination_vpc source_cloud_network destination_cloud_network ' +
		'source_azure_nsg destination_azure_nsg source_datacenter destination_datacenter source_ip destination_ip source_l2_network ' +
		'destination_l2_network port source_folders destination_folders source_resource_pool destination_resource_pool source_cluster ' +
		'destination_cluster protocol source_ip_sets destination_ip_sets source_security_groups destination_security_groups traffic_type ' +
		'source_security_tags destination_security_tags source_host destination_host source_vm_tags destination_vm_tags within_host ' +
		'firewall_action firewall_rule_id flow_tag',
	VirtualMachine:
		'ip_addresses default_gateway vnics security_groups source_firewall_rules destination_firewall_rules ip_sets cluster ' +
		'resource_pool security_tags layer2_networks host vlans vendor_id vcenter_manager folders datastores datacenter nsx_manager ' +
		'source_inversion_rules destination_inversion_rules cpu_count memory',
	Host: 'vmknics cluster vcenter_manager vm_count datastores service_tag vendor_id nsx_manager maintenance_mode connection_state',
	NSXSecurityGroup:
		'members direct_source_rules direct_destination_rules indirect_source_rules indirect_destination_rules parents direct_members ' +
		'vendor_id excluded_members nsx_managers scope ip_sets security_tags',
	SecurityTag: 'description direct_security_groups security_groups vendor_id nsx_manager',
	Cluster: 'total_cpus total_memory num_cpu_cores vendor_id num_hosts num_datastores nsx_manager vcenter_manager',
	VCDatacenter: 'vendor_id vcenter_manager',
	VlanL2Network: 'network_addresses gateways vlan_id distributed_virtual_switches distributed_virtual_portgroups',
	Folder: 'vendor_id vcenter_manager',
	ResourcePool: 'vcenter_manager vendor_id',
	Datastore: 'vendor_id vcenter_manager',
	VCenterManager: 'ip_address fqdn vm nsx_manager vc_uuid',
	Vnic: 'ip_addresses layer2_network vlan vm',
	ProblemEvent:
		'anchor_entities related_entities message event_tags admin_state archived event_time_epoch_ms event_type recommendations ' +
		'severity event_close_time_epoch_ms',
};

function filterFields(types: EntityType[]): ReadonlySet<string> {
	return new Set(['entity_id', 'name', 'entity_type', ...types.flatMap((type) => TYPE_FIELDS[type].split(' '))]);
}

/** `/entities/<path>` list and get endpoints and the types they serve (flows have their own). */
const ENTITY_PATHS: Record<string, EntityType[]> = {
	vms: ['VirtualMachine'],
	hosts: ['Host'],
	clusters: ['Cluster'],
	'vc-datacenters': ['VCDatacenter'],
	folders: ['Folder'],
	datastores: ['Datastore'],
	'layer2-networks': ['VlanL2Network'],
	'security-groups': ['NSXSecurityGroup'],
	'security-tags': ['SecurityTag'],
	vnics: ['Vnic'],
	'vcenter-managers': ['VCenterManager'],
	problems: ['ProblemEvent'],
};

// ---------------------------------------------------------------------------------------------
// Invertible id scramble, so ids look like the spec's and still decode to an index.
// ---------------------------------------------------------------------------------------------

const SCRAMBLE_MUL = 0x9e3779b1;
const SCRAMBLE_XOR = 0x58f1a6c3;
const SCRAMBLE_INV = (() => {
	// Newton's iteration for the inverse of an odd number modulo 2^32.
	let inverse = SCRAMBLE_MUL;
	for (let i = 0; i < 5; i++) inverse = Math.imul(inverse, 2 - Math.imul(SCRAMBLE_MUL, inverse));
	return inverse;
})();

function scramble(index: number): number {
	return Math.imul(index ^ SCRAMBLE_XOR, SCRAMBLE_MUL) >>> 0;
}

function unscramble(value: number): number {
	return (Math.imul(value, SCRAMBLE_INV) ^ SCRAMBLE_XOR) >>> 0;
}

/** Each type gets its own offset so equal indexes of two types do not share a number. */
function typeOffset(type: EntityType): number {
	return Math.imul(TYPE_CODES[type], 0x01000193) >>> 0;
}

function entityId(type: EntityType, index: number): string {
	return `${MODEL_KEY}:${TYPE_CODES[type]}:${scramble((index + typeOffset(type)) >>> 0)}`;
}

/** Decodes `10000:<code>:<n>` of `type` to its index, or undefined. */
function entityIndex(type: EntityType, id: string): number | undefined {
	const match = /^(\d+):(\d+):(\d+)$/.exec(id);
	if (!match || Number(match[1]) !== MODEL_KEY || Number(match[2]) !== TYPE_CODES[type]) return undefined;
	const value = Number(match[3]);
	return value <= 0xffffffff ? (unscramble(value) - typeOffset(type)) >>> 0 : undefined;
}

// ---------------------------------------------------------------------------------------------
// Inventory: VMs and the objects flows reference
// ---------------------------------------------------------------------------------------------

interface Reference {
	entity_id: string;
	entity_type: EntityType;
	entity_name: string;
}

interface Vm {
	index: number;
	ref: Reference;
	ip: string;
	subnet: number;
	host: Reference;
	cluster: Reference;
	datacenter: Reference;
	l2: Reference;
	vnic: Reference;
	folder: Reference;
	resourcePool: Reference;
	securityGroup: Reference;
	vcenter: Reference;
	datastore: Reference;
	securityTags: Reference[];
	tags: string[];
}

const PROBLEM_KINDS: ReadonlyArray<{ name: string; eventType: string; anchor: 'vm' | 'host'; severity: string; tags: string[]; recommendations: string[] }> = [
	{ name: 'VM CPU usage high', eventType: 'VmCpuUsageHighEvent', anchor: 'vm', severity: 'WARNING', tags: ['VM', 'CPU'], recommendations: ['Check the workload or add vCPUs'] },
	{ name: 'VM network latency high', eventType: 'VmNetworkLatencyHighEvent', anchor: 'vm', severity: 'MODERATE', tags: ['VM', 'Network'], recommendations: ['Check the uplinks of the host'] },
	{ name: 'Host network packet drops', eventType: 'HostPacketDropEvent', anchor: 'host', severity: 'MODERATE', tags: ['Host', 'Network'], recommendations: ['Check the physical NICs'] },
	{ name: 'Host disconnected from vCenter', eventType: 'HostDisconnectedEvent', anchor: 'host', severity: 'CRITICAL', tags: ['Host', 'vCenter'], recommendations: ['Reconnect the host'] },
	{ name: 'Firewall rule denies VM traffic', eventType: 'FirewallRuleDenyEvent', anchor: 'vm', severity: 'INFO', tags: ['Security', 'Firewall'], recommendations: [] },
];

const ROLES = ['web', 'app', 'db', 'cache', 'mq', 'ldap', 'dns', 'jump'] as const;
const ENVIRONMENTS = ['prod', 'stg', 'dev'] as const;
const SUBNETS = [
	{ third: 10, name: 'VLAN-10-Web' },
	{ third: 20, name: 'VLAN-20-App' },
	{ third: 30, name: 'VLAN-30-DB' },
	{ third: 40, name: 'VLAN-40-Infra' },
];

interface Service {
	port: number;
	end?: number;
	protocol: 'TCP' | 'UDP';
	iana: string;
}

const SERVICES: readonly Service[] = [
	{ port: 443, protocol: 'TCP', iana: 'https' },
	{ port: 80, protocol: 'TCP', iana: 'http' },
	{ port: 22, protocol: 'TCP', iana: 'ssh' },
	{ port: 53, protocol: 'UDP', iana: 'domain' },
	{ port: 123, protocol: 'UDP', iana: 'ntp' },
	{ port: 3306, protocol: 'TCP', iana: 'mysql' },
	{ port: 5432, protocol: 'TCP', iana: 'postgresql' },
	{ port: 1433, protocol: 'TCP', iana: 'ms-sql-s' },
	{ port: 389, protocol: 'TCP', iana: 'ldap' },
	{ port: 445, protocol: 'TCP', iana: 'microsoft-ds' },
	{ port: 3389, protocol: 'TCP', iana: 'ms-wbt-server' },
	{ port: 500, protocol: 'UDP', iana: 'isakmp' },
	{ port: 161, protocol: 'UDP', iana: 'snmp' },
	{ port: 8080, protocol: 'TCP', iana: 'http-alt' },
	{ port: 6379, protocol: 'TCP', iana: 'redis' },
	{ port: 49152, end: 65535, protocol: 'TCP', iana: '' },
];

// ---------------------------------------------------------------------------------------------
// Flows
// ---------------------------------------------------------------------------------------------

interface Endpoint {
	ip: string;
	kind: 'vm' | 'physical' | 'internet';
	vm?: Vm;
}

/** What a filter can look at; cheap to build for every flow a search scans. */
export interface FlowCore {
	index: number;
	/** epoch seconds */
	time: number;
	source: Endpoint;
	destination: Endpoint;
	service: Service;
	protocol: 'TCP' | 'UDP';
	action: 'ALLOW' | 'DROP' | 'REJECT';
	ruleId: string;
	trafficType: 'EAST_WEST_TRAFFIC' | 'INTERNET_TRAFFIC';
	withinHost: boolean;
	tags: string[];
}

type FlowPredicate = (flow: FlowCore) => boolean;

class ApiFailure extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly target?: string,
	) {
		super(message);
	}
}

/** vRNI ApiError body: {code, message, details:[{code, message, target}]}. */
function apiError(status: number, message: string, target?: string): SimResponse {
	return json(status, { code: status, message, details: target ? [{ code: status, message, target: [target] }] : [] });
}

interface Window {
	start: number;
	end: number;
}

/** Keyset position: flows sort by (time, index). */
/** A flow's place: its time (epoch s) and index (its id is derived from it). */
export interface Position {
	time: number;
	index: number;
}

interface CursorState extends Position {
	/** fingerprint of the request the cursor belongs to */
	q: string;
	start: number;
	end: number;
	total: number;
}

interface Token {
	user: string;
	expiry: number;
}

export class NetworkInsightSimulator extends SimulatorBase {
	readonly options: NetworkInsightSimulatorOptions;
	private random: () => number;
	private readonly tokens = new Map<string, Token>();
	private vms: Vm[] = [];
	/** every inventory entity (VMs, hosts, groups, tags, problems...) by id */
	private readonly inventory = new Map<string, Entity>();
	private readonly ofType = new Map<EntityType, Entity[]>();
	private problems: Array<{ index: number; openedS: number; closedS?: number }> = [];
	/** flows added after start, sorted by (time, index) */
	private added: Position[] = [];
	private addedTimes = new Map<number, number>();
	/** told of every added flow (trickle or control API), e.g. to journal it across restarts */
	onFlowAdded?: (flow: Position) => void;
	private requestTimes: number[] = [];
	private readonly baseStart: number;
	private readonly baseSpan: number;

	constructor(options?: Partial<NetworkInsightSimulatorOptions>) {
		super('network-insight');
		this.options = { ...DEFAULTS, anchorMs: Date.now(), ...options };
		if (this.options.flowCount > 1_000_000) throw new Error('flowCount is limited to 10^6');
		this.baseStart = Math.floor((this.options.anchorMs - this.options.spanMs) / 1000);
		this.baseSpan = Math.max(1, Math.floor(this.options.spanMs / 1000));
		this.random = seededRandom(this.options.seed);
		this.buildInventory();
		this.registerRoutes();
	}

	credentials(): { url: string; username: string; password: string; domain: string } {
		return { url: this.url, username: this.options.username, password: this.options.password, domain: this.options.domain };
	}

	protected override trickleEveryMs(): number {
		return this.options.trickleMs;
	}

	protected override trickleOnce(): void {
		this.addFlows(1);
	}

	// ------------------------------------------------------------------ in-process controls

	/** Every flow the simulator holds. */
	get totalFlows(): number {
		return this.options.flowCount + this.added.length;
	}

	/** Adds `count` flows stamped now (minus backdateMs); back-dated ones sort into the past. */
	addFlows(count: number, backdateMs = 0): Array<{ entity_id: string; time: number }> {
		const time = Math.floor((Date.now() - backdateMs) / 1000);
		const out: Array<{ entity_id: string; time: number }> = [];
		for (let i = 0; i < count; i++) {
			const index = this.totalFlows;
			const at = firstIndex(this.added.length, (k) => compare(this.added[k], { time, index }) > 0);
			this.added.splice(at, 0, { time, index });
			this.addedTimes.set(index, time);
			out.push({ entity_id: entityId('Flow', index), time });
			this.onFlowAdded?.({ time, index });
		}
		return out;
	}

	/**
	 * Puts back flows added by an earlier run (the same ids and times; a flow's body is a function of
	 * both), so flows added after them get new ids.
	 */
	restoreAddedFlows(flows: readonly Position[]): void {
		for (const flow of flows) {
			if (this.addedTimes.has(flow.index) || flow.index < this.options.flowCount) throw new Error(`flow ${flow.index} is already held`);
			this.added.push({ time: flow.time, index: flow.index });
			this.addedTimes.set(flow.index, flow.time);
		}
		this.added.sort(compare);
	}

	/** Flow ids and times with start <= time <= end (epoch seconds), oldest first. */
	flowsBetween(start: number, end: number): Array<{ entity_id: string; time: number }> {
		const out: Array<{ entity_id: string; time: number }> = [];
		this.walk({ start, end }, undefined, 'ASC', undefined, Number.POSITIVE_INFINITY, (position) => {
			out.push({ entity_id: entityId('Flow', position.index), time: position.time });
		});
		return out;
	}

	/** Invalidates every token, as a server restart or expiry would. */
	expireAllTokens(): void {
		this.tokens.clear();
	}

	/** The full Flow entity of one flow id, or undefined. */
	flow(id: string): Record<string, unknown> | undefined {
		const index = entityIndex('Flow', id);
		if (index === undefined) return undefined;
		const time = this.timeOf(index);
		return time === undefined ? undefined : this.flowEntity(this.core(index, time));
	}

	// ------------------------------------------------------------------ state

	protected override resetState(): void {
		this.added = [];
		this.addedTimes = new Map();
		this.requestTimes = [];
	}

	protected override expireSessions(): void {
		this.expireAllTokens();
	}

	private ref(type: EntityType, index: number, name: string): Reference {
		return { entity_id: entityId(type, index), entity_type: type, entity_name: name };
	}

	/** Stores the full entity behind `reference`, with the type's properties in swagger order. */
	private put(reference: Reference, properties: Entity): void {
		const entity: Entity = { entity_id: reference.entity_id, name: reference.entity_name, entity_type: reference.entity_type, ...properties };
		this.inventory.set(reference.entity_id, entity);
		const list = this.ofType.get(reference.entity_type) ?? [];
		list.push(entity);
		this.ofType.set(reference.entity_type, list);
	}

	private buildInventory(): void {
		const random = seededRandom(this.options.seed ^ 0x7a11);
		const vcenter = this.ref('VCenterManager', 1, 'vcenter-01.corp.example');
		const datacenters = [this.ref('VCDatacenter', 1, 'DC-Plano'), this.ref('VCDatacenter', 2, 'DC-Helsinki')];
		const clusters = [this.ref('Cluster', 1, 'Compute-Cluster-A'), this.ref('Cluster', 2, 'Compute-Cluster-B'), this.ref('Cluster', 3, 'Edge-Cluster')];
		const hosts = Array.from({ length: 8 }, (_, i) => this.ref('Host', i + 1, `esxi-${String(i + 1).padStart(2, '0')}.corp.example`));
		const l2 = SUBNETS.map((subnet, i) => this.ref('VlanL2Network', i + 1, subnet.name));
		const folders = [this.ref('Folder', 1, 'Production'), this.ref('Folder', 2, 'Staging'), this.ref('Folder', 3, 'Development')];
		const pools = [this.ref('ResourcePool', 1, 'Resources'), this.ref('ResourcePool', 2, 'RP-Prod')];
		const groups = [this.ref('NSXSecurityGroup', 1, 'SG-Web'), this.ref('NSXSecurityGroup', 2, 'SG-App'), this.ref('NSXSecurityGroup', 3, 'SG-DB'), this.ref('NSXSecurityGroup', 4, 'SG-Infra')];
		const datastores = [this.ref('Datastore', 1, 'vsanDatastore'), this.ref('Datastore', 2, 'nfs-ds-01')];
		const securityTags = [this.ref('SecurityTag', 1, 'OPI'), this.ref('SecurityTag', 2, 'PCI'), this.ref('SecurityTag', 3, 'Quarantine')];
		this.vms = [];
		for (let i = 0; i < this.options.vmCount; i++) {
			const role = ROLES[i % ROLES.length];
			const environment = ENVIRONMENTS[Math.floor(i / ROLES.length) % ENVIRONMENTS.length];
			const subnet = role === 'web' ? 0 : role === 'db' ? 2 : role === 'ldap' || role === 'dns' || role === 'jump' ? 3 : 1;
			const name = `${role}-${environment}-${String(Math.floor(i / (ROLES.length * ENVIRONMENTS.length)) + 1).padStart(2, '0')}`;
			const hostIndex = Math.floor(random() * hosts.length);
			const vm: Vm = {
				index: i,
				ref: this.ref('VirtualMachine', i, name),
				ip: `10.16.${SUBNETS[subnet].third}.${10 + i}`,
				subnet,
				host: hosts[hostIndex],
				cluster: clusters[hostIndex % 2],
				datacenter: datacenters[hostIndex < 6 ? 0 : 1],
				l2: l2[subnet],
				vnic: this.ref('Vnic', i + 1, `${name}-vnic0`),
				folder: folders[ENVIRONMENTS.indexOf(environment)],
				resourcePool: pools[environment === 'prod' ? 1 : 0],
				securityGroup: groups[subnet],
				vcenter,
				datastore: datastores[i % 2],
				securityTags: [...(i % 5 === 0 ? [securityTags[0]] : []), ...(role === 'db' ? [securityTags[1]] : []), ...(i === 13 ? [securityTags[2]] : [])],
				tags: environment === 'prod' ? ['env:prod', `tier:${role}`] : [`env:${environment}`],
			};
			this.vms.push(vm);
		}
		const vmsWhere = (test: (vm: Vm) => boolean): Reference[] => this.vms.filter(test).map((vm) => vm.ref);
		const managed = { vcenter_manager: strip(vcenter) };
		this.put(vcenter, { ip_address: { ip_address: '10.16.40.5', netmask: '255.255.255.0', network_address: '10.16.40.0/24' }, fqdn: vcenter.entity_name, vm: null, nsx_manager: null, vc_uuid: '4f8a1c2e-6b3d-4e5f-9a7b-0c1d2e3f4a5b' });
		datacenters.forEach((datacenter, i) => this.put(datacenter, { vendor_id: `datacenter-${21 + i}`, ...managed }));
		clusters.forEach((cluster, i) => {
			const members = hosts.filter((_, h) => (i === 2 ? false : h % 2 === i));
			this.put(cluster, { total_cpus: members.length * 64, total_memory: members.length * 512 * 1024, num_cpu_cores: members.length * 32, vendor_id: `domain-c${7 + i}`, num_hosts: members.length, num_datastores: 2, nsx_manager: null, ...managed });
		});
		hosts.forEach((host, i) => {
			this.put(host, {
				vmknics: [],
				cluster: strip(clusters[i % 2]),
				...managed,
				vm_count: this.vms.filter((vm) => vm.host === host).length,
				datastores: datastores.map(strip),
				service_tag: `CT${1340 + i}`,
				vendor_id: `host-${12 + i}`,
				nsx_manager: null,
				maintenance_mode: i === 7 ? 'true' : 'false',
				connection_state: i === 7 ? 'DISCONNECTED' : 'CONNECTED',
			});
		});
		l2.forEach((network, i) => {
			const subnet = SUBNETS[i];
			this.put(network, { network_addresses: [`10.16.${subnet.third}.0/24`], gateways: [`10.16.${subnet.third}.1`], vlan_id: subnet.third, distributed_virtual_switches: [], distributed_virtual_portgroups: [] });
		});
		folders.forEach((folder, i) => this.put(folder, { vendor_id: `group-v${31 + i}`, ...managed }));
		pools.forEach((pool, i) => this.put(pool, { ...managed, vendor_id: `resgroup-${8 + i}` }));
		datastores.forEach((datastore, i) => this.put(datastore, { vendor_id: `datastore-${41 + i}`, ...managed }));
		groups.forEach((group, i) => {
			const members = vmsWhere((vm) => vm.securityGroup === group).map(strip);
			this.put(group, {
				members,
				direct_source_rules: [],
				direct_destination_rules: [],
				indirect_source_rules: [],
				indirect_destination_rules: [],
				parents: [],
				direct_members: members,
				vendor_id: `securitygroup-${10 + i}`,
				excluded_members: [],
				nsx_managers: [],
				scope: 'GLOBAL',
				ip_sets: [],
				security_tags: [],
			});
		});
		securityTags.forEach((tag, i) => {
			this.put(tag, { description: `${tag.entity_name} workloads`, direct_security_groups: [], security_groups: [], vendor_id: `securitytag-${i + 1}`, nsx_manager: null });
		});
		for (const vm of this.vms) {
			this.put(vm.vnic, { ip_addresses: [{ ip_address: vm.ip, netmask: '255.255.255.0', network_address: `10.16.${SUBNETS[vm.subnet].third}.0/24` }], layer2_network: strip(vm.l2), vlan: { begin: SUBNETS[vm.subnet].third, end: SUBNETS[vm.subnet].third }, vm: strip(vm.ref) });
		}
		for (const vm of this.vms) this.put(vm.ref, this.vmProperties(vm));
		this.buildProblems(random, hosts);
	}

	private vmProperties(vm: Vm): Entity {
		const subnet = SUBNETS[vm.subnet];
		return {
			ip_addresses: [{ ip_address: vm.ip, netmask: '255.255.255.0', network_address: `10.16.${subnet.third}.0/24` }],
			default_gateway: `10.16.${subnet.third}.1`,
			vnics: [strip(vm.vnic)],
			security_groups: [strip(vm.securityGroup)],
			source_firewall_rules: [],
			destination_firewall_rules: [],
			ip_sets: [],
			cluster: strip(vm.cluster),
			resource_pool: strip(vm.resourcePool),
			security_tags: vm.securityTags.map(strip),
			layer2_networks: [strip(vm.l2)],
			host: strip(vm.host),
			vlans: [{ begin: subnet.third, end: subnet.third }],
			vendor_id: `vm-${1000 + vm.index}`,
			vcenter_manager: strip(vm.vcenter),
			folders: [strip(vm.folder)],
			datastores: [strip(vm.datastore)],
			datacenter: strip(vm.datacenter),
			nsx_manager: null,
			source_inversion_rules: [],
			destination_inversion_rules: [],
			cpu_count: [2, 4, 8][vm.index % 3],
			memory: [4096, 8192, 16384][vm.index % 3],
		};
	}

	/** ProblemEvents spread over the span, some still open; times are a pure function of the seed. */
	private buildProblems(random: () => number, hosts: Reference[]): void {
		this.problems = [];
		const count = this.options.problemCount;
		for (let k = 0; k < count; k++) {
			const kind = PROBLEM_KINDS[Math.floor(random() * PROBLEM_KINDS.length)];
			const anchor = kind.anchor === 'host' ? hosts[Math.floor(random() * hosts.length)] : this.vms[Math.floor(random() * this.vms.length)].ref;
			const openedMs = this.baseStart * 1000 + Math.floor(((k + random()) * this.options.spanMs) / Math.max(1, count));
			const closedMs = random() < 0.7 ? openedMs + Math.floor((10 + random() * 350) * 60_000) : undefined;
			const reference = this.ref('ProblemEvent', k, kind.name);
			this.put(reference, {
				anchor_entities: [strip(anchor)],
				related_entities: [strip(anchor)],
				message: `${kind.name} on ${anchor.entity_name}`,
				event_tags: kind.tags,
				admin_state: 'ENABLED',
				archived: false,
				event_time_epoch_ms: openedMs,
				event_type: kind.eventType,
				recommendations: kind.recommendations,
				severity: kind.severity,
				...(closedMs === undefined ? {} : { event_close_time_epoch_ms: closedMs }),
			});
			this.problems.push({ index: k, openedS: Math.floor(openedMs / 1000), closedS: closedMs === undefined ? undefined : Math.floor(closedMs / 1000) });
		}
	}

	// ------------------------------------------------------------------ flow generation

	/** Base flow time: monotonic in the index, spread over the span. */
	private baseTime(index: number): number {
		const jitter = (scramble(index + this.options.seed) % 1000) / 1000;
		return this.baseStart + Math.floor(((index + jitter) * this.baseSpan) / this.options.flowCount);
	}

	private timeOf(index: number): number | undefined {
		if (index < this.options.flowCount) return this.baseTime(index);
		return this.addedTimes.get(index);
	}

	/** A flow's content is a pure function of (seed, index); only its time comes from outside. */
	private core(index: number, time: number): FlowCore {
		const random = seededRandom((this.options.seed * 0x9e3779b1) ^ scramble(index));
		const roll = random();
		const vm = (): Endpoint => {
			const chosen = this.vms[Math.floor(random() * this.vms.length)];
			return { ip: chosen.ip, kind: 'vm', vm: chosen };
		};
		const physical = (): Endpoint => ({ ip: `10.197.53.${20 + Math.floor(random() * 40)}`, kind: 'physical' });
		const internet = (): Endpoint => ({
			ip: `${[52, 104, 142, 151, 185][Math.floor(random() * 5)]}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`,
			kind: 'internet',
		});
		let source: Endpoint;
		let destination: Endpoint;
		if (roll < 0.45) [source, destination] = [vm(), vm()];
		else if (roll < 0.6) [source, destination] = [vm(), physical()];
		else if (roll < 0.7) [source, destination] = [physical(), physical()];
		else if (roll < 0.9) [source, destination] = [vm(), internet()];
		else [source, destination] = [internet(), vm()];
		if (source.vm && destination.vm && source.vm === destination.vm) destination = physical();
		const service = SERVICES[Math.floor(random() * SERVICES.length)];
		const actionRoll = random();
		const action = actionRoll < 0.88 ? 'ALLOW' : actionRoll < 0.96 ? 'DROP' : 'REJECT';
		const internetFlow = source.kind === 'internet' || destination.kind === 'internet';
		const withinHost = Boolean(source.vm && destination.vm && source.vm.host === destination.vm.host);
		const tags: string[] = [internetFlow ? 'TAG_INTERNET_TRAFFIC' : 'TAG_EAST_WEST_TRAFFIC'];
		const pair = [source.kind, destination.kind].filter((kind) => kind !== 'internet');
		if (pair.length === 2) tags.push(pair.every((kind) => kind === 'vm') ? 'TAG_VM_VM_TRAFFIC' : pair.every((kind) => kind === 'physical') ? 'TAG_PHY_PHY_TRAFFIC' : 'TAG_VM_PHY_TRAFFIC');
		const ipTag = (side: 'SRC' | 'DST', endpoint: Endpoint): string => `TAG_${side}_IP_${endpoint.kind === 'vm' ? 'VM' : endpoint.kind === 'physical' ? 'PHYSICAL' : 'INTERNET'}`;
		tags.push(ipTag('SRC', source), ipTag('DST', destination));
		if (source.vm && destination.vm) {
			tags.push(withinHost ? 'TAG_SAME_HOST' : 'TAG_DIFF_HOST');
			tags.push(source.vm.subnet === destination.vm.subnet ? 'TAG_NETWORK_SWITCHED' : 'TAG_NETWORK_ROUTED');
			tags.push(source.vm.datacenter === destination.vm.datacenter ? 'TAG_WITHIN_DC' : 'TAG_DIFF_DC');
		}
		if (source.vm) tags.push('TAG_SRC_VC');
		if (destination.vm) tags.push('TAG_DST_VC');
		tags.push(service.iana === 'domain' || service.iana === 'ntp' ? 'TAG_SHARED_SERVICE' : 'TAG_NOT_SHARED_SERVICE', 'TAG_UNICAST');
		return {
			index,
			time,
			source,
			destination,
			service,
			protocol: service.protocol,
			action,
			ruleId: action === 'ALLOW' ? String(1001 + Math.floor(random() * 12)) : String(2001 + Math.floor(random() * 4)),
			trafficType: internetFlow ? 'INTERNET_TRAFFIC' : 'EAST_WEST_TRAFFIC',
			withinHost,
			tags,
		};
	}

	private flowEntity(flow: FlowCore): Record<string, unknown> {
		const port = flow.service;
		const display = port.end ? `${port.port}-${port.end}` : String(port.port);
		const entity: Record<string, unknown> = {
			entity_id: entityId('Flow', flow.index),
			name: `${flow.source.ip} -> ${flow.destination.ip} [port:${display}]`,
			entity_type: 'Flow',
		};
		const sides: Array<['source' | 'destination', Endpoint]> = [['source', flow.source], ['destination', flow.destination]];
		for (const [side, endpoint] of sides) {
			const vm = endpoint.vm;
			if (!vm) continue;
			entity[`${side}_vm`] = vm.ref;
			entity[`${side}_vnic`] = vm.vnic;
			entity[`${side}_datacenter`] = vm.datacenter;
		}
		entity.source_ip = ipObject(flow.source.ip);
		entity.destination_ip = ipObject(flow.destination.ip);
		for (const [side, endpoint] of sides) if (endpoint.vm) entity[`${side}_l2_network`] = endpoint.vm.l2;
		entity.port = { start: port.port, end: port.end ?? port.port, display, iana_name: port.iana, iana_port_display: port.iana ? `${display} [${port.iana}]` : display };
		for (const [side, endpoint] of sides) entity[`${side}_folders`] = endpoint.vm ? [endpoint.vm.folder] : [];
		for (const [side, endpoint] of sides) {
			if (!endpoint.vm) continue;
			entity[`${side}_resource_pool`] = endpoint.vm.resourcePool;
			entity[`${side}_cluster`] = endpoint.vm.cluster;
		}
		entity.protocol = flow.protocol;
		entity.source_ip_sets = [];
		entity.destination_ip_sets = [];
		for (const [side, endpoint] of sides) entity[`${side}_security_groups`] = endpoint.vm ? [endpoint.vm.securityGroup] : [];
		entity.traffic_type = flow.trafficType;
		for (const [side, endpoint] of sides) entity[`${side}_security_tags`] = endpoint.vm ? endpoint.vm.securityTags : [];
		for (const [side, endpoint] of sides) if (endpoint.vm) entity[`${side}_host`] = endpoint.vm.host;
		for (const [side, endpoint] of sides) entity[`${side}_vm_tags`] = endpoint.vm ? endpoint.vm.tags : [];
		entity.within_host = flow.withinHost;
		entity.firewall_action = flow.action;
		// The schema types firewall_rule_id as a string (the spec example shows []).
		entity.firewall_rule_id = flow.ruleId;
		entity.flow_tag = flow.tags;
		return entity;
	}

	// ------------------------------------------------------------------ window walks

	/**
	 * Visits flows of `window` after `after` in (time, index) order (or before it, DESC), keeping those
	 * `predicate` accepts, until `limit` were visited. Returns how many were visited.
	 */
	private walk(
		window: Window,
		after: Position | undefined,
		order: 'ASC' | 'DESC',
		predicate: FlowPredicate | undefined,
		limit: number,
		visit: (position: Position) => void,
	): number {
		const sources: Array<{ length: number; at: (k: number) => Position }> = [
			{ length: this.options.flowCount, at: (k) => ({ time: this.baseTime(k), index: k }) },
			{ length: this.added.length, at: (k) => this.added[k] },
		];
		const cursors = sources.map((source) => {
			let low = firstIndex(source.length, (k) => source.at(k).time >= window.start);
			let high = firstIndex(source.length, (k) => source.at(k).time > window.end);
			if (after && order === 'ASC') low = Math.max(low, firstIndex(source.length, (k) => compare(source.at(k), after) > 0));
			if (after && order === 'DESC') high = Math.min(high, firstIndex(source.length, (k) => compare(source.at(k), after) >= 0));
			return { source, low, high, next: order === 'ASC' ? low : high - 1 };
		});
		let visited = 0;
		while (visited < limit) {
			let best: { cursor: (typeof cursors)[number]; position: Position } | undefined;
			for (const cursor of cursors) {
				if (cursor.next < cursor.low || cursor.next >= cursor.high) continue;
				const position = cursor.source.at(cursor.next);
				if (!best || (order === 'ASC' ? compare(position, best.position) < 0 : compare(position, best.position) > 0)) best = { cursor, position };
			}
			if (!best) break;
			best.cursor.next += order === 'ASC' ? 1 : -1;
			if (predicate && !predicate(this.core(best.position.index, best.position.time))) continue;
			visit(best.position);
			visited += 1;
		}
		return visited;
	}

	/** Matches in a window without building flows when there is no filter. */
	private countWindow(window: Window, predicate: FlowPredicate | undefined): number {
		if (predicate) return this.walk(window, undefined, 'ASC', predicate, Number.POSITIVE_INFINITY, () => undefined);
		const inBase = firstIndex(this.options.flowCount, (k) => this.baseTime(k) > window.end) - firstIndex(this.options.flowCount, (k) => this.baseTime(k) >= window.start);
		const inAdded = firstIndex(this.added.length, (k) => this.added[k].time > window.end) - firstIndex(this.added.length, (k) => this.added[k].time >= window.start);
		return Math.max(0, inBase) + Math.max(0, inAdded);
	}

	/** One page of a search or list, with the cursor for the next one (null at the end). */
	private page(
		fingerprint: string,
		window: Window,
		predicate: FlowPredicate | undefined,
		order: 'ASC' | 'DESC',
		size: number,
		cursorText: string | undefined,
	): Record<string, unknown> {
		const resumed = resume(cursorText, fingerprint);
		if (resumed) window = resumed.window;
		const after = resumed?.after;
		const total = resumed?.total ?? this.countWindow(window, predicate);
		// One extra visit tells whether another page exists.
		const positions: Position[] = [];
		this.walk(window, after, order, predicate, size + 1, (position) => positions.push(position));
		const more = positions.length > size;
		const shown = positions.slice(0, size);
		const results = shown.map((position) => ({ entity_id: entityId('Flow', position.index), entity_type: 'Flow', time: position.time }));
		const last = shown.at(-1);
		const cursor = more && last ? encodeCursor({ q: fingerprint, start: window.start, end: window.end, total, ...last }) : null;
		return { results, cursor, total_count: total, start_time: window.start, end_time: window.end };
	}

	// ------------------------------------------------------------------ REST

	private registerRoutes(): void {
		this.api('POST', '/api/ni/auth/token', false, (request) => this.createToken(request));
		this.api('DELETE', '/api/ni/auth/token', true, (_request, token) => {
			this.tokens.delete(token);
			return { status: 204, text: '' };
		});
		this.api('GET', '/api/ni/info/version', true, () => json(200, { api_version: this.options.apiVersion }));
		this.api('POST', '/api/ni/search', true, (request) => this.search(request));
		this.api('GET', '/api/ni/entities/flows', true, (request) => this.listEntities(request, undefined));
		this.api('GET', /^\/api\/ni\/entities\/flows\/([^/]+)$/, true, (_request, _token, [id]) => {
			const flow = this.flow(decodeURIComponent(id));
			return flow ? json(200, flow) : apiError(404, `Flow ${decodeURIComponent(id)} not found`);
		});
		for (const [path, types] of Object.entries(ENTITY_PATHS)) {
			this.api('GET', `/api/ni/entities/${path}`, true, (request) => this.listEntities(request, types));
			this.api('GET', new RegExp(`^/api/ni/entities/${path}/([^/]+)$`), true, (_request, _token, [id]) => {
				const entity = this.inventory.get(decodeURIComponent(id));
				return entity && types.includes(entity.entity_type as EntityType)
					? json(200, entity)
					: apiError(404, `${types[0]} ${decodeURIComponent(id)} not found`);
			});
		}
		this.api('POST', '/api/ni/entities/fetch', true, (request) => this.bulkFetch(request));
	}

	/** Registers a route behind the throttle and, when `auth`, the NetworkInsight token check. */
	private api(
		method: string,
		pattern: string | RegExp,
		auth: boolean,
		handler: (request: SimRequest, token: string, params: string[]) => SimResponse,
	): void {
		this.route(method, pattern, (request, params) => {
			if (!this.admit()) return { ...apiError(429, 'Too many requests, retry later'), headers: { 'retry-after': '1' } };
			let token = '';
			if (auth) {
				const match = /^NetworkInsight (\S+)$/.exec(request.headers.authorization ?? '');
				const entry = match ? this.tokens.get(match[1]) : undefined;
				if (!match || !entry || entry.expiry <= Date.now()) return apiError(401, 'Unauthorized');
				token = match[1];
			}
			try {
				return handler(request, token, params);
			} catch (error) {
				if (error instanceof ApiFailure) return apiError(error.status, error.message, error.target);
				throw error;
			}
		});
	}

	protected override notFound(request: SimRequest): SimResponse {
		return apiError(404, `No API at ${request.method} ${request.path}`);
	}

	/** Sliding one-second window; throttled requests do not count. */
	private admit(): boolean {
		const limit = this.options.rateLimitPerSecond;
		if (limit <= 0) return true;
		const now = Date.now();
		this.requestTimes = this.requestTimes.filter((time) => now - time < 1000);
		if (this.requestTimes.length >= limit) return false;
		this.requestTimes.push(now);
		return true;
	}

	private createToken(request: SimRequest): SimResponse {
		const body = request.json as { username?: unknown; password?: unknown; domain?: { domain_type?: unknown; value?: unknown } } | undefined;
		if (!body || typeof body.username !== 'string' || typeof body.password !== 'string' || !body.domain || typeof body.domain !== 'object') {
			return apiError(400, 'Invalid user credential: username, password and domain are required', 'body');
		}
		const domainType = body.domain.domain_type;
		if (domainType !== 'LOCAL' && domainType !== 'LDAP') return apiError(400, 'domain_type must be LOCAL or LDAP', 'domain.domain_type');
		// [choice] An LDAP domain the platform does not know is a 400 naming it; a wrong user, password or domain type a 401.
		const ldapValue = String(body.domain.value ?? '');
		if (domainType === 'LDAP' && (this.options.domain !== 'LDAP' || ldapValue.toLowerCase() !== this.options.ldapDomain.toLowerCase())) {
			return apiError(400, `Unknown LDAP domain: ${ldapValue}`, 'domain.value');
		}
		const domainOk = domainType === this.options.domain;
		if (!domainOk || body.username !== this.options.username || body.password !== this.options.password) {
			return apiError(401, 'Authentication failed: invalid username, password or domain');
		}
		const now = Date.now();
		for (const [value, token] of this.tokens) if (token.expiry <= now) this.tokens.delete(value);
		const held = [...this.tokens.values()].filter((token) => token.user === body.username).length;
		// The spec: at most 100 valid tokens per user; further requests answer 401.
		if (held >= this.options.maxTokensPerUser) return apiError(401, `Token limit reached: ${this.options.maxTokensPerUser} valid tokens per user`);
		const value = Buffer.from(Array.from({ length: 16 }, () => Math.floor(this.random() * 256))).toString('base64');
		const expiry = now + this.options.tokenTtlMs;
		this.tokens.set(value, { user: body.username, expiry });
		// Expiry is epoch milliseconds, whatever the schema text says (rest-apis.md §3.1).
		return json(200, { token: value, expiry });
	}

	private search(request: SimRequest): SimResponse {
		const body = request.json;
		if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiFailure(400, 'Expected a SearchRequest body', 'body');
		const input = body as Record<string, unknown>;
		const type = input.entity_type;
		if (typeof type !== 'string' || !ALL_ENTITY_TYPES.has(type)) throw new ApiFailure(400, `entity_type ${String(type)} is not a valid entity type`, 'entity_type');
		const served = type in TYPE_CODES ? [type as EntityType] : (BASE_TYPES[type] ?? []);
		const size = pageSize(input.size, this.options.maxPageSize);
		const filterText = input.filter === undefined || input.filter === null ? '' : String(input.filter);
		let compiled: CompiledFilter;
		try {
			// A valid type the simulator holds nothing of still has its filter parsed, on any field.
			compiled = compileFilter(filterText, served.length > 0 ? filterFields(served) : undefined, (reference) => this.lookup(reference));
		} catch (error) {
			if (error instanceof FilterError) throw new ApiFailure(400, error.message, 'filter');
			throw error;
		}
		let order: 'ASC' | 'DESC' = 'ASC';
		if (input.sort_by !== undefined) {
			const sort = input.sort_by as { field?: unknown; order?: unknown };
			if (!sort || (sort.field !== 'time' && sort.field !== 'timestamp')) throw new ApiFailure(400, 'Only sorting by time is simulated', 'sort_by.field');
			if (sort.order !== undefined && sort.order !== 'ASC' && sort.order !== 'DESC') throw new ApiFailure(400, 'sort_by.order must be ASC or DESC', 'sort_by.order');
			order = sort.order === 'DESC' ? 'DESC' : 'ASC';
		}
		const now = Math.floor(Date.now() / 1000);
		let window: Window;
		if (input.time_range !== undefined) {
			// [choice] An explicit time_range wins over an "in last" suffix.
			const range = input.time_range as { start_time?: unknown; end_time?: unknown };
			window = timeWindow(range?.start_time, range?.end_time, 'time_range');
		} else if (compiled.lastSeconds !== undefined) {
			window = { start: now - compiled.lastSeconds, end: now };
		} else {
			window = { start: now - Math.floor(this.options.defaultWindowMs / 1000), end: now };
		}
		const fingerprint = JSON.stringify(['search', type, filterText, order, input.time_range ?? null]);
		const cursor = typeof input.cursor === 'string' && input.cursor !== '' ? input.cursor : undefined;
		if (type === 'Flow') return json(200, this.page(fingerprint, window, this.flowPredicate(compiled.predicate), order, size, cursor));
		return json(200, this.listPage(fingerprint, window, served, compiled.predicate, order, size, cursor));
	}

	/** A filter over flow entities, run on the cheap flow core and building the entity only when read. */
	private flowPredicate(predicate: EntityPredicate | undefined): FlowPredicate | undefined {
		if (!predicate) return undefined;
		return (core) => {
			let entity: Entity | undefined;
			return predicate(() => (entity ??= this.flowEntity(core)));
		};
	}

	private lookup(reference: { entity_id: string; entity_type: string }): Entity | undefined {
		if (reference.entity_type === 'Flow') return this.flow(reference.entity_id);
		const entity = this.inventory.get(reference.entity_id);
		return entity && entity.entity_type === reference.entity_type ? entity : undefined;
	}

	/** `GET /entities/<path>?size&cursor&start_time&end_time`: the unfiltered search of those types. */
	private listEntities(request: SimRequest, types: EntityType[] | undefined): SimResponse {
		const size = pageSize(request.query.get('size') ?? undefined, this.options.maxPageSize);
		const now = Math.floor(Date.now() / 1000);
		const startText = request.query.get('start_time');
		const endText = request.query.get('end_time');
		const window =
			startText === null && endText === null
				? { start: now - Math.floor(this.options.defaultWindowMs / 1000), end: now }
				: timeWindow(startText ?? now - Math.floor(this.options.defaultWindowMs / 1000), endText ?? now, 'start_time');
		const fingerprint = JSON.stringify(['list', request.path, startText, endText]);
		const cursor = request.query.get('cursor') || undefined;
		if (!types) return json(200, this.page(fingerprint, window, undefined, 'ASC', size, cursor));
		return json(200, this.listPage(fingerprint, window, types, undefined, 'ASC', size, cursor));
	}

	/** Search results of inventory types and problems in `window`, ordered by (time, index). */
	private listPage(
		fingerprint: string,
		window: Window,
		types: EntityType[],
		predicate: EntityPredicate | undefined,
		order: 'ASC' | 'DESC',
		size: number,
		cursorText: string | undefined,
	): Record<string, unknown> {
		const resumed = resume(cursorText, fingerprint);
		if (resumed) window = resumed.window;
		const after = resumed?.after;
		const matches: Array<Position & { entity: Entity }> = [];
		let offset = 0;
		for (const type of types) {
			const entities = this.ofType.get(type) ?? [];
			entities.forEach((entity, k) => {
				let time = window.end;
				if (type === 'ProblemEvent') {
					const problem = this.problems[k];
					if (problem.openedS > window.end || (problem.closedS !== undefined && problem.closedS < window.start)) return;
					time = Math.max(problem.openedS, window.start);
				}
				if (!predicate || predicate(() => entity)) matches.push({ time, index: offset + k, entity });
			});
			offset += entities.length;
		}
		matches.sort((a, b) => (order === 'ASC' ? compare(a, b) : compare(b, a)));
		const rest = after ? matches.filter((match) => (order === 'ASC' ? compare(match, after) > 0 : compare(match, after) < 0)) : matches;
		const shown = rest.slice(0, size);
		const last = shown.at(-1);
		const cursor =
			rest.length > size && last ? encodeCursor({ q: fingerprint, start: window.start, end: window.end, total: matches.length, time: last.time, index: last.index }) : null;
		return {
			results: shown.map((match) => ({ entity_id: match.entity.entity_id, entity_type: match.entity.entity_type, time: match.time })),
			cursor,
			total_count: matches.length,
			start_time: window.start,
			end_time: window.end,
		};
	}

	private bulkFetch(request: SimRequest): SimResponse {
		const body = request.json as { entity_ids?: unknown } | undefined;
		if (!body || !Array.isArray(body.entity_ids)) throw new ApiFailure(400, 'Expected {"entity_ids":[...]}', 'entity_ids');
		if (body.entity_ids.length > VRNI_MAX_FETCH) throw new ApiFailure(400, `Max batch size is ${VRNI_MAX_FETCH}, got ${body.entity_ids.length}`, 'entity_ids');
		const results: unknown[] = [];
		for (const item of body.entity_ids as Array<Record<string, unknown>>) {
			const id = String(item?.entity_id ?? '');
			const type = String(item?.entity_type ?? '');
			let time = typeof item?.time === 'number' ? item.time : undefined;
			let entity: Entity | undefined;
			if (type === 'Flow') {
				entity = this.flow(id);
				const index = entityIndex('Flow', id);
				time = time ?? (index === undefined ? undefined : this.timeOf(index));
			} else {
				const found = this.inventory.get(id);
				const types = type in TYPE_CODES ? [type] : (BASE_TYPES[type] ?? []);
				entity = found && types.includes(String(found.entity_type)) ? found : undefined;
			}
			// [choice] Unknown ids are left out of the results; the result names the entity's own type.
			if (entity) results.push({ entity_id: id, entity_type: entity.entity_type, entity, time: time ?? Math.floor(Date.now() / 1000) });
		}
		return json(200, { results });
	}

	// ------------------------------------------------------------------ control endpoints

	protected override vendorControl(method: string, path: string, body: unknown, query?: URLSearchParams): SimResponse | undefined {
		const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
		if (method === 'POST' && path === '/__sim/vrni/flows') {
			const count = input.count === undefined ? 1 : Number(input.count);
			if (!Number.isInteger(count) || count < 0 || count > 100_000) return json(400, { error: 'count must be an integer from 0 to 100000' });
			const flows = this.addFlows(count, Number(input.backdateMs ?? 0));
			return json(200, { added: flows.length, total: this.totalFlows, flows });
		}
		const window = /^\/__sim\/vrni\/flows(?:\/(\d+)\/(\d+))?$/.exec(path);
		if (method === 'GET' && window) {
			const start = Number(window[1] ?? query?.get('start') ?? 0);
			const end = Number(window[2] ?? query?.get('end') ?? Number.MAX_SAFE_INTEGER);
			if (!Number.isFinite(start) || !Number.isFinite(end)) return json(400, { error: 'start and end are epoch seconds' });
			const flows = this.flowsBetween(start, end);
			return json(200, { count: flows.length, flows });
		}
		if (method === 'POST' && path === '/__sim/vrni/expire-tokens') {
			const expired = this.tokens.size;
			this.expireAllTokens();
			return json(200, { expired });
		}
		if (method === 'GET' && path === '/__sim/vrni/state') return json(200, { tokens: this.tokens.size, flows: this.totalFlows });
		return undefined;
	}
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function compare(a: Position, b: Position): number {
	return a.time !== b.time ? a.time - b.time : a.index - b.index;
}

/** Binary search over 0..length for the first k where the monotone `test` holds (length if none). */
function firstIndex(length: number, test: (k: number) => boolean): number {
	let low = 0;
	let high = length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (test(middle)) high = middle;
		else low = middle + 1;
	}
	return low;
}

function encodeCursor(state: CursorState): string {
	return Buffer.from(JSON.stringify(state)).toString('base64');
}

function decodeCursor(text: string): CursorState | undefined {
	try {
		const state = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as CursorState;
		return typeof state.q === 'string' && [state.time, state.index, state.start, state.end, state.total].every(Number.isFinite) ? state : undefined;
	} catch {
		return undefined;
	}
}

/** The window, keyset position and total a cursor carries; undefined on a first page. */
function resume(cursorText: string | undefined, fingerprint: string): { window: Window; after: Position; total: number } | undefined {
	if (!cursorText) return undefined;
	const state = decodeCursor(cursorText);
	if (!state || state.q !== fingerprint) throw new ApiFailure(400, 'Invalid cursor', 'cursor');
	// The window is fixed by the first page, so "in last 24 hours" does not slide while paging.
	return { window: { start: state.start, end: state.end }, after: { time: state.time, index: state.index }, total: state.total };
}

function pageSize(value: unknown, max: number): number {
	if (value === undefined || value === null || value === '') return 10;
	const size = Number(value);
	if (!Number.isInteger(size) || size < 1 || size > max) throw new ApiFailure(400, `size must be an integer from 1 to ${max}`, 'size');
	return size;
}

function timeWindow(start: unknown, end: unknown, target: string): Window {
	const window = { start: Number(start), end: Number(end) };
	if (!Number.isInteger(window.start) || !Number.isInteger(window.end) || window.start > window.end) {
		throw new ApiFailure(400, 'start_time and end_time must be epoch seconds with start_time <= end_time', target);
	}
	return window;
}

function strip(reference: Reference): { entity_id: string; entity_type: EntityType } {
	return { entity_id: reference.entity_id, entity_type: reference.entity_type };
}

function ipObject(ip: string): { ip_address: string; netmask: string; network_address: string } {
	return { ip_address: ip, netmask: '255.255.255.255', network_address: ip };
}
