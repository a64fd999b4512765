/**
 * Monitoring filters (smc.md §3.4): built from the node's conditions, or checked when given as JSON,
 * before anything goes on the wire. Every error names the condition and the part that is wrong, so
 * the user fixes it without reading an SMC failure message.
 */
import { isIP } from 'node:net';

import { ApplianceError } from '../../shared/errors';
import { constantValue, fieldId } from './fields';

export type SmcValue =
	| { type: 'field'; id: number }
	| { type: 'field'; name: string }
	| { type: 'ip' | 'service' | 'string'; value: string }
	| { type: 'constant' | 'number'; value: number }
	| { type: 'element'; href: string };

export type SmcFilter =
	| { type: 'in'; left: SmcValue; right: SmcValue[] }
	| { type: 'and' | 'or'; values: SmcFilter[] }
	| { type: 'not'; value: SmcFilter }
	| { type: 'defined'; value: SmcValue }
	| { type: 'translated'; value: string }
	| { type: 'expression'; href: string };

export type ValueType = 'ip' | 'service' | 'constant' | 'number' | 'string' | 'element' | 'field';
export type ConditionOperator = 'in' | 'notIn' | 'defined' | 'notDefined' | 'translated';

/** One condition as the node's fixed collection hands it over. */
export interface FilterCondition {
	operator: ConditionOperator;
	/** a field id or a LogField name (SRC, ALERTSEVERITY...) */
	field?: string;
	valueType?: ValueType;
	/** comma-separated; string values one per line */
	values?: string;
	/** an SMC filter expression, e.g. `$Sport == 7000 OR $Sport == 7001` */
	expression?: string;
}

export interface FilterParameters {
	combine?: 'and' | 'or';
	conditions?: FilterCondition[];
	/** a filter object in the SMC's own JSON, instead of conditions */
	json?: unknown;
}

export class FilterError extends ApplianceError {
	constructor(message: string) {
		super('config', message, {
			description: 'Fix the filter in the node: field ids or LogField names, and values of the chosen type (smc.md §3.4).',
		});
		this.name = 'FilterError';
	}
}

/** The SMC filter for the node's conditions or JSON; undefined when there is no filter. */
export function buildFilter(parameters: FilterParameters): SmcFilter | undefined {
	const conditions = parameters.conditions ?? [];
	const hasJson = parameters.json !== undefined && parameters.json !== null && parameters.json !== '';
	if (hasJson && conditions.length > 0) throw new FilterError('Use either filter conditions or a JSON filter, not both');
	if (hasJson) return checkFilter(typeof parameters.json === 'string' ? parseJson(parameters.json) : parameters.json, 'JSON filter');
	if (conditions.length === 0) return undefined;
	const filters = conditions.map((condition, index) => buildCondition(condition, `Filter condition ${index + 1}`));
	if (filters.length === 1) return filters[0];
	return { type: parameters.combine ?? 'and', values: filters };
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new FilterError(`JSON filter is not valid JSON: ${(error as Error).message}`);
	}
}

function buildCondition(condition: FilterCondition, where: string): SmcFilter {
	switch (condition.operator) {
		case 'translated': {
			const expression = (condition.expression ?? '').trim();
			if (!expression) throw new FilterError(`${where}: the expression is empty`);
			return { type: 'translated', value: expression };
		}
		case 'defined':
		case 'notDefined': {
			const defined: SmcFilter = { type: 'defined', value: { type: 'field', id: requireField(condition.field, where) } };
			return condition.operator === 'defined' ? defined : { type: 'not', value: defined };
		}
		case 'in':
		case 'notIn': {
			const field = requireField(condition.field, where);
			const valueType = condition.valueType ?? 'ip';
			const texts = splitValues(condition.values ?? '', valueType);
			if (texts.length === 0) throw new FilterError(`${where}: give at least one ${valueType} value`);
			const right = texts.map((text) => parseValue(text, valueType, field, where));
			const within: SmcFilter = { type: 'in', left: { type: 'field', id: field }, right };
			return condition.operator === 'in' ? within : { type: 'not', value: within };
		}
		default:
			throw new FilterError(`${where}: unknown operator "${String(condition.operator)}"`);
	}
}

function requireField(input: string | undefined, where: string): number {
	const text = (input ?? '').trim();
	if (!text) throw new FilterError(`${where}: the field is empty`);
	const id = fieldId(text);
	if (id === undefined) {
		throw new FilterError(`${where}: unknown field "${text}" (use a numeric field id or a LogField name such as SRC, DST, SERVICE, ALERTSEVERITY)`);
	}
	return id;
}

/** Strings may hold commas, so they come one per line; everything else is comma- or line-separated. */
function splitValues(text: string, valueType: ValueType): string[] {
	const separator = valueType === 'string' ? /\r?\n/ : /[,\r\n]/;
	return text
		.split(separator)
		.map((part) => part.trim())
		.filter((part) => part.length > 0);
}

const SERVICE = /^(TCP|UDP|SCTP)\/(\d{1,5})$|^ICMP\/(\d{1,3})(?:\/(\d{1,3}))?$/i;

