import { facts, ipAddress, isRecord, readTime, severityOf, text, type Fields } from './read';
import type { EventSummary, SummaryOptions } from './types';

/**
 * SMC monitoring records come keyed by the query's field_format: "name" (Src), "pretty" (Src Addr)
 * or "id" ("7"). Each field is read under all three keys (../shared/api/smc.md §3.5, §5).
 */
const FIELD_KEYS = {
	timestamp: ['Timestamp', 'Creation Time', '1'],
	logId: ['LogId', 'Data Identifier', '2'],
	sender: ['NodeId', 'Sender', '4'],
	event: ['Event', 'Event', '6'],
	source: ['Src', 'Src Addr', '7'],
	destination: ['Dst', 'Dst Addr', '8'],
	sourcePort: ['Sport', 'Src Port', '9'],
	destinationPort: ['Dport', 'Dst Port', '10'],
	protocol: ['Protocol', 'IP Protocol', '11'],
	action: ['Action', 'Action', '14'],
	infoMessage: ['InfoMsg', 'Information Message', '19'],
	rule: ['RuleId', 'Rule Tag', '20'],
	facility: ['Facility', 'Facility', '22'],
	service: ['Service', 'Service', '27'],
	senderDomain: ['SenderDomain', 'Sender Domain', '38'],
	authName: ['AuthName', 'Auth. User', '108'],
	application: ['IpsAppId', 'Network Application', '134'],
	longMessage: ['LongMsg', 'Long Message', '601'],
	alertSeverity: ['AlertSeverity', 'Severity', '602'],
	situation: ['Situation', 'Situation', '1000'],
	userName: ['UserName', 'User', '3001'],
} as const;

type SmcField = keyof typeof FIELD_KEYS;

function field(item: Fields, name: SmcField): { key: string; value: string } | undefined {
	for (const key of FIELD_KEYS[name]) {
		const value = text(item[key]);
		if (value !== undefined) return { key, value };
	}
	return undefined;
}

// Keys that, two or more together, only an SMC log or session-monitoring record has.
const SMC_MARKERS = [
	'NodeId', 'LogId', 'SenderDomain', 'Situation', 'InfoMsg', 'AlertSeverity', 'Facility', 'DataType', 'RuleId', 'delta_key',
	'Sender', 'Data Identifier', 'Sender Domain', 'Information Message', 'Rule Tag', 'Creation Time',
];

/** A record of an SMC log query or session-monitoring query (connections, alerts, block list …). */
export function isSmcLogRecord(item: Fields): boolean {
	let markers = 0;
	for (const key of SMC_MARKERS) if (key in item) markers++;
	if (markers >= 2) return true;
	return '1' in item && '4' in item && ('602' in item || '1000' in item || '2' in item);
}

/** An SMC element-change notification: {"type":"create","element":".../elements/host/1732"} (or wrapped in "event"). */
export function isSmcElementChange(item: Fields): boolean {
	const inner = isRecord(item.event) ? item.event : item;
	return typeof inner.element === 'string' && inner.element.includes('/elements/') && (typeof inner.type === 'string' || typeof item.action === 'string');
}

/** ALERTSEVERITY: texts Info/Low/High/Critical, numbers 1/3/5/10 (smc.md §5 Alerts). */
function alertSeverity(value: string | undefined) {
	if (value === undefined) return undefined;
	const byName: Record<string, number> = { info: 6, low: 5, medium: 4, high: 3, critical: 2 };
	const name = byName[value.trim().toLowerCase()];
	if (name !== undefined) return severityOf(name);
	const number = Number(value);
	if (!Number.isFinite(number)) return undefined;
	return severityOf(number >= 10 ? 2 : number >= 5 ? 3 : number >= 2 ? 5 : 6);
}

