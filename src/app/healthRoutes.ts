// /healthz: the process is alive. /readyz: the database answers, migrations are applied, and the latest bar per instrument.
import { Router } from 'express';
import type { AppContext } from '../context/appContext';
import { getLatestBars } from '../bars/dailyBarReads';
import { pendingMigrations } from '../db/migrate';

export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      const pending = await pendingMigrations(ctx.db.pool);
      const latest = await getLatestBars(ctx.db.pool);
      const ready = pending.length === 0;
      res.status(ready ? 200 : 503).json({
        status: ready ? 'ready' : 'not_ready',
        database: 'ok',
        pendingMigrations: pending,
        latestBars: Object.fromEntries(latest.map((b) => [b.symbol, b.date])),
      });
    } catch (err) {
      ctx.logger.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'not_ready', database: 'unreachable', error: (err as Error).message });
    }
  });
  return router;
}
