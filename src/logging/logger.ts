// The one logger. JSON lines (pino) so logs can be shipped and queried; level from LOG_LEVEL.
// Secrets never reach a line: the Authorization and Cookie headers of a request and the signed token of a
// confirm or unsubscribe link (in the URL and the parsed query) are redacted, whatever logs the request.
import pino from 'pino';

export type Logger = pino.Logger;

const REDACTED = '[Redacted]';

/** A logged URL with the value of every token= parameter and every token-looking path segment replaced. */
function scrubUrl(url: unknown): unknown {
  if (typeof url !== 'string') return url;
  return url
    .replace(/([?&;](?:token|access_token)=)[^&#;]*/gi, `$1${REDACTED}`)
    .replace(/\/[cu]\.\d{1,10}\.[0-9a-z]{1,10}\.[A-Za-z0-9_-]{43}(?=[/?#]|$)/g, `/${REDACTED}`);
}

const redact: pino.LoggerOptions['redact'] = {
  paths: [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["x-admin-token"]',
    'req.query.token',
    'req.params.token',
    'req.url',
    'req.originalUrl',
    'url',
  ],
  censor: (value: unknown, path: string[]) =>
    path[path.length - 1] === 'url' || path[path.length - 1] === 'originalUrl' ? scrubUrl(value) : REDACTED,
};

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    { level, base: { app: 'aftershock' }, timestamp: pino.stdTimeFunctions.isoTime, redact },
    destination as pino.DestinationStream,
  );
}
