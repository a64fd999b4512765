/**
 * The SMC's log field ids and constants (smc-monitoring's LogField, Alerts, Actions, DataType; smc.md
 * §5). Filters and field selections accept a numeric id or one of these names; the SMC knows about
 * 400 fields, so an unlisted number is passed through as is.
 */

/** LogField constant name → id. The `name` field format writes these in CamelCase (SRC → Src). */
export const LOG_FIELDS: Readonly<Record<string, number>> = {
	TIMESTAMP: 1, LOGID: 2, NODEID: 4, EVENT: 6, SRC: 7, DST: 8, SPORT: 9, DPORT: 10, PROTOCOL: 11,
	SRCIF: 12, DSTIF: 13, ACTION: 14, NATSRC: 15, NATDST: 16, NATSPORT: 17, NATDPORT: 18, INFOMSG: 19,
	RULEID: 20, FACILITY: 22, TYPE: 23, RECEPTIONTIME: 24, ALERT: 25, SERVICE: 27, DATATYPE: 34,
	SITCATEGORY: 37, SENDERDOMAIN: 38, SRCZONE: 46, DSTZONE: 47, ACCELAPSED: 104, ACCTXBYTES: 105,
	ACCRXBYTES: 106, AUTHNAME: 108, DSTVLAN: 113, STATE: 116, BLACKLISTENTRYID: 117,
	BLACKLISTENTRYSOURCEIP: 118, BLACKLISTENTRYSOURCEIPMASK: 119, BLACKLISTENTRYDESTINATIONIP: 120,
	BLACKLISTENTRYDESTINATIONIPMASK: 121, BLACKLISTENTRYPROTOCOL: 122, BLACKLISTENTRYSOURCEPORT: 123,
	BLACKLISTENTRYSOURCEPORTRANGE: 124, BLACKLISTENTRYDESTINATIONPORT: 125,
	BLACKLISTENTRYDESTINATIONPORTRANGE: 126, BLACKLISTENTRYDURATION: 127, BLACKLISTER: 128,
	BLOCK_LISTENTRYID: 117, BLOCK_LISTENTRYSOURCEIP: 118, BLOCK_LISTENTRYDESTINATIONIP: 120,
	BLOCK_LISTENTRYDURATION: 127, BLOCK_LISTER: 128, IPSAPPID: 134, ROUTENETWORK: 160,
	ROUTENETMASK: 161, ROUTEMETRIC: 163, ROUTEGATEWAY: 164, ROUTETYPE: 165,
	BLACKLISTENTRYSOURCEIPPREFIXLEN: 172, BLACKLISTENTRYDESTINATIONIPPREFIXLEN: 173, SESSIONEVENT: 302,
	DATATAGS: 485, VPNID: 501, SECURITYGATEWAY: 502, VPNSTATUS: 503, ENDPOINT: 504, PEERSECURITYGATEWAY: 505,
	PEERENDPOINT: 506, EXPIRATIONTIME: 534, SACLASS: 535, CIPHERALG: 536, MACALG: 537, HASHALG: 538,
	NEGOTIATIONROLE: 539, LONGMSG: 601, ALERTSEVERITY: 602, ALERTCOUNT: 603, ALERTSTATUS: 604,
	NEIGHBORINTERFACE: 733, NEIGHBORPROTOCOL: 734, NEIGHBORL3DATA: 735, NEIGHBORL2DATA: 736, NEIGHBORSTATE: 737,
	SSLVPNSESSIONMONRECEIVED: 809, SSLVPNSESSIONMONTIMEOUT: 810, SITUATION: 1000, HTTPREQUESTHOST: 1586,
	IKECOOKIE: 3000, USERNAME: 3001, IDSERVICE: 3003, NUMBYTESSENT: 12200, NUMBYTESRECEIVED: 12201,
	VULNERABILITYREFERENCES: 20000, SRCADDRS: 20007, DSTADDRS: 20008,
};

/** Named constants by the field they belong to (smc-monitoring's Alerts, Actions, DataType). */
export const FIELD_CONSTANTS: Readonly<Record<number, Readonly<Record<string, number>>>> = {
	602: { INFO: 1, LOW: 3, HIGH: 5, CRITICAL: 10 },
	14: {
		DISCARD: 0, ALLOW: 1, REFUSE: 2, DISCARD_PASSIVE: 4, TERMINATE_PASSIVE: 8, TERMINATE: 9,
		TERMINATE_FAILED: 10, PERMIT: 11, TERMINATE_RESET: 12, BLOCK: 13,
	},
	34: {
		IPS_LOGS: 0, FW_LOGS: 1, ALERTS: 3, ALERT_EVENTS: 4, IPS_RECORDINGS: 5, COUNTERS: 8, AUDIT: 9,
		SSL_VPN: 28, THIRD_PARTY: 29, BLACKLIST_LOG: 35, L2FW_LOGS: 36, SSL_VPN_SESSION_MONITORING: 38,
		NEIGHBOR_MONITORING: 40,
	},
};

/** Upper-cased, separators dropped: `Src`, `SRC` and `src` are one name; so are `Block List Er` and `BLOCK_LISTER`. */
function key(name: string): string {
	return name.toUpperCase().replace(/[\s_-]/g, '');
}

const FIELD_BY_KEY = new Map(Object.entries(LOG_FIELDS).map(([name, id]) => [key(name), id]));

/** A field id from a number or a LogField name (any case); undefined when the name is unknown. */
export function fieldId(input: string | number): number | undefined {
	if (typeof input === 'number') return Number.isInteger(input) && input > 0 ? input : undefined;
	const text = input.trim();
	if (/^\d+$/.test(text)) return fieldId(Number(text));
	return FIELD_BY_KEY.get(key(text));
}

const CONSTANTS_BY_KEY = new Map(
	Object.entries(FIELD_CONSTANTS).map(([field, table]) => [Number(field), new Map(Object.entries(table).map(([name, value]) => [key(name), value]))]),
);

/** A constant's number: a number as is, else a name known for `field` (or for any field when unambiguous). */
export function constantValue(input: string, field?: number): number | undefined {
	const text = input.trim();
	if (/^-?\d+$/.test(text)) return Number(text);
	const own = field === undefined ? undefined : CONSTANTS_BY_KEY.get(field);
	const tables = own ? [own] : [...CONSTANTS_BY_KEY.values()];
	const matches = new Set(tables.map((table) => table.get(key(text))).filter((value) => value !== undefined));
	return matches.size === 1 ? [...matches][0] : undefined;
}
