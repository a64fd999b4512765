import type { IDataObject, IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

/** Reads one parameter for one item, as `getNodeParameter(name, itemIndex, fallback)` does. */
export type ItemParameterReader = <T>(name: string, itemIndex: number, fallback?: T) => T;

type Reader = (itemIndex: number, fallback: unknown) => unknown;

const SIMPLE_PATH = /^\s*\$json((?:\.[A-Za-z_$][\w$]*|\[(?:'[^'\\]*'|"[^"\\]*"|\d+)\])+)\s*$/;
const PATH_SEGMENT = /\.([A-Za-z_$][\w$]*)|\[(?:'([^'\\]*)'|"([^"\\]*)"|(\d+))\]/g;

/** `.a['b'][0]` → ['a', 'b', '0'] */
function pathSegments(path: string): string[] {
	return [...path.matchAll(PATH_SEGMENT)].map((match) => match[1] ?? match[2] ?? match[3] ?? match[4]);
}

function valueAt(item: IDataObject, segments: string[]): unknown {
	let value: unknown = item;
	for (const segment of segments) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[segment];
	}
	return value;
}

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/** `={{ $json.a }}` or text with such parts: the literal texts and the paths between them, else undefined. */
function parseFieldTemplate(expression: string): { texts: string[]; paths: string[][] } | undefined {
	const texts: string[] = [];
	const paths: string[][] = [];
	let rest = expression.slice(1);
	for (;;) {
		const open = rest.indexOf('{{');
		if (open < 0) break;
		const close = rest.indexOf('}}', open + 2);
		if (close < 0) return undefined;
		const path = SIMPLE_PATH.exec(rest.slice(open + 2, close));
		if (!path) return undefined;
		texts.push(rest.slice(0, open));
		paths.push(pathSegments(path[1]));
		rest = rest.slice(close + 2);
	}
	if (rest.includes('{{') || rest.includes('}}')) return undefined;
	texts.push(rest);
	return paths.length > 0 ? { texts, paths } : undefined;
}

/**
 * Per-item parameters of nodes that handle many items at once (10^5 events per execution). n8n
 * evaluates `getNodeParameter(name, itemIndex)` anew for every call, and an expression costs a data
 * proxy each time: for the archive's dozen parameters that was minutes per 10^5 events, and a queue-mode
 * worker busy that long loses its job. So: a value without an expression is read once; an expression
 * that only reads fields of the item (`{{ $json.enterpriseName }}`, or such parts inside text, as in
 * `{{ $json.enterpriseId }}:{{ $json.id }}`) is resolved from the item as n8n would; anything else, and
 * any field value the shortcut is unsure of (missing, or not text, number or boolean inside text), goes
 * through n8n for that item.
 */
export function itemParameterReader(context: IExecuteFunctions): ItemParameterReader {
	const parameters = context.getNode().parameters;
	const items = context.getInputData();
	const readers = new Map<string, Reader>();

	const compile = (name: string): Reader => {
		const raw = parameters[name];
		const viaN8n = (itemIndex: number, fallback: unknown) => context.getNodeParameter(name, itemIndex, fallback as NodeParameterValueType);
		if (!holdsExpression(raw)) {
			let cached: { value: unknown } | undefined;
			return (itemIndex, fallback) => (cached ??= { value: viaN8n(itemIndex, fallback) }).value;
		}
		const template = typeof raw === 'string' ? parseFieldTemplate(raw) : undefined;
		if (!template) return viaN8n;
		const whole = template.paths.length === 1 && template.texts.every((text) => text === '');
		return (itemIndex, fallback) => {
			const item = items[itemIndex]?.json;
			if (!item) return viaN8n(itemIndex, fallback);
			const values = template.paths.map((segments) => valueAt(item, segments));
			if (whole) return values[0] === undefined ? viaN8n(itemIndex, fallback) : values[0];
			let text = template.texts[0];
			for (let part = 0; part < values.length; part++) {
				const value = values[part];
				if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return viaN8n(itemIndex, fallback);
				text += String(value) + template.texts[part + 1];
			}
			return text;
		};
	};

	return <T>(name: string, itemIndex: number, fallback?: T): T => {
		let reader = readers.get(name);
		if (!reader) {
			reader = compile(name);
			readers.set(name, reader);
		}
		return reader(itemIndex, fallback) as T;
	};
}
