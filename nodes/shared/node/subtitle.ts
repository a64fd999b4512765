import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * Canvas subtitles in words. `$parameter["operation"] + ": " + $parameter["resource"]` shows raw values
 * ("getMany: event"); these build an n8n expression that looks the chosen values up in a table made
 * from the node's own options, so the subtitle reads as the node panel does and cannot drift from it.
 * A value missing from the table (an expression in a selector) falls back to the raw value, never "undefined".
 */
function staticOptions(property: INodeProperties): INodePropertyOptions[] {
	return (property.options ?? []).filter((option): option is INodePropertyOptions => 'value' in option);
}

/** "Get many events": each operation's `action` text (else its name), per resource. */
export function actionSubtitle(properties: INodeProperties[]): string {
	const words: Record<string, string> = {};
	for (const property of properties) {
		if (property.name !== 'operation' || property.type !== 'options') continue;
		const resources = (property.displayOptions?.show?.resource ?? []) as unknown[];
		for (const option of staticOptions(property)) {
			for (const resource of resources) words[`${String(resource)}:${String(option.value)}`] = option.action ?? option.name;
		}
	}
	if (Object.keys(words).length === 0) throw new Error('no operation options shown per resource for the subtitle');
	return `={{ (${JSON.stringify(words)})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}`;
}

/** The display name of the chosen option of one options parameter, with an optional lead-in. */
export function optionSubtitle(properties: INodeProperties[], name: string, prefix = ''): string {
	const property = properties.find((entry) => entry.name === name && entry.type === 'options');
	if (!property) throw new Error(`no options parameter "${name}" for the subtitle`);
	const words = Object.fromEntries(staticOptions(property).map((option) => [String(option.value), option.name]));
	const parameter = `$parameter[${JSON.stringify(name)}]`;
	const lookup = `((${JSON.stringify(words)})[${parameter}] || ${parameter})`;
	return `={{ ${prefix ? `${JSON.stringify(prefix)} + ${lookup}` : lookup} }}`;
}
