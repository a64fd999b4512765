/**
 * The SMC filter expression language ("Show Filter Expression" in the Management Client) as the SMC
 * simulator understands it: the body of a `{"type":"translated","value":...}` filter and of a Filter
 * element (`filter_expression`) that an `{"type":"expression","href":...}` filter names. The subset
 * is the one smc.md §3.4 quotes and smc-python-monitoring's TranslatedFilter and
 * examples/monitoring/logs.py build:
 *
 *   expression := term ("OR" term)*
 *   term       := factor ("AND" factor)*
 *   factor     := "NOT" factor | "(" expression ")" | comparison
 *   comparison := $Field ("==" | "!=" | "<" | "<=" | ">" | ">=") value
 *               | $Field "IN" set
 *   set        := union(value, ...) | range(ipv4(a), ipv4(b)) | ipv4_net("cidr")
 *   value      := number | "string" | ipv4("a.b.c.d") | ipv4( a.b.c.d ) | ipv4_net("cidr") | bare word
 *
 * Semantics (the SMC documents none of them; each is a [choice]): keywords and field names are
 * case-insensitive, `$Field` is a log field's name (smc.md §5: $Src, $Dst, $Sport, $Dport, $Protocol,
 * $Situation, $Facility...); an address field compares as IPv4 (a network or range contains it), the
 * protocol field takes a number or a name ("TCP"), action and severity fields take a number or their
 * name, the rest compare as numbers when both sides are numeric, else as strings. A comparison on an
 * absent field is false (and its `!=` true). Anything else is a FilterError, which the socket answers
 * with `{"failure": ...}`.
 */

export class FilterExpressionError extends Error {}

export type ExpressionFieldKind = 'time' | 'ip' | 'number' | 'string' | 'action' | 'protocol' | 'severity' | 'node';

export interface ExpressionContext {
	/** a field by its lower-cased name */
	field(name: string): { id: number; kind: ExpressionFieldKind } | undefined;
	/** display names of enumerated values, by kind */
	names: Partial<Record<ExpressionFieldKind, Readonly<Record<number, string>>>>;
}

export type FieldPredicate = (fields: Readonly<Record<number, string | number>>) => boolean;

type Operand =
	| { kind: 'number'; value: number }
	| { kind: 'string'; value: string }
	| { kind: 'ip'; pattern: string }
	| { kind: 'numberRange'; low: number; high: number };

export function ipv4ToInt(ip: string): number | undefined {
	const parts = ip.trim().split('.');
	if (parts.length !== 4) return undefined;
	let result = 0;
	for (const part of parts) {
		const octet = Number(part);
		if (!/^\d+$/.test(part) || octet > 255) return undefined;
		result = result * 256 + octet;
	}
	return result;
}

/** An address pattern may be an address, a network ("2.2.2.0/24") or an address range ("a-b"). */
export function ipv4Matches(value: string, pattern: string): boolean {
	if (value === pattern) return true;
	const address = ipv4ToInt(value);
	if (address === undefined) return false;
	if (pattern.includes('/')) {
		const [network, bits] = pattern.split('/');
		const base = ipv4ToInt(network);
		const prefix = Number(bits);
		if (base === undefined || !(prefix >= 0 && prefix <= 32)) return false;
		const size = 2 ** (32 - prefix);
		return Math.floor(address / size) === Math.floor(base / size);
	}
	if (pattern.includes('-')) {
		const [low, high] = pattern.split('-').map(ipv4ToInt);
		return low !== undefined && high !== undefined && address >= low && address <= high;
	}
	return ipv4ToInt(pattern) === address;
}

const TOKEN = /\s*(?:(\$[A-Za-z_][A-Za-z0-9_]*)|("(?:[^"\\]|\\.)*")|(==|!=|<=|>=|<|>|\(|\)|,)|(\d+\.\d+\.\d+\.\d+(?:\/\d+)?)|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_.-]*))/y;

