/**
 * Illumio PCE events (Illumio node or trigger items, as `GET /orgs/{org}/events` returns them) as vRLI
 * events:
 *   Illumio-Event: <timestamp> <severity> <event_type> <status> by <who> on <pce_fqdn>
 * timestamped with the event's timestamp, with its attributes as illumio_* fields.
 */
import type { IDataObject } from 'n8n-workflow';

import { fieldsOf, type PresetResult } from './common';

/** The user, workload or system behind an event (`created_by` holds exactly one of them). */
function actor(createdBy: unknown): string {
	if (!createdBy || typeof createdBy !== 'object') return 'unknown';
	const [kind, detail] = Object.entries(createdBy as IDataObject)[0] ?? [];
	if (kind === undefined) return 'unknown';
	const named = (detail ?? {}) as IDataObject;
	const name = named.username ?? named.hostname ?? named.name;
	return name === undefined ? kind : `${kind} ${String(name)}`;
}

export function illumioEvent(item: IDataObject): PresetResult {
	if (item.timestamp === undefined || item.event_type === undefined) {
		return { ok: false, message: 'The item is not an Illumio event (no timestamp or event_type)', fix: 'Feed the items of an Illumio node (Event → Get Many) or the Illumio Trigger.' };
	}
	const action = (item.action ?? {}) as IDataObject;
	const who = actor(item.created_by);
	return {
		ok: true,
		event: {
			text: `Illumio-Event: ${String(item.timestamp)} ${String(item.severity ?? '-')} ${String(item.event_type)} ${String(item.status ?? '-')} by ${who} on ${String(item.pce_fqdn ?? '-')}`,
			timestamp: item.timestamp,
			fields: fieldsOf('illumio_', [
				['event_type', item.event_type],
				['severity', item.severity],
				['status', item.status],
				['pce_fqdn', item.pce_fqdn],
				['href', item.href],
				['created_by', who],
				['src_ip', action.src_ip],
				['api_method', action.api_method],
				['api_endpoint', action.api_endpoint],
				['http_status_code', action.http_status_code],
			]),
		},
	};
}
