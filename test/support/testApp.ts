// The real app on port 0 over a test database: tests talk HTTP to it.
import { loadConfig, type Config } from '../../src/config/config';
import { createLogger, type Logger } from '../../src/logging/logger';
import { startApp, type RunningApp } from '../../src/app/server';
import type { ServiceFactory } from '../../src/context/appContext';
import type { ProviderSource } from '../../src/app/providerFactory';
import { createTestDatabase, type TestDatabase } from './testDb';

export interface TestAppOptions {
  /** the market-data provider (default: Yahoo as the env says; a function gets the app's metrics hook) */
  provider?: ProviderSource;
  /** default: a logger at TEST_LOG_LEVEL (silent) */
  logger?: Logger;
}

export async function startTestApp(
  db: TestDatabase,
  env: Record<string, string> = {},
  services: ServiceFactory[] = [],
  opts: TestAppOptions = {},
): Promise<RunningApp> {
  const config: Config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    IMPORT_BUNDLED_DATA: 'false',
    SCHEDULER_ENABLED: 'false',
    // nothing reaches the internet: a test that wants market data points this at a FakeYahoo
    YAHOO_BASE_URL: 'http://127.0.0.1:9',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  return startApp({ config, db, logger: opts.logger ?? createLogger(config.LOG_LEVEL), services, provider: opts.provider });
}

export interface TestAppHandle {
  readonly db: TestDatabase;
  readonly app: RunningApp;
}

/**
 * A database of its own and the app on it, for a whole test file: made before its first test, stopped and
 * dropped after its last. Call at the top level of the file: `const t = useTestApp({ ADMIN_TOKEN })`.
 */
export function useTestApp(env: Record<string, string> = {}, services: ServiceFactory[] = [], opts: TestAppOptions = {}): TestAppHandle {
  let db: TestDatabase | undefined;
  let app: RunningApp | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db, env, services, opts);
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the test ${what} is not up yet (use it inside a test or a hook)`);
    return value;
  };
  return {
    get db() {
      return ready(db, 'database');
    },
    get app() {
      return ready(app, 'app');
    },
  };
}
