import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readEventSummary, type EventSummary } from '../summary';
import { severityCode, subtitle } from './channel';
import { fitPayload } from './fit';
import { safeHttpUrl, truncate } from './safeText';
import { buttonText, requireFit, teamsOptions, teamsParts, TEAMS_DEFAULT_MAX_BYTES, type TeamsOptions } from './teams';

export const description = teamsOptions('teamsOptions', 'teamsAdaptiveCard');

/** Container styles and text colours Adaptive Cards name, by syslog code. */
const STYLE_BY_CODE = ['attention', 'attention', 'attention', 'attention', 'warning', 'accent', 'emphasis', 'emphasis'] as const;
const COLOUR_BY_CODE = ['attention', 'attention', 'attention', 'attention', 'warning', 'accent', 'default', 'default'] as const;

/**
 * Event text goes into RichTextBlock TextRuns, which Adaptive Cards never read as Markdown (a
 * TextBlock would turn [x](url) into a link and **x** into bold); only our own labels are styled.
 */
function run(text: string, style: IDataObject = {}): IDataObject {
	return { type: 'TextRun', text, ...style };
}

function richText(runs: IDataObject[], extra: IDataObject = {}): IDataObject {
	return { type: 'RichTextBlock', inlines: runs, ...extra };
}

function factRow(label: string, value: string): IDataObject {
	return {
		type: 'ColumnSet',
		spacing: 'Small',
		columns: [
			{ type: 'Column', width: 1, items: [richText([run(label, { weight: 'Bolder' })])] },
			{ type: 'Column', width: 3, items: [richText([run(value)])] },
		],
	};
}

/** A Teams message with one Adaptive Card, as Teams workflow webhooks ("Post card in a chat or channel") take it. */
export function buildTeamsAdaptiveCard(summary: EventSummary, options: TeamsOptions = {}): IDataObject | undefined {
	const code = severityCode(summary);
	const { title, message, facts } = teamsParts(summary);
	const url = safeHttpUrl(summary.link);
	const build = (message: string, factCount: number): IDataObject => {
		const card: IDataObject = {
			$schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
			type: 'AdaptiveCard',
			version: '1.4',
			msteams: { width: 'Full' },
			body: [
				{
					type: 'Container',
					style: STYLE_BY_CODE[code],
					bleed: true,
					items: [
						richText([run(title, { size: 'Large', weight: 'Bolder', color: COLOUR_BY_CODE[code] })]),
						richText([run(truncate(subtitle(summary), 300), { isSubtle: true })], { spacing: 'None' }),
					],
				},
				richText([run(message || ' ')]),
				...facts.slice(0, factCount).map((fact) => factRow(fact.label, fact.value)),
			],
		};
		if (url) card.actions = [{ type: 'Action.OpenUrl', title: buttonText(options), url }];
		return {
			type: 'message',
			attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
		};
	};
	return fitPayload(message, facts.length, options.maxBytes || TEAMS_DEFAULT_MAX_BYTES, build);
}

export function format(this: IExecuteFunctions, itemIndex: number, item: IDataObject): IDataObject {
	const options = this.getNodeParameter('teamsOptions', itemIndex, {}) as TeamsOptions;
	return requireFit(this, itemIndex, buildTeamsAdaptiveCard(readEventSummary(this, itemIndex, item), options), options);
}
