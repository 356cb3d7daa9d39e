// /healthz: the process is alive, and (embedded Postgres) whether its database server is up or being started
// again (503 then, with since when and why the last attempt failed). /readyz: the database answers, migrations are applied, and the latest bar per instrument.
import { Router } from 'express';
import type { AppContext } from '../context/appContext';
import { getLatestBars } from '../bars/dailyBarReads';
import { pendingMigrations } from '../db/migrate';

export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const embedded = ctx.db.embeddedHealth();
    const down = embedded?.state === 'restarting';
    res.status(down ? 503 : 200).json({
      status: down ? 'degraded' : 'ok',
      uptimeSeconds: Math.round(process.uptime()),
      ...(embedded ? { embeddedPostgres: embedded } : {}),
    });
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
