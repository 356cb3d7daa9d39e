// Re-detects moves when new daily bars are stored, whoever stored them (live ingest, a backfill, an import in
// another process): listens on the bars_stored channel and re-runs detection for the symbols named, debounced
// so a backfill of many batches causes one run. Missed notifications (lost connection) are covered by a
// full run after reconnecting.
import pg from 'pg';
import type { AppContext } from '../context/appContext';
import type { BackgroundService, ServiceFactory } from '../context/appContext';
import { BARS_STORED_CHANNEL, parseBarsStored } from '../bars/dailyBarStore';
import { detectAndStoreMoves } from './moveDetection';

export interface MoveDetectionServiceOptions {
  /** wait this long after the last notification before running */
  debounceMs?: number;
  reconnectDelayMs?: number;
}

export function createMoveDetectionService(opts: MoveDetectionServiceOptions = {}): ServiceFactory {
  const debounceMs = opts.debounceMs ?? 2_000;
  const reconnectDelayMs = opts.reconnectDelayMs ?? 5_000;

  return (ctx: AppContext): BackgroundService => {
    const log = ctx.logger.child({ component: 'move-detection' });
    let client: pg.Client | null = null;
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    let reconnectTimer: NodeJS.Timeout | null = null;
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

    const onNotification = (msg: pg.Notification) => {
      if (msg.channel !== BARS_STORED_CHANNEL) return;
      const stored = parseBarsStored(msg.payload);
      if (!stored) {
        log.warn({ payload: msg.payload }, 'unreadable bars_stored payload; re-detecting everything');
        schedule(null);
        return;
      }
      if (stored.interval !== null && stored.interval !== '1d') return; // moves are daily close-to-close
      schedule(stored.symbols);
    };

    const connect = async (afterLoss: boolean) => {
      const c = new pg.Client({ connectionString: ctx.db.connectionString });
      c.on('notification', onNotification);
      c.on('error', (err) => {
        log.warn({ err }, 'lost the bars_stored listener connection; reconnecting');
        c.removeAllListeners('notification');
        c.end().catch(() => {});
        if (client === c) client = null;
        if (!stopped) reconnectTimer = setTimeout(() => void connectWithRetry(true), reconnectDelayMs);
      });
      await c.connect();
      await c.query(`LISTEN ${BARS_STORED_CHANNEL}`);
      client = c;
      if (afterLoss) schedule(null); // notifications sent while we were away are gone
    };

    const connectWithRetry = async (afterLoss: boolean) => {
      reconnectTimer = null;
      if (stopped) return;
      try {
        await connect(afterLoss);
      } catch (err) {
        log.warn({ err }, 'cannot listen for bars_stored; retrying');
        if (!stopped) reconnectTimer = setTimeout(() => void connectWithRetry(true), reconnectDelayMs);
      }
    };

    return {
      name: 'move-detection',
      async start() {
        await connect(false);
      },
      async stop() {
        stopped = true;
        if (timer) clearTimeout(timer);
        if (reconnectTimer) clearTimeout(reconnectTimer);
        await running;
        const c = client;
        client = null;
        if (c) {
          c.removeAllListeners('notification');
          await c.end().catch(() => {});
        }
      },
    };
  };
}

export const moveDetectionService: ServiceFactory = createMoveDetectionService();
