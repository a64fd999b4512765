/**
 * Flow items: what Flow → Search and the trigger emit, and the optional dedupe keys.
 */
import type { IDataObject } from 'n8n-workflow';

/** One search result (`/search` or `/entities/flows`): epoch-second time of the flow. */
export interface SearchResult {
	entity_id: string;
	entity_type: string;
	time: number;
}

/**
 * The item for one search result: the entity as vRNI returns it, plus the result's `time` (epoch
 * seconds), which the entity itself lacks and which the Log Insight vRNI flow preset reads.
 */
export function entityItem(result: SearchResult, entity: IDataObject): IDataObject {
	return { ...entity, entity_id: result.entity_id, time: result.time };
}

export type DedupeMode = 'none' | 'destination' | 'connection';

/**
 * `destination` is flows_to_vrli.py's key ("{destination_ip}-{protocol}--{port.start}-{port.end}"): it
 * keeps the first flow to each destination service and drops the others whatever their source.
 * `connection` adds the source, so only repeats of the same connection are dropped.
 */
export function dedupeKey(flow: IDataObject, mode: DedupeMode): string | undefined {
	if (mode === 'none') return undefined;
	const address = (value: unknown) => String((value as IDataObject | undefined)?.ip_address ?? '');
	const port = (flow.port ?? {}) as IDataObject;
	const destination = `${address(flow.destination_ip)}-${String(flow.protocol ?? '')}--${String(port.start ?? '')}-${String(port.end ?? '')}`;
	return mode === 'destination' ? destination : `${address(flow.source_ip)}->${destination}`;
}
