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

/**
 * An AppError said by the CLI: exit code 2 when an argument is wrong (a bad value, or a symbol or event it names that
 * is not stored: the error names the parameter), else 1.
 */
export function cliErrorOf(e: AppError): CliError {
  const namesArgument = Array.isArray(e.details) && e.details.some((d) => typeof (d as { param?: unknown })?.param === 'string');
  return new CliError(e.message, e.status === 400 || namesArgument ? 2 : 1);
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