interface Token {
	text: string;
	kind: 'field' | 'string' | 'punct' | 'address' | 'number' | 'word';
}

function tokenize(expression: string): Token[] {
	const tokens: Token[] = [];
	TOKEN.lastIndex = 0;
	for (;;) {
		const at = TOKEN.lastIndex + (/^\s*/.exec(expression.slice(TOKEN.lastIndex))?.[0].length ?? 0);
		if (at >= expression.length) break;
		const match = TOKEN.exec(expression);
		if (!match) throw new FilterExpressionError(`Invalid filter expression at ${at + 1}: ${expression.slice(at, at + 20)}`);
		const kinds: Token['kind'][] = ['field', 'string', 'punct', 'address', 'number', 'word'];
		const index = match.slice(1).findIndex((group) => group !== undefined);
		const text = match[index + 1];
		tokens.push({ kind: kinds[index], text: kinds[index] === 'string' ? JSON.parse(text) as string : text });
	}
	return tokens;
}

/** Compiles an expression into a predicate over a record's fields (by LogField id). */
export function compileFilterExpression(expression: string, context: ExpressionContext): FieldPredicate {
	const tokens = tokenize(expression);
	let position = 0;
	const peek = () => tokens[position];
	const isWord = (word: string) => peek()?.kind === 'word' && peek()!.text.toUpperCase() === word;
	const expect = (text: string) => {
		if (peek()?.text !== text) throw new FilterExpressionError(`Invalid filter expression: expected "${text}" near ${peek()?.text ?? 'the end'}`);
		position++;
	};

	const parseExpression = (): FieldPredicate => {
		const terms = [parseTerm()];
		while (isWord('OR')) {
			position++;
			terms.push(parseTerm());
		}
		return terms.length === 1 ? terms[0] : (fields) => terms.some((term) => term(fields));
	};
	const parseTerm = (): FieldPredicate => {
		const factors = [parseFactor()];
		while (isWord('AND')) {
			position++;
			factors.push(parseFactor());
		}
		return factors.length === 1 ? factors[0] : (fields) => factors.every((factor) => factor(fields));
	};
	const parseFactor = (): FieldPredicate => {
		if (isWord('NOT')) {
			position++;
			const inner = parseFactor();
			return (fields) => !inner(fields);
		}
		if (peek()?.text === '(') {
			position++;
			const inner = parseExpression();
			expect(')');
			return inner;
		}
		return parseComparison();
	};

	/** ipv4("a.b.c.d") | ipv4( a.b.c.d ) | ipv4_net("cidr") | number | "string" | bare word */
	const parseValue = (): Operand => {
		const token = peek();
		if (!token) throw new FilterExpressionError('Invalid filter expression: a value is missing at the end');
		position++;
		if (token.kind === 'number') return { kind: 'number', value: Number(token.text) };
		if (token.kind === 'string') return { kind: 'string', value: token.text };
		if (token.kind === 'address') return { kind: 'ip', pattern: token.text };
		if (token.kind === 'word' && /^ipv4(_net)?$/i.test(token.text)) {
			expect('(');
			const argument = peek();
			if (!argument || (argument.kind !== 'string' && argument.kind !== 'address')) throw new FilterExpressionError(`Invalid filter expression: ${token.text}() needs an address`);
			position++;
			expect(')');
			const network = token.text.toLowerCase() === 'ipv4_net';
			if (network ? !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(argument.text) : ipv4ToInt(argument.text) === undefined) {
				throw new FilterExpressionError(`Invalid filter expression: ${token.text}("${argument.text}")`);
			}
			return { kind: 'ip', pattern: argument.text };
		}
		if (token.kind === 'word') return { kind: 'string', value: token.text };
		throw new FilterExpressionError(`Invalid filter expression: unexpected "${token.text}"`);
	};

	/** union(v, ...) | range(a, b) | a single value: the patterns a field IN them matches */
	const parseSet = (): Operand[] => {
		if (isWord('UNION')) {
			position++;
			expect('(');
			const members = [parseValue()];
			while (peek()?.text === ',') {
				position++;
				members.push(parseValue());
			}
			expect(')');
			return members;
		}
		if (isWord('RANGE')) {
			position++;
			expect('(');
			const low = parseValue();
			expect(',');
			const high = parseValue();
			expect(')');
			if (low.kind === 'ip' && high.kind === 'ip') return [{ kind: 'ip', pattern: `${low.pattern}-${high.pattern}` }];
			if (low.kind === 'number' && high.kind === 'number') return [{ kind: 'numberRange', low: low.value, high: high.value }];
			throw new FilterExpressionError('Invalid filter expression: range() needs two addresses or two numbers');
		}
		return [parseValue()];
	};

	const parseComparison = (): FieldPredicate => {
		const token = peek();
		if (token?.kind !== 'field') throw new FilterExpressionError(`Invalid filter expression: expected a $Field near ${token?.text ?? 'the end'}`);
		position++;
		const field = context.field(token.text.slice(1).toLowerCase());
		if (!field) throw new FilterExpressionError(`Unknown field ${token.text}`);
		if (isWord('IN')) {
			position++;
			const members = parseSet();
			return (fields) => fields[field.id] !== undefined && members.some((member) => compare(field, fields[field.id], '==', member, context));
		}
		const operator = peek();
		if (operator?.kind !== 'punct' || !['==', '!=', '<', '<=', '>', '>='].includes(operator.text)) {
			throw new FilterExpressionError(`Invalid filter expression: expected an operator after ${token.text}`);
		}
		position++;
		const operand = parseValue();
		if (operator.text === '!=') return (fields) => fields[field.id] === undefined || !compare(field, fields[field.id], '==', operand, context);
		return (fields) => fields[field.id] !== undefined && compare(field, fields[field.id], operator.text, operand, context);
	};

	const predicate = parseExpression();
	if (position < tokens.length) throw new FilterExpressionError(`Invalid filter expression: unexpected "${tokens[position].text}"`);
	return predicate;
}

