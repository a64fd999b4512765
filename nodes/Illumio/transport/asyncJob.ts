import { ApplianceError } from '../../shared/errors';

/** A PCE async job (`GET /orgs/{org}/jobs/{uuid}`), as illumio-py and illumioapi read it. */
export interface AsyncJob {
	href?: string;
	status?: string;
	result?: { href?: string; message?: string } | string;
	requested_at?: string;
	terminated_at?: string;
}

/** What collecting a job needs from the client: each call already retried under the shared policy. */
export interface AsyncJobSteps<T> {
	/** the job, and the Retry-After the PCE sent with it (ms) if any */
	getJob(href: string): Promise<{ job: AsyncJob; retryAfterMs?: number }>;
	/** the datafile's content, or `undefined` while the PCE answers 404 for it */
	getDatafile(href: string): Promise<T | undefined>;
	wait(ms: number): Promise<void>;
	now(): number;
}

export interface AsyncJobLimits {
	/** how long the job may take, datafile included, before the collection is given up */
	deadlineMs: number;
	/** the longest wait between two polls of the job */
	maxPollDelayMs: number;
}

export const DEFAULT_ASYNC_LIMITS: AsyncJobLimits = { deadlineMs: 10 * 60_000, maxPollDelayMs: 30_000 };

/**
 * Follows an accepted async collection to its datafile: polls the job (first after the 202's
 * Retry-After, then after each answer's Retry-After or ×1.5 backoff as illumio-py does), downloads the
 * datafile once the job is done, and names what went wrong: a failed job with the PCE's reason, a job
 * or a datafile that is not there in time.
 */
export async function collectAsyncJob<T>(
	steps: AsyncJobSteps<T>,
	accepted: { jobHref: string; retryAfterMs?: number },
	limits: AsyncJobLimits = DEFAULT_ASYNC_LIMITS,
): Promise<T> {
	const started = steps.now();
	const deadline = started + limits.deadlineMs;
	const seconds = () => Math.round((steps.now() - started) / 1000);
	let delay = Math.min(accepted.retryAfterMs ?? 1000, limits.maxPollDelayMs);
	let lastStatus = 'not polled yet';
	let datafile: string | undefined;

	while (datafile === undefined) {
		await steps.wait(Math.max(0, Math.min(delay, deadline - steps.now())));
		const { job, retryAfterMs } = await steps.getJob(accepted.jobHref);
		lastStatus = job.status ?? 'no status';
		const result = typeof job.result === 'string' ? { href: job.result } : (job.result ?? {});
		if (job.status === 'done' || job.status === 'completed') {
			if (!result.href) {
				throw new ApplianceError('vendor', `The PCE finished async job ${accepted.jobHref} without naming its datafile`, {
					description: 'Run again; if it repeats, ask for a narrower time window (the synchronous API returns up to 10,000 events).',
				});
			}
			datafile = result.href;
			break;
		}
		if (job.status === 'failed') {
			throw new ApplianceError('vendor', `The PCE's async job ${accepted.jobHref} failed: ${result.message ?? 'no reason given'}`, {
				description: 'The PCE could not build the event collection; run again later or narrow the time window. A trigger retries the same window, nothing is lost.',
			});
		}
		if (steps.now() >= deadline) {
			throw new ApplianceError('timeout', `The PCE's async job ${accepted.jobHref} did not finish in ${seconds()} s (last status: ${lastStatus})`, {
				description: 'The PCE is busy; run again later or narrow the time window. A trigger retries the same window, nothing is lost.',
			});
		}
		delay = Math.min(retryAfterMs ?? delay * 1.5, limits.maxPollDelayMs);
	}

	// A datafile the PCE announced can lag behind the job: wait for it, within the same deadline.
	delay = 1000;
	for (;;) {
		const content = await steps.getDatafile(datafile);
		if (content !== undefined) return content;
		if (steps.now() >= deadline) {
			throw new ApplianceError('timeout', `The datafile ${datafile} of the PCE's async job ${accepted.jobHref} never arrived (404 for ${seconds()} s)`, {
				description: 'The PCE said the job was done but does not serve its result; run again later. A trigger retries the same window, nothing is lost.',
			});
		}
		await steps.wait(Math.max(0, Math.min(delay, deadline - steps.now())));
		delay = Math.min(delay * 1.5, limits.maxPollDelayMs);
	}
}
