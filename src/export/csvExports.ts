// What each export is: its checks (unknown symbol or event -> 404), its file name and the stream of its
// CSV bytes. Shared by the HTTP routes and the CLI, so both write the same bytes.
import type { Readable } from 'node:stream';
import { unknownSymbolError } from '../errors/appError';
import type { CsvDownload } from '../http/csvResponse';
import type { Database } from '../db/database';
import type { Logger } from '../logging/logger';
import { copyOutInto } from './copyOut';
import { CopyTextToCsv } from './csvFormat';
import type { BarsExportParams, EventsExportParams, MovesExportParams } from './exportParams';
import { dailyBarsQuery, eventNewsQuery, findUnknownSymbols, intradayBarsQuery, movesQuery, type ExportQuery } from './exportQueries';

/** A CSV download: its file name and its stream (sent by src/http/csvResponse.ts, written to a file by the CLI). */
export type CsvExport = CsvDownload;

export interface ExportDeps {
  db: Database;
  logger: Logger;
}

/** A file-name-safe part: ^GSPC -> GSPC, JPY=X -> JPYX. */
const filePart = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '');

function fileName(kind: string, parts: (string | undefined)[], range: { from?: string; to?: string }): string {
  const dates = range.from && range.to ? [range.from, range.to] : range.from ? ['from', range.from] : range.to ? ['to', range.to] : [];
  return `${['aftershock', kind, ...parts.filter((p): p is string => !!p), ...dates].map(filePart).join('-')}.csv`;
}

const symbolsPart = (symbols: string[]) => (symbols.length <= 5 ? symbols.map(filePart).join('_') : `${symbols.length}-symbols`);

export async function barsExport(deps: ExportDeps, p: BarsExportParams): Promise<CsvExport> {
  const symbols = [...new Set(p.symbols)];
  const unknown = await findUnknownSymbols(deps.db.pool, symbols);
  if (unknown.length) throw unknownSymbolError(unknown, 'symbols');
  const intraday = p.interval !== '1d';
  const query = intraday ? intradayBarsQuery({ ...p, symbols }) : dailyBarsQuery({ ...p, symbols });
  return {
    filename: fileName('bars', [intraday ? p.interval : undefined, symbolsPart(symbols)], p),
    open: () => openCopyCsv(deps, 'bars', query, p.bom),
  };
}

export async function movesExport(deps: ExportDeps, p: MovesExportParams): Promise<CsvExport> {
  const symbols = p.symbol ? [...new Set(p.symbol)] : undefined;
  if (symbols) {
    const unknown = await findUnknownSymbols(deps.db.pool, symbols);
    if (unknown.length) throw unknownSymbolError(unknown, 'symbol');
  }
  const query = movesQuery({ symbols, from: p.from, to: p.to, minAbsMove: p.min === undefined ? undefined : p.min / 100 });
  return {
    filename: fileName('moves', [symbols && symbolsPart(symbols)], p),
    open: () => openCopyCsv(deps, 'moves', query, p.bom),
  };
}

export async function eventsExport(deps: ExportDeps, p: EventsExportParams): Promise<CsvExport> {
  return { filename: 'aftershock-events.csv', open: () => openCopyCsv(deps, 'events', eventNewsQuery(), p.bom) };
}

/** COPY the query's rows through the CSV formatter; resolves when the first bytes (or the end) came back. */
export function openCopyCsv({ db, logger }: ExportDeps, name: string, query: ExportQuery, bom: boolean): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => {
    const csv = new CopyTextToCsv({ columns: query.columns, bom, onFirstData: () => resolve(csv) });
    // A query that fails destroys the stream with its error: before the first data that error rejects this
    // promise (and nobody reads the stream yet), after it the reader's pipeline gets it. Not a crash either way.
    csv.on('error', () => {});
    const t0 = Date.now();
    copyOutInto(db, query, csv, logger).then(
      (outcome) => {
        if (outcome.ended === 'cancelled')
          logger.info({ export: name, rowsSent: csv.rows, ms: Date.now() - t0 }, 'export stopped, its reader went away: query cancelled');
        else logger.debug({ export: name, rows: outcome.rows, ms: Date.now() - t0 }, 'export done');
      },
      // before the first data this fails the request; after it, the stream was destroyed with the error
      reject,
    );
  });
}
