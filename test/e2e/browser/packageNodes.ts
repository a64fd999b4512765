/**
 * What the browser test opens: every node the package lists in package.json (n8n.nodes), in every
 * combination of its selector parameters (resource, operation, mode…), with the collections that hold
 * an option loader filled in so each loader's field is on screen.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PROJECT_ROOT } from '../../support/n8n/runtime';

export const PACKAGE_NAME = 'n8n-nodes-netsec-events';

/** The parts of n8n's node and credential descriptions this test reads (as /types/*.json serve them). */
export interface Property {
	name: string;
	displayName: string;
	type: string;
	default?: unknown;
	required?: boolean;
	placeholder?: string;
	noDataExpression?: boolean;
	options?: Array<Property | { name: string; value?: unknown; values?: Property[] }>;
	values?: Property[];
	typeOptions?: { loadOptionsMethod?: string; multipleValues?: boolean; [key: string]: unknown };
	displayOptions?: { show?: Record<string, unknown[]>; hide?: Record<string, unknown[]> };
}

export interface NodeTypeDescription {
	name: string;
	displayName: string;
	description: string;
	version: number | number[];
	subtitle?: string;
	group: string[];
	icon?: string | { light: string; dark: string };
	iconUrl?: string | { light: string; dark: string };
	credentials?: Array<{ name: string; required?: boolean }>;
	properties: Property[];
	polling?: boolean;
}

export interface CredentialTypeDescription {
	name: string;
	displayName: string;
	properties: Property[];
}

/** The compiled files package.json registers, as n8n loads them. */
export function packageEntries(): { nodes: string[]; credentials: string[] } {
	const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
	return { nodes: manifest.n8n.nodes, credentials: manifest.n8n.credentials };
}

/** The `name` of the class a compiled node or credential file exports (it needs `npm run build`). */
export function exportedTypeName(file: string): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(join(PROJECT_ROOT, file)) as Record<string, new () => { name?: string; description?: { name: string } }>;
	const [exported] = Object.values(module);
	const instance = new exported();
	const name = instance.description?.name ?? instance.name;
	if (!name) throw new Error(`${file} exports no node or credential type`);
	return name;
}

/** One panel to open: a node of the given type with these parameters. */
export interface Panel {
	nodeType: string;
	/** "VeloCloud · Edge · Get Many": also the node's name on the canvas */
	title: string;
	parameters: Record<string, unknown>;
	/** the option loaders whose fields this panel shows */
	loaders: string[];
	/** required pickers left empty here: the test fills each with the first option its loader offers */
	requiredPicks: Array<{ parameter: string; loader: string }>;
}

type Values = Record<string, unknown>;

/** n8n's show/hide rules, for the selector values chosen so far (others at their defaults). */
function isShown(property: Property, values: Values, defaults: Values): boolean {
	const value = (name: string) => (name in values ? values[name] : defaults[name]);
	const { show, hide } = property.displayOptions ?? {};
	for (const [name, allowed] of Object.entries(show ?? {})) {
		if (name.startsWith('@') || name.startsWith('/')) continue;
		if (!allowed.includes(value(name))) return false;
	}
	for (const [name, hidden] of Object.entries(hide ?? {})) {
		if (name.startsWith('@') || name.startsWith('/')) continue;
		if (hidden.includes(value(name))) return false;
	}
	return true;
}

/** A parameter that switches which others show: a fixed list of choices, never an expression. */
function isSelector(property: Property): boolean {
	return property.type === 'options' && property.noDataExpression === true && !property.typeOptions?.loadOptionsMethod;
}

function choices(property: Property): unknown[] {
	return (property.options ?? []).map((option) => ('value' in option ? option.value : undefined)).filter((value) => value !== undefined);
}

function choiceName(property: Property, value: unknown): string {
	const option = (property.options ?? []).find((entry) => 'value' in entry && entry.value === value);
	return option?.name ?? String(value);
}

