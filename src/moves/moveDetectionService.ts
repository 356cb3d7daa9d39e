// Re-detects moves when new daily bars are stored, whoever stored them (live ingest, a backfill, an import in
// another process): a handler of the bar-events bus that re-runs detection for the symbols named, debounced so
// a backfill of many batches causes one run, and publishes movesDetected once it has committed. Missed
// notifications (lost connection) are covered by the bus's look at everything after reconnecting.
import type { BarEventsHandlerFactory } from '../bars/barEventsBus';
import { detectAndStoreMoves } from './moveDetection';

export interface MoveDetectionOptions {
  /** wait this long after the last notification before running */
  debounceMs?: number;
}

export function createMoveDetection(opts: MoveDetectionOptions = {}): BarEventsHandlerFactory {
  return (ctx, bus) => {
    const log = ctx.logger.child({ component: 'move-detection' });
    return {
      name: 'move-detection',
      barsStored: {
        intervals: ['1d'], // moves are daily close-to-close
        debounceMs: opts.debounceMs ?? 2_000,
        async handle(stored) {
          try {
            const summary = await detectAndStoreMoves(ctx.db, stored.symbols);
            log.info({ summary }, 'moves re-detected after new bars');
            const { symbols, inserted, updated, deleted, linksAdded, linksRemoved } = summary;
            const changed = inserted + updated + deleted + linksAdded + linksRemoved > 0;
            bus.movesDetectedEvent({ symbols, interval: '1d', sessions: stored.sessions, changed });
          } catch (err) {
            log.error({ err }, 'move re-detection failed');
          }
        },
      },
    };
  };
}

export const moveDetection: BarEventsHandlerFactory = createMoveDetection();
