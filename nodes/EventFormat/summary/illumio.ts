import { facts, ipAddress, isRecord, listSome, readSeverity, readTime, text, type Fields } from './read';
import type { EventSummary, SummaryOptions } from './types';

/** An Illumio PCE event (GET /orgs/{org}/events), as the Illumio nodes emit it. */
export function isIllumioEvent(item: Fields): boolean {
	if (typeof item.event_type !== 'string') return false;
	return 'pce_fqdn' in item || (typeof item.href === 'string' && /\/events\/[^/]+$/.test(item.href));
}

/** created_by is {"user":{username}}, {"agent"|"ven":{hostname}}, {"container_cluster":{name}} or {"system":{}}. */
function creator(createdBy: unknown): string | undefined {
	if (!isRecord(createdBy)) return undefined;
	for (const [kind, value] of Object.entries(createdBy)) {
		if (kind === 'system') return 'system';
		if (!isRecord(value)) continue;
		const name = text(value.username) ?? text(value.hostname) ?? text(value.name) ?? text(value.href);
		if (name) return kind === 'user' ? name : `${kind} ${name}`;
	}
	return undefined;
}

interface ResourceChange {
	description: string;
	name?: string;
}

/** "update workload web-prod-01 (labels)" for each resource_changes entry. */
function resourceChanges(value: unknown): ResourceChange[] {
	if (!Array.isArray(value)) return [];
	const changes: ResourceChange[] = [];
	for (const change of value) {
		if (!isRecord(change) || !isRecord(change.resource)) continue;
		const [type, resource] = Object.entries(change.resource)[0] ?? [];
		if (!type) continue;
		const fields = isRecord(resource) ? resource : {};
		const name = text(fields.name) ?? text(fields.hostname) ?? text(fields.username) ?? text(fields.value);
		const changed = isRecord(change.changes) ? Object.keys(change.changes) : [];
		const parts = [text(change.change_type) ?? 'change', type, name ?? text(fields.href)].filter(Boolean);
		changes.push({ description: parts.join(' ') + (changed.length ? ` (${listSome(changed, 4)})` : ''), name });
	}
	return changes;
}

function notificationTypes(value: unknown): string[] {
	if (!Array.isArray(value)) return [];
	return value.flatMap((entry) => {
		const type = isRecord(entry) ? text(entry.notification_type) : undefined;
		return type ? [type] : [];
	});
}

/** The PCE UI shows an event at /#/events/<uuid> (the href without /orgs/<n>), as Illumio's own notifier links it. */
function eventLink(item: Fields, options: SummaryOptions): string | undefined {
	const href = text(item.href);
	const uuid = href ? /\/events\/([A-Za-z0-9-]+)$/.exec(href)?.[1] : undefined;
	const fqdn = text(item.pce_fqdn);
	const base = options.applianceUrl || (fqdn && /^[A-Za-z0-9.-]+$/.test(fqdn) ? `https://${fqdn}:8443` : undefined);
	if (!base) return undefined;
	return uuid ? `${base.replace(/\/+$/, '')}/#/events/${uuid}` : base;
}

export function summarizeIllumio(item: Fields, options: SummaryOptions): EventSummary {
	const eventType = text(item.event_type) ?? 'event';
	const status = text(item.status);
	const who = creator(item.created_by);
	const action = isRecord(item.action) ? item.action : {};
	const sourceIp = text(action.src_ip);
	const changes = resourceChanges(item.resource_changes);
	const notifications = notificationTypes(item.notifications);
	const createdBy = isRecord(item.created_by) ? item.created_by : {};
	const agent = [createdBy.agent, createdBy.ven].find(isRecord);
	const pce = text(item.pce_fqdn);
	const where = changes.find((change) => change.name)?.name ?? (agent ? text(agent.hostname) : undefined) ?? pce;
	const outcome = status === 'failure' ? 'failed' : status === 'success' ? 'succeeded' : status;
	const apiCall = [text(action.api_method), text(action.api_endpoint)].filter(Boolean).join(' ');
	const statusCode = text(action.http_status_code);

	const lines = [
		`${eventType}${outcome ? ` ${outcome}` : ''}${who ? ` by ${who}` : ''}${sourceIp && sourceIp !== 'FILTERED' ? ` from ${sourceIp}` : ''}.`,
	];
	if (changes.length) lines.push(`Changes: ${listSome(changes.map((change) => change.description))}`);
	if (notifications.length) lines.push(`Notifications: ${listSome(notifications)}`);

	return {
		shape: 'illumio',
		vendor: 'Illumio',
		product: 'Core PCE',
		eventType,
		title: `${eventType}${status === 'failure' ? ' failed' : ''}${who ? ` by ${who}` : ''}`,
		message: lines.join('\n'),
		who,
		where,
		device: pce,
		sourceAddress: ipAddress(sourceIp),
		...readTime(item.timestamp),
		...readSeverity(item.severity, 'severity'),
		link: eventLink(item, options),
		id: text(item.href)?.split('/').pop(),
		facts: facts([
			['Status', status],
			['Created by', who],
			['Source IP', sourceIp !== 'FILTERED' ? sourceIp : undefined],
			['API call', apiCall ? `${apiCall}${statusCode ? ` → ${statusCode}` : ''}` : undefined],
			['Resource', where !== pce ? where : undefined],
			['PCE', pce],
		]),
	};
}
