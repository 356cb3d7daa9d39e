// Domain errors of the market-data layer. Callers branch on the class (or on `retryable`),
// never on upstream library error names or messages.

export interface MarketDataErrorOptions {
  /** HTTP status of the failing upstream response, when there was one */
  status?: number;
  cause?: unknown;
}

export abstract class MarketDataError extends Error {
  abstract readonly retryable: boolean;
  readonly symbol: string;
  readonly status?: number;
  override readonly cause?: unknown;

  constructor(symbol: string, message: string, opts: MarketDataErrorOptions = {}) {
    super(message);
    this.name = new.target.name;
    this.symbol = symbol;
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.cause !== undefined) this.cause = opts.cause;
  }
}

/** The upstream does not know the symbol (Yahoo chart 404 "No data found, symbol may be delisted", empty quote result, no CSV file). */
export class UnknownSymbolError extends MarketDataError {
  readonly retryable = false;
  constructor(symbol: string, message = `unknown symbol ${symbol}`, opts?: MarketDataErrorOptions) {
    super(symbol, message, opts);
  }
}

/** HTTP 429 from the upstream (also when the crumb request was throttled). */
export class UpstreamRateLimitedError extends MarketDataError {
  readonly retryable = true;
  constructor(symbol: string, message = `upstream rate limited the request for ${symbol}`, opts?: MarketDataErrorOptions) {
    super(symbol, message, { status: 429, ...opts });
  }
}

export type UnavailableReason = 'http' | 'network' | 'timeout' | 'aborted';

/** 5xx, connection failure, timeout: the upstream could not be reached or did not answer in time. */
export class UpstreamUnavailableError extends MarketDataError {
  readonly retryable = true;
  readonly reason: UnavailableReason;
  constructor(symbol: string, reason: UnavailableReason, message: string, opts?: MarketDataErrorOptions) {
    super(symbol, message, opts);
    this.reason = reason;
  }
}

/**
 * The upstream answered, but with something we cannot use: a body that is not JSON (retryable: such
 * bodies are usually transient edge/HTML pages), or a body that fails the library's schema validation
 * or our own checks (not retryable: asking again gives the same answer).
 */
export class UpstreamInvalidResponseError extends MarketDataError {
  readonly retryable: boolean;
  /** validation details from yahoo-finance2 (FailedYahooValidationError.errors), when available */
  readonly validationErrors?: unknown;
  constructor(symbol: string, message: string, opts: MarketDataErrorOptions & { retryable?: boolean; validationErrors?: unknown } = {}) {
    super(symbol, message, opts);
    this.retryable = opts.retryable ?? false;
    if (opts.validationErrors !== undefined) this.validationErrors = opts.validationErrors;
  }
}

/**
 * The upstream refused the request itself (4xx other than 404/429), e.g. an intraday range Yahoo does not
 * serve (422) or a rejected crumb (401). Retryable only for 401/403 (the provider then drops its cookies and
 * crumb and fetches fresh ones).
 */
export class UpstreamRejectedError extends MarketDataError {
  readonly retryable: boolean;
  constructor(symbol: string, message: string, opts: MarketDataErrorOptions & { retryable?: boolean } = {}) {
    super(symbol, message, opts);
    this.retryable = opts.retryable ?? false;
  }
}

/** The symbol exists upstream but is an instrument kind this app does not model (fund, option, crypto, ...). */
export class UnsupportedInstrumentError extends MarketDataError {
  readonly retryable = false;
  readonly upstreamType: string;
  constructor(symbol: string, upstreamType: string) {
    super(symbol, `${symbol} is a ${upstreamType}, which is not supported (equity, ETF, index and FX only)`);
    this.upstreamType = upstreamType;
  }
}

export function isMarketDataError(err: unknown): err is MarketDataError {
  return err instanceof MarketDataError;
}
