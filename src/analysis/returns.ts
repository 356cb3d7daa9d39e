// Daily returns and moves from an instrument's own bars. Closed days are never filled in:
// a return always spans from one bar to the instrument's previous bar.

/** The part of a daily bar the analysis needs. `date` is the exchange-local session date. */
export interface DailyBar {
  date: string;
  close: number;
  /** Dividend/split-adjusted close; null or absent where the source has none (indices, derived series). */
  adjClose?: number | null;
  /** shares (or contracts) traded; null, absent or 0 where the source has none (indices, FX) */
  volume?: number | null;
}

export interface DailyReturn {
  date: string;
  /** null on the first bar and where a price is unusable */
  return: number | null;
}

export interface DailyMove {
  date: string;
  /** close-to-close change of the unadjusted close; null on the first bar */
  move: number | null;
}

export interface PairedReturn {
  date: string;
  return: number;
  benchmarkReturn: number;
}

/** Throws unless dates are strictly ascending: every offset computation depends on it. */
function assertAscendingDates(series: readonly { date: string }[], label = 'series'): void {
  for (let i = 1; i < series.length; i++) {
    if (!(series[i - 1].date < series[i].date)) {
      throw new RangeError(`${label} must be sorted by date ascending without duplicates (at ${series[i].date})`);
    }
  }
}

function usablePrice(price: number | null | undefined): price is number {
  return typeof price === 'number' && Number.isFinite(price) && price > 0;
}

/** simple: P_k / P_{k-1} - 1; log: ln(P_k / P_{k-1}) (continuously compounded, additive over days). */
export type ReturnKind = 'simple' | 'log';

function change(previous: number | null | undefined, current: number | null | undefined, kind: ReturnKind = 'simple'): number | null {
  if (!usablePrice(previous) || !usablePrice(current)) return null;
  const r = kind === 'log' ? Math.log(current / previous) : current / previous - 1;
  // prices far apart (1e308 after 1e-308) overflow: no return rather than an infinite one
  return Number.isFinite(r) ? r : null;
}

/**
 * Return (simple by default, or log) of each bar against the previous bar, aligned with `dailyBars`
 * (index i is the return INTO bar i). Uses the adjusted close when both bars have one, so dividends
 * are not read as losses; otherwise the close of both (never one of each).
 */
export function dailyReturns(dailyBars: readonly DailyBar[], kind: ReturnKind = 'simple'): DailyReturn[] {
  assertAscendingDates(dailyBars, 'dailyBars');
  return dailyBars.map((bar, i) => {
    if (i === 0) return { date: bar.date, return: null };
    const previous = dailyBars[i - 1];
    const adjusted = usablePrice(previous.adjClose) && usablePrice(bar.adjClose);
    return {
      date: bar.date,
      return: adjusted ? change(previous.adjClose, bar.adjClose, kind) : change(previous.close, bar.close, kind),
    };
  });
}

/** Close-to-close change of the unadjusted close (what the news reports as "fell 17%"), aligned with `dailyBars`. */
export function dailyMoves(dailyBars: readonly DailyBar[]): DailyMove[] {
  assertAscendingDates(dailyBars, 'dailyBars');
  return dailyBars.map((bar, i) => ({ date: bar.date, move: i === 0 ? null : change(dailyBars[i - 1].close, bar.close) }));
}

/** date -> return, for looking up a benchmark's return on the instrument's dates. */
export function returnsByDate(returns: readonly DailyReturn[]): Map<string, number> {
  const byDate = new Map<string, number>();
  for (const r of returns) if (r.return !== null) byDate.set(r.date, r.return);
  return byDate;
}

/** Instrument and benchmark returns on the dates where both have one. */
export function pairReturns(instrumentReturns: readonly DailyReturn[], benchmarkReturns: readonly DailyReturn[]): PairedReturn[] {
  const benchmarkByDate = returnsByDate(benchmarkReturns);
  const pairs: PairedReturn[] = [];
  for (const r of instrumentReturns) {
    const benchmarkReturn = benchmarkByDate.get(r.date);
    if (r.return !== null && benchmarkReturn !== undefined) pairs.push({ date: r.date, return: r.return, benchmarkReturn });
  }
  return pairs;
}
