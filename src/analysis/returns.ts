// Returns and moves from an instrument's own bars (daily or intraday, see series.ts). Closed days are never
// filled in: a return always spans from one bar to the instrument's previous bar.
import { barTime, type Bar } from './series';

export interface BarReturn {
  /** the bar's t */
  t: string;
  /** null on the first bar and where a price is unusable */
  return: number | null;
}

export interface BarMove {
  t: string;
  /** close-to-close change of the unadjusted close; null on the first bar */
  move: number | null;
}

/** An instrument's return and the benchmark's over the same bar: what the market model is fitted on. */
export interface ReturnPair {
  return: number;
  benchmarkReturn: number;
}

export interface PairedReturn extends ReturnPair {
  t: string;
}

/** Throws unless the bars' t are strictly ascending: every offset computation depends on it. */
function assertAscending(bars: readonly Bar[]): void {
  for (let i = 1; i < bars.length; i++) {
    if (!(barTime(bars[i - 1]) < barTime(bars[i]))) {
      throw new RangeError(`bars must be sorted by time ascending without duplicates (at ${barTime(bars[i])})`);
    }
  }
}

function usablePrice(price: number | null | undefined): price is number {
  return typeof price === 'number' && Number.isFinite(price) && price > 0;
}

/** simple: P_k / P_{k-1} - 1; log: ln(P_k / P_{k-1}) (continuously compounded, additive over bars). */
export type ReturnKind = 'simple' | 'log';

function change(previous: number | null | undefined, current: number | null | undefined, kind: ReturnKind = 'simple'): number | null {
  if (!usablePrice(previous) || !usablePrice(current)) return null;
  const r = kind === 'log' ? Math.log(current / previous) : current / previous - 1;
  // prices far apart (1e308 after 1e-308) overflow: no return rather than an infinite one
  return Number.isFinite(r) ? r : null;
}

/**
 * Return (simple by default, or log) of each bar against the previous bar, aligned with `bars`
 * (index i is the return INTO bar i). Uses the adjusted close when both bars have one, so dividends
 * are not read as losses; otherwise the close of both (never one of each).
 */
export function barReturns(bars: readonly Bar[], kind: ReturnKind = 'simple'): BarReturn[] {
  assertAscending(bars);
  return bars.map((bar, i) => {
    if (i === 0) return { t: barTime(bar), return: null };
    const previous = bars[i - 1];
    const adjusted = usablePrice(previous.adjClose) && usablePrice(bar.adjClose);
    return {
      t: barTime(bar),
      return: adjusted ? change(previous.adjClose, bar.adjClose, kind) : change(previous.close, bar.close, kind),
    };
  });
}

/** Close-to-close change of the unadjusted close (what the news reports as "fell 17%"), aligned with `bars`. */
export function barMoves(bars: readonly Bar[]): BarMove[] {
  assertAscending(bars);
  return bars.map((bar, i) => ({ t: barTime(bar), move: i === 0 ? null : change(bars[i - 1].close, bar.close) }));
}

/** t -> return, for looking up a benchmark's return at the instrument's bar times (daily: its dates). */
export function returnsByTime(returns: readonly BarReturn[]): Map<string, number> {
  const byTime = new Map<string, number>();
  for (const r of returns) if (r.return !== null) byTime.set(r.t, r.return);
  return byTime;
}

/** Instrument and benchmark returns at the bar times where both have one. */
export function pairReturns(instrumentReturns: readonly BarReturn[], benchmarkReturns: readonly BarReturn[]): PairedReturn[] {
  const benchmarkByTime = returnsByTime(benchmarkReturns);
  const pairs: PairedReturn[] = [];
  for (const r of instrumentReturns) {
    const benchmarkReturn = benchmarkByTime.get(r.t);
    if (r.return !== null && benchmarkReturn !== undefined) pairs.push({ t: r.t, return: r.return, benchmarkReturn });
  }
  return pairs;
}
