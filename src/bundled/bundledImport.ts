// Loads a folder in the bundled format (data/market: one CSV of daily bars per symbol, events.csv,
// shares_outstanding.csv) idempotently: instruments, bars (through the same bulk path as live ingest),
// shares outstanding, and the DeepSeek events with their news.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Database } from '../db/database';
import { attachNews, upsertEvent, upsertNews } from '../news/eventStore';
import { BUNDLED_INSTRUMENTS } from '../instruments/defaults';
import { listInstruments, saveInstrument, saveSharesOutstanding } from '../instruments/instrumentStore';
import { csvFileForSymbol, parseBarsCsv } from '../marketdata/csvProvider';
import { upsertDailyBars, type UpsertCounts } from '../bars/dailyBarStore';
import { finishIngestRun, hasOkRunOf, startIngestRun } from '../ingest/ingestRuns';
import { upsertGroup } from '../groups/groupStore';

/** The group of the bundled equities, made by the import (the members of the DeepSeek study). */
const BUNDLED_GROUP_SLUG = 'bundled-equities';

/** events.csv rows that are events of their own, by their timestamp/date column; the rest are coverage. */
const BUNDLED_EVENTS: Record<string, { slug: string; title: string }> = {
  '2024-12-26T11:01:57Z': { slug: 'deepseek-v3-release', title: 'DeepSeek-V3 released' },
  '2025-01-10': { slug: 'deepseek-app-release', title: 'DeepSeek AI assistant app released' },
  '2025-01-20T12:19:44Z': { slug: 'deepseek-r1-release', title: 'DeepSeek-R1 released with open weights' },
  '2025-01-26': { slug: 'deepseek-app-store-no1', title: 'DeepSeek app tops the US App Store' },
  '2025-01-27': { slug: 'trump-wake-up-call', title: 'Trump: DeepSeek "should be a wake-up call"' },
  '2025-02-26T21:20:07Z': { slug: 'nvidia-q4-fy2025-earnings', title: 'NVIDIA Q4 FY2025 results' },
};
/** coverage rows (market closes, the sell-off, the rebound) belong to these events */
const COVERAGE_OF = ['deepseek-r1-release', 'deepseek-app-store-no1'];

export interface ImportSummary {
  instruments: number;
  bars: UpsertCounts & { files: number };
  shares: number;
  events: number;
  news: number;
}

function parseInstant(value: string): { at: Date; dateOnly: boolean } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { at: new Date(`${value}T00:00:00Z`), dateOnly: true };
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new Error(`not a date or instant: ${value}`);
  return { at, dateOnly: false };
}

function readCsvRecords(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, trim: false }) as Record<string, string>[];
}

export async function importBundledData(db: Database, dir: string): Promise<ImportSummary> {
  const summary: ImportSummary = {
    instruments: 0,
    bars: { rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0, files: 0 },
    shares: 0,
    events: 0,
    news: 0,
  };
  // the bundled instruments whose bars are in this folder (data/market, data/global)
  const specs = BUNDLED_INSTRUMENTS.filter((spec) => fs.existsSync(path.join(dir, csvFileForSymbol(spec.symbol))));
  for (const spec of specs) {
    await saveInstrument(db.pool, spec);
    summary.instruments++;
  }
  // every bundled equity stored so far (data/market's, then data/global's as well)
  const stored = new Set((await listInstruments(db.pool)).map((i) => i.symbol));
  await upsertGroup(db.pool, {
    slug: BUNDLED_GROUP_SLUG,
    title: 'The bundled equities',
    description: 'The equities of the bundled DeepSeek data (data/market and data/global)',
    symbols: BUNDLED_INSTRUMENTS.filter((i) => i.kind === 'equity' && stored.has(i.symbol)).map((i) => i.symbol),
  });

  for (const spec of specs) {
    const file = path.join(dir, csvFileForSymbol(spec.symbol));
    const run = await startIngestRun(db.pool, { job: 'import', symbol: spec.symbol, interval: '1d' });
    try {
      const bars = parseBarsCsv(fs.readFileSync(file, 'utf8'), spec.symbol);
      const counts = await upsertDailyBars(db.pool, bars, { source: `bundled:${path.basename(file)}` });
      await finishIngestRun(db.pool, run, { status: 'ok', ...counts, attempts: 1 });
      summary.bars.rowsNew += counts.rowsNew;
      summary.bars.rowsUpdated += counts.rowsUpdated;
      summary.bars.rowsUnchanged += counts.rowsUnchanged;
      summary.bars.files++;
    } catch (e) {
      await finishIngestRun(db.pool, run, { status: 'error', error: (e as Error).message, attempts: 1 });
      throw e;
    }
  }

  const sharesFile = path.join(dir, 'shares_outstanding.csv');
  if (fs.existsSync(sharesFile)) {
    for (const row of readCsvRecords(sharesFile)) {
      if (!row.shares) continue; // "not found" rows stay unknown: the UI says so instead of guessing
      const source = [row.basis, row.confidence && `confidence ${row.confidence}`, row.source].filter(Boolean).join('; ');
      await saveSharesOutstanding(db.pool, row.ticker, Number(row.shares), row.as_of || null, source);
      summary.shares++;
    }
  }

  const eventsFile = path.join(dir, 'events.csv');
  if (fs.existsSync(eventsFile)) {
    const rows = readCsvRecords(eventsFile);
    const coverage: number[] = [];
    const eventIds = new Map<string, number>();
    for (const row of rows) {
      const { at, dateOnly } = parseInstant(row.occurred_at_utc);
      const newsId = await upsertNews(db.pool, {
        url: row.url,
        title: row.title,
        publisher: row.source,
        publishedAt: at,
        dateOnly,
        kind: row.kind,
        source: 'bundled',
      });
      summary.news++;
      const event = BUNDLED_EVENTS[row.occurred_at_utc];
      if (!event) {
        coverage.push(newsId);
        continue;
      }
      const eventId = await upsertEvent(db.pool, {
        slug: event.slug,
        title: event.title,
        occurredAt: at,
        dateOnly,
        kind: row.kind,
        description: row.title,
      });
      await attachNews(db.pool, eventId, newsId, 'source');
      eventIds.set(event.slug, eventId);
      summary.events++;
    }
    for (const slug of COVERAGE_OF) {
      const eventId = eventIds.get(slug);
      if (eventId) for (const newsId of coverage) await attachNews(db.pool, eventId, newsId, 'coverage');
    }
  }
  return summary;
}

/**
 * True until the bundled import has run on this database: each bundled file's ok `import` run in ingest_runs is
 * the record (kept by run housekeeping). Not "no bars yet": the CLI may have stored bars before the first start.
 */
export async function bundledImportNeeded(db: Database): Promise<boolean> {
  return !(await hasOkRunOf(db.pool, 'import'));
}
