// What every route and job gets: config, database, logger, metrics, the market-data provider.
import type { ComputePool } from '../compute/computePool';
import type { ResultCache } from '../compute/resultCache';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { MarketDataEventBus } from '../marketdata/eventBus';
import type { Logger } from '../logging/logger';
import type { MarketDataProvider } from '../marketdata/provider';
import type { Metrics } from '../metrics/metrics';

export interface AppContext {
  config: Config;
  db: Database;
  logger: Logger;
  metrics: Metrics;
  /** a name for this process, in logs and in job/outbox locks */
  instanceId: string;
  /** the one market-data provider of this app (one yahoo-finance2 instance, one limiter) */
  provider: MarketDataProvider;
  /** the provider's per-attempt events (metrics, attempt counts of ingest runs) */
  marketDataEvents: MarketDataEventBus;
  /** the worker threads of the heavy analysis (studies, impact) and their admission queue */
  compute: ComputePool;
  /** answers of heavy requests, served again while the watermark of their data is unchanged */
  resultCache: ResultCache;
}

/** Background work that starts after the HTTP server and stops before it (scheduler, outbox sender...). */
export interface BackgroundService {
  name: string;
  start(ctx: AppContext): Promise<void> | void;
  stop(): Promise<void> | void;
}

/** Makes a capability's service for this app, or null when its config switches it off. */
export type ServiceFactory = (ctx: AppContext) => BackgroundService | null;
