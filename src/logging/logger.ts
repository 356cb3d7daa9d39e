// The one logger. JSON lines (pino) so logs can be shipped and queried; level from LOG_LEVEL.
// Secrets never reach a line: the credential headers of a request (Authorization, Cookie, the admin token) and the
// signed token of a confirm, manage or unsubscribe link are redacted, whatever logs the request and wherever the token
// sits: the URL, the parsed query and params, or any header that carries a URL (Referer, X-Original-URL...).
import querystring from 'node:querystring';
import pino from 'pino';

export type Logger = pino.Logger;

const REDACTED = '[Redacted]';

/** Headers whose whole value is a credential. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-admin-token']);

/** A signed link token (see notifications/linkTokens), wherever it stands in a decoded text. */
const LINK_TOKEN = /[cum]\.\d{1,10}\.[0-9a-z]{1,10}\.[A-Za-z0-9_-]{43}/;

/** A query parameter of a URL anywhere in a text (a fragment's too): separator, key, value. */
const PARAMETER = /([?&;#])([^?&;#=\s]*)=([^&;#\s]*)/g;

/** A run of text that holds no URL delimiter: a path segment, a key or a value, still encoded. */
const PIECE = /[^/?&;#=\s"'<>,]+/g;

/**
 * The text as the server would read it: percent-escapes and `+` decoded the way Express parses a query (leniently,
 * as node:querystring does), repeated so that a doubly encoded key cannot hide a name either.
 */
function decoded(text: string): string {
  let current = text;
  for (let round = 0; round < 4; round++) {
    const next = querystring.unescape(current.replace(/\+/g, ' '));
    if (next === current) break;
    current = next;
  }
  return current;
}

/** Whether a decoded parameter name names a token (token, TOKEN, access_token, "to ken"...). */
function namesToken(name: string): boolean {
  return /token/.test(name.toLowerCase().replace(/[^a-z]/g, ''));
}

/** Whether a text, once decoded, carries a token: a link token, or a nested URL with a token parameter. */
function carriesToken(text: string): boolean {
  const plain = decoded(text);
  return LINK_TOKEN.test(plain) || (plain !== text && scrubText(plain) !== plain);
}

/**
 * A logged URL or header value with every secret replaced: the value of each parameter whose decoded name names a
 * token or whose decoded value carries one, and every other piece (a path segment...) that decodes to a link token.
 */
function scrubText(text: string): string {
  return text
    .replace(PARAMETER, (whole, separator: string, key: string, value: string) =>
      namesToken(decoded(key)) || carriesToken(value) ? `${separator}${key}=${REDACTED}` : whole,
    )
    .replace(PIECE, (piece) => (carriesToken(piece) ? REDACTED : piece));
}

function scrubValue(value: unknown): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) return value.map(scrubValue);
  return value;
}

const redact: pino.LoggerOptions['redact'] = {
  paths: ['req.headers.*', 'res.headers.*', 'req.query.*', 'req.params.*', 'req.url', 'req.originalUrl', 'url'],
  censor: (value: unknown, path: string[]) => {
    const [group, part, key] = path;
    if (part === 'headers') return SECRET_HEADERS.has(key.toLowerCase()) ? REDACTED : scrubValue(value);
    // the parsed query and params: Express has already decoded their names
    if (group === 'req' && (part === 'query' || part === 'params')) return namesToken(decoded(key)) ? REDACTED : scrubValue(value);
    return scrubValue(value);
  },
};

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    { level, base: { app: 'aftershock' }, timestamp: pino.stdTimeFunctions.isoTime, redact },
    destination as pino.DestinationStream,
  );
}
