// `aftershock study run`, `aftershock studies list|show|import` and `aftershock export study`: the same
// schemas, checks and numbers as /api/studies (no HTTP).
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { CliError, cliErrorOf, withCliContext, type CliContext } from '../cli/cliContext';
import { AppError } from '../errors/appError';
import { slugParam } from '../http/validation';
import { studyCsvExport, type StudyCsvPart } from './studyCsv';
import { upsertStudy } from './studyStore';
import { parseRequestFile, RequestFileError } from './studyRequestFile';
import { OPTION_NAMES, parseRunQuery, studyParametersBody } from './studyParams';
import { listStudies, presentStudy, runSavedStudy, runStudy } from './studyRuns';
import { studyTable } from './studyTable';
import { checkStudyMembers, expandSelection } from './studyMembers';

type Options = Record<string, string | boolean | undefined>;

const OPTION_FLAGS: [flag: string, name: string, help: string][] = [
  ['--window <from,to>', 'window', 'event window, e.g. --window=-5,10'],
  ['--estimation <from,to>', 'estimation', 'estimation offsets, e.g. --estimation=-120,-11'],
  ['--estimation-dates <D1,D2>', 'estimationDates', 'estimation sample by dates'],
  ['--min-obs <n>', 'minObs', 'fewest estimation pairs (default 30)'],
  ['--model <model>', 'model', 'market | market_adjusted | constant_mean | ff3 | carhart | ff5'],
  ['--exclude-events <v>', 'excludeEvents', 'none | same | all | kind:KIND: other events whose day 0 leaves the estimation sample'],
  ['--exclude-margin <n>', 'excludeMargin', 'sessions removed each side of their day 0 (default 1)'],
  ['--overlap <v>', 'overlap', 'keep | first | drop: members of one instrument closer than the window length'],
  ['--returns <kind>', 'returns', 'simple | log'],
  ['--benchmark <symbol>', 'benchmark', 'benchmark for every member'],
  ['--cars <windows>', 'cars', 'CAR windows, e.g. "0,0;0,1;-1,1;0,5"'],
  ['--sigma-df <v>', 'sigmaDf', 'model | sd'],
  ['--car-std <v>', 'carStd', 'clm | patell_sum | simple'],
  ['--kp-corr <v>', 'kpCorr', 'pairwise | listwise'],
  ['--rank-scale <v>', 'rankScale', 'uniform | raw'],
  ['--rank-norm <v>', 'rankNorm', 'mean | sqrtn'],
  ['--gsign-phat <v>', 'gsignPhat', 'firm_mean | pooled'],
  ['--fe-moments <v>', 'feMoments', 'paired | benchmark'],
];

function withOptionFlags(cmd: Command): Command {
  for (const [flag, , help] of OPTION_FLAGS) cmd.option(flag, help);
  return cmd;
}

/** The options given, as the query parameters of the API. */
function queryOf(opts: Options, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (typeof opts[n] === 'string' ? [[n, opts[n] as string]] : [])));
}

async function run(work: (ctx: CliContext) => Promise<void>): Promise<void> {
  await withCliContext(async (ctx) => {
    try {
      await work(ctx);
    } catch (e) {
      if (e instanceof AppError) throw cliErrorOf(e);
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') return;
      throw e;
    }
  });
}

function checkedSlug(slug: string): string {
  const parsed = slugParam.safeParse(slug);
  if (!parsed.success) throw new CliError(`slug ${JSON.stringify(slug)}: ${parsed.error.issues[0].message}`, 2);
  return parsed.data;
}

function parseOrExit<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof AppError) throw new CliError(e.message.replace('Invalid option: ', 'Invalid option: --'), 2);
    throw e;
  }
}

