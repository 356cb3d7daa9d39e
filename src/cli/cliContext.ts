// What a CLI command gets: config, a database (the running embedded server, or one started for the
// length of the command), a logger on stderr so stdout stays clean for data.
import pino from 'pino';
import type { AppError } from '../errors/appError';
import { ConfigError, loadConfig, type Config } from '../config/config';
import { openDatabase, type Database } from '../db/database';
import type { Logger } from '../logging/logger';

export interface CliContext {
  config: Config;
  db: Database;
  logger: Logger;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** An AppError said by the CLI: exit code 2 for an argument that is wrong (a bad value, a symbol not stored), else 1. */
export function cliErrorOf(e: AppError): CliError {
  return new CliError(e.message, e.status === 400 || e.code === 'unknown_symbol' ? 2 : 1);
}

export async function withCliContext<T>(
  fn: (ctx: CliContext) => Promise<T>,
  io = { stdout: process.stdout, stderr: process.stderr },
): Promise<T> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message, 2);
    throw e;
  }
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn', base: { app: 'aftershock-cli' } }, pino.destination(2));
  const db = await openDatabase(config, logger);
  try {
    return await fn({ config, db, logger, ...io });
  } finally {
    await db.close();
  }
}
