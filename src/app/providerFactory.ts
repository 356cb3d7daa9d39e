// Which market-data provider this app uses (Yahoo as the config says, or a test's own), and its events wired
// to the metrics.
import type { Metrics } from '../metrics/metrics';
import type { MarketDataEventBus } from '../marketdata/eventBus';
import type { MarketDataProvider } from '../marketdata/provider';
import type { MarketDataEvent, MarketDataEventHook } from '../marketdata/resilience';

/** A provider, or how to make one given the event hook (so that a test's own provider still feeds metrics). */
export type ProviderSource = MarketDataProvider | ((onEvent: MarketDataEventHook) => MarketDataProvider);

export function resolveProvider(
  source: ProviderSource | undefined,
  bus: MarketDataEventBus,
  make: (onEvent: MarketDataEventHook) => MarketDataProvider,
): MarketDataProvider {
  if (source === undefined) return make(bus.emit);
  return typeof source === 'function' ? source(bus.emit) : source;
}

/** Feeds the /metrics counters from provider events. */
export function recordMarketDataEvent(
  metrics: Pick<Metrics, 'marketDataRequests' | 'marketDataRateLimited' | 'marketDataDuration'>,
  e: MarketDataEvent,
): void {
  metrics.marketDataRequests.inc({ provider: e.provider, op: e.op, outcome: e.outcome });
  if (e.status === 429) metrics.marketDataRateLimited.inc({ provider: e.provider, op: e.op });
  metrics.marketDataDuration.observe({ provider: e.provider, op: e.op }, e.ms / 1000);
}
