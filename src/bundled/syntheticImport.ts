// The synthetic intraday universe (./syntheticIntraday) stored for the offline demo: `npm start` loads it beside the
// bundled DeepSeek data, as the group "Synthetic intraday universe (synthetic data)" with the event "Synthetic
// intraday shock", so the dashboard's Intraday view has bars to show without a network. Its own symbols only
// (SYN-..., ^SYN-...), every name saying synthetic; the bars' source is 'synthetic'. All of it or nothing, once per
// database (recorded by an ok `import` run of its first symbol, as the bundled import records itself).
import type { Database } from '../db/database';
import { withTransaction } from '../db/transaction';
import { upsertDailyBarsInTransaction, type UpsertCounts } from '../bars/dailyBarStore';
import { upsertIntradayBarsInTransaction } from '../bars/intradayBarStore';
import { upsertGroup } from '../groups/groupStore';
import { finishIngestRun, hasOkRunOf, startIngestRun } from '../ingest/ingestRuns';
import { saveInstrument } from '../instruments/instrumentStore';
import { upsertEvent } from '../news/eventStore';
import { SYNTHETIC_SOURCE, SYNTHETIC_US_INDEX, syntheticIntradayUniverse } from './syntheticIntraday';

export interface SyntheticImportSummary {
  instruments: number;
  dailyBars: UpsertCounts;
  intradayBars: UpsertCounts;
  event: string;
  group: string;
}

const add = (a: UpsertCounts, b: UpsertCounts): UpsertCounts => ({
  rowsNew: a.rowsNew + b.rowsNew,
  rowsUpdated: a.rowsUpdated + b.rowsUpdated,
  rowsUnchanged: a.rowsUnchanged + b.rowsUnchanged,
});
const NONE: UpsertCounts = { rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0 };

/** Stores the default synthetic universe (the same bars on every machine); idempotent. */
export async function importSyntheticUniverse(db: Database): Promise<SyntheticImportSummary> {
  const universe = syntheticIntradayUniverse();
  return withTransaction(db.pool, async (client) => {
    // indices first: the equities name them as benchmarks
    const instruments = [...universe.instruments].sort((a, b) => Number(a.benchmarkSymbol !== null) - Number(b.benchmarkSymbol !== null));
    for (const i of instruments) await saveInstrument(client, i);
    await upsertGroup(client, universe.group);
    const e = universe.event;
    await upsertEvent(client, {
      slug: e.slug,
      title: e.title,
      occurredAt: e.instant,
      dateOnly: false,
      kind: e.kind,
      description: e.description,
    });
    let dailyBars = NONE;
    let intradayBars = NONE;
    for (const i of instruments) {
      const run = await startIngestRun(client, { job: 'import', symbol: i.symbol, interval: '5m' });
      const daily = await upsertDailyBarsInTransaction(client, universe.daily[i.symbol], { source: SYNTHETIC_SOURCE });
      const intraday = await upsertIntradayBarsInTransaction(client, universe.bars[i.symbol], { source: SYNTHETIC_SOURCE });
      await finishIngestRun(client, run, { status: 'ok', ...add(daily, intraday), attempts: 1 });
      dailyBars = add(dailyBars, daily);
      intradayBars = add(intradayBars, intraday);
    }
    return { instruments: instruments.length, dailyBars, intradayBars, event: e.slug, group: universe.group.slug };
  });
}

/** True until the synthetic universe has been stored on this database. */
export async function syntheticImportNeeded(db: Database): Promise<boolean> {
  return !(await hasOkRunOf(db.pool, 'import', SYNTHETIC_US_INDEX));
}
