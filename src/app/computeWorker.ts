// The entry of a compute worker thread (bundled to dist/compute-worker.js; src/compute/computePool.ts runs it
// through piscina): one export per task, named by the pool's run().
export { runStudyTask as study } from '../studies/studyTask';
export { runImpactTask as impact } from '../impact/impactTask';
export { runIntradayTask as intraday } from '../intraday/intradayTask';
