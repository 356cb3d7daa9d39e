// The real app on port 0 over a test database: tests talk HTTP to it.
import { loadConfig, type Config } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { startApp, type RunningApp, type ServiceFactory } from '../../src/api/server';
import type { TestDatabase } from './testDb';

export async function startTestApp(db: TestDatabase, env: Record<string, string> = {}, services: ServiceFactory[] = []): Promise<RunningApp> {
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    IMPORT_BUNDLED_DATA: 'false',
    SCHEDULER_ENABLED: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  return startApp({ config, db, logger: createLogger(config.LOG_LEVEL), services });
}
