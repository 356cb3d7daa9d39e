// What every route and job gets: config, database, logger, metrics.
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { Logger } from '../logging/logger';
import type { Metrics } from './metrics';

export interface AppContext {
  config: Config;
  db: Database;
  logger: Logger;
  metrics: Metrics;
  /** a name for this process, in logs and in job/outbox locks */
  instanceId: string;
}
