// What the event page and the home page derive from the impact API: the view's parameters as they stand in
// the URL, the chart series in event time, the 95% CAR band, headline figures. Pure: no DOM.
import type { BasketDay, EventImpact } from '../../src/analysis';

/** The view's parameters, as the page URL and the impact API both spell them. */
export interface ImpactViewParams {
  window?: [number, number];
  estimation?: [number, number];
  minObs?: number;
  benchmark?: string;
  /** market (the default) or a factor model */
  model?: 'ff3' | 'carhart' | 'ff5';
  symbols?: string[];
}

function parsePair(value: string | null): [number, number] | undefined {
  if (!value) return undefined;
  const m = /^\s*(-?\d+)\s*,\s*(-?\d+)\s*$/.exec(value);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The view from a page's query string; what cannot be read is left to the API's defaults. */
export function viewFromQuery(search: string): ImpactViewParams {
  const q = new URLSearchParams(search);
  const view: ImpactViewParams = {};
  const window = parsePair(q.get('window'));
  if (window) view.window = window;
  const estimation = parsePair(q.get('estimation'));
  if (estimation) view.estimation = estimation;
  const minObs = q.get('minObs');
  if (minObs && /^\d+$/.test(minObs)) view.minObs = Number(minObs);
  const benchmark = q.get('benchmark');
  if (benchmark) view.benchmark = benchmark;
  const model = q.get('model');
  if (model === 'ff3' || model === 'carhart' || model === 'ff5') view.model = model;
  const symbols = q.get('symbols');
  if (symbols) {
    const list = symbols
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (list.length > 0) view.symbols = list;
  }
  return view;
}

/** The query string of a view: the page URL and the impact API and CSV export take the same one. */
export function queryOfView(view: ImpactViewParams): URLSearchParams {
  const q = new URLSearchParams();
  if (view.symbols?.length) q.set('symbols', view.symbols.join(','));
  if (view.window) q.set('window', view.window.join(','));
  if (view.estimation) q.set('estimation', view.estimation.join(','));
  if (view.minObs !== undefined) q.set('minObs', String(view.minObs));
  if (view.benchmark) q.set('benchmark', view.benchmark);
  if (view.model) q.set('model', view.model);
  return q;
}

/** A window from the API's params, whether given as [a, b], {from, to} or "a,b". */
export function windowOf(value: unknown): [number, number] | undefined {
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return [value[0], value[1]];
  if (value && typeof value === 'object' && 'from' in value && 'to' in value) {
    const { from, to } = value as { from: unknown; to: unknown };
    if (typeof from === 'number' && typeof to === 'number') return [from, to];
  }
  if (typeof value === 'string') return parsePair(value);
  return undefined;
}

export interface EventTimePoint {
  x: number;
  y: number;
  date: string;
}

/** Rebased closes (100 at day -1) by trading-day offset from the instrument's own day 0. */
export function rebasedPath(result: EventImpact): EventTimePoint[] {
  return result.days.filter((d) => d.rebased !== null).map((d) => ({ x: d.offset, y: d.rebased as number, date: d.date }));
}

/** Abnormal returns by offset, in percent. */
export function abnormalReturnBars(result: EventImpact): EventTimePoint[] {
  return result.days
    .filter((d) => d.abnormalReturn !== null)
    .map((d) => ({ x: d.offset, y: (d.abnormalReturn as number) * 100, date: d.date }));
}

/** CAR from the start of the event window through each day, in percent. */
export function carLine(result: EventImpact): EventTimePoint[] {
  return result.days.filter((d) => d.car !== null).map((d) => ({ x: d.offset, y: (d.car as number) * 100, date: d.date }));
}

/**
 * The 95% band of a CAR under "no event effect": ±1.96·sigma·sqrt(L), L = days summed since the CAR's start
 * (the event window's first day). Only for a fitted market model (status ok): the market-adjusted fallback has
 * no residual sigma to speak of. Returns null when the model does not allow it.
 */
export function carBand(result: EventImpact, windowStart: number): { upper: EventTimePoint[]; lower: EventTimePoint[] } | null {
  const sigma = result.model.sigma;
  if (result.status !== 'ok' || sigma === null || !(sigma > 0)) return null;
  const days = result.days.filter((d) => d.offset >= windowStart);
  const half = (offset: number) => 1.96 * sigma * Math.sqrt(offset - windowStart + 1) * 100;
  return {
    upper: days.map((d) => ({ x: d.offset, y: half(d.offset), date: d.date })),
    lower: days.map((d) => ({ x: d.offset, y: -half(d.offset), date: d.date })),
  };
}

/** The first offset of the event window: from the API's params, else the earliest day returned. */
export function windowStartOf(params: Record<string, unknown>, results: readonly EventImpact[]): number {
  const fromParams = windowOf(params.window);
  if (fromParams) return fromParams[0];
  const offsets = results.flatMap((r) => r.days.map((d) => d.offset));
  return offsets.length ? Math.min(...offsets) : 0;
}

export function dayAt(result: EventImpact, offset: number) {
  return result.days.find((d) => d.offset === offset) ?? null;
}

/** The instrument that moved most (in absolute terms) on its day 0, with that move. */
export function largestDayZeroMove(results: readonly EventImpact[]): { symbol: string; move: number; day0: string | null } | null {
  let best: { symbol: string; move: number; day0: string | null } | null = null;
  for (const r of results) {
    const move = dayAt(r, 0)?.move ?? null;
    if (move === null) continue;
    if (!best || Math.abs(move) > Math.abs(best.move)) best = { symbol: r.symbol, move, day0: r.day0 };
  }
  return best;
}

export function basketAt(basket: readonly BasketDay[], offset: number): BasketDay | null {
  return basket.find((b) => b.offset === offset) ?? null;
}

export interface SessionGroup {
  day0: string;
  timeZone: string;
  /** minutes east of UTC on day 0: the more east, the earlier that session closes on the same date */
  utcOffset: number;
  results: EventImpact[];
}

/**
 * Who priced the news first: instruments grouped by day 0 and exchange time zone, in the order their
 * sessions happened (by date, then the zone furthest east first: Tokyo's 27 Jan closes before New York's opens).
 */
export function sessionsInOrder(
  results: readonly EventImpact[],
  timeZoneOf: (symbol: string) => string,
  offsetOf: (timeZone: string, isoDate: string) => number,
): SessionGroup[] {
  const groups = new Map<string, SessionGroup>();
  for (const r of results) {
    if (!r.day0) continue;
    const timeZone = timeZoneOf(r.symbol);
    const key = `${r.day0}|${timeZone}`;
    let group = groups.get(key);
    if (!group) {
      group = { day0: r.day0, timeZone, utcOffset: offsetOf(timeZone, r.day0), results: [] };
      groups.set(key, group);
    }
    group.results.push(r);
  }
  return [...groups.values()].sort((a, b) => (a.day0 === b.day0 ? b.utcOffset - a.utcOffset : a.day0 < b.day0 ? -1 : 1));
}

const FACTOR_MODEL_WORDS: Record<string, string> = {
  ff3: 'Fama-French 3 factors',
  carhart: 'Carhart 4 factors',
  ff5: 'Fama-French 5 factors',
};

/** The status of a result in a few words; the API's statusReason says the rest. */
export function statusLabel(result: EventImpact): string {
  switch (result.status) {
    case 'ok': {
      const { kind, factorRegion, factorVintage } = result.model as {
        kind?: string;
        factorRegion?: string | null;
        factorVintage?: string | null;
      };
      return kind ? `${FACTOR_MODEL_WORDS[kind] ?? kind}: ${factorRegion} factors, ${factorVintage}` : 'Market model';
    }
    case 'no_factors':
      return 'No factors for its region: no abnormal returns';
    case 'insufficient_estimation':
      return 'kind' in result.model && result.model.kind
        ? 'Too little history for the factor model: no abnormal returns'
        : 'Too little history: market-adjusted, no t-statistics';
    case 'no_benchmark':
      return 'No benchmark: no abnormal returns';
    case 'no_data':
      return 'No data';
    default:
      return String(result.status);
  }
}

/** Dates covered by the results (for a bars CSV of the same stretch). */
export function dateSpan(results: readonly EventImpact[]): { from: string; to: string } | null {
  const dates = results.flatMap((r) => r.days.map((d) => d.date)).sort();
  return dates.length ? { from: dates[0], to: dates[dates.length - 1] } : null;
}
