// The live shock detector: a handler of the bar-events bus. When daily bars are stored (final or provisional,
// whoever stored them) it re-runs the daily detector for every group of at least 5 members that holds one of the
// symbols, over the sessions stored, and records what it finds. The hook for alerts: `onShockDetected` is called
// with each shock the first time it is recorded (by the one app instance whose INSERT created the row).
import type { BarEventsHandlerFactory } from '../bars/barEventsBus';
import { resolveShockOptions, type ShockOptions } from '../analysis';
import { addCalendarDays } from '../markets';
import type { Shock } from './shockContract';
import { detectDailyShocks, shockGroups } from './shockDetection';
import { shockById } from './shockService';

/** Called once per shock, when it is first recorded; errors are logged, not retried. */
export type ShockDetectedListener = (shock: Shock) => Promise<void> | void;

export interface ShockDetectionOptions {
  /** wait this long after the last bars_stored before running */
  debounceMs?: number;
  /** sessions looked at when a notification does not say which (a sweep, a reconnect): this many days back */
  sweepDays?: number;
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
        intervals: ['1d'],
        debounceMs: opts.debounceMs ?? 2_000,
        async handle(stored) {
          try {
            const today = now().toISOString().slice(0, 10);
            const span = stored.sessions ?? { from: addCalendarDays(today, -(opts.sweepDays ?? 7)), to: today };
            const named = stored.symbols === null ? null : new Set(stored.symbols);
            const groups = (await shockGroups(ctx.db.pool, options)).filter((g) => named === null || g.symbols.some((s) => named.has(s)));
            const summary = { groups: groups.length, flagged: 0, inserted: 0 };
            for (const group of groups) {
              const detected = await detectDailyShocks(ctx.db.pool, group, span.from, span.to, opts.shockOptions);
              summary.flagged += detected.length;
              summary.inserted += detected.filter((d) => d.outcome === 'inserted').length;
              // a backfill or import records old shocks too; only a shock of the last days is news to announce
              const recent = addCalendarDays(today, -(opts.announceDays ?? 3));
              const first = detected.filter((d) => d.outcome === 'inserted' && d.id !== null && d.shock.date >= recent);
              if (detected.length > 0)
                log.info({ group: group.slug, flagged: detected.length, new: first.length }, 'daily shocks recorded');
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
