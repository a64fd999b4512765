/**
 * The vRNI search filter language as the simulator understands it: the grammar the vRNI SDK's
 * flows_to_vrli.py documents in its comments, on any entity type.
 *
 *   filter     := [expression] [time]
 *   expression := term ("or" term)*
 *   term       := factor ("and" factor)*
 *   factor     := "not" factor | "(" expression ")" | comparison
 *   comparison := path ("=" | "!=" | "<" | "<=" | ">" | ">=" | "like" | "not like") value
 *               | path ["not"] "in" "(" value ("," value)* ")"
 *   time       := "in last" <number> ("minute" | "hour" | "day" | "week")["s"]
 *   path       := field ("." field)*        e.g. source_cluster.name, destination_ip.ip_address
 *   value      := 'quoted' | "quoted" | bare word or number (TAG_SRC_IP_VM, 443, ALLOW)
 *
 * Semantics (vRNI documents none of them; each is a [choice]):
 * - A path walks the entity's JSON; lists fan out (a comparison holds when any element matches), and
 *   a reference ({entity_id, entity_type}) is followed to the entity it names, so
 *   `source_security_tags.name` reads each tag's name.
 * - Strings compare case-insensitively; a PortRange equals every port from start to end (`port = 123`);
 *   an IpAddress compares by ip_address; a reference compares by name or entity id; `flow_tag`
 *   accepts a value without the TAG_ prefix.
 * - `a != v` is `not (a = v)`: true when no element equals (so `flow_tag != TAG_INTERNET_TRAFFIC`
 *   excludes flows carrying that tag), and true when the field is absent.
 * - `like` matches a substring, or a pattern when the value holds `%` or `*` wildcards.
 * - The first path segment must be a property of the searched type (the 6.1.0 swagger); anything else
 *   is a 400 "field … is not supported".
 */

export class FilterError extends Error {}

export type Entity = Record<string, unknown>;
/** Resolves a reference to the entity it names (undefined when unknown). */
export type Lookup = (reference: { entity_id: string; entity_type: string }) => Entity | undefined;
/** Receives the entity lazily: flows are only built when a comparison needs them. */
export type EntityPredicate = (entity: () => Entity) => boolean;

export interface CompiledFilter {
	predicate?: EntityPredicate;
	/** the "in last N units" suffix, in seconds */
	lastSeconds?: number;
}

const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400, week: 604800 };

export function tokenize(filter: string): string[] {
	const tokens: string[] = [];
	const pattern = /\s*(?:(!=|<=|>=|=|<|>|\(|\)|,)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([A-Za-z0-9_.:/%*-]+)|(\S))/gy;
	let match: RegExpExecArray | null;
	while ((match = pattern.exec(filter)) !== null) {
		if (match[4] !== undefined) throw new FilterError(`Invalid filter "${filter}": unexpected "${match[4]}"`);
		const token = match[1] ?? match[2] ?? match[3];
		if (token !== undefined) tokens.push(token);
		if (pattern.lastIndex >= filter.length) break;
	}
	return tokens;
}