/** Texts format writes "2026-11-29 10:15:00" (optionally with " UTC"); detailed formats epoch ms. */
function smcTime(value: string | undefined) {
	if (value === undefined) return {};
	const utc = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(\.\d+)?)( UTC)?$/.exec(value.trim());
	return readTime(utc ? `${utc[1]}T${utc[2]}Z` : value);
}

function endpoint(address: string | undefined, port: string | undefined): string | undefined {
	if (!address) return undefined;
	return port ? `${address}:${port}` : address;
}

export function summarizeSmcLog(item: Fields, options: SummaryOptions): EventSummary {
	const value = (name: SmcField) => field(item, name)?.value;
	const situation = value('situation');
	const event = value('event');
	const eventType = situation ?? event ?? value('facility') ?? 'log';
	const source = value('source');
	const destination = value('destination');
	const sender = value('sender');
	const severityField = field(item, 'alertSeverity');
	const severity = alertSeverity(severityField?.value);
	const from = endpoint(source, value('sourcePort'));
	const to = endpoint(destination, value('destinationPort'));
	const service = value('service');
	const action = value('action');

	const lines = [value('longMessage') ?? value('infoMessage') ?? event ?? eventType];
	if (from || to) {
		lines.push(
			`${from ?? '?'} → ${to ?? '?'}${service ? ` ${service}` : ''}${action ? `, action ${action}` : ''}${sender ? ` on ${sender}` : ''}`,
		);
	}
	const user = value('authName') ?? value('userName');

	return {
		shape: 'forcepointSmcLog',
		vendor: 'Forcepoint',
		product: 'SMC',
		eventType,
		title: `${eventType}${source ? ` from ${source}` : ''}${destination ? ` to ${destination}` : ''}`,
		message: lines.join('\n'),
		who: user ?? source,
		where: sender,
		device: sender,
		sourceAddress: ipAddress(source),
		destinationAddress: ipAddress(destination),
		...smcTime(value('timestamp')),
		severity,
		severityText: severityField?.value,
		severityField: severityField?.key,
		link: options.applianceUrl,
		id: value('logId') ?? text(item.delta_key),
		facts: facts([
			['Sender', sender],
			['Source', from],
			['Destination', to],
			['Service', service],
			['Application', value('application')],
			['Action', action],
			['Rule', value('rule')],
			['User', user],
			['Domain', value('senderDomain')],
		]),
	};
}

const PAST_TENSE: Record<string, string> = {
	create: 'created',
	update: 'updated',
	delete: 'deleted',
	trashed: 'trashed',
	untrashed: 'restored from trash',
	validating: 'being validated',
	validated: 'validated',
};

export function summarizeSmcElementChange(item: Fields, options: SummaryOptions): EventSummary {
	const inner = isRecord(item.event) ? item.event : item;
	const element = text(inner.element) ?? '';
	const action = text(inner.type) ?? text(item.action) ?? 'change';
	const [, entryPoint = 'element', elementId] = /\/elements\/([^/?#]+)(?:\/([^/?#]+))?/.exec(element) ?? [];
	const name = text(item.name) ?? text(item.elementName) ?? elementId;
	const what = `${entryPoint}${name ? ` ${name}` : ''}`;
	return {
		shape: 'forcepointSmcElement',
		vendor: 'Forcepoint',
		product: 'SMC',
		eventType: `${entryPoint}.${action}`,
		title: `${what} ${PAST_TENSE[action] ?? action}`,
		message: `Element ${what} was ${PAST_TENSE[action] ?? action} (${element}).`,
		who: text(item.user) ?? text(item.administrator),
		where: what,
		...readTime(item.time ?? item.timestamp ?? item.receivedAt),
		// Losing an element matters more than creating or changing one.
		severity: severityOf(action === 'delete' || action === 'trashed' ? 5 : 6),
		link: options.applianceUrl,
		id: elementId,
		facts: facts([
			['Element', element],
			['Action', action],
			['Subscription', text(item.context) ?? text(item.subscription_id)],
		]),
	};
}
