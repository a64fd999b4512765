import { ApplianceError } from '../../../nodes/shared/errors';
import { collectAsyncJob, type AsyncJob, type AsyncJobSteps } from '../../../nodes/Illumio/transport/asyncJob';

const JOB = '/orgs/1/jobs/7c1f0bd2-2a55-4b53-8a6e-2b1c0d9e5f11';
const DATAFILE = '/orgs/1/datafiles/5a0d8f3e-1b2c-4d5e-9f60-718293a4b5c6';

/** A scripted PCE on a virtual clock: job answers in order (the last repeats), datafile 404s first. */
function script(jobs: Array<{ job: AsyncJob; retryAfterMs?: number }>, datafile404s = 0) {
	let clock = 0;
	let jobCalls = 0;
	let fileCalls = 0;
	const waits: number[] = [];
	const steps: AsyncJobSteps<string[]> = {
		getJob: async (href) => {
			expect(href).toBe(JOB);
			return jobs[Math.min(jobCalls++, jobs.length - 1)];
		},
		getDatafile: async (href) => {
			expect(href).toBe(DATAFILE);
			return fileCalls++ < datafile404s ? undefined : ['event-1', 'event-2'];
		},
		wait: async (ms) => {
			waits.push(ms);
			clock += ms;
		},
		now: () => clock,
	};
	return { steps, waits, calls: () => ({ jobCalls, fileCalls }) };
}

const running: AsyncJob = { href: JOB, status: 'running', result: {} };
const done: AsyncJob = { href: JOB, status: 'done', result: { href: DATAFILE } };

async function failure(promise: Promise<unknown>): Promise<ApplianceError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(ApplianceError);
		return error as ApplianceError;
	}
	throw new Error('expected a failure');
}

describe('Illumio async collection', () => {
	it('waits Retry-After, polls with backoff, then downloads the datafile', async () => {
		const { steps, waits, calls } = script([{ job: running }, { job: running, retryAfterMs: 4000 }, { job: running }, { job: done }]);
		expect(await collectAsyncJob(steps, { jobHref: JOB, retryAfterMs: 2000 })).toEqual(['event-1', 'event-2']);
		// 202's Retry-After, ×1.5, the job's own Retry-After, ×1.5.
		expect(waits).toEqual([2000, 3000, 4000, 6000]);
		expect(calls()).toEqual({ jobCalls: 4, fileCalls: 1 });
	});

	it('accepts the traffic-style "completed" status and a string result', async () => {
		const { steps } = script([{ job: { status: 'completed', result: DATAFILE } }]);
		expect(await collectAsyncJob(steps, { jobHref: JOB })).toEqual(['event-1', 'event-2']);
	});

	it('names the reason of a failed job', async () => {
		const { steps } = script([{ job: running }, { job: { status: 'failed', result: { message: 'Async request failed: the PCE could not generate the datafile' } } }]);
		const error = await failure(collectAsyncJob(steps, { jobHref: JOB, retryAfterMs: 1000 }));
		expect(error.kind).toBe('vendor');
		expect(error.message).toBe(`The PCE's async job ${JOB} failed: Async request failed: the PCE could not generate the datafile`);
		expect(error.details.description).toMatch(/nothing is lost/);
	});

	it('gives up on a job that never finishes, within the deadline', async () => {
		const { steps, calls } = script([{ job: running, retryAfterMs: 1000 }]);
		const error = await failure(collectAsyncJob(steps, { jobHref: JOB, retryAfterMs: 1000 }, { deadlineMs: 60_000, maxPollDelayMs: 30_000 }));
		expect(error.kind).toBe('timeout');
		expect(error.message).toBe(`The PCE's async job ${JOB} did not finish in 60 s (last status: running)`);
		expect(calls().jobCalls).toBeLessThanOrEqual(61);
	});

	it('waits for a datafile that lags the job, then gives up on one that never arrives', async () => {
		const lagging = script([{ job: done }], 2);
		expect(await collectAsyncJob(lagging.steps, { jobHref: JOB })).toEqual(['event-1', 'event-2']);
		expect(lagging.calls().fileCalls).toBe(3);

		const never = script([{ job: done }], Number.POSITIVE_INFINITY);
		const error = await failure(collectAsyncJob(never.steps, { jobHref: JOB }, { deadlineMs: 20_000, maxPollDelayMs: 5000 }));
		expect(error.kind).toBe('timeout');
		expect(error.message).toBe(`The datafile ${DATAFILE} of the PCE's async job ${JOB} never arrived (404 for 20 s)`);
		expect(never.calls().fileCalls).toBeLessThan(20);
	});

	it('refuses a done job without a datafile', async () => {
		const { steps } = script([{ job: { status: 'done', result: {} } }]);
		expect((await failure(collectAsyncJob(steps, { jobHref: JOB }))).message).toMatch(/without naming its datafile/);
	});
});
