// `aftershock import DIR` for a folder in the documented format (./folderFormat.ts): everything is read and
// checked first; then instruments, events, their news and all the bars (one COPY + merge) are written in one
// transaction, so a refused folder leaves the database untouched and a killed import leaves nothing visible.
import path from 'node:path';
import type { Database } from '../db/database';
import { withTransaction } from '../db/transaction';
import { attachNews, upsertEvent, upsertNews } from '../news/eventStore';
import { upsertDailyBarsInTransaction, type UpsertCounts } from '../bars/dailyBarStore';
import { upsertIntradayBarsInTransaction } from '../bars/intradayBarStore';
import type { IntradayBarInput } from '../marketdata/types';
import { listInstruments, saveInstrument } from '../instruments/instrumentStore';
import { importBundledData, type ImportSummary } from './bundledImport';
import { refuseIrregularEntries } from './folderFiles';
import { isBundledFolder, readFolder } from './folderFormat';

export interface FolderImportSummary {
  format: 'folder';
  instruments: number;
  bars: UpsertCounts & { files: number };
  /** intraday/SYMBOL_<interval>.csv bars */
  intradayBars: UpsertCounts & { files: number };
  events: number;
}

async function importFolder(db: Database, dir: string): Promise<FolderImportSummary> {
  const known = new Map((await listInstruments(db.pool)).map((i) => [i.symbol, i.exchange]));
  const folder = readFolder(dir, known);
  const instruments = [...folder.instruments, ...folder.madeUp];
  // benchmarks first: nothing references an instrument before it is stored
  instruments.sort((a, b) => Number(a.benchmarkSymbol !== null) - Number(b.benchmarkSymbol !== null));
  const bars = folder.bars.flatMap((f) => f.bars);
  const counts = await withTransaction(db.pool, async (client) => {
    for (const spec of instruments) await saveInstrument(client, spec);
    for (const e of folder.events) {
      const eventId = await upsertEvent(client, e);
      if (e.url) {
        const newsId = await upsertNews(client, {
          url: e.url,
          title: e.title,
          publishedAt: e.occurredAt,
          dateOnly: e.dateOnly,
          kind: e.kind,
          source: 'import',
        });
        await attachNews(client, eventId, newsId, 'source');
      }
    }
    const source = `import:${path.basename(dir)}`;
    const daily = await upsertDailyBarsInTransaction(client, bars, { source });
    // one merge per interval: each announces its interval on the bars bus (at the commit)
    const intraday = { rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0 };
    const byInterval = new Map<string, IntradayBarInput[]>();
    for (const f of folder.intraday) {
      const list = byInterval.get(f.bars[0]?.interval) ?? [];
      list.push(...f.bars);
      if (f.bars.length > 0) byInterval.set(f.bars[0].interval, list);
    }
    for (const group of byInterval.values()) {
      const c = await upsertIntradayBarsInTransaction(client, group, { source });
      intraday.rowsNew += c.rowsNew;
      intraday.rowsUpdated += c.rowsUpdated;
      intraday.rowsUnchanged += c.rowsUnchanged;
    }
    return { daily, intraday };
  });
  return {
    format: 'folder',
    instruments: instruments.length,
    bars: { ...counts.daily, files: folder.bars.length },
    intradayBars: { ...counts.intraday, files: folder.intraday.length },
    events: folder.events.length,
  };
}

/** `aftershock import DIR`: the bundled format (data/market) as before, any other folder in the documented one. */
export async function importDirectory(db: Database, dir: string): Promise<ImportSummary | FolderImportSummary> {
  refuseIrregularEntries(dir);
  return isBundledFolder(dir) ? importBundledData(db, dir) : importFolder(db, dir);
}
