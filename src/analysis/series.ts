// The core's price series: bars ordered by `t` and counted by index, so an estimation window [-120, -11] or an
// event window [-1, 5] is a number of bars, whatever a bar's length. Daily bars carry the exchange-local session
// date (YYYY-MM-DD) as t, intraday bars their opening instant (ISO 8601 UTC); each form sorts in time order.

/** One bar of a price series. */
export interface SeriesBar {
  t: string;
  close: number;
  /** Dividend/split-adjusted close; null or absent where the source has none (indices, derived series). */
  adjClose?: number | null;
  /** shares (or contracts) traded; null, absent or 0 where the source has none (indices, FX) */
  volume?: number | null;
}

/** A daily bar as the bars store and the API give it: a series bar whose t is `date`, the exchange-local session date. */
export interface DailyBar extends Omit<SeriesBar, 't'> {
  date: string;
}

/** What the core's series functions read: series bars, or daily bars as they are stored (no copy needed). */
export type Bar = SeriesBar | DailyBar;

/** A bar's t: a daily bar's date, else its own t. */
export function barTime(bar: Bar): string {
  return 'date' in bar ? bar.date : bar.t;
}

export function barTimes(bars: readonly Bar[]): string[] {
  return bars.map(barTime);
}
