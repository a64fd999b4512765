import { facts, ipAddress, isRecord, readTime, severityOf, text, type Fields } from './read';
import type { EventSummary, SummaryOptions } from './types';

/** A vRNI flow entity, bare or as a search / bulk-fetch result ({entity_id, time, entity: {...}}). */
export function isNetworkInsightFlow(item: Fields): boolean {
	return item.entity_type === 'Flow' || (isRecord(item.entity) && item.entity.entity_type === 'Flow');
}

function reference(value: unknown): string | undefined {
	return isRecord(value) ? text(value.entity_name) : undefined;
}

function address(value: unknown): string | undefined {
	return isRecord(value) ? text(value.ip_address) : undefined;
}

function named(name: string | undefined, ip: string | undefined): string | undefined {
	if (name && ip && name !== ip) return `${name} (${ip})`;
	return name ?? ip;
}

const BLOCKING_ACTIONS = new Set(['DENY', 'DROP', 'REJECT']);

export function summarizeNetworkInsightFlow(item: Fields, options: SummaryOptions): EventSummary {
	const flow = isRecord(item.entity) ? item.entity : item;
	const sourceIp = address(flow.source_ip);
	const destinationIp = address(flow.destination_ip);
	const source = named(reference(flow.source_vm), sourceIp);
	const destination = named(reference(flow.destination_vm), destinationIp);
	const port = isRecord(flow.port) ? flow.port : {};
	const service = [text(flow.protocol), text(port.display)].filter(Boolean).join('/');
	const iana = text(port.iana_name);
	const action = text(flow.firewall_action);
	const rule = text(flow.firewall_rule_id);
	const traffic = text(flow.traffic_type);

	const route = `${source ?? '?'} → ${destination ?? '?'}${service ? ` ${service}` : ''}${iana ? ` (${iana})` : ''}`;
	const lines = [`Flow ${route}`];
	if (action) lines.push(`Firewall action ${action}${rule ? ` by rule ${rule}` : ''}.`);
	if (traffic) lines.push(`Traffic: ${traffic}.`);

	return {
		shape: 'networkInsightFlow',
		vendor: 'VMware',
		product: 'vRealize Network Insight',
		eventType: action ? `flow.${action.toLowerCase()}` : 'flow',
		title: `Flow ${route}${action ? ` ${action}` : ''}`,
		message: lines.join('\n'),
		who: source,
		where: destination,
		sourceAddress: ipAddress(sourceIp),
		destinationAddress: ipAddress(destinationIp),
		// Search results carry the flow's time (epoch seconds) beside the entity.
		...readTime(item.time ?? flow.time),
		// A blocked flow is worth a look; an allowed one is information.
		severity: severityOf(action && BLOCKING_ACTIONS.has(action) ? 4 : 6),
		severityText: action,
		link: options.applianceUrl,
		id: text(flow.entity_id) ?? text(item.entity_id),
		facts: facts([
			['Source', source],
			['Destination', destination],
			['Service', service ? `${service}${iana ? ` (${iana})` : ''}` : undefined],
			['Firewall action', action],
			['Rule', rule],
			['Traffic', traffic],
			['Flow', text(flow.name)],
		]),
	};
}
