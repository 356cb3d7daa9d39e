// Re-detects moves when new daily bars are stored, whoever stored them (live ingest, a backfill, an import in
// another process): listens on the bars_stored channel (through the shared PgListener) and re-runs detection
// for the symbols named, debounced so a backfill of many batches causes one run. Missed notifications (lost
// connection) are covered by a full run after reconnecting.
import type { AppContext } from '../context/appContext';
import type { BackgroundService, ServiceFactory } from '../context/appContext';
import { BARS_STORED_CHANNEL, parseBarsStored } from '../bars/dailyBarStore';
import { PgListener } from '../db/pgListener';
import { detectAndStoreMoves } from './moveDetection';

export interface MoveDetectionServiceOptions {
  /** wait this long after the last notification before running */
  debounceMs?: number;
}

export function createMoveDetectionService(opts: MoveDetectionServiceOptions = {}): ServiceFactory {
  const debounceMs = opts.debounceMs ?? 2_000;

  return (ctx: AppContext): BackgroundService => {
    const log = ctx.logger.child({ component: 'move-detection' });
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    /** null = every instrument */
    let pending: Set<string> | null | undefined; // undefined = nothing pending
    let running: Promise<void> = Promise.resolve();

    const runPending = () => {
      timer = null;
      const symbols = pending;
      pending = undefined;
      if (symbols === undefined) return;
      running = running.then(async () => {
        try {
          const summary = await detectAndStoreMoves(ctx.db, symbols === null ? null : [...symbols]);
          log.info({ summary }, 'moves re-detected after new bars');
        } catch (err) {
          log.error({ err }, 'move re-detection failed');
        }
      });
    };

    const schedule = (symbols: string[] | null) => {
      if (stopped) return;
      if (symbols === null || pending === null) pending = null;
      else {
        pending ??= new Set();
        for (const s of symbols) pending.add(s);
      }
      if (timer) clearTimeout(timer);
      timer = setTimeout(runPending, debounceMs);
    };

    const onBarsStored = (payload: string | undefined) => {
      const stored = parseBarsStored(payload);
      if (!stored) {
        log.warn({ payload }, 'unreadable bars_stored payload; re-detecting everything');
        schedule(null);
        return;
      }
      if (stored.interval !== null && stored.interval !== '1d') return; // moves are daily close-to-close
      schedule(stored.symbols);
    };

    const listener = new PgListener({
      connectionString: ctx.db.connectionString,
      channels: [BARS_STORED_CHANNEL],
      onNotification: (_channel, payload) => onBarsStored(payload),
      onReconnect: () => schedule(null), // notifications sent while we were away are gone
      logger: log,
    });

    return {
      name: 'move-detection',
      async start() {
        await listener.start();
      },
      async stop() {
        stopped = true;
        if (timer) clearTimeout(timer);
        await running;
        await listener.stop();
      },
    };
  };
}

export const moveDetectionService: ServiceFactory = createMoveDetectionService();
