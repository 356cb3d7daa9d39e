// The market-data provider of a process (one yahoo-finance2 instance, one cookie jar, one limiter), made from
// the config, and the bus its per-attempt events go out on (metrics, attempt counts of ingest runs).
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import type { Metrics } from '../metrics/metrics';
import type { MarketDataProvider } from './provider';
import type { MarketDataEvent, MarketDataEventHook, MarketDataOp } from './resilience';
import { YahooProvider, type YahooProviderOptions } from './yahooProvider';

/** Fans the provider's per-attempt events out to whoever listens. */
export class MarketDataEventBus {
  private readonly listeners = new Set<MarketDataEventHook>();

  /** hand this to the provider as its onEvent */
  readonly emit: MarketDataEventHook = (event) => {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // one broken listener must not break fetching or the other listeners
      }
    }
  };

  subscribe(listener: MarketDataEventHook): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Counts the attempts of one symbol's operation from now until stop(). Two concurrent runs for the same
   * symbol and operation in one process would share the count; the scheduler never does that.
   */
  countAttempts(symbol: string, op: MarketDataOp): { count(): number; stop(): void } {
    let n = 0;
    const stop = this.subscribe((e) => {
      if (e.symbol === symbol && e.op === op) n++;
    });
    return { count: () => n, stop };
  }
}

export type YahooConfig = Pick<Config, 'YAHOO_BASE_URL' | 'YAHOO_TIMEOUT_MS' | 'YAHOO_MAX_ATTEMPTS' | 'YAHOO_CONCURRENCY'>;

/** The Yahoo provider as the config describes it. */
export function yahooProviderFromConfig(config: YahooConfig, logger: Logger, onEvent?: MarketDataEventHook, overrides: YahooProviderOptions = {}): YahooProvider {
  return new YahooProvider({
    baseUrl: config.YAHOO_BASE_URL,
    timeoutMs: config.YAHOO_TIMEOUT_MS,
    maxConcurrency: config.YAHOO_CONCURRENCY,
    retry: { attempts: config.YAHOO_MAX_ATTEMPTS },
    logger: logger.child({ component: 'yahoo' }),
    onEvent,
    ...overrides,
  });
}

/** A provider, or how to make one given the event hook (so that a test's own provider still feeds metrics). */
export type ProviderSource = MarketDataProvider | ((onEvent: MarketDataEventHook) => MarketDataProvider);

export function resolveProvider(source: ProviderSource | undefined, bus: MarketDataEventBus, make: (onEvent: MarketDataEventHook) => MarketDataProvider): MarketDataProvider {
  if (source === undefined) return make(bus.emit);
  return typeof source === 'function' ? source(bus.emit) : source;
}

/** Feeds the /metrics counters from provider events. */
export function recordMarketDataEvent(metrics: Pick<Metrics, 'marketDataRequests' | 'marketDataRateLimited' | 'marketDataDuration'>, e: MarketDataEvent): void {
  metrics.marketDataRequests.inc({ provider: e.provider, op: e.op, outcome: e.outcome });
  if (e.status === 429) metrics.marketDataRateLimited.inc({ provider: e.provider, op: e.op });
  metrics.marketDataDuration.observe({ provider: e.provider, op: e.op }, e.ms / 1000);
}
