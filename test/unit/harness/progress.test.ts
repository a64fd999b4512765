/** Progress lines for long steps: what, how far, how long so far, and how long in all. */
import { formatDuration, step } from '../../support/n8n/progress';

describe('progress', () => {
	afterEach(() => jest.useRealTimers());

	it('formats durations as people read them', () => {
		expect(formatDuration(0)).toBe('0 s');
		expect(formatDuration(44_600)).toBe('45 s');
		expect(formatDuration(125_000)).toBe('2 min 05 s');
		expect(formatDuration(3_720_000)).toBe('1 h 02 min');
	});

	it('says what starts and what it costs, then how far it got every interval, then how long it took', async () => {
		jest.useFakeTimers({ now: 0 });
		const lines: string[] = [];
		let unpacked = 0;
		let finish!: () => void;
		const running = step(
			(line) => lines.push(line),
			{ what: 'installing n8n', expect: 'first run only; 5-13 min', howFar: () => `${unpacked} of 2,200 packages unpacked`, everyMs: 15_000 },
			() => new Promise<void>((resolve) => (finish = resolve)),
		);
		unpacked = 300;
		await jest.advanceTimersByTimeAsync(15_000);
		unpacked = 900;
		await jest.advanceTimersByTimeAsync(15_000);
		finish();
		await running;
		expect(lines).toEqual([
			'installing n8n (first run only; 5-13 min)...',
			'  ... 300 of 2,200 packages unpacked, 15 s so far',
			'  ... 900 of 2,200 packages unpacked, 30 s so far',
			'  done in 30 s',
		]);
		// no line after the end
		await jest.advanceTimersByTimeAsync(60_000);
		expect(lines).toHaveLength(4);
	});

	it('says when a step failed, and a failing progress look does not stop the step', async () => {
		jest.useFakeTimers({ now: 0 });
		const lines: string[] = [];
		let fail!: (error: Error) => void;
		const running = step(
			(line) => lines.push(line),
			{
				what: 'building sqlite3',
				howFar: () => {
					throw new Error('folder not there yet');
				},
			},
			() => new Promise<void>((_resolve, reject) => (fail = reject)),
		);
		await jest.advanceTimersByTimeAsync(15_000);
		fail(new Error('compiler missing'));
		await expect(running).rejects.toThrow('compiler missing');
		expect(lines).toEqual(['building sqlite3...', '  ... 15 s so far', '  failed after 15 s']);
	});
});
