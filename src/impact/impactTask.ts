// The impact of an event in a compute worker: the analysis core per instrument over the job's bars, the
// answer written result by result.
import type { MessagePort } from 'node:worker_threads';
import { ChunkWriter } from '../compute/chunkChannel';
import { writeJson } from '../compute/jsonStream';
import { impactOfJob, type ImpactJob } from './eventImpact';

export interface ImpactTask {
  job: ImpactJob;
  port: MessagePort;
}

export async function runImpactTask(task: ImpactTask): Promise<void> {
  const writer = new ChunkWriter(task.port);
  try {
    await writeJson(writer, { ...impactOfJob(task.job) }, 'results');
    await writer.end();
  } catch (err) {
    writer.close();
    throw err;
  }
}
