// startApp() brings up everything `npm start` runs: database (embedded or DATABASE_URL) with migrations,
// the bundled data on first start, the HTTP server and the background jobs. stop() tears it down in the
// reverse order: jobs, HTTP, pool, embedded Postgres.
import crypto from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig, projectRoot, type Config } from '../config/config';
import { withDatabaseRetry } from '../db/retry';
import { openDatabase, type Database } from '../db/database';
import { bundledImportNeeded, importBundledData } from '../bundled/bundledImport';
import { importSyntheticUniverse, syntheticImportNeeded } from '../bundled/syntheticImport';
import { BUNDLED_DATA_DIRS } from '../instruments/defaults';
import { hasFactorReturns } from '../factors/factorStore';
import { importFactorFolder } from '../factors/factorImport';
import { MarketDataEventBus } from '../marketdata/eventBus';
import { yahooProviderFromConfig } from '../marketdata/yahooFromConfig';
import { recordMarketDataEvent, resolveProvider, type ProviderSource } from './providerFactory';
import { instrumentStaleness } from '../status/statusStore';
import { createLogger, type Logger } from '../logging/logger';
import { detectAndStoreMoves } from '../moves/moveDetection';
import { detectShocksInHistory } from '../shocks/shockDetection';
import { localDate } from '../markets';
import { createApp } from './expressApp';
import type { AppContext, BackgroundService, ServiceFactory } from '../context/appContext';
import { createMetrics } from '../metrics/metrics';
import { ComputePool } from '../compute/computePool';
import { ResultCache } from '../compute/resultCache';

export interface RunningApp {
  url: string;
  port: number;
  ctx: AppContext;
  server: http.Server;
  stop(): Promise<void>;
}

export interface StartOptions {
  config?: Config;
  logger?: Logger;
  /** an already open database (tests share one); it is then not closed by stop() */
  db?: Database;
  /** throw durability away (tests, benchmarks) */
  fastDatabase?: boolean;
  /** background services to run (scheduler, alert sender...); main passes them all, tests pick */
  services?: ServiceFactory[];
  /** the market-data provider (default: Yahoo as the config says); a function gets the metrics hook */
  provider?: ProviderSource;
}

export async function startApp(opts: StartOptions = {}): Promise<RunningApp> {
  const config = opts.config ?? loadConfig();
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const db = opts.db ?? (await openDatabase(config, logger, { fast: opts.fastDatabase }));
  const instanceId = `${os.hostname()}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  const metrics = createMetrics();
  const marketDataEvents = new MarketDataEventBus();
  marketDataEvents.subscribe((e) => recordMarketDataEvent(metrics, e));
  const provider = resolveProvider(opts.provider, marketDataEvents, (onEvent) => yahooProviderFromConfig(config, logger, onEvent));
  metrics.stalenessSource.current = () => instrumentStaleness(db.pool, new Date());
  const compute = new ComputePool(config);
  const resultCache = new ResultCache(config, { requests: metrics.resultCacheRequests, bytes: metrics.resultCacheBytes });
  const ctx: AppContext = { config, db, logger, metrics, instanceId, provider, marketDataEvents, compute, resultCache };

  try {
    const bundledNow = config.IMPORT_BUNDLED_DATA && (await bundledImportNeeded(db));
    if (bundledNow) {
      const t0 = Date.now();
      for (const dir of BUNDLED_DATA_DIRS) {
        const summary = await importBundledData(db, path.join(projectRoot, dir));
        logger.info({ dir, summary, ms: Date.now() - t0 }, 'bundled DeepSeek data imported');
      }
    }
    // the factor files on the first start on a database without any (also one that had the DeepSeek data before them)
    if (config.IMPORT_BUNDLED_DATA && !(await hasFactorReturns(db.pool))) {
      const t0 = Date.now();
      const summary = await importFactorFolder(db, path.join(projectRoot, 'data', 'factors'));
      logger.info({ files: summary.files.length, ms: Date.now() - t0 }, 'bundled Fama-French factors imported');
    }
    // the synthetic intraday universe, for the Intraday view offline (also on a database imported before it existed)
    if (config.IMPORT_BUNDLED_DATA && (await syntheticImportNeeded(db))) {
      const t0 = Date.now();
      const summary = await importSyntheticUniverse(db);
      logger.info({ summary, ms: Date.now() - t0 }, 'synthetic intraday universe imported (synthetic data, labelled so)');
    }
    await detectAndStoreMoves(db).then(
      (moves) => logger.info({ moves }, 'price moves detected'),
      (err) => logger.error({ err }, 'move detection failed'),
    );
    // the shocks of the history just imported (the live detector looks at recent sessions only)
    if (bundledNow)
      await detectShocksInHistory(db.pool, localDate(new Date(), 'UTC')).then(
        (shocks) => logger.info({ shocks: shocks.map((d) => d.shock.date) }, 'shocks of the bundled history recorded'),
        (err) => logger.error({ err }, 'shock scan of the bundled history failed'),
      );
  } catch (e) {
    await compute.close();
    if (!opts.db) await db.close();
    throw e;
  }

  const app = createApp(ctx);
  const server = http.createServer(app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, () => resolve());
    });
  } catch (e) {
    // a busy port: take the embedded Postgres down with us rather than leave it orphaned
    await compute.close();
    if (!opts.db) await db.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = `http://${host}:${port}`;

  const services = (opts.services ?? []).map((f) => f(ctx)).filter((s): s is BackgroundService => s !== null);
  // a database that goes away while a service starts (an embedded server being started again) is waited for
  for (const s of services) await withDatabaseRetry(async () => s.start(ctx), { logger, what: `starting ${s.name}` });
  logger.info({ url, database: db.embedded ? `embedded (${db.embedded.dataDir})` : 'DATABASE_URL', instanceId }, 'Aftershock is up');

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      for (const s of [...services].reverse()) {
        await Promise.resolve(s.stop()).catch((err) => logger.warn({ err, service: s.name }, 'service did not stop cleanly'));
      }
      server.closeIdleConnections?.();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections?.(), 5_000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
      });
      await compute.close();
      if (!opts.db) await db.close();
      logger.info('Aftershock stopped');
    })();
    return stopping;
  };
  return { url, port, ctx, server, stop };
}
