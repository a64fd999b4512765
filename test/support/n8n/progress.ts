/**
 * Progress for the long steps of a first run (runtime install, sqlite3 build, n8n's first boot): a line
 * when a step starts (with what it usually costs), a line every `everyMs` saying how far it got and how
 * long it has taken so far, and a line when it ends. Nobody waits minutes in front of a silent terminal.
 */
export type Log = (line: string) => void;

export interface StepOptions {
	/** what the step does, e.g. "installing n8n 2.41.1 and Node 24 into n8n-runtime/" */
	what: string;
	/** what it usually costs, said up front, e.g. "first run only; 5-10 min" */
	expect?: string;
	/** how far along it is now (e.g. "1,204 of ~2,250 packages"), or undefined when unknown */
	howFar?: () => string | undefined;
	/** ms between two progress lines (default 15 s) */
	everyMs?: number;
}

/** "45 s", "2 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
	const seconds = Math.max(0, Math.round(ms / 1000));
	if (seconds < 60) return `${seconds} s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
	return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Runs `work`, printing its start, its progress every `everyMs` and its end (or failure) with the time taken. */
export async function step<T>(log: Log, options: StepOptions, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	log(`${options.what}${options.expect ? ` (${options.expect})` : ''}...`);
	const ticker = setInterval(() => {
		let howFar: string | undefined;
		try {
			howFar = options.howFar?.();
		} catch {
			// progress is a courtesy: a failed look never stops the step
		}
		log(`  ... ${howFar ? `${howFar}, ` : ''}${formatDuration(Date.now() - started)} so far`);
	}, options.everyMs ?? 15_000);
	ticker.unref();
	try {
		const result = await work();
		log(`  done in ${formatDuration(Date.now() - started)}`);
		return result;
	} catch (error) {
		log(`  failed after ${formatDuration(Date.now() - started)}`);
		throw error;
	} finally {
		clearInterval(ticker);
	}
}
