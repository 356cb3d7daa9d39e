// `aftershock intraday`: the intraday study of an event or an instant, the same bytes as the API's JSON
// (GET /api/events/:slug/intraday, GET /api/intraday?at=) or, with --csv, as its members.csv / aggregate.csv.
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { CliError, cliErrorOf, withCliContext } from '../cli/cliContext';
import { AppError } from '../errors/appError';
import { slugParam } from '../http/validation';
import { intradayCsvExport, type IntradayCsvPart } from './intradayCsv';
import { parseIntradayQuery } from './intradayParams';
import { runIntradayHere } from './intradayService';

type Options = Record<string, string | boolean | undefined>;

const OPTION_FLAGS: [flag: string, name: string, help: string][] = [
  ['--group <slug>', 'group', 'a group of instruments'],
  ['--symbols <list>', 'symbols', 'instruments, comma-separated'],
  ['--interval <i>', 'interval', '1m | 5m (default) | 15m | 60m'],
  ['--window <from,to>', 'window', 'event window in bars, e.g. --window=-12,78'],
  ['--estimation-days <n>', 'estimationDays', 'estimation sessions (default 20)'],
  ['--min-days <n>', 'minDays', 'fewest qualifying sessions (default 10)'],
  ['--model <model>', 'model', 'market | market_adjusted | constant_mean'],
  ['--band-p <p>', 'bandP', 'level of the matched time-of-day band (default 0.05)'],
  ['--initial-bars <n>', 'initialBars', 'first offset of a significant run (default 5)'],
  ['--benchmark <symbol>', 'benchmark', 'benchmark for every member'],
];

export function registerIntradayCommand(program: Command): void {
  const cmd = program
    .command('intraday')
    .description('the intraday event study of an event (--event) or an instant (--at): the JSON of the API, or --csv')
    .option('--event <slug>', 'the event')
    .option('--at <instant>', 'an instant instead of an event, e.g. 2025-01-27T14:30:00Z')
    .option('--csv [part]', 'print members.csv or aggregate.csv (default aggregate) instead of JSON')
    .option('--bom', 'start the CSV with a UTF-8 byte order mark');
  for (const [flag, , help] of OPTION_FLAGS) cmd.option(flag, help);
  cmd.action((opts: Options) => {
    const hasEvent = typeof opts.event === 'string';
    if (hasEvent === (typeof opts.at === 'string')) throw new CliError('give --event SLUG or --at INSTANT (one of them)', 2);
    if (hasEvent && !slugParam.safeParse(opts.event).success) throw new CliError(`--event ${String(opts.event)}: not an event slug`, 2);
    const part = opts.csv === undefined ? null : opts.csv === true ? 'aggregate' : String(opts.csv);
    if (part !== null && part !== 'members' && part !== 'aggregate')
      throw new CliError(`--csv must be members or aggregate, got ${part}`, 2);
    const raw = Object.fromEntries(OPTION_FLAGS.flatMap(([, name]) => (typeof opts[name] === 'string' ? [[name, opts[name]]] : [])));
    if (!hasEvent) raw.at = String(opts.at);
    const query = (() => {
      try {
        return parseIntradayQuery(raw, !hasEvent, 'option');
      } catch (e) {
        if (e instanceof AppError) throw new CliError(e.message, 2);
        throw e;
      }
    })();
    return withCliContext(async (ctx) => {
      try {
        const answer = await runIntradayHere(ctx.db.pool, { slug: hasEvent ? String(opts.event) : null }, query, new Date());
        if (part === null) ctx.stdout.write(JSON.stringify(answer));
        else await pipeline(await intradayCsvExport(answer, 'cli', part as IntradayCsvPart, opts.bom === true).open(), ctx.stdout);
      } catch (e) {
        if (e instanceof AppError) throw cliErrorOf(e);
        throw e;
      }
    });
  });
}
