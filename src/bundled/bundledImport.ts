// Loads a folder in the bundled format (data/market: one CSV of daily bars per symbol, events.csv,
// shares_outstanding.csv) idempotently: instruments, bars (through the same bulk path as live ingest),
// shares outstanding, and the DeepSeek events with their news; all of it or nothing.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Database } from '../db/database';
import { attachNews, upsertEvent, upsertNews } from '../news/eventStore';
import { isEventKind } from '../news/eventKind';
import { withTransaction } from '../db/transaction';
import { DATE_RANGE_MESSAGE, dateInRange, instantInRange } from '../http/validation';
import { BUNDLED_INSTRUMENTS, type InstrumentSpec } from '../instruments/defaults';
import { listInstruments, saveInstrument, saveSharesOutstanding } from '../instruments/instrumentStore';
import { csvFileForSymbol, parseBarsCsv } from '../marketdata/csvProvider';
import { isIsoDate } from '../marketdata/provider';
import type { DailyBarInput } from '../marketdata/types';
import { upsertDailyBarsInTransaction, type UpsertCounts } from '../bars/dailyBarStore';
import { unrepresentableReturns } from './barChecks';
import { FolderImportError, readRegularFile, refuseIrregularEntries } from './folderFiles';
import { finishIngestRun, hasOkRunOf, startIngestRun } from '../ingest/ingestRuns';
import { upsertGroup } from '../groups/groupStore';
import { type PartOfDay, startOfPartOfDay } from '../markets/eventTiming';

/** The group of the bundled equities, made by the import (the members of the DeepSeek study). */
const BUNDLED_GROUP_SLUG = 'bundled-equities';

/**
 * events.csv rows that are events of their own, by their timestamp/date column; the rest are coverage. A part of
 * day narrows a date the sources give in words (the Trump remarks: "Monday evening US time").
 */
const BUNDLED_EVENTS: Record<string, { slug: string; title: string; partOfDay?: { part: PartOfDay; timeZone: string } }> = {
  '2024-12-26T11:01:57Z': { slug: 'deepseek-v3-release', title: 'DeepSeek-V3 released' },
  '2025-01-10': { slug: 'deepseek-app-release', title: 'DeepSeek AI assistant app released' },
  '2025-01-20T12:19:44Z': { slug: 'deepseek-r1-release', title: 'DeepSeek-R1 released with open weights' },
  '2025-01-26': { slug: 'deepseek-app-store-no1', title: 'DeepSeek app tops the US App Store' },
  '2025-01-27': {
    slug: 'trump-wake-up-call',
    title: 'Trump: DeepSeek "should be a wake-up call"',
    partOfDay: { part: 'after_close', timeZone: 'America/New_York' },
  },
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

function parseInstant(value: string, at: string): { at: Date; dateOnly: boolean } {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const instant = dateOnly ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(instant.getTime())) throw new FolderImportError([`${at}: not a date or instant: ${JSON.stringify(value)}`]);
  if (!instantInRange(instant)) throw new FolderImportError([`${at}: ${value} ${DATE_RANGE_MESSAGE} (UTC)`]);
  return { at: instant, dateOnly };
}

function readCsvRecords(file: string): Record<string, string>[] {
  return parse(readRegularFile(file), { columns: true, skip_empty_lines: true, trim: false }) as Record<string, string>[];
}

/** The bars of one bundled file, checked beyond the CSV format: the API's date range, high >= low, finite returns. */
function readBundledBars(file: string, symbol: string): DailyBarInput[] {
  const bars = parseBarsCsv(readRegularFile(file), symbol);
  const at = (k: number) => `${path.basename(file)}: row ${k + 2}`;
  const problems = bars.flatMap((b, k) => {
    if (!dateInRange(b.date)) return [`${at(k)}: date ${b.date} ${DATE_RANGE_MESSAGE}`];
    // not the open/close rule of the folder format: Yahoo's FX bars (USDJPY.csv...) open and close outside the day's range
    if (b.high !== null && b.low !== null && b.high < b.low) return [`${at(k)}: high ${b.high} is below low ${b.low}`];
    return [];
  });
  for (const p of unrepresentableReturns(bars)) problems.push(`${at(p.index)}: ${p.reason}`);
  if (problems.length > 0) throw new FolderImportError(problems);
  return bars;
}

/** shares_outstanding.csv rows: a whole positive count (or none: not found) of a bundled instrument, dated 1900..2100. */
function readBundledShares(file: string, symbols: ReadonlySet<string>): Record<string, string>[] {
  const rows = readCsvRecords(file);
  const problems = rows.flatMap((row, k) => {
    const at = `shares_outstanding.csv: row ${k + 2}`;
    if (!row.shares) return [];
    if (!symbols.has(row.ticker)) return [`${at}: ticker ${JSON.stringify(row.ticker)} has no bar file in the folder`];
    if (!/^\d+$/.test(row.shares) || !Number.isSafeInteger(Number(row.shares)) || Number(row.shares) === 0)
      return [`${at}: shares ${JSON.stringify(row.shares)} is not a positive whole number`];
    if (row.as_of && !(isIsoDate(row.as_of) && dateInRange(row.as_of)))
      return [`${at}: as_of ${JSON.stringify(row.as_of)} is not a date between 1900-01-01 and 2100-12-31`];
    return [];
  });
  if (problems.length > 0) throw new FolderImportError(problems);
  return rows;
}

