// Sending a CSV download over HTTP, shared by every capability that offers one (the exports, the studies):
// checked and named before the first byte, streamed with backpressure, a place in the app's budget of
// concurrent streams, and ended when its client stops reading.
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { AppError } from '../errors/appError';
import { endWhenStalled } from './stalledResponse';

export interface CsvDownload {
  /** what the download is called, e.g. aftershock-bars-NVDA-2025-01-01-2025-01-31.csv */
  filename: string;
  /**
   * Start the export. Resolves once the data source has answered, so that a failure to start rejects
   * before a byte is written; the stream then carries the CSV (header row included) to its end.
   */
  open(): Promise<Readable>;
}

/** ?bom=1 starts the file with a UTF-8 byte order mark, which Excel needs to read it as UTF-8. */
export const bomParam = z
  .enum(['0', '1', 'true', 'false'], { message: 'must be 1 or 0' })
  .optional()
  .transform((v) => v === '1' || v === 'true');

/** The HTTP export streams of one app: at most `max` at once, each ended when its client stops reading. */
export interface StreamBudget {
  max: number;
  stallMs: number;
  active: number;
}

const RETRY_AFTER_SECONDS = 10;

/** Take a place in the budget for this response (429 when there is none), and end the stream if it stalls. */
function admitStream(budget: StreamBudget, res: Response): void {
  if (budget.active >= budget.max) {
    res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    throw new AppError(
      429,
      'too_many_exports',
      `${budget.max} exports are being downloaded already; try again in ${RETRY_AFTER_SECONDS} s`,
      { retryAfterSeconds: RETRY_AFTER_SECONDS },
    );
  }
  budget.active++;
  // a client that stops reading holds a pool connection (backpressure pauses the COPY; copyOut cancels the query)
  endWhenStalled(res, budget.stallMs);
  res.once('close', () => {
    budget.active--;
  });
}

/** The headers of a CSV download named `filename` (also of the study CSVs a compute worker writes). */
export function csvDownloadHeaders(filename: string): Record<string, string> {
  return {
    // header=present: RFC 4180's parameter saying the first record names the columns
    'Content-Type': 'text/csv; charset=utf-8; header=present',
    // file names are made of [A-Za-z0-9._-] only (src/export/csvExports.ts), so quoting is all they need
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'no-store',
  };
}

export async function sendCsv(req: Request, res: Response, csvExport: CsvDownload, budget?: StreamBudget): Promise<void> {
  const setHeaders = () => {
    res.status(200);
    for (const [k, v] of Object.entries(csvDownloadHeaders(csvExport.filename))) res.setHeader(k, v);
  };
  if (req.method === 'HEAD') {
    // checked and named, but not worth running a query whose rows would be thrown away
    setHeaders();
    res.end();
    return;
  }
  if (budget) admitStream(budget, res);
  const csv = await csvExport.open();
  setHeaders();
  try {
    await pipeline(csv, res);
  } catch (err) {
    // the client went away: copyOut has cancelled the query; there is nobody left to answer
    if (res.destroyed && (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    throw err;
  }
}
