// A study in a compute worker: the engine over the job's bars, then the answer written as it is serialised
// (JSON member by member, or the rows of one CSV), never as one string.
import type { MessagePort } from 'node:worker_threads';
import { ChunkWriter } from '../compute/chunkChannel';
import { writeJson } from '../compute/jsonStream';
import { studyCsvRecords, type StudyCsvPart } from './studyCsv';
import type { StudyJob } from './studyMembers';
import type { StudyOptions } from './studyParams';
import { computeStudy, type StudyResult } from './studyRuns';

export interface StudyTask {
  job: StudyJob;
  how: StudyOptions;
  /** the saved study (null for an ad hoc run): the answer's first field */
  study: StudyResult['study'];
  /** the JSON answer, or one of the CSVs */
  format: 'json' | StudyCsvPart;
  bom: boolean;
  port: MessagePort;
}

export async function runStudyTask(task: StudyTask): Promise<void> {
  const writer = new ChunkWriter(task.port);
  try {
    const result = computeStudy(task.job, task.how);
    if (task.format === 'json') await writeJson(writer, { study: task.study, ...result }, 'members');
    else for (const record of studyCsvRecords(result, task.format, task.bom)) await writer.write(record);
    await writer.end();
  } catch (err) {
    writer.close();
    throw err;
  }
}
