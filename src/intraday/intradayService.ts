// Running an intraday study: resolve the request (members, spans, budget), read its bars, and compute it in a
// compute worker (the API, the live hub, alerts) or in this process (the CLI).
import type pg from 'pg';
import type { ComputePool } from '../compute/computePool';
import type { BudgetLimits } from '../compute/budget';
import { computeIntraday, type IntradayAnswer } from './intradayCompute';
import { intradayTransferList, prepareIntradayJob, resolveIntraday, type IntradayJob } from './intradayInputs';
import type { IntradayQuery } from './intradayParams';
import type { IntradayTask } from './intradayTask';

/** Whose study: an event's (by slug) or an ad hoc instant's (slug null; the query's `at`). */
export interface IntradayScope {
  slug: string | null;
}

/** The study of a request from the bars stored now, in this process (the CLI). */
export async function runIntradayHere(pool: pg.Pool, scope: IntradayScope, q: IntradayQuery, now: Date): Promise<IntradayAnswer> {
  const resolved = await resolveIntraday(pool, scope, q, null);
  return computeIntraday(await prepareIntradayJob(pool, resolved, now));
}

/** The worker task of a job (its columns transferred, not copied). */
export function intradayComputeTask(job: IntradayJob, format: IntradayTask['format'], bom = false) {
  const payload: Omit<IntradayTask, 'port'> = { job, format, bom };
  return { name: 'intraday', payload, transfer: intradayTransferList(job) };
}

/** A job's answer computed in a compute worker, as text; `onLine` gets its first line as soon as it has come. */
async function computeTextInPool(
  compute: ComputePool,
  job: IntradayJob,
  format: 'json' | 'live',
  onLine?: (line: string) => void,
): Promise<string> {
  const { name, payload, transfer } = intradayComputeTask(job, format);
  const { stream, done } = await compute.run(name, payload, transfer);
  const chunks: Buffer[] = [];
  let lineSent = !onLine;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(buffer);
    if (!lineSent && buffer.includes(10)) {
      lineSent = true;
      const head = Buffer.concat(chunks).toString('utf8');
      onLine?.(head.slice(0, head.indexOf('\n')));
    }
  }
  await done;
  return Buffer.concat(chunks).toString('utf8');
}

/** A job's JSON answer computed in a compute worker, as text. */
function computeJsonInPool(compute: ComputePool, job: IntradayJob): Promise<string> {
  return computeTextInPool(compute, job, 'json');
}

/**
 * The live hub's update computed in a compute worker: the study's JSON and, when the job says what changed
 * (`job.live`), the stream's `bars` message as JSON (else null), handed to `onBars` as soon as the worker has
 * written it (before the study, which takes longer to write).
 */
export async function computeLiveInPool(
  compute: ComputePool,
  job: IntradayJob,
  onBars?: (bars: string) => void,
): Promise<{ bars: string | null; json: string }> {
  if (!job.live) return { bars: null, json: await computeJsonInPool(compute, job) };
  let bars: string | null = null;
  const text = await computeTextInPool(compute, job, 'live', (line) => {
    bars = line;
    onBars?.(line);
  });
  return { bars, json: text.slice(text.indexOf('\n') + 1) };
}

/**
 * One study computed now in a compute worker, parsed: what a capability that is not a route (the intraday
 * alerts) calls to read a group's path once; `limits` null skips the request budget.
 */
export async function computeIntradayAnswer(
  deps: { pool: pg.Pool; compute: ComputePool },
  scope: IntradayScope,
  q: IntradayQuery,
  now: Date,
  limits: BudgetLimits | null = null,
): Promise<IntradayAnswer> {
  const resolved = await resolveIntraday(deps.pool, scope, q, limits);
  const job = await prepareIntradayJob(deps.pool, resolved, now);
  return JSON.parse(await computeJsonInPool(deps.compute, job)) as IntradayAnswer;
}
