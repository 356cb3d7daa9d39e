// The live shock detector: a handler of the bar-events bus. When daily bars are stored (final or provisional,
// whoever stored them) it re-runs the daily detector for every group of at least 5 members that holds one of the
// symbols, over the sessions stored, and records what it finds; when 5-minute bars are stored, the intraday
// co-jump detector over their sessions. The hook for alerts: `onShockDetected` is called
// with each shock the first time it is recorded (by the one app instance whose INSERT created the row).
import type { BarEventsHandlerFactory } from '../bars/barEventsBus';
import { resolveShockOptions, type ShockOptions } from '../analysis';
import { addCalendarDays } from '../markets';
import type { Shock } from './shockContract';
import { detectDailyShocks, shockGroups } from './shockDetection';
import { detectIntradayShocks } from './shockIntraday';
import { shockById } from './shockService';

/** Called once per shock, when it is first recorded; errors are logged, not retried. */
type ShockDetectedListener = (shock: Shock) => Promise<void> | void;

export interface ShockDetectionOptions {
  /** wait this long after the last bars_stored before running */
  debounceMs?: number;
  /** only sessions this many days back at most are looked at live (default 10; older ones: `shocks scan`) */
  liveDays?: number;
  onShockDetected?: readonly ShockDetectedListener[];
  /** only shocks of sessions this many days back at most are announced (default 3) */
  announceDays?: number;
  /** after each handled notification: what was flagged and how much of it this instance recorded first */
  onHandled?: (summary: { groups: number; flagged: number; inserted: number }) => void;
  /** the detector's options (tests) */
  shockOptions?: Partial<ShockOptions>;
  /** the clock (tests) */
  now?: () => Date;
}

export function createShockDetection(opts: ShockDetectionOptions = {}): BarEventsHandlerFactory {
  return (ctx) => {
    const log = ctx.logger.child({ component: 'shock-detection' });
    const options = resolveShockOptions(opts.shockOptions);
    const now = opts.now ?? (() => new Date());
    return {
      name: 'shock-detection',
      barsStored: {
        intervals: ['1d', '5m'],
        debounceMs: opts.debounceMs ?? 2_000,
        async handle(stored) {
          try {
            const today = now().toISOString().slice(0, 10);
            const named = stored.symbols === null ? null : new Set(stored.symbols);
            const groups = (await shockGroups(ctx.db.pool, options)).filter((g) => named === null || g.symbols.some((s) => named.has(s)));
            const summary = { groups: groups.length, flagged: 0, inserted: 0 };
            // live: only the recent sessions among those stored (a backfill of years is `shocks scan`'s job, and would
            // hold the event loop); daily sessions are dates, intraday ones instants (UTC dates, a day earlier for zones east of UTC)
            const recentFrom = addCalendarDays(today, -(opts.liveDays ?? 10));
            const clip = (span: { from: string; to: string }) => {
              // ISO dates order as strings
              const clipped = { from: [span.from, recentFrom].sort()[1], to: [span.to, today].sort()[0] };
              return clipped.from <= clipped.to ? clipped : null;
            };
            const sweep = { from: recentFrom, to: today };
            const daily =
              stored.interval === '1d' || stored.interval === null ? clip((stored.interval === '1d' && stored.sessions) || sweep) : null;
            const intraday =
              stored.interval === '5m' || stored.interval === null
                ? clip(
                    stored.interval === '5m' && stored.sessions
                      ? { from: addCalendarDays(stored.sessions.from.slice(0, 10), -1), to: stored.sessions.to.slice(0, 10) }
                      : { from: addCalendarDays(today, -1), to: today },
                  )
                : null;
            // a backfill or import records old shocks too; only a shock of the last days is news to announce
            const recent = addCalendarDays(today, -(opts.announceDays ?? 3));
            for (const group of groups) {
              const found: { id: number | null; outcome: string; date: string }[] = [];
              if (daily) {
                for (const d of await detectDailyShocks(ctx.db.pool, group, daily.from, daily.to, opts.shockOptions))
                  found.push({ id: d.id, outcome: d.outcome, date: d.shock.date });
              }
              if (intraday) {
                for (const d of await detectIntradayShocks(ctx.db.pool, group, intraday.from, intraday.to, opts.shockOptions))
                  found.push({ id: d.id, outcome: d.outcome, date: d.sessionDate });
              }
              summary.flagged += found.length;
              summary.inserted += found.filter((d) => d.outcome === 'inserted').length;
              const first = found.filter((d) => d.outcome === 'inserted' && d.id !== null && d.date >= recent);
              if (found.length > 0) log.info({ group: group.slug, flagged: found.length, new: first.length }, 'shocks recorded');
              for (const d of first) {
                const shock = await shockById(ctx.db.pool, d.id!);
                for (const listener of opts.onShockDetected ?? []) {
                  await (async () => listener(shock))().catch((err: unknown) =>
                    log.error({ err, shock: shock.id }, 'shockDetected listener failed'),
                  );
                }
              }
            }
            opts.onHandled?.(summary);
          } catch (err) {
            log.error({ err }, 'shock detection failed');
          }
        },
      },
    };
  };
}
