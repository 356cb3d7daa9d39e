// `aftershock backfill`: bars of some (default: all tracked) instruments over a date range, resumable.
// On a terminal a progress bar (stderr) and a summary; otherwise one JSON line per symbol and a JSON summary
// last (stdout). Exit code 1 when any symbol failed.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { validationError } from '../errors/appError';
import { isoDate, symbolList } from '../http/validation';
import { CliError, withCliContext, type CliContext } from '../cli/cliContext';
import { listInstruments } from '../instruments/instrumentStore';
import {
  BACKFILL_INTERVALS,
  backfillSymbols,
  YAHOO_INTRADAY_DAYS,
  yahooIntradayEarliest,
  type BackfillInterval,
  type BackfillSummary,
  type SymbolBackfillResult,
} from './backfill';
import { defaultBackfillFrom, type IngestDeps } from './fetchAndStore';
import { MarketDataEventBus } from '../marketdata/eventBus';
import { yahooProviderFromConfig } from '../marketdata/yahooFromConfig';

/** The provider and its event bus for one CLI command (one yahoo-finance2 instance per process). */
export function cliIngestDeps(ctx: CliContext): IngestDeps {
  const events = new MarketDataEventBus();
  const provider = yahooProviderFromConfig(ctx.config, ctx.logger, events.emit);
  return { pool: ctx.db.pool, provider, logger: ctx.logger, events };
}

const backfillOptions = z
  .object({
    symbols: symbolList.optional(),
    symbol: symbolList.optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    interval: z.enum(BACKFILL_INTERVALS as [BackfillInterval, ...BackfillInterval[]]).default('1d'),
    concurrency: z.coerce.number().int().min(1).max(16).default(4),
  })
  .refine((o) => !o.from || !o.to || o.from <= o.to, { message: 'must not be after --to', path: ['from'] });

function printTtySummary(out: NodeJS.WritableStream, s: BackfillSummary): void {
  out.write(
    `${s.symbols} symbols: ${s.ok} fetched, ${s.skipped} already complete, ${s.failed} failed; ` +
      `rows new ${s.rowsNew}, updated ${s.rowsUpdated}, unchanged ${s.rowsUnchanged}\n`,
  );
  for (const f of s.failures) out.write(`  failed ${f.symbol}: ${f.error}\n`);
}

async function runBackfill(raw: Record<string, string | undefined>): Promise<void> {
  const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const parsed = backfillOptions.safeParse(given);
  if (!parsed.success) throw new CliError(validationError(parsed.error, 'option').message, 2);
  const opts = parsed.data;
  // intraday: Yahoo serves the last YAHOO_INTRADAY_DAYS only; say so rather than fetch nothing (or fail)
  const now = new Date();
  let note: string | null = null;
  let from = opts.from;
  if (opts.interval !== '1d') {
    const days = YAHOO_INTRADAY_DAYS[opts.interval];
    const earliest = yahooIntradayEarliest(opts.interval, now);
    const earliestDate = earliest.toISOString().slice(0, 10);
    const limit = `Yahoo serves ${opts.interval} bars for the last ${days} days only (from ${earliest.toISOString().slice(0, 16)}Z)`;
    const elsewhere = `older intraday history comes in through \`aftershock import DIR\` (intraday/SYMBOL_${opts.interval}.csv)`;
    if (opts.to && opts.to < earliestDate) throw new CliError(`--to ${opts.to} is too old: ${limit}; ${elsewhere}`, 2);
    if (from && from < earliestDate)
      note = `note: --from ${from} is older than Yahoo keeps: ${limit}, so the backfill starts there; ${elsewhere}\n`;
    from ??= earliestDate;
  }

  const summary = await withCliContext(async (ctx) => {
    const deps = cliIngestDeps(ctx);
    if (note) ctx.stderr.write(note);
    const given = [...(opts.symbols ?? []), ...(opts.symbol ?? [])];
    const symbols =
      given.length > 0
        ? [...new Set(given.map((s) => s.toUpperCase()))]
        : (await listInstruments(ctx.db.pool)).filter((i) => i.tracked).map((i) => i.symbol);
    const tty = (ctx.stdout as NodeJS.WriteStream).isTTY === true;
    const bar = tty
      ? new cliProgress.SingleBar(
          {
            format: 'backfill {bar} {value}/{total} symbols | {symbol} | new {rowsNew} updated {rowsUpdated} | failed {failed}',
            stream: ctx.stderr as NodeJS.WriteStream,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
    const totals = { rowsNew: 0, rowsUpdated: 0, failed: 0 };
    bar?.start(symbols.length, 0, { symbol: '', ...totals });
    const onSymbol = (r: SymbolBackfillResult) => {
      totals.rowsNew += r.rowsNew;
      totals.rowsUpdated += r.rowsUpdated;
      if (r.status === 'error') totals.failed++;
      if (bar) bar.increment(1, { symbol: r.symbol, ...totals });
      else ctx.stdout.write(`${JSON.stringify(r)}\n`);
    };
    const result = await backfillSymbols(deps, {
      symbols,
      from: from ?? defaultBackfillFrom(ctx.config),
      to: opts.to,
      interval: opts.interval,
      concurrency: opts.concurrency,
      yahooLimit: true,
      now: () => now,
      onSymbol,
    });
    if (bar) {
      bar.stop();
      printTtySummary(ctx.stdout, result);
    } else {
      ctx.stdout.write(`${JSON.stringify({ summary: result })}\n`);
    }
    return result;
  });
  if (summary.failed > 0)
    throw new CliError(`${summary.failed} of ${summary.symbols} symbols failed: ${summary.failures.map((f) => f.symbol).join(', ')}`, 1);
}

export function registerBackfillCommand(program: Command): void {
  program
    .command('backfill')
    .description('fetch bars of tracked instruments over a date range (resumable: ranges already complete are skipped)')
    .option('--symbols <list>', 'comma-separated symbols, e.g. NVDA,6857.T (default: every tracked instrument)')
    .option('--symbol <symbol>', 'one symbol (the same as --symbols with one)')
    .option('--from <date>', 'first date, YYYY-MM-DD (default: BACKFILL_FROM; intraday: as far back as Yahoo serves)')
    .option('--to <date>', "last date, YYYY-MM-DD (default: today in each exchange's zone)")
    .option(
      '--interval <interval>',
      '1d, or intraday 1m, 5m, 15m, 1h, filling the sessions with bars missing (Yahoo keeps 30 days of 1m bars, 7 a request; 60 days of 5m/15m; 730 days of 1h)',
      '1d',
    )
    .option('--concurrency <n>', 'symbols fetched at once (requests in flight stay capped by YAHOO_CONCURRENCY)', '4')
    .action((o) =>
      runBackfill({ symbols: o.symbols, symbol: o.symbol, from: o.from, to: o.to, interval: o.interval, concurrency: o.concurrency }),
    );
}