function compare(field: { kind: ExpressionFieldKind }, value: string | number, operator: string, operand: Operand, context: ExpressionContext): boolean {
	if (operand.kind === 'numberRange') return Number(value) >= operand.low && Number(value) <= operand.high;
	if (operand.kind === 'ip' || field.kind === 'ip' || field.kind === 'node') {
		const pattern = operand.kind === 'ip' ? operand.pattern : String(operand.value);
		if (operator === '==') return ipv4Matches(String(value), pattern);
		const left = ipv4ToInt(String(value));
		const right = ipv4ToInt(pattern);
		return left !== undefined && right !== undefined && ordered(left, operator, right);
	}
	const names = context.names[field.kind];
	if (operand.kind === 'string' && names && typeof value === 'number') {
		// "TCP", "Allow", "High": an enumerated field named rather than numbered
		return operator === '==' && names[value]?.toLowerCase() === operand.value.toLowerCase();
	}
	if (operand.kind === 'number') return ordered(Number(value), operator, operand.value);
	const text = String(value);
	return ordered(text < operand.value ? -1 : text > operand.value ? 1 : 0, operator, 0);
}

/** An operator applied to the sign of left - right (or of a string comparison). */
const BY_SIGN: Readonly<Record<string, (sign: number) => boolean>> = {
	'==': (sign) => sign === 0,
	'<': (sign) => sign < 0,
	'<=': (sign) => sign <= 0,
	'>': (sign) => sign > 0,
	'>=': (sign) => sign >= 0,
};

function ordered(left: number, operator: string, right: number): boolean {
	return Number.isFinite(left) && Number.isFinite(right) && (BY_SIGN[operator]?.(Math.sign(left - right)) ?? false);
}
