// `aftershock export bars|moves|events|impact ...`: the CSV of /api/export/*.csv on stdout, byte for byte, made by
// the same code (no HTTP). Options map onto the endpoint's query parameters and go through its schemas.
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { z } from 'zod';
import { AppError, validationError } from '../errors/appError';
import { slugParam } from '../http/validation';
import { CliError, cliErrorOf, withCliContext } from '../cli/cliContext';
import { barsExport, eventsExport, movesExport, type CsvExport, type ExportDeps } from './csvExports';
import { barsExportParams, eventsExportParams, movesExportParams, parseImpactExportParams } from './exportParams';
import { impactExport } from './impactExport';

type QueryValues = Record<string, string | undefined>;

function parseSlug(slug: string): string {
  const parsed = slugParam.safeParse(slug);
  if (!parsed.success) throw validationError(parsed.error, 'slug');
  return parsed.data;
}

/** Options as the endpoint's query parameters (unset ones left out), checked the way the endpoint checks them. */
function schemaParser<S extends z.ZodType>(schema: S) {
  return (query: Record<string, string>): z.infer<S> => {
    const parsed = schema.safeParse(query);
    if (!parsed.success) throw validationError(parsed.error, 'option');
    return parsed.data;
  };
}

async function runExport<P>(
  parse: (query: Record<string, string>) => P,
  query: QueryValues,
  build: (deps: ExportDeps, params: P) => Promise<CsvExport>,
): Promise<void> {
  let params: P;
  try {
    params = parse(Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)));
  } catch (e) {
    if (e instanceof AppError) throw new CliError(e.message, 2);
    throw e;
  }
  await withCliContext(async ({ db, logger, stdout }) => {
    try {
      const csv = await (await build({ db, logger }, params)).open();
      await pipeline(csv, stdout);
    } catch (e) {
      if (e instanceof AppError) throw cliErrorOf(e);
      // the reader of stdout closed the pipe (`| head`): the query is already cancelled, nothing to report
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') return;
      throw e;
    }
  });
}

const bom = (opts: { bom?: boolean }) => (opts.bom ? '1' : undefined);

export function registerExportCommands(program: Command): void {
  const exportCmd = program.command('export').description('write CSV to stdout, the same bytes as GET /api/export/*.csv');

  exportCmd
    .command('bars')
    .description('daily (or intraday) bars of some instruments')
    .requiredOption('--symbols <list>', 'comma-separated symbols, e.g. NVDA,6857.T')
    .option('--from <date>', 'first trading date, YYYY-MM-DD')
    .option('--to <date>', 'last trading date, YYYY-MM-DD')
    .option('--interval <interval>', '1d (daily bars) or an intraday interval: 1m, 5m, 15m, 1h')
    .option('--bom', 'start with a UTF-8 byte order mark (for Excel)')
    .action((opts) =>
      runExport(
        schemaParser(barsExportParams),
        { symbols: opts.symbols, from: opts.from, to: opts.to, interval: opts.interval, bom: bom(opts) },
        barsExport,
      ),
    );

  exportCmd
    .command('moves')
    .description('recorded price moves with the events they are linked to')
    .option('--symbol <symbol>', 'one instrument')
    .option('--from <date>', 'first date, YYYY-MM-DD')
    .option('--to <date>', 'last date, YYYY-MM-DD')
    .option('--min <percent>', 'smallest |move| in percent, e.g. 5')
    .option('--bom', 'start with a UTF-8 byte order mark (for Excel)')
    .action((opts) =>
      runExport(
        schemaParser(movesExportParams),
        { symbol: opts.symbol, from: opts.from, to: opts.to, min: opts.min, bom: bom(opts) },
        movesExport,
      ),
    );

  exportCmd
    .command('events')
    .description('news events with their news, one row per event and news item')
    .option('--bom', 'start with a UTF-8 byte order mark (for Excel)')
    .action((opts) => runExport(schemaParser(eventsExportParams), { bom: bom(opts) }, eventsExport));

  exportCmd
    .command('impact')
    .description('the event study of one event: one row per instrument and offset (GET /api/events/:slug/impact as CSV)')
    .argument('<slug>', 'the event, e.g. deepseek-app-store-no1')
    .option('--symbols <list>', 'comma-separated symbols; default: every tracked equity with a benchmark')
    .option('--window <from,to>', 'event window in sessions around day 0, e.g. -5,10 (write --window=-5,10)')
    .option('--estimation <from,to>', 'estimation window, e.g. -120,-11 (write --estimation=-120,-11)')
    .option('--min-obs <n>', 'fewest paired returns to fit the market model')
    .option('--benchmark <symbol>', 'one benchmark for every symbol instead of their own')
    .option('--cars <windows>', 'CAR windows separated by ";", e.g. "0,0;-1,1"')
    .option('--bom', 'start with a UTF-8 byte order mark (for Excel)')
    .action((slug: string, opts) => {
      const query = {
        symbols: opts.symbols,
        window: opts.window,
        estimation: opts.estimation,
        minObs: opts.minObs,
        benchmark: opts.benchmark,
        cars: opts.cars,
        bom: bom(opts),
      };
      const parse = (q: Record<string, string>) => ({ slug: parseSlug(slug), ...parseImpactExportParams(q, 'option') });
      return runExport(parse, query, (deps, { slug: checkedSlug, ...params }) => impactExport(deps, checkedSlug, params));
    });
}
