import { facts, firstText, readSeverity, readTime, text, type Fields } from './read';
import type { EventSummary, SummaryOptions } from './types';

/** Items of no known vendor shape: the usual names for each part of an event, first found wins. */
const KEYS = {
	eventType: ['event_type', 'eventType', 'event', 'type', 'category', 'name'],
	message: ['message', 'msg', 'description', 'summary', 'text', 'details'],
	time: ['eventTime', 'timestamp', '@timestamp', 'time', 'date', 'created_at', 'createdAt'],
	severity: ['severity', 'level', 'priority'],
	who: ['user', 'username', 'userName', 'actor', 'src_user'],
	where: ['host', 'hostname', 'device', 'node'],
	link: ['url', 'link'],
	id: ['id', 'uuid', 'eventId', 'event_id'],
	vendor: ['vendor'],
	product: ['product'],
} as const;

export function summarizeGeneric(item: Fields, options: SummaryOptions): EventSummary {
	const pick = (name: keyof typeof KEYS) => firstText(item, KEYS[name]);
	const eventType = pick('eventType')?.value ?? 'event';
	const where = pick('where')?.value;
	const severity = pick('severity');
	const time = pick('time');
	return {
		shape: 'generic',
		vendor: pick('vendor')?.value ?? '',
		product: pick('product')?.value ?? '',
		eventType,
		title: where ? `${eventType} on ${where}` : eventType,
		// Without a message field the item itself is the message (bounded by text()).
		message: pick('message')?.value ?? text(item) ?? eventType,
		who: pick('who')?.value,
		where,
		device: where,
		...(time ? readTime(item[time.key]) : {}),
		...(severity ? readSeverity(item[severity.key], severity.key) : {}),
		link: pick('link')?.value ?? options.applianceUrl,
		id: pick('id')?.value,
		facts: facts([
			['Host', where],
			['User', pick('who')?.value],
		]),
	};
}