export function registerStudyCommands(program: Command): void {
  const study = program.command('study').description('cross-sectional event studies');
  withOptionFlags(
    study
      .command('run')
      .description('run a study ad hoc and print the aggregate table (--json: the JSON of GET /api/studies/run)')
      .option('--events <list>', 'event slugs or kind:KIND, comma-separated')
      .option('--group <slug>', 'a group of instruments')
      .option('--symbols <list>', 'instruments, comma-separated')
      .option('--dates <list>', 'day-0 dates instead of events'),
  )
    .option('--json', 'print the JSON answer of the API')
    .action((opts: Options) => {
      const { selection, how } = parseOrExit(() =>
        parseRunQuery(queryOf(opts, ['events', 'group', 'symbols', 'dates', ...OPTION_NAMES]), 'option'),
      );
      return run(async (ctx) => {
        const result = await runStudy(ctx.db.pool, selection, how);
        ctx.stdout.write(opts.json ? `${JSON.stringify({ study: null, ...result })}\n` : studyTable(result));
      });
    });

  const studies = program.command('studies').description('saved studies');
  studies
    .command('list')
    .description('the saved studies, one JSON line each')
    .action(() =>
      run(async (ctx) => {
        for (const s of await listStudies(ctx.db.pool)) ctx.stdout.write(`${JSON.stringify(presentStudy(s))}\n`);
      }),
    );
  studies
    .command('show')
    .argument('<slug>')
    .option('--json', 'print the JSON of GET /api/studies/:slug')
    .description('a saved study computed now: the aggregate table (or --json)')
    .action((slug: string, opts: Options) =>
      run(async (ctx) => {
        const result = await runSavedStudy(ctx.db.pool, checkedSlug(slug));
        ctx.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : studyTable(result));
      }),
    );
  withOptionFlags(
    studies
      .command('import')
      .argument('<file>', 'CSV of members: symbol, event or date, optional subgroup, optional benchmark')
      .requiredOption('--slug <slug>', 'the saved study to create or replace')
      .option('--title <title>', 'what the study is (default: the file name)')
      .option('--description <text>')
      .description('create or replace a saved study from a request file of members'),
  ).action((file: string, opts: Options) => {
    const slug = checkedSlug(String(opts.slug));
    if (slug === 'run') throw new CliError('slug run is reserved', 2);
    const members = (() => {
      try {
        return parseRequestFile(fs.readFileSync(file, 'utf8'), path.basename(file));
      } catch (e) {
        if (e instanceof RequestFileError) throw new CliError(e.message, 2);
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`no such file: ${file}`, 2);
        throw e;
      }
    })();
    const parameters = parseOrExit(() => {
      const parsed = studyParametersBody.safeParse(queryOf(opts, OPTION_NAMES));
      if (!parsed.success)
        throw new CliError(`Invalid option: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`, 2);
      return parsed.data;
    });
    return run(async (ctx) => {
      const selection = { members };
      try {
        await checkStudyMembers(
          ctx.db.pool,
          await expandSelection(ctx.db.pool, selection),
          typeof opts.benchmark === 'string' ? opts.benchmark : null,
        );
      } catch (e) {
        // a member's index as the row of the file (the header is row 1)
        if (e instanceof AppError)
          throw new CliError(
            e.message.replace(/members\.(\d+)\.event/, (_m, k) => `${path.basename(file)}: row ${Number(k) + 2}: event`),
            2,
          );
        throw e;
      }
      const title = typeof opts.title === 'string' ? opts.title : path.basename(file, path.extname(file));
      await upsertStudy(ctx.db.pool, {
        slug,
        title,
        description: typeof opts.description === 'string' ? opts.description : null,
        selection,
        parameters,
      });
      const result = await runSavedStudy(ctx.db.pool, slug);
      ctx.stdout.write(`${JSON.stringify({ saved: slug, members: result.members.length, included: result.aggregate.n })}\n`);
    });
  });
}

/** `aftershock export study <slug> --part members|aggregate`, under the existing `export` command. */
export function registerStudyExportCommand(program: Command): void {
  const exportCmd = program.commands.find((c) => c.name() === 'export');
  if (!exportCmd) throw new Error('register the export commands first');
  exportCmd
    .command('study')
    .argument('<slug>', 'a saved study')
    .option('--part <part>', 'members | aggregate', 'aggregate')
    .option('--bom', 'start with a UTF-8 byte order mark (for Excel)')
    .description('a saved study as CSV, the same bytes as GET /api/studies/:slug/<part>.csv')
    .action((slug: string, opts: { part: string; bom?: boolean }) => {
      if (opts.part !== 'members' && opts.part !== 'aggregate')
        throw new CliError(`--part must be members or aggregate, got ${opts.part}`, 2);
      const checked = checkedSlug(slug);
      return run(async (ctx) => {
        const result = await runSavedStudy(ctx.db.pool, checked);
        await pipeline(await studyCsvExport(result, checked, opts.part as StudyCsvPart, opts.bom === true).open(), ctx.stdout);
      });
    });
}
