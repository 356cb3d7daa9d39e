// The Yahoo provider as the config describes it (one yahoo-finance2 instance, one cookie jar, one limiter).
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import type { MarketDataEventHook } from './resilience';
import { YahooProvider, type YahooProviderOptions } from './yahooProvider';

export type YahooConfig = Pick<Config, 'YAHOO_BASE_URL' | 'YAHOO_TIMEOUT_MS' | 'YAHOO_MAX_ATTEMPTS' | 'YAHOO_CONCURRENCY'>;

/** The Yahoo provider as the config describes it. */
export function yahooProviderFromConfig(
  config: YahooConfig,
  logger: Logger,
  onEvent?: MarketDataEventHook,
  overrides: YahooProviderOptions = {},
): YahooProvider {
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
