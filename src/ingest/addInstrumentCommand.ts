// `aftershock instruments add SYMBOL [--benchmark SYM] [--from DATE] [--no-backfill]`.
import type { Command } from 'commander';
import { z } from 'zod';
import { CliError, withCliContext } from '../cli/cliContext';
import { validationError } from '../errors/appError';
import { isoDate, symbolParam } from '../http/validation';
import { presentInstrument } from '../instruments/presentInstrument';
import { AddInstrumentError, addInstrument } from './addInstrument';
import { cliIngestDeps } from './backfillCommand';
import { defaultBackfillFrom } from './fetchAndStore';

const addOptions = z.object({
  symbol: symbolParam,
  benchmark: symbolParam.optional(),
  from: isoDate.optional(),
});

async function runAdd(symbolArg: string, o: { benchmark?: string; from?: string; backfill: boolean }): Promise<void> {
  const given = Object.fromEntries(
    Object.entries({ symbol: symbolArg, benchmark: o.benchmark, from: o.from }).filter(([, v]) => v !== undefined),
  );
  const parsed = addOptions.safeParse(given);
  if (!parsed.success) throw new CliError(validationError(parsed.error, 'argument').message, 2);
  const symbol = parsed.data.symbol.toUpperCase();

  const result = await withCliContext(async (ctx) => {
    try {
      const r = await addInstrument(cliIngestDeps(ctx), {
        symbol,
        benchmark: parsed.data.benchmark?.toUpperCase(),
        from: parsed.data.from ?? defaultBackfillFrom(ctx.config),
        backfill: o.backfill,
      });
      ctx.stdout.write(
        `${JSON.stringify({
          instrument: presentInstrument(r.instrument),
          created: r.created,
          sessions: r.sessions,
          sessionsNote: r.sessionsNote,
          benchmarkAdded: r.benchmarkAdded ? { symbol: r.benchmarkAdded.instrument.symbol, backfill: r.benchmarkAdded.backfill } : null,
          fxSeriesAdded: r.fxSeriesAdded ? { symbol: r.fxSeriesAdded.instrument.symbol, backfill: r.fxSeriesAdded.backfill } : null,
          fxSeriesNote: r.fxSeriesNote,
          backfill: r.backfill,
          intradayBackfill: r.intradayBackfill,
          benchmarkIntradayBackfill: r.benchmarkIntradayBackfill,
        })}\n`,
      );
      if (r.sessions === null) {
        ctx.stderr.write(
          `note: ${symbol} trades on ${r.instrument.exchange} (${r.instrument.timeZone}), whose sessions Aftershock does not know: ` +
            `its daily bars are fetched once a day (23:00 UTC), without intraday fetches or staleness in sessions\n`,
        );
      }
      if (r.fxSeriesNote) ctx.stderr.write(`note: ${r.fxSeriesNote}\n`);
      for (const b of [r.benchmarkAdded?.intradayBackfill, r.benchmarkIntradayBackfill, r.intradayBackfill])
        if (b?.status === 'error')
          ctx.stderr.write(
            `note: the 5-minute bars of ${b.symbol} could not be fetched (${b.error}); run \`aftershock backfill --interval 5m --symbol ${b.symbol}\` within 60 days\n`,
          );
      return r;
    } catch (err) {
      if (err instanceof AddInstrumentError) throw new CliError(err.message, 1);
      throw err;
    }
  });
  const failed = [result.benchmarkAdded?.backfill, result.backfill].filter((b) => b?.status === 'error');
  if (failed.length > 0) {
    throw new CliError(
      `${symbol} was added, but its backfill failed (${failed.map((b) => `${b!.symbol}: ${b!.error}`).join('; ')}); run \`aftershock backfill --symbols ${symbol}\` later`,
      1,
    );
  }
}

/** Adds `add` to the `instruments` command. */
export function registerAddInstrumentCommand(cmd: Command): void {
  cmd
    .command('add')
    .description(
      "look a symbol up (name, exchange, currency, time zone, shares outstanding), give it its market's benchmark, and backfill its daily bars",
    )
    .argument('<symbol>', 'Yahoo Finance symbol, e.g. AMD, 6857.T, ^N225')
    .option('--benchmark <symbol>', 'benchmark (default: ^GSPC for US, ^N225 for Tokyo, none elsewhere); added too when missing')
    .option('--from <date>', 'first date of the backfill, YYYY-MM-DD (default: BACKFILL_FROM)')
    .option('--no-backfill', 'store the instrument without fetching its bars')
    .action((symbol: string, o: { benchmark?: string; from?: string; backfill: boolean }) => runAdd(symbol, o));
}
