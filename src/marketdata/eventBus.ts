// The bus the provider's per-attempt events go out on (metrics, attempt counts of ingest runs).
import type { MarketDataEventHook, MarketDataOp } from './resilience';

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
