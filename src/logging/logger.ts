// The one logger. JSON lines (pino) so logs can be shipped and queried; level from LOG_LEVEL.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'aftershock' }, timestamp: pino.stdTimeFunctions.isoTime });
}
