/**
 * VeloCloud Orchestrator events (VeloCloud node or trigger items: the VCO event plus enterpriseId and
 * enterpriseName) as vRLI events:
 *   VCO-Event: <eventTime> <severity> <event> <edgeName or -> <message>
 * timestamped with eventTime, with the event's attributes as vco_* fields.
 */
import type { IDataObject } from 'n8n-workflow';

import { fieldsOf, type PresetResult } from './common';

export function veloCloudEvent(item: IDataObject): PresetResult {
	if (item.eventTime === undefined || item.event === undefined) {
		return { ok: false, message: 'The item is not a VeloCloud event (no eventTime or event)', fix: 'Feed the items of a VeloCloud node (Event → Get Many) or the VeloCloud Trigger.' };
	}
	const edge = item.edgeName ?? '-';
	return {
		ok: true,
		event: {
			text: `VCO-Event: ${String(item.eventTime)} ${String(item.severity ?? '-')} ${String(item.event)} ${String(edge)} ${String(item.message ?? '')}`.trimEnd(),
			timestamp: item.eventTime,
			fields: fieldsOf('vco_', [
				['event', item.event],
				['category', item.category],
				['severity', item.severity],
				['edge_name', item.edgeName],
				['enterprise_name', item.enterpriseName],
				['enterprise_id', item.enterpriseId],
				['event_id', item.id],
				['segment_name', item.segmentName],
				['username', item.enterpriseUsername],
				['detail', item.detail],
			]),
		},
	};
}
