// Combined market value change of several instruments hit by the same news, per event-day offset.
import type { EventImpact } from './eventStudy';

export interface BasketDay {
  offset: number;
  /** sum of the known USD market value changes at this offset; null when none is known */
  marketValueChangeUsd: number | null;
  /** instruments whose USD change is known at this offset */
  contributors: number;
  /** instruments in the basket */
  instruments: number;
  /** symbols left out at this offset (no bar, unknown shares or no FX rate) */
  missing: string[];
}

/**
 * Offsets rather than dates are the key: Tokyo's day 0 can be a different date from New York's,
 * and it is the n-th session after the news that is comparable.
 */
export function basketMarketValueChange(results: readonly EventImpact[]): BasketDay[] {
  const offsets = [...new Set(results.flatMap((r) => r.days.map((d) => d.offset)))].sort((a, b) => a - b);
  return offsets.map((offset) => {
    let total = 0;
    let contributors = 0;
    const missing: string[] = [];
    for (const result of results) {
      const value = result.days.find((d) => d.offset === offset)?.marketValueChangeUsd ?? null;
      if (value === null) {
        missing.push(result.symbol);
      } else {
        total += value;
        contributors++;
      }
    }
    return {
      offset,
      marketValueChangeUsd: contributors > 0 ? total : null,
      contributors,
      instruments: results.length,
      missing,
    };
  });
}