function parseValue(text: string, valueType: ValueType, field: number, where: string): SmcValue {
	switch (valueType) {
		case 'ip':
			if (!isIpValue(text)) throw new FilterError(`${where}: "${text}" is not an IP address, network (a.b.c.d/nn) or range (a-b)`);
			return { type: 'ip', value: text };
		case 'service': {
			const match = SERVICE.exec(text);
			const port = match?.[2] === undefined ? undefined : Number(match[2]);
			if (!match || (port !== undefined && port > 65535) || Number(match[3] ?? 0) > 255 || Number(match[4] ?? 0) > 255) {
				throw new FilterError(`${where}: "${text}" is not a service (TCP/443, UDP/53 or ICMP/8/0)`);
			}
			return { type: 'service', value: text.toUpperCase() };
		}
		case 'constant': {
			const value = constantValue(text, field);
			if (value === undefined) throw new FilterError(`${where}: "${text}" is not a number or a known constant for field ${field} (e.g. HIGH, DISCARD, FW_LOGS)`);
			return { type: 'constant', value };
		}
		case 'number': {
			const value = Number(text);
			if (!Number.isFinite(value)) throw new FilterError(`${where}: "${text}" is not a number`);
			return { type: 'number', value };
		}
		case 'string':
			return { type: 'string', value: text };
		case 'element':
			if (!isElementHref(text)) throw new FilterError(`${where}: "${text}" is not an element href (https://smc:8082/7.1/elements/host/1234)`);
			return { type: 'element', href: text };
		case 'field':
			return { type: 'field', id: requireField(text, where) };
		default:
			throw new FilterError(`${where}: unknown value type "${String(valueType)}"`);
	}
}

function isIpValue(text: string): boolean {
	const range = text.split('-');
	if (range.length === 2) return isIP(range[0].trim()) !== 0 && isIP(range[0].trim()) === isIP(range[1].trim());
	const [address, prefix, extra] = text.split('/');
	const family = isIP(address);
	if (family === 0 || extra !== undefined) return false;
	if (prefix === undefined) return true;
	return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function isElementHref(text: string): boolean {
	try {
		const url = new URL(text);
		return (url.protocol === 'https:' || url.protocol === 'http:') && /\/elements\/[a-z0-9_]+\/\d+/.test(url.pathname);
	} catch {
		return false;
	}
}

// ------------------------------------------------------------------ JSON filters

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a filter tree given as JSON; errors name the path, e.g. `JSON filter.values[1].right[0]`. */
export function checkFilter(node: unknown, path: string): SmcFilter {
	if (!isObject(node)) throw new FilterError(`${path}: expected a filter object with a "type"`);
	switch (node.type) {
		case 'and':
		case 'or':
			if (!Array.isArray(node.values) || node.values.length === 0) throw new FilterError(`${path}: "${node.type}" needs a non-empty "values" list`);
			return { type: node.type, values: node.values.map((value, index) => checkFilter(value, `${path}.values[${index}]`)) };
		case 'not':
			return { type: 'not', value: checkFilter(node.value, `${path}.value`) };
		case 'defined':
			return { type: 'defined', value: checkValue(node.value, `${path}.value`) };
		case 'in':
			if (!Array.isArray(node.right) || node.right.length === 0) throw new FilterError(`${path}: "in" needs a non-empty "right" list`);
			return {
				type: 'in',
				left: checkValue(node.left, `${path}.left`),
				right: node.right.map((value, index) => checkValue(value, `${path}.right[${index}]`)),
			};
		case 'translated':
			if (typeof node.value !== 'string' || !node.value.trim()) throw new FilterError(`${path}: "translated" needs an expression string in "value"`);
			return { type: 'translated', value: node.value };
		case 'expression':
			if (typeof node.href !== 'string' || !isElementHref(node.href)) throw new FilterError(`${path}: "expression" needs the "href" of a Filter element`);
			return { type: 'expression', href: node.href };
		default:
			throw new FilterError(`${path}: unknown filter type "${String(node.type)}" (in, and, or, not, defined, translated, expression)`);
	}
}

function checkValue(node: unknown, path: string): SmcValue {
	if (!isObject(node)) throw new FilterError(`${path}: expected a value object with a "type"`);
	switch (node.type) {
		case 'field': {
			if (typeof node.id === 'number' && Number.isInteger(node.id) && node.id > 0) return { type: 'field', id: node.id };
			if (typeof node.name === 'string' && node.name.trim()) return { type: 'field', name: node.name };
			throw new FilterError(`${path}: a field value needs a positive integer "id" or a "name"`);
		}
		case 'ip':
			if (typeof node.value !== 'string' || !isIpValue(node.value)) throw new FilterError(`${path}: "${String(node.value)}" is not an IP address, network or range`);
			return { type: 'ip', value: node.value };
		case 'service':
			if (typeof node.value !== 'string' || !SERVICE.test(node.value)) throw new FilterError(`${path}: "${String(node.value)}" is not a service (TCP/443, UDP/53 or ICMP/8/0)`);
			return { type: 'service', value: node.value };
		case 'string':
			if (typeof node.value !== 'string') throw new FilterError(`${path}: a string value needs a string "value"`);
			return { type: 'string', value: node.value };
		case 'constant':
		case 'number':
			if (typeof node.value !== 'number' || !Number.isFinite(node.value)) throw new FilterError(`${path}: a ${node.type} value needs a number "value"`);
			return { type: node.type, value: node.value };
		case 'element':
			if (typeof node.href !== 'string' || !isElementHref(node.href)) throw new FilterError(`${path}: an element value needs an element "href"`);
			return { type: 'element', href: node.href };
		default:
			throw new FilterError(`${path}: unknown value type "${String(node.type)}" (field, ip, service, constant, number, string, element)`);
	}
}