/** Every loader named inside a property, however deeply nested (collections, fixed collections). */
function loadersIn(property: Property): string[] {
	const own = property.typeOptions?.loadOptionsMethod ? [property.typeOptions.loadOptionsMethod] : [];
	const nested = [...(property.options ?? []), ...(property.values ?? [])].flatMap((entry) => {
		if ('type' in entry) return loadersIn(entry as Property);
		return ((entry as { values?: Property[] }).values ?? []).flatMap(loadersIn);
	});
	return [...own, ...nested];
}

/**
 * A required field left empty is flagged by n8n as it should be; the panels are opened the way a person
 * leaves them after filling what is required, so any flag left is one they would see on a finished node.
 * A text field gets the example its placeholder shows.
 */
function requiredAndEmpty(property: Property): boolean {
	return property.required === true && (property.default === '' || property.default === undefined);
}

function requiredExample(node: NodeTypeDescription, property: Property): string | undefined {
	if (!requiredAndEmpty(property) || property.typeOptions?.loadOptionsMethod) return undefined;
	if (property.placeholder) return property.placeholder;
	throw new Error(`${node.displayName}: required "${property.name}" has no placeholder to fill in: give it one (an example a person would type)`);
}

/** A value for a collection or fixed collection that shows its fields with loaders, at their defaults. */
function valueShowingLoaders(property: Property): unknown {
	if (property.type === 'collection') {
		const value: Values = {};
		for (const option of (property.options ?? []) as Property[]) if (loadersIn(option).length > 0) value[option.name] = option.default;
		return value;
	}
	if (property.type === 'fixedCollection') {
		const value: Values = {};
		for (const group of (property.options ?? []) as Array<{ name: string; values?: Property[] }>) {
			const fields = (group.values ?? []).filter((field) => loadersIn(field).length > 0);
			if (fields.length === 0) continue;
			const entry = Object.fromEntries(fields.map((field) => [field.name, field.default]));
			value[group.name] = property.typeOptions?.multipleValues ? [entry] : entry;
		}
		return value;
	}
	return undefined;
}

export function panelsOf(node: NodeTypeDescription): Panel[] {
	const defaults: Values = Object.fromEntries(node.properties.map((property) => [property.name, property.default]));
	// Expand selectors in order: an operation list shown only for one resource multiplies that resource only.
	let combinations: Array<{ values: Values; names: string[] }> = [{ values: {}, names: [] }];
	for (const selector of node.properties.filter(isSelector)) {
		combinations = combinations.flatMap((combination) => {
			if (!isShown(selector, combination.values, defaults)) return [combination];
			return choices(selector).map((value) => ({
				values: { ...combination.values, [selector.name]: value },
				names: [...combination.names, choiceName(selector, value)],
			}));
		});
	}
	return combinations.map(({ values, names }) => {
		const parameters: Values = { ...values };
		const loaders = new Set<string>();
		const requiredPicks: Panel['requiredPicks'] = [];
		for (const property of node.properties) {
			if (isSelector(property) || !isShown(property, values, defaults)) continue;
			const example = requiredExample(node, property);
			if (example !== undefined) parameters[property.name] = example;
			const loader = property.typeOptions?.loadOptionsMethod;
			if (loader && requiredAndEmpty(property)) requiredPicks.push({ parameter: property.name, loader });
			const found = loadersIn(property);
			if (found.length === 0) continue;
			found.forEach((loader) => loaders.add(loader));
			const shown = valueShowingLoaders(property);
			if (shown !== undefined) parameters[property.name] = shown;
		}
		return { nodeType: node.name, title: [node.displayName, ...names].join(' · '), parameters, loaders: [...loaders], requiredPicks };
	});
}

/** Every loader a node names anywhere: each must have answered with options in some panel. */
export function loadersOf(node: NodeTypeDescription): string[] {
	return [...new Set(node.properties.flatMap(loadersIn))];
}
