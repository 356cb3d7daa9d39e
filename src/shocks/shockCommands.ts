// `aftershock shocks scan`: the detector over the stored history of a group, recording what it finds as the live
// detector does (idempotent: a second scan adds nothing), and printing every flagged date with its statistic.
import type { Command } from 'commander';
import { CliError, cliErrorOf, withCliContext } from '../cli/cliContext';
import { AppError } from '../errors/appError';
import { isoDate, slugParam } from '../http/validation';
import { addCalendarDays } from '../markets';
import { detectDailyShocks, shockGroup, type DetectedShock } from './shockDetection';
import { SHOCK_KINDS, type ShockKind } from './shockContract';
import { detectIntradayShocks } from './shockIntraday';

type Options = Record<string, string | boolean | undefined>;

function checked<T>(
  name: string,
  value: unknown,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } },
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CliError(`--${name} ${JSON.stringify(value)}: ${parsed.error.issues[0].message}`, 2);
  return parsed.data;
}

const fixed = (v: number | null, digits: number) => (v === null ? 'n/a' : v.toFixed(digits));

function table(detected: readonly DetectedShock[]): string {
  const header = ['date', 'N', 'z', 'p', 'breadth', 'direction', 'AAR0', 'recorded'];
  const rows = detected.map(({ shock, id, outcome }) => [
    shock.date,
    String(shock.n),
    fixed(shock.z, 2),
    shock.p === null ? 'n/a' : shock.p.toExponential(2),
    `${shock.breadth.count} of ${shock.n}`,
    shock.direction,
    `${(shock.aar * 100).toFixed(2)}%`,
    id === null ? outcome : `${outcome} #${id}`,
  ]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, k) => c.padEnd(widths[k]))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export function registerShockCommands(program: Command): void {
  const shocks = program.command('shocks').description('group shocks (issue 23): a group moving abnormally together');
  shocks
    .command('scan')
    .description('run the shock detector over stored bars, record what it finds (idempotent), print every flagged date')
    .requiredOption('--group <slug>', 'the group')
    .option('--from <date>', 'first session date (default: a year before --to)')
    .option('--to <date>', 'last session date (default: today, UTC)')
    .option('--kind <kind>', 'daily | intraday (co-jumps on stored 5-minute bars)', 'daily')
    .option('--json', 'one JSON document: the flagged dates with their statistic and what was recorded')
    .action((opts: Options) => {
      const slug = checked('group', opts.group, slugParam);
      const to = opts.to === undefined ? new Date().toISOString().slice(0, 10) : checked('to', opts.to, isoDate);
      const from = opts.from === undefined ? addCalendarDays(to, -365) : checked('from', opts.from, isoDate);
      if (from > to) throw new CliError(`--from ${from} is after --to ${to}`, 2);
      const kind = opts.kind as ShockKind;
      if (!SHOCK_KINDS.includes(kind))
        throw new CliError(`--kind ${JSON.stringify(opts.kind)}: must be one of ${SHOCK_KINDS.join(', ')}`, 2);
      return withCliContext(async (ctx) => {
        try {
          const group = await shockGroup(ctx.db.pool, slug);
          if (kind === 'intraday') {
            const episodes = await detectIntradayShocks(ctx.db.pool, group, from, to);
            if (opts.json) {
              const recorded = { inserted: 0, updated: 0, unchanged: 0 };
              for (const d of episodes) recorded[d.outcome]++;
              const flagged = episodes.map(({ episode, sessionDate, id, outcome }) => ({
                id,
                outcome,
                sessionDate,
                start: episode.start,
                end: episode.end,
                bars: episode.bars.map((b) => ({ t: b.t, n: b.n, up: b.up, down: b.down, threshold: b.threshold })),
              }));
              ctx.stdout.write(`${JSON.stringify({ group: group.slug, kind, from, to, recorded, flagged })}\n`);
            } else {
              ctx.stdout.write(`${group.slug}: ${episodes.length} flagged intraday episode(s) from ${from} to ${to}\n`);
              for (const { episode, id, outcome } of episodes) {
                const bars = episode.bars
                  .map((b) => `${b.t} ${b.direction} ${b.direction === 'down' ? b.down : b.up} of ${b.n}`)
                  .join('; ');
                ctx.stdout.write(`${episode.start} .. ${episode.end}  ${bars}  ${id === null ? outcome : `${outcome} #${id}`}\n`);
              }
            }
            return;
          }
          const detected = await detectDailyShocks(ctx.db.pool, group, from, to);
          if (opts.json) {
            const recorded = { inserted: 0, updated: 0, unchanged: 0 };
            for (const d of detected) recorded[d.outcome]++;
            ctx.stdout.write(
              `${JSON.stringify({
                group: group.slug,
                kind,
                from,
                to,
                recorded,
                flagged: detected.map(({ shock, id, outcome }) => ({
                  id,
                  outcome,
                  date: shock.date,
                  n: shock.n,
                  z: shock.z,
                  p: shock.p,
                  rbar: shock.rbar,
                  breadth: shock.breadth,
                  direction: shock.direction,
                  aar: shock.aar,
                })),
              })}\n`,
            );
          } else {
            ctx.stdout.write(`${group.slug}: ${detected.length} flagged ${kind} shock(s) from ${from} to ${to}\n`);
            if (detected.length > 0) ctx.stdout.write(table(detected));
          }
        } catch (e) {
          if (e instanceof AppError) throw cliErrorOf(e);
          throw e;
        }
      });
    });
}
