// `npm start`: validate the configuration, start everything, stop cleanly on SIGINT/SIGTERM.
import { ConfigError, loadConfig, type Config } from '../config/config';
import { EmbeddedPostgresError } from '../db/embeddedPostgresError';
import { createLogger } from '../logging/logger';
import { startApp } from './server';
import { backgroundServices } from './services';

async function main() {
  let config: Config;
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
  // Signal handlers go in before anything starts: a Ctrl-C or SIGTERM during start-up (initdb, import...) must
  // still stop the embedded Postgres, not leave it running behind a dead process.
  let app: Awaited<ReturnType<typeof startApp>> | null = null;
  let stopRequested: string | null = null;
  let signals = 0;
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    app!.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: string) => {
    if (++signals > 1) {
      logger.warn('second signal: exiting now');
      process.exit(1);
    }
    if (app) stop(signal);
    else {
      stopRequested = signal;
      logger.info({ signal }, 'stopping as soon as start-up has finished');
    }
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));

  try {
    app = await startApp({ config, logger, services: backgroundServices });
  } catch (e) {
    const err = e as Error;
    logger.fatal({ err: e instanceof EmbeddedPostgresError ? undefined : err }, err.message);
    process.exit(1);
  }
  if (stopRequested) return stop(stopRequested);
  console.log(`Aftershock dashboard: ${app.url}`);
}

void main();
