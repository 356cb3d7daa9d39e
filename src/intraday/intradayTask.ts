// An intraday study in a compute worker: the core over the job's bars, then the answer written as it is
// serialised (JSON member by member, or the rows of one CSV), never as one string.
import type { MessagePort } from 'node:worker_threads';
import { ChunkWriter } from '../compute/chunkChannel';
import { writeJson } from '../compute/jsonStream';
import { barsMessageOf, computeIntraday } from './intradayCompute';
import { intradayCsvRecords, type IntradayCsvPart } from './intradayCsv';
import type { IntradayJob } from './intradayInputs';

export interface IntradayTask {
  job: IntradayJob;
  /** live: the stream's `bars` message (one line), a newline, then the study's JSON */
  format: 'json' | 'live' | IntradayCsvPart;
  bom: boolean;
  port: MessagePort;
}

export async function runIntradayTask(task: IntradayTask): Promise<void> {
  const writer = new ChunkWriter(task.port);
  try {
    const answer = computeIntraday(task.job);
    if (task.format === 'live') await writer.write(`${JSON.stringify(barsMessageOf(answer, task.job))}\n`);
    if (task.format === 'json' || task.format === 'live') await writeJson(writer, answer as unknown as Record<string, unknown>, 'members');
    else for (const record of intradayCsvRecords(answer, task.format, task.bom)) await writer.write(record);
    await writer.end();
  } catch (err) {
    writer.close();
    throw err;
  }
}
