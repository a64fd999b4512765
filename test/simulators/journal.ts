/**
 * What a long-lived simulator (the demo's) keeps on disk so a restart continues its history instead of
 * starting a new one: the anchor its generated history ends at, fixed at the first start (the same
 * events, ids and times every start), and every event added since (trickle, control API), one JSON line
 * each, appended as it happens and replayed on the next start. A restarted simulator so never gives an
 * id out twice and never moves an event in time, as a real appliance would not: n8n's cursor, kept
 * across restarts, stays right.
 *
 * Files in `folder`: `<name>.json` ({"anchorMs":...}) and `<name>-added.ndjson`.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SimulatorJournal<AddedRecord> {
	/** where the generated history ends (epoch ms): the first start's time, kept for later starts */
	readonly anchorMs: number;
	/** the events added by earlier runs, oldest first */
	readonly added: AddedRecord[];
	/** keeps one more added event */
	append(record: AddedRecord): void;
}

export function openSimulatorJournal<AddedRecord>(folder: string, name: string, now = Date.now()): SimulatorJournal<AddedRecord> {
	mkdirSync(folder, { recursive: true });
	const stateFile = join(folder, `${name}.json`);
	const addedFile = join(folder, `${name}-added.ndjson`);
	if (!existsSync(stateFile)) writeFileSync(stateFile, `${JSON.stringify({ anchorMs: now })}\n`);
	const { anchorMs } = JSON.parse(readFileSync(stateFile, 'utf8')) as { anchorMs: number };
	if (!Number.isFinite(anchorMs)) throw new Error(`${stateFile} holds no anchorMs; delete it to start a new history`);
	const added: AddedRecord[] = [];
	if (existsSync(addedFile)) {
		const text = readFileSync(addedFile, 'utf8');
		// Each record is written with its newline in one append: text after the last newline is a record a
		// kill cut short during its write. It is dropped (the file too), so the next record starts clean.
		const complete = text.slice(0, text.lastIndexOf('\n') + 1);
		if (complete.length < text.length) writeFileSync(addedFile, complete);
		complete.split('\n').forEach((line, index) => {
			if (!line) return;
			try {
				added.push(JSON.parse(line) as AddedRecord);
			} catch (error) {
				throw new Error(`${addedFile} line ${index + 1} is not JSON (${(error as Error).message}); delete the folder to start a new history`);
			}
		});
	}
	return {
		anchorMs,
		added,
		append: (record) => appendFileSync(addedFile, `${JSON.stringify(record)}\n`),
	};
}
