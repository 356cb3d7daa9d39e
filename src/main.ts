// `npm start`: validate the configuration, start everything, stop cleanly on SIGINT/SIGTERM.
import { ConfigError, loadConfig } from './config/config';
import { EmbeddedPostgresError } from './db/embeddedPostgres';
import { createLogger } from './logging/logger';
import { startApp } from './api/server';
import { backgroundServices } from './services';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp({ config, logger, services: backgroundServices });
  } catch (e) {
    const err = e as Error;
    logger.fatal({ err: e instanceof EmbeddedPostgresError ? undefined : err }, err.message);
    process.exit(1);
  }
  console.log(`Aftershock dashboard: ${app.url}`);
  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) {
      logger.warn('second signal: exiting now');
      process.exit(1);
    }
    logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

void main();
