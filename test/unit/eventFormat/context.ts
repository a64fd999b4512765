import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import { formatItem, presetProperties, type Preset } from '../../../nodes/EventFormat/presets';

const NODE: INode = {
	id: 'event-format',
	name: 'Event Format',
	type: 'n8n-nodes-netsec-events.eventFormat',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** The defaults n8n gives the top-level parameters a preset shows (as in a freshly added node). */
export function presetDefaults(preset: Preset): IDataObject {
	const defaults: IDataObject = {};
	const shown = (property: INodeProperties) => {
		const show = property.displayOptions?.show?.preset as string[] | undefined;
		const hide = property.displayOptions?.hide?.preset as string[] | undefined;
		return (!show || show.includes(preset)) && !(hide && hide.includes(preset));
	};
	for (const property of presetProperties) if (shown(property)) defaults[property.name] = property.default as IDataObject[string];
	return defaults;
}

/**
 * The little of IExecuteFunctions a preset uses: parameters by name (dotted paths reach into
 * collections, as n8n's getNodeParameter does).
 */
export function presetContext(parameters: IDataObject): IExecuteFunctions {
	const context = {
		getNode: () => NODE,
		getNodeParameter(name: string, _itemIndex: number, fallback?: unknown) {
			let value: unknown = parameters;
			for (const key of name.split('.')) {
				value = value !== null && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
			}
			return value === undefined ? fallback : value;
		},
	};
	return context as unknown as IExecuteFunctions;
}

/** Formats one item with a preset and its parameters, as the node does for each input item. */
export function formatWith(preset: Preset, item: IDataObject, parameters: IDataObject = {}): string | IDataObject {
	return formatItem.call(presetContext({ ...presetDefaults(preset), preset, ...parameters }), preset, 0, item);
}

/** The C0 and C1 controls and DEL a text holds, other than those allowed (e.g. "\n\t"), as \u escapes. */
export function controlCharacters(text: string, allowed = ''): string[] {
	const found: string[] = [];
	for (const char of text) {
		const code = char.charCodeAt(0);
		if ((code < 0x20 || (code >= 0x7f && code <= 0x9f)) && !allowed.includes(char)) found.push(`\\u${code.toString(16).padStart(4, '0')}`);
	}
	return found;
}
