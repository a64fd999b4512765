import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readEventSummary, type EventSummary } from '../summary';
import { severityColour, subtitle } from './channel';
import { fitPayload } from './fit';
import { displayText, safeHttpUrl, singleLine, truncate } from './safeText';
import { buttonText, requireFit, teamsOptions, teamsParts, TEAMS_DEFAULT_MAX_BYTES, type TeamsOptions } from './teams';

export const description = teamsOptions('messageCardOptions', 'teamsMessageCard');

/**
 * Every MessageCard text field is Markdown ("be sure to escape Markdown special characters",
 * Microsoft's card reference): each punctuation character Markdown or HTML reads gets a backslash
 * (a CommonMark escape, shown as the character itself); a line starting with a list or heading
 * marker is escaped too, and line breaks become paragraph breaks so they survive.
 */
export function escapeCardMarkdown(value: string): string {
	return displayText(value)
		.replace(/[\\`*_{}[\]()#!|<>~&]/g, '\\$&')
		.replace(/^(\s*)([-+=])(?=\s|[-+=]|$)/gm, '$1\\$2')
		.replace(/^(\s*\d{1,9})\.(?=\s|$)/gm, '$1\\.')
		.replace(/\n/g, '\n\n');
}

/** A legacy Office 365 connector MessageCard (Teams incoming webhooks that still take connector cards). */
export function buildTeamsMessageCard(summary: EventSummary, options: TeamsOptions = {}): IDataObject | undefined {
	const { title, message, facts: parts } = teamsParts(summary);
	const facts = parts.map((fact) => ({ name: escapeCardMarkdown(fact.label), value: escapeCardMarkdown(singleLine(fact.value)) }));
	const url = safeHttpUrl(summary.link);
	const build = (message: string, factCount: number): IDataObject => {
		const card: IDataObject = {
			'@type': 'MessageCard',
			'@context': 'https://schema.org/extensions',
			// summary is what notifications and screen readers show; plain text
			summary: title,
			themeColor: severityColour(summary).slice(1),
			title: escapeCardMarkdown(title),
			sections: [
				{
					activityTitle: escapeCardMarkdown(truncate(subtitle(summary), 300)),
					text: escapeCardMarkdown(message) || ' ',
					facts: facts.slice(0, factCount),
				},
			],
		};
		if (url) {
			card.potentialAction = [
				{ '@type': 'OpenUri', name: buttonText(options), targets: [{ os: 'default', uri: url }] },
			];
		}
		return card;
	};
	// Escaping can double the text, so the message is measured escaped (inside build), not raw.
	return fitPayload(message, facts.length, options.maxBytes || TEAMS_DEFAULT_MAX_BYTES, build);
}

export function format(this: IExecuteFunctions, itemIndex: number, item: IDataObject): IDataObject {
	const options = this.getNodeParameter('messageCardOptions', itemIndex, {}) as TeamsOptions;
	return requireFit(this, itemIndex, buildTeamsMessageCard(readEventSummary(this, itemIndex, item), options), options);
}
