import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { EventSummary } from '../summary';
import { buttonTextOption, channelFacts, channelOptions } from './channel';
import { displayText, singleLine, truncate } from './safeText';

/** Teams refuses webhook, connector and workflow messages over 28 KB; the default stays a little under. */
export const TEAMS_MAX_BYTES = 28 * 1024;
export const TEAMS_DEFAULT_MAX_BYTES = 28_000;
/** Longest message and fact value shown before the byte budget is even considered. */
export const TEAMS_MESSAGE_MAX = 4000;
const FACT_MAX = 500;
const MAX_FACTS = 12;

export interface TeamsOptions {
	buttonText?: string;
	maxBytes?: number;
}

const maxBytesOption: INodeProperties = {
	displayName: 'Max Size (Bytes)',
	name: 'maxBytes',
	type: 'number',
	typeOptions: { minValue: 2048, maxValue: TEAMS_MAX_BYTES },
	default: TEAMS_DEFAULT_MAX_BYTES,
	description: 'The whole message as sent, in UTF-8; Teams refuses messages over 28 KB. The text is shortened (then facts dropped) to fit.',
};

export function teamsOptions(name: string, preset: string): INodeProperties[] {
	return channelOptions(name, preset, [buttonTextOption, maxBytesOption]);
}

/** Facts on one line each, bounded; the title and the message text, bounded before fitting. */
export function teamsParts(summary: EventSummary) {
	return {
		title: truncate(singleLine(summary.title), 300) || 'Event',
		message: truncate(displayText(summary.message), TEAMS_MESSAGE_MAX),
		facts: channelFacts(summary)
			.slice(0, MAX_FACTS)
			.map((fact) => ({ label: truncate(singleLine(fact.label), 100), value: truncate(displayText(fact.value), FACT_MAX) })),
	};
}

export function buttonText(options: TeamsOptions): string {
	return truncate(singleLine(options.buttonText || 'View event'), 100);
}

/** A payload that fitted, or the error that says how to make it fit. */
export function requireFit(context: IExecuteFunctions, itemIndex: number, payload: IDataObject | undefined, options: TeamsOptions): IDataObject {
	if (payload) return payload;
	throw new NodeOperationError(context.getNode(), `The card does not fit in ${options.maxBytes ?? TEAMS_DEFAULT_MAX_BYTES} bytes`, {
		itemIndex,
		description: 'Raise Max Size (Bytes) (Teams takes up to 28 KB), or shorten the title in Event Fields.',
	});
}
