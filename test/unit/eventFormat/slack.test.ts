import type { IDataObject } from 'n8n-workflow';

import { SLACK_LIMITS } from '../../../nodes/EventFormat/presets/slack';
import { formatWith } from './context';
import { ALL_SAMPLES, HOSTILE_ILLUMIO_EVENT, HOSTILE_VCO_EVENT, ILLUMIO_EVENT, ONE_MEGABYTE, VELOCLOUD_EVENT } from './samples';

type Block = { type: string; text?: { type: string; text: string }; fields?: Array<{ type: string; text: string }>; elements?: IDataObject[] };

function blocksOf(message: IDataObject): Block[] {
	const attachments = message.attachments as Array<{ blocks: Block[] }> | undefined;
	return (attachments ? attachments[0].blocks : message.blocks) as Block[];
}

/** Every mrkdwn text in a message. */
function mrkdwnTexts(message: IDataObject): string[] {
	const texts = [String(message.text)];
	for (const block of blocksOf(message)) {
		if (block.text?.type === 'mrkdwn') texts.push(block.text.text);
		for (const field of block.fields ?? []) texts.push(field.text);
		for (const element of block.elements ?? []) if (element.type === 'mrkdwn') texts.push(String(element.text));
	}
	return texts;
}

/** Block Kit's documented limits, checked on a whole message. */
function expectWithinSlackLimits(message: IDataObject) {
	const blocks = blocksOf(message);
	expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
	for (const block of blocks) {
		if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
		if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
		if (block.fields) {
			expect(block.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
			for (const field of block.fields) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
		}
		if (block.type === 'actions') {
			const button = block.elements![0] as { text: { text: string }; url: string };
			expect(button.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
			expect(button.url.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonUrl);
			expect(button.url).toMatch(/^https?:\/\//);
		}
	}
	expect(String(message.text).length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
}

describe('Slack Block Kit', () => {
	it('builds a coloured message with header, text, facts, context and a button to the event', () => {
		const message = formatWith('slack', ILLUMIO_EVENT) as IDataObject;
		expect(message.text).toBe('WARNING: user.login failed by amelia.hart@example.com');
		const attachment = (message.attachments as IDataObject[])[0];
		expect(attachment.color).toBe('#F9A825');
		const blocks = blocksOf(message);
		expect(blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'context', 'actions']);
		expect(blocks[0].text).toEqual({ type: 'plain_text', text: 'user.login failed by amelia.hart@example.com', emoji: false });
		expect(blocks[2].fields).toContainEqual({ type: 'mrkdwn', text: '*Source IP*\n10.1.2.3' });
		expect(blocks[4].elements![0]).toMatchObject({ url: 'https://pce.example.com:8443/#/events/4f1a2c3d-0000-4000-8000-000000000001' });
	});

	it('offers top-level blocks for the Slack node, and leaves facts and the button out when asked or unknown', () => {
		const message = formatWith('slack', VELOCLOUD_EVENT, { slackOptions: { layout: 'blocks', includeFacts: false } }) as IDataObject;
		expect(message.attachments).toBeUndefined();
		expect(blocksOf(message).map((block) => block.type)).toEqual(['header', 'section', 'context']);
	});

	it('escapes &, < and > in every mrkdwn text, so no event mentions @channel, links or forges a date', () => {
		for (const item of [HOSTILE_VCO_EVENT, HOSTILE_ILLUMIO_EVENT]) {
			const message = formatWith('slack', item) as IDataObject;
			for (const text of mrkdwnTexts(message)) {
				expect(text).not.toMatch(/[<>]/);
				expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
			}
			expect(JSON.stringify(message)).toContain('&lt;!channel&gt;');
			expectWithinSlackLimits(message);
		}
	});

	it('stays within Block Kit’s limits for every vendor, 1 MB fields, and a 1 MB title', () => {
		for (const item of Object.values(ALL_SAMPLES)) expectWithinSlackLimits(formatWith('slack', item) as IDataObject);
		const huge = formatWith('slack', { ...VELOCLOUD_EVENT, message: ONE_MEGABYTE, edgeName: ONE_MEGABYTE }) as IDataObject;
		expectWithinSlackLimits(huge);
		expect(blocksOf(huge)[1].text!.text.endsWith('…')).toBe(true);
		expectWithinSlackLimits(formatWith('slack', VELOCLOUD_EVENT, { eventFields: { title: ONE_MEGABYTE } }) as IDataObject);
	});

	it('drops a link that is not http(s)', () => {
		const message = formatWith('slack', VELOCLOUD_EVENT, { eventFields: { link: 'javascript:alert(1)' } }) as IDataObject;
		expect(blocksOf(message).some((block) => block.type === 'actions')).toBe(false);
	});
});
