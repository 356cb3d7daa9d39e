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
  /** why each of `missing` is left out, in the same order */
  missingReasons: { symbol: string; reason: string }[];
}

/** Why a result has no USD market value change at an offset. */
function whyMissing(result: EventImpact, day: EventImpact['days'][number] | undefined): string {
  if (result.day0 === null) return `no day 0: ${result.statusReason}`;
  if (!day) return 'no bar at this offset';
  if (result.marketValueNote) return result.marketValueNote;
  return day.marketValueChange === null ? 'no market value change on this day' : 'no USD conversion for this date';
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
    const missingReasons: { symbol: string; reason: string }[] = [];
    for (const result of results) {
      const day = result.days.find((d) => d.offset === offset);
      const value = day?.marketValueChangeUsd ?? null;
      if (value === null) {
        missing.push(result.symbol);
        missingReasons.push({ symbol: result.symbol, reason: whyMissing(result, day) });
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
      missingReasons,
    };
  });
}
