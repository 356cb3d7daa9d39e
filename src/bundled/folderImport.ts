// `aftershock import DIR` for a folder in the documented format (./folderFormat.ts): everything is read and
// checked first; then instruments, events, their news and all the bars (one COPY + merge) are written in one
// transaction, so a refused folder leaves the database untouched and a killed import leaves nothing visible.
import path from 'node:path';
import type { Database } from '../db/database';
import { withTransaction } from '../db/transaction';
import { attachNews, upsertEvent, upsertNews } from '../news/eventStore';
import { upsertDailyBarsInTransaction, type UpsertCounts } from '../bars/dailyBarStore';
import { listInstruments, saveInstrument } from '../instruments/instrumentStore';
import { importBundledData, type ImportSummary } from './bundledImport';
import { refuseIrregularEntries } from './folderFiles';
import { isBundledFolder, readFolder } from './folderFormat';

export interface FolderImportSummary {
  format: 'folder';
  instruments: number;
  bars: UpsertCounts & { files: number };
  events: number;
}

async function importFolder(db: Database, dir: string): Promise<FolderImportSummary> {
  const known = new Set((await listInstruments(db.pool)).map((i) => i.symbol));
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
    return upsertDailyBarsInTransaction(client, bars, { source: `import:${path.basename(dir)}` });
  });
  return {
    format: 'folder',
    instruments: instruments.length,
    bars: { ...counts, files: folder.bars.length },
    events: folder.events.length,
  };
}

/** `aftershock import DIR`: the bundled format (data/market) as before, any other folder in the documented one. */
export async function importDirectory(db: Database, dir: string): Promise<ImportSummary | FolderImportSummary> {
  refuseIrregularEntries(dir);
  return isBundledFolder(dir) ? importBundledData(db, dir) : importFolder(db, dir);
}
