// Daily bars as columns of typed arrays: what crosses from the main thread to a compute worker. A typed array's
// buffer is transferred, not copied, and costs nothing to serialise, where an array of bar objects is cloned
// field by field on both sides.
import type { DailyBar } from '../analysis';

export interface BarColumns {
  /** the trading date as days since 1970-01-01 */
  days: Int32Array;
  close: Float64Array;
  /** NaN where there is no adjusted close */
  adjClose: Float64Array;
  /** null when the series was read without volumes; NaN where a bar has none */
  volume: Float64Array | null;
}

const MS_PER_DAY = 86_400_000;

/** The buffers to transfer with a message carrying these columns. */
export function transferListOf(series: Iterable<BarColumns>): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const c of series) {
    buffers.push(c.days.buffer as ArrayBuffer, c.close.buffer as ArrayBuffer, c.adjClose.buffer as ArrayBuffer);
    if (c.volume) buffers.push(c.volume.buffer as ArrayBuffer);
  }
  return buffers;
}

/** ISO dates of day numbers, made once each per worker (a study's members share most of their dates). */
const isoDates = new Map<number, string>();
export function isoDateOf(day: number): string {
  let date = isoDates.get(day);
  if (date === undefined) {
    date = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (isoDates.size < 200_000) isoDates.set(day, date);
  }
  return date;
}

/** The bar objects the analysis core takes, back from columns. */
export function barsOfColumns(columns: BarColumns): DailyBar[] {
  const { days, close, adjClose, volume } = columns;
  const bars: DailyBar[] = new Array(days.length);
  for (let i = 0; i < days.length; i++) {
    const bar: DailyBar = { date: isoDateOf(days[i]), close: close[i], adjClose: Number.isNaN(adjClose[i]) ? null : adjClose[i] };
    if (volume) bar.volume = Number.isNaN(volume[i]) ? null : volume[i];
    bars[i] = bar;
  }
  return bars;
}
