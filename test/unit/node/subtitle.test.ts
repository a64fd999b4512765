/**
 * Canvas subtitles in words (issue 15.8): the expressions subtitle.ts builds, and every package node's
 * subtitle in every panel the browser test opens, evaluated by n8n's own expression engine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Workflow, type INode, type INodeProperties, type INodeType, type INodeTypes } from 'n8n-workflow';

import { actionSubtitle, optionSubtitle } from '../../../nodes/shared/node/subtitle';
import { panelsOf, type NodeTypeDescription } from '../../e2e/browser/packageNodes';

const ROOT = join(__dirname, '..', '..', '..');

/** What n8n shows for `subtitle` on a node of `type` with these parameters (defaults filled in as n8n does). */
function evaluate(type: INodeType, parameters: Record<string, unknown>): unknown {
	const defaults = Object.fromEntries(type.description.properties.map((property) => [property.name, property.default]));
	const node: INode = {
		id: 'node',
		name: 'Node',
		type: `n8n-nodes-netsec-events.${type.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: { ...defaults, ...parameters } as INode['parameters'],
	};
	const nodeTypes = { getByName: () => type, getByNameAndVersion: () => type, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, type.description.subtitle, 'internal', {});
}

function nodeOf(properties: INodeProperties[], subtitle: string): INodeType {
	return { description: { displayName: 'Test', name: 'test', group: [], version: 1, description: '', defaults: {}, inputs: [], outputs: [], properties, subtitle } };
}

// Compact on purpose: two resources, one operation with an action text and one without.
const options = (...entries: Array<[string, string, string?]>) => entries.map(([name, value, action]) => ({ name, value, ...(action ? { action } : {}) }));
const RESOURCE_OPERATIONS: INodeProperties[] = [
	{ displayName: 'Resource', name: 'resource', type: 'options', noDataExpression: true, options: options(['Edge', 'edge'], ['Event', 'event']), default: 'event' },
	{ displayName: 'Operation', name: 'operation', type: 'options', displayOptions: { show: { resource: ['event'] } }, options: options(['Get Many', 'getMany', 'Get many events'], ['Get', 'get']), default: 'getMany' },
	{ displayName: 'Operation', name: 'operation', type: 'options', displayOptions: { show: { resource: ['edge'] } }, options: options(['Get Many', 'getMany', 'Get many edges']), default: 'getMany' },
];
const PRESET: INodeProperties[] = [
	{ displayName: 'Preset', name: 'preset', type: 'options', options: options(['Slack Block Kit', 'slack'], ['Syslog (RFC 5424)', 'syslog']), default: 'slack' },
];

describe('actionSubtitle', () => {
	const node = nodeOf(RESOURCE_OPERATIONS, actionSubtitle(RESOURCE_OPERATIONS));

	it("reads each resource's operation as its action text", () => {
		expect(evaluate(node, { resource: 'event', operation: 'getMany' })).toBe('Get many events');
		expect(evaluate(node, { resource: 'edge', operation: 'getMany' })).toBe('Get many edges');
	});

	it("uses the operation's name where it has no action text", () => {
		expect(evaluate(node, { resource: 'event', operation: 'get' })).toBe('Get');
	});

	it('shows the raw operation, not "undefined", for a combination it does not know', () => {
		expect(evaluate(node, { resource: 'edge', operation: 'delete' })).toBe('delete');
	});

	it('refuses a node without per-resource operations', () => {
		expect(() => actionSubtitle(PRESET)).toThrow(/no operation options/);
	});
});

describe('optionSubtitle', () => {
	it("shows the chosen option's name", () => {
		expect(evaluate(nodeOf(PRESET, optionSubtitle(PRESET, 'preset')), { preset: 'syslog' })).toBe('Syslog (RFC 5424)');
	});

	it('puts the lead-in before it', () => {
		expect(evaluate(nodeOf(PRESET, optionSubtitle(PRESET, 'preset', 'Ingest: ')), { preset: 'slack' })).toBe('Ingest: Slack Block Kit');
	});

	it('falls back to the raw value for one it does not know', () => {
		expect(evaluate(nodeOf(PRESET, optionSubtitle(PRESET, 'preset')), { preset: 'teams' })).toBe('teams');
	});

	it('refuses a parameter that is not an options list', () => {
		expect(() => optionSubtitle(PRESET, 'missing')).toThrow(/no options parameter "missing"/);
	});
});

describe('every package node', () => {
	const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };
	// The sources of the compiled files package.json registers (dist/nodes/X.node.js → nodes/X.node.ts).
	const types = manifest.n8n.nodes.map((file) => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const module = require(join(ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '.ts'))) as Record<string, new () => INodeType>;
		return new (Object.values(module)[0])();
	});
	const cases = types.flatMap((type) =>
		panelsOf(type.description as unknown as NodeTypeDescription).map((panel) => [panel.title, type, panel.parameters] as const),
	);

	it('has panels to check', () => expect(cases.length).toBeGreaterThan(types.length));

	it.each(cases)('%s: subtitle in words', (_title, type, parameters) => {
		const subtitle = evaluate(type, parameters);
		const rawValues = type.description.properties.flatMap((property) =>
			(property.options ?? []).flatMap((option) => ('value' in option && option.value !== option.name ? [String(option.value)] : [])),
		);
		expect(typeof subtitle).toBe('string');
		expect(subtitle).not.toMatch(/undefined|\[object|\{\{|^$/);
		// Raw values ("getMany: event", "teamsAdaptiveCard") are not words.
		expect((subtitle as string).split(/:\s*/).every((part) => rawValues.includes(part))).toBe(false);
	});
});
