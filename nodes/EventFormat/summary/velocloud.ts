import { facts, readSeverity, readTime, text, type Fields } from './read';
import type { EventSummary, SummaryOptions } from './types';

// Fields only VCO events carry beside `event` and `eventTime` (enterprise, partner and operator events).
const VCO_MARKERS = ['edgeName', 'enterpriseUsername', 'category', 'gatewayName', 'operatorUsername', 'proxyUsername'];

/** A VCO event (event/getEnterpriseEvents, getProxyEvents, getOperatorEvents), as the VeloCloud nodes emit it. */
export function isVeloCloudEvent(item: Fields): boolean {
	return typeof item.event === 'string' && 'eventTime' in item && VCO_MARKERS.some((key) => key in item);
}

export function summarizeVeloCloud(item: Fields, options: SummaryOptions): EventSummary {
	const eventType = text(item.event) ?? 'event';
	const edge = text(item.edgeName);
	const gateway = text(item.gatewayName);
	const enterprise = text(item.enterpriseName);
	const who = text(item.enterpriseUsername) ?? text(item.operatorUsername) ?? text(item.proxyUsername);
	const where = edge ?? gateway ?? enterprise ?? text(item.networkName);
	return {
		shape: 'velocloud',
		vendor: 'VMware',
		product: 'VeloCloud Orchestrator',
		eventType,
		title: where ? `${eventType} on ${where}` : eventType,
		message: text(item.message) ?? eventType,
		who,
		where,
		device: edge ?? gateway,
		...readTime(item.eventTime),
		...readSeverity(item.severity, 'severity'),
		// VCO events carry no link; the orchestrator's address comes from the node's Appliance UI URL.
		link: options.applianceUrl,
		id: text(item.id),
		facts: facts([
			['Enterprise', enterprise],
			['Edge', edge],
			['Gateway', gateway],
			['Segment', text(item.segmentName)],
			['Category', text(item.category)],
			['User', who],
		]),
	};
}