interface BundledEventRow {
  row: Record<string, string>;
  at: Date;
  dateOnly: boolean;
}

function readBundledEvents(file: string): BundledEventRow[] {
  return readCsvRecords(file).map((row, k) => {
    const where = `events.csv: row ${k + 2}`;
    if (row.kind && !isEventKind(row.kind))
      throw new FolderImportError([`${where}: kind ${JSON.stringify(row.kind)} is not a lowercase word such as earnings`]);
    return { row, ...parseInstant(row.occurred_at_utc, where) };
  });
}

/**
 * Everything is read and checked first (a bad file is recorded as a failed `import` run and nothing is written);
 * then instruments, the group, bars, shares, events and news are written in one transaction, so a killed import
 * leaves nothing visible.
 */
export async function importBundledData(db: Database, dir: string): Promise<ImportSummary> {
  refuseIrregularEntries(dir);
  // the bundled instruments whose bars are in this folder (data/market, data/global)
  const specs = BUNDLED_INSTRUMENTS.filter((spec) => fs.existsSync(path.join(dir, csvFileForSymbol(spec.symbol))));
  const files: { spec: InstrumentSpec; file: string; bars: DailyBarInput[] }[] = [];
  for (const spec of specs) {
    const file = path.join(dir, csvFileForSymbol(spec.symbol));
    try {
      files.push({ spec, file, bars: readBundledBars(file, spec.symbol) });
    } catch (e) {
      const run = await startIngestRun(db.pool, { job: 'import', symbol: spec.symbol, interval: '1d' });
      await finishIngestRun(db.pool, run, { status: 'error', error: (e as Error).message, attempts: 1 });
      throw e;
    }
  }
  const sharesFile = path.join(dir, 'shares_outstanding.csv');
  const shares = fs.existsSync(sharesFile) ? readBundledShares(sharesFile, new Set(specs.map((s) => s.symbol))) : [];
  const eventsFile = path.join(dir, 'events.csv');
  const events = fs.existsSync(eventsFile) ? readBundledEvents(eventsFile) : [];

  return withTransaction(db.pool, async (client) => {
    const summary: ImportSummary = {
      instruments: 0,
      bars: { rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0, files: 0 },
      shares: 0,
      events: 0,
      news: 0,
    };
    for (const spec of specs) {
      await saveInstrument(client, spec);
      summary.instruments++;
    }
    // every bundled equity stored so far (data/market's, then data/global's as well)
    const stored = new Set((await listInstruments(client)).map((i) => i.symbol));
    await upsertGroup(client, {
      slug: BUNDLED_GROUP_SLUG,
      title: 'The bundled equities',
      description: 'The equities of the bundled DeepSeek data (data/market and data/global)',
      symbols: BUNDLED_INSTRUMENTS.filter((i) => i.kind === 'equity' && stored.has(i.symbol)).map((i) => i.symbol),
    });

    for (const { spec, file, bars } of files) {
      const run = await startIngestRun(client, { job: 'import', symbol: spec.symbol, interval: '1d' });
      const counts = await upsertDailyBarsInTransaction(client, bars, { source: `bundled:${path.basename(file)}` });
      await finishIngestRun(client, run, { status: 'ok', ...counts, attempts: 1 });
      summary.bars.rowsNew += counts.rowsNew;
      summary.bars.rowsUpdated += counts.rowsUpdated;
      summary.bars.rowsUnchanged += counts.rowsUnchanged;
      summary.bars.files++;
    }

    for (const row of shares) {
      if (!row.shares) continue; // "not found" rows stay unknown: the UI says so instead of guessing
      const source = [row.basis, row.confidence && `confidence ${row.confidence}`, row.source].filter(Boolean).join('; ');
      await saveSharesOutstanding(client, row.ticker, Number(row.shares), row.as_of || null, source);
      summary.shares++;
    }

    const coverage: number[] = [];
    const eventIds = new Map<string, number>();
    for (const { row, at, dateOnly } of events) {
      const newsId = await upsertNews(client, {
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
      const timing = event.partOfDay
        ? {
            occurredAt: startOfPartOfDay(row.occurred_at_utc, event.partOfDay.part, event.partOfDay.timeZone),
            dateOnly: false,
            precision: event.partOfDay.part,
            timeZone: event.partOfDay.timeZone,
          }
        : { occurredAt: at, dateOnly };
      const eventId = await upsertEvent(client, {
        slug: event.slug,
        title: event.title,
        ...timing,
        kind: row.kind,
        description: row.title,
      });
      await attachNews(client, eventId, newsId, 'source');
      eventIds.set(event.slug, eventId);
      summary.events++;
    }
    for (const slug of COVERAGE_OF) {
      const eventId = eventIds.get(slug);
      if (eventId) for (const newsId of coverage) await attachNews(client, eventId, newsId, 'coverage');
    }
    return summary;
  });
}

/**
 * True until the bundled import has run on this database: each bundled file's ok `import` run in ingest_runs is
 * the record (kept by run housekeeping). Not "no bars yet": the CLI may have stored bars before the first start.
 */
export async function bundledImportNeeded(db: Database): Promise<boolean> {
  return !(await hasOkRunOf(db.pool, 'import'));
}