function isQuoted(token: string): boolean {
	return /^(['"]).*\1$/s.test(token);
}

function unquote(token: string): string {
	return isQuoted(token) ? token.slice(1, -1).replace(/\\(.)/g, '$1') : token;
}

function isReference(value: Entity): value is Entity & { entity_id: string; entity_type: string } {
	return typeof value.entity_id === 'string' && typeof value.entity_type === 'string';
}

/** Every value `segments` reaches from `value`, lists flattened and references followed. */
export function resolvePath(value: unknown, segments: readonly string[], lookup: Lookup): unknown[] {
	if (value === undefined || value === null) return [];
	if (Array.isArray(value)) return value.flatMap((element) => resolvePath(element, segments, lookup));
	if (segments.length === 0) return [value];
	if (typeof value !== 'object') return [];
	const object = value as Entity;
	const [head, ...rest] = segments;
	if (head in object) return resolvePath(object[head], rest, lookup);
	if (isReference(object)) {
		// References carry entity_name (the SDK model's field); anything else needs the entity itself.
		if (head === 'name' && typeof object.entity_name === 'string') return resolvePath(object.entity_name, rest, lookup);
		const target = lookup(object);
		return target ? resolvePath(target[head], rest, lookup) : [];
	}
	return [];
}

/** The scalars a resolved value compares as. */
function scalars(value: unknown): Array<string | number | boolean> {
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return [value];
	if (value && typeof value === 'object') {
		const object = value as Entity;
		if (typeof object.ip_address === 'string') return [object.ip_address];
		if (isReference(object)) return [...(typeof object.entity_name === 'string' ? [object.entity_name] : []), object.entity_id];
		if (typeof object.display === 'string') return [object.display];
	}
	return [];
}

function portRange(value: unknown): { start: number; end: number } | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const { start, end } = value as Entity;
	return typeof start === 'number' && typeof end === 'number' ? { start, end } : undefined;
}

type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like';

function wildcardTest(pattern: string): (text: string) => boolean {
	const lower = pattern.toLowerCase();
	if (!/[%*]/.test(lower)) return (text) => text.toLowerCase().includes(lower);
	const regex = new RegExp(`^${lower.split(/[%*]/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
	return (text) => regex.test(text.toLowerCase());
}

/** Does one resolved value satisfy `operator value`? (`!=` is handled by the caller as not `=`.) */
function valueTest(operator: Exclude<Operator, '!='>, wanted: string, filter: string): (value: unknown) => boolean {
	const number = wanted.trim() === '' ? Number.NaN : Number(wanted);
	if (operator === 'like') {
		const test = wildcardTest(wanted);
		return (value) => scalars(value).some((scalar) => test(String(scalar)));
	}
	if (operator !== '=') {
		if (!Number.isFinite(number)) throw new FilterError(`Invalid filter "${filter}": operator ${operator} needs a number, got "${wanted}"`);
		const compare = (left: number): boolean =>
			operator === '<' ? left < number : operator === '<=' ? left <= number : operator === '>' ? left > number : left >= number;
		return (value) => {
			const range = portRange(value);
			if (range) return operator.startsWith('<') ? compare(range.start) : compare(range.end);
			return scalars(value).some((scalar) => typeof scalar === 'number' && compare(scalar));
		};
	}
	const lower = wanted.toLowerCase();
	return (value) => {
		const range = portRange(value);
		if (range) return Number.isFinite(number) && number >= range.start && number <= range.end;
		return scalars(value).some((scalar) =>
			typeof scalar === 'number' ? Number.isFinite(number) && scalar === number : String(scalar).toLowerCase() === lower,
		);
	};
}

/**
 * Compiles `filter` for an entity type whose top-level properties are `fields` (undefined: any name).
 * Throws FilterError with vRNI's style of message for anything outside the grammar.
 */
export function compileFilter(filter: string, fields: ReadonlySet<string> | undefined, lookup: Lookup): CompiledFilter {
	const tokens = tokenize(filter);
	let position = 0;
	const peek = (offset = 0): string | undefined => tokens[position + offset];
	const keyword = (word: string, offset = 0): boolean => {
		const token = peek(offset);
		return token !== undefined && !isQuoted(token) && token.toLowerCase() === word;
	};
	const take = (): string => {
		const token = tokens[position++];
		if (token === undefined) throw new FilterError(`Invalid filter "${filter}": unexpected end`);
		return token;
	};
	const expect = (word: string): void => {
		const token = take();
		if (token.toLowerCase() !== word) throw new FilterError(`Invalid filter "${filter}": expected ${word} at "${token}"`);
	};
	const value = (): string => {
		const token = take();
		if (['(', ')', ',', '=', '!=', '<', '<=', '>', '>='].includes(token)) throw new FilterError(`Invalid filter "${filter}": expected a value at "${token}"`);
		return unquote(token);
	};

	let lastSeconds: number | undefined;
	const timeSuffix = (): boolean => {
		if (!keyword('in') || !keyword('last', 1)) return false;
		position += 2;
		const amount = Number(take());
		const unit = take().toLowerCase().replace(/s$/, '');
		if (!Number.isFinite(amount) || amount <= 0 || UNIT_SECONDS[unit] === undefined) throw new FilterError(`Invalid filter "${filter}": bad time range`);
		lastSeconds = Math.round(amount * UNIT_SECONDS[unit]);
		return true;
	};

	const comparison = (): EntityPredicate => {
		const pathText = take();
		if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(pathText)) throw new FilterError(`Invalid filter "${filter}": expected a field at "${pathText}"`);
		const segments = pathText.split('.');
		if (fields && !fields.has(segments[0])) throw new FilterError(`Invalid filter "${filter}": field ${pathText} is not supported`);
		const normalise = segments[0] === 'flow_tag' && segments.length === 1 ? (text: string) => (/^TAG_/i.test(text) ? text : `TAG_${text}`) : (text: string) => text;
		const read = (entity: () => Entity): unknown[] => resolvePath(entity(), segments, lookup);
		const negated = keyword('not') && (keyword('in', 1) || keyword('like', 1));
		if (negated) position += 1;
		if (keyword('in') && !keyword('last', 1)) {
			position += 1;
			expect('(');
			const tests = [valueTest('=', normalise(value()), filter)];
			while (peek() === ',') {
				position += 1;
				tests.push(valueTest('=', normalise(value()), filter));
			}
			expect(')');
			return (entity) => read(entity).some((item) => tests.some((test) => test(item))) !== negated;
		}
		if (keyword('like')) {
			position += 1;
			const test = valueTest('like', value(), filter);
			return (entity) => read(entity).some(test) !== negated;
		}
		if (negated) throw new FilterError(`Invalid filter "${filter}": expected in or like after not`);
		const operator = take();
		if (!['=', '!=', '<', '<=', '>', '>='].includes(operator)) throw new FilterError(`Invalid filter "${filter}": operator ${operator} is not supported`);
		const wanted = normalise(value());
		if (operator === '!=') {
			const test = valueTest('=', wanted, filter);
			return (entity) => !read(entity).some(test);
		}
		const test = valueTest(operator as Exclude<Operator, '!=' | 'like'>, wanted, filter);
		return (entity) => read(entity).some(test);
	};
	const factor = (): EntityPredicate => {
		if (keyword('not')) {
			position += 1;
			const inner = factor();
			return (entity) => !inner(entity);
		}
		if (peek() === '(') {
			position += 1;
			const inner = expression();
			expect(')');
			return inner;
		}
		return comparison();
	};
	const term = (): EntityPredicate => {
		const parts = [factor()];
		while (keyword('and')) {
			position += 1;
			parts.push(factor());
		}
		return parts.length === 1 ? parts[0] : (entity) => parts.every((part) => part(entity));
	};
	const expression = (): EntityPredicate => {
		const parts = [term()];
		while (keyword('or')) {
			position += 1;
			parts.push(term());
		}
		return parts.length === 1 ? parts[0] : (entity) => parts.some((part) => part(entity));
	};

	if (tokens.length === 0) return {};
	if (timeSuffix() && position === tokens.length) return { lastSeconds };
	const predicate = expression();
	timeSuffix();
	if (position !== tokens.length) throw new FilterError(`Invalid filter "${filter}": unexpected "${tokens[position]}"`);
	return { predicate, lastSeconds };
}
