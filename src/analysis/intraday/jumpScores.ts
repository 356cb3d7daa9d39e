// For the shock detector (shocks.md §2, Lee & Mykland): a member's abnormal return on every slot of one session
// against its time-of-day scale, L_{d,s} = AR_{d,s} / σ_s, with the model and σ_s fitted on the `estimationDays`
// qualifying sessions strictly before it (intraday.md §3-§4, no event window). Slot 0, the opening return, included.
import { SessionSeriesCache, abnormalReturnAt, estimate } from './estimation';
import type { IntradayMemberInput, IntradayOptions } from './intradayTypes';
import { gridOn, unlessUnknownMarket } from './slotGrid';

export interface JumpScore {
  /** bar start (ISO UTC) of the slot */
  t: string;
  slot: number;
  /** null where the slot has no bar, no return or no paired benchmark return, or there is no model */
  ar: number | null;
  /** σ_s; null where D_s < minDays */
  sigma: number | null;
  /** L = AR / σ_s */
  l: number | null;
}

type JumpScoreOptions = Pick<IntradayOptions, 'interval' | 'estimationDays' | 'minDays' | 'model'>;

/**
 * One score per slot of the member's session on `sessionDate` (none when its market does not trade that day or is
 * unknown); ar, sigma and l are null throughout when the estimation falls short. `cache` lets a detector that scores
 * many members on one session read a shared benchmark once.
 */
export function sessionJumpScores(
  member: IntradayMemberInput,
  sessionDate: string,
  options: JumpScoreOptions,
  cache: SessionSeriesCache = new SessionSeriesCache(Number.POSITIVE_INFINITY),
): JumpScore[] {
  const market = member.market;
  const grid = market === null ? null : unlessUnknownMarket(() => gridOn(market, sessionDate, options.interval));
  if (grid === null) return [];
  const usesBenchmark = options.model !== 'constant_mean';
  const estimated =
    usesBenchmark && member.benchmark === null
      ? null
      : estimate({ series: member.series, benchmark: member.benchmark, usesBenchmark, cutoff: grid, options, cache });
  const est = estimated && 'estimation' in estimated ? estimated.estimation : null;
  const pair = {
    grid,
    instrument: cache.get(member.series, grid),
    benchmark: usesBenchmark && member.benchmark ? cache.get(member.benchmark, grid) : null,
  };
  return grid.slotIso.map((t, slot) => {
    if (est === null) return { t, slot, ar: null, sigma: null, l: null };
    const value = abnormalReturnAt(est.fit, pair, slot);
    const ar = Number.isNaN(value) ? null : value;
    const sigma = slot < est.sigma.length ? est.sigma[slot] : null;
    return { t, slot, ar, sigma, l: ar !== null && sigma !== null ? ar / sigma : null };
  });
}
