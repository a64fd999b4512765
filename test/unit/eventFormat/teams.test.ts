import type { IDataObject } from 'n8n-workflow';

import { escapeCardMarkdown } from '../../../nodes/EventFormat/presets/teamsMessageCard';
import { formatWith, presetContext } from './context';
import { formatItem } from '../../../nodes/EventFormat/presets';
import { ALL_SAMPLES, HOSTILE_ILLUMIO_EVENT, HOSTILE_TEXT, HOSTILE_VCO_EVENT, ILLUMIO_EVENT, ONE_MEGABYTE, SMC_ALERT_RECORD, VELOCLOUD_EVENT } from './samples';

const bytes = (payload: unknown) => Buffer.byteLength(JSON.stringify(payload), 'utf8');

/** Every element of a card body, containers and columns opened. */
function elements(body: IDataObject[]): IDataObject[] {
	return body.flatMap((element) => [
		element,
		...elements((element.items as IDataObject[]) ?? []),
		...((element.columns as IDataObject[]) ?? []).flatMap((column) => elements(column.items as IDataObject[])),
	]);
}

function cardOf(message: IDataObject): IDataObject {
	expect(message.type).toBe('message');
	const [attachment] = message.attachments as IDataObject[];
	expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
	return attachment.content as IDataObject;
}

describe('Microsoft Teams Adaptive Card', () => {
	it('builds a workflow-webhook message: a styled title, the text, facts and an Open URL action', () => {
		const card = cardOf(formatWith('teamsAdaptiveCard', ILLUMIO_EVENT) as IDataObject);
		expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
		const body = card.body as IDataObject[];
		expect(body[0]).toMatchObject({ type: 'Container', style: 'warning' });
		expect(JSON.stringify(body)).toContain('"text":"Source IP","weight":"Bolder"');
		expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'View event', url: 'https://pce.example.com:8443/#/events/4f1a2c3d-0000-4000-8000-000000000001' }]);
	});

	it('puts event text only in TextRuns, which Adaptive Cards never read as Markdown', () => {
		const card = cardOf(formatWith('teamsAdaptiveCard', HOSTILE_VCO_EVENT) as IDataObject);
		const all = elements(card.body as IDataObject[]);
		expect(all.filter((element) => element.type === 'TextBlock' || element.type === 'FactSet')).toEqual([]);
		const runs = all.filter((element) => element.type === 'RichTextBlock').flatMap((block) => block.inlines as IDataObject[]);
		expect(runs.some((run) => String(run.text).includes('[link](https://evil.example)'))).toBe(true);
		expect(card.actions).toBeUndefined();
	});

	it('fits under the byte budget for 1 MB fields by shortening the text, then dropping facts', () => {
		for (const item of [HOSTILE_VCO_EVENT, HOSTILE_ILLUMIO_EVENT, { ...SMC_ALERT_RECORD, LongMsg: ONE_MEGABYTE, Situation: '東'.repeat(5000) }]) {
			const message = formatWith('teamsAdaptiveCard', item) as IDataObject;
			expect(bytes(message)).toBeLessThanOrEqual(28_000);
		}
		const tight = formatWith('teamsAdaptiveCard', { ...VELOCLOUD_EVENT, message: '東京'.repeat(20_000) }, { teamsOptions: { maxBytes: 4096 } }) as IDataObject;
		expect(bytes(tight)).toBeLessThanOrEqual(4096);
		expect(JSON.stringify(tight)).toContain('…');
		for (const item of Object.values(ALL_SAMPLES)) expect(bytes(formatWith('teamsAdaptiveCard', item))).toBeLessThanOrEqual(28_000);
	});

	it('says so when even a bare card cannot fit the budget', () => {
		const context = presetContext({ preset: 'teamsAdaptiveCard', teamsOptions: { maxBytes: 100 }, eventFields: {} });
		expect(() => formatItem.call(context, 'teamsAdaptiveCard', 0, VELOCLOUD_EVENT)).toThrow('The card does not fit in 100 bytes');
	});
});

describe('Microsoft Teams MessageCard (legacy connector)', () => {
	it('builds a connector card with theme colour, facts and an OpenUri action', () => {
		const card = formatWith('teamsMessageCard', ILLUMIO_EVENT) as IDataObject;
		expect(card).toMatchObject({ '@type': 'MessageCard', '@context': 'https://schema.org/extensions', themeColor: 'F9A825' });
		expect(card.summary).toBe('user.login failed by amelia.hart@example.com');
		const [section] = card.sections as IDataObject[];
		expect(section.facts).toContainEqual({ name: 'Source IP', value: '10.1.2.3' });
		expect(card.potentialAction).toEqual([
			{ '@type': 'OpenUri', name: 'View event', targets: [{ os: 'default', uri: 'https://pce.example.com:8443/#/events/4f1a2c3d-0000-4000-8000-000000000001' }] },
		]);
	});

	it('escapes Markdown and HTML in every text field', () => {
		expect(escapeCardMarkdown('**b** [l](u) <a>&x # h')).toBe('\\*\\*b\\*\\* \\[l\\]\\(u\\) \\<a\\>\\&x \\# h');
		expect(escapeCardMarkdown('- item\n1. first\n===\n10.1.2.3\n-5')).toBe('\\- item\n\n1\\. first\n\n\\===\n\n10.1.2.3\n\n-5');
		const card = formatWith('teamsMessageCard', { ...VELOCLOUD_EVENT, message: HOSTILE_TEXT }) as IDataObject;
		const [section] = card.sections as IDataObject[];
		expect(section.text).toContain('\\[link\\]\\(https://evil.example\\)');
		expect(section.text).toContain('\\<script\\>');
		expect(String(section.text)).not.toMatch(/(?<!\\)[<>*[\]]/);
	});

	it('fits under the byte budget, whatever the fields hold', () => {
		for (const item of [HOSTILE_VCO_EVENT, HOSTILE_ILLUMIO_EVENT, ...Object.values(ALL_SAMPLES)]) {
			expect(bytes(formatWith('teamsMessageCard', item))).toBeLessThanOrEqual(28_000);
		}
		const escapedHeavy = formatWith('teamsMessageCard', { ...VELOCLOUD_EVENT, message: '*'.repeat(100_000) }, { messageCardOptions: { maxBytes: 3000 } });
		expect(bytes(escapedHeavy)).toBeLessThanOrEqual(3000);
	});
});
