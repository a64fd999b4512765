/**
 * Forcepoint SMC monitoring records (log, connection, block-list... records of the Forcepoint SMC node or
 * trigger) as vRLI events:
 *   SMC-Record: <key>=<value> <key>=<value> ...   (the record's values, in its order)
 * timestamped with the record's Timestamp (or Creation Time), every value also an smc_* field.
 * SMC writes times as "YYYY-MM-DD HH:MM:SS" in the zone the query resolves to: ask for UTC, which is how
 * a time without a zone is read here.
 */
import type { IDataObject } from 'n8n-workflow';

import { safeFieldName } from '../events';
import { fieldsOf, type PresetResult } from './common';

const TIME_KEYS = ['Timestamp', 'timestamp', 'Creation Time', 'creationTime'];

export function forcepointSmcRecord(item: IDataObject): PresetResult {
	const entries = Object.entries(item).filter(([, value]) => value !== undefined && value !== null && value !== '' && typeof value !== 'object');
	if (entries.length === 0) return { ok: false, message: 'The item has no values to send', fix: 'Feed the records of a Forcepoint SMC node or trigger.' };
	const timeKey = TIME_KEYS.find((key) => item[key] !== undefined && item[key] !== '');
	const time = timeKey === undefined ? undefined : item[timeKey];
	return {
		ok: true,
		event: {
			text: `SMC-Record: ${entries.map(([key, value]) => `${key}=${String(value)}`).join(' ')}`,
			timestamp: typeof time === 'string' ? time.replace(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d)/, '$1T$2') : time,
			fields: fieldsOf('smc_', entries.map(([key, value]) => [safeFieldName(key), value])),
		},
	};
}
