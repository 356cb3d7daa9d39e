// Transient database failures (the server restarting, a failover, a connection cut) and a bounded retry for
// them. Only for work that is safe to run again: one statement, or a whole transaction that rolled back.
import type { Logger } from '../logging/logger';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
const TRANSIENT_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the server is shutting down (a restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);
// node-postgres reports a cut connection with these messages and no code
const CUT_CONNECTION =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable/i;

/** Whether `err` says the database was (momentarily) unreachable rather than that the statement is wrong. */
export function isTransientDatabaseError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || TRANSIENT_SQLSTATES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true; // class 08: connection exception
  }
  return typeof message === 'string' && CUT_CONNECTION.test(message);
}

/** Whether `err` says the database cannot be reached now (not a conflict between transactions): a 503, not a 500. */
export function isDatabaseUnavailableError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return isTransientDatabaseError(err) && code !== '40001' && code !== '40P01';
}

export interface DatabaseRetryOptions {
  /** total attempts including the first (default 8: about 9 to 18 s of waiting in all, enough for a restart) */
  attempts?: number;
  baseMs?: number;
  capMs?: number;
  logger?: Logger;
  /** what is being done, for the log */
  what?: string;
}

/**
 * Runs `work`, and again after a transient database failure, with exponential backoff (half fixed, half
 * jittered, so the wait adds up to at least about half the nominal total). Other errors, and the last
 * transient one, are thrown.
 */
export async function withDatabaseRetry<T>(work: () => Promise<T>, opts: DatabaseRetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 8;
  const baseMs = opts.baseMs ?? 250;
  const capMs = opts.capMs ?? 5000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || !isTransientDatabaseError(err)) throw err;
      const ceiling = Math.min(capMs, baseMs * 2 ** (attempt - 1));
      const delayMs = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
      opts.logger?.warn(
        { err: { message: (err as Error).message, code: (err as { code?: string }).code }, attempt, delayMs, what: opts.what },
        'database unavailable; retrying',
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
