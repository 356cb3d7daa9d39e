// How fresh the data is, per exchange: from /api/status where the server has it (last bar, closed sessions
// without a final bar, a current fetch error per instrument), else from the latest stored bar dates. Pure: no DOM.
import type { InstrumentStatusJson } from '../../src/status/statusContract';
import type { Instrument } from './api';
import { daysBetween } from './format';

export interface InstrumentFreshness {
  symbol: string;
  lastBar: string | null;
  /** the server's verdict when it gives one */
  stale: boolean | null;
  /** the server's staleness in words ("3 closed sessions without a final bar") */
  staleness: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  lastSuccessAt: string | null;
}

export interface ExchangeFreshness {
  exchange: string;
  timeZone: string;
  symbols: string[];
  /** the oldest of the instruments' last bars: the exchange is as fresh as its stalest instrument */
  lastBar: string | null;
  /** calendar days from that bar to today in the exchange's time zone */
  ageDays: number | null;
  stale: boolean;
  staleness: string | null;
  errors: { symbol: string; message: string; at: string | null }[];
  source: 'status' | 'bars';
}

/** A daily bar older than this many calendar days is stale: covers a weekend plus a two-day holiday. */
const STALE_AFTER_DAYS = 4;

/** The per-instrument part of an /api/status answer; null when the answer has no instrument list. */
export function freshnessFromStatus(body: unknown): InstrumentFreshness[] | null {
  const list = (body as { instruments?: unknown } | null)?.instruments;
  if (!Array.isArray(list)) return null;
  return (list as InstrumentStatusJson[]).map((s) => {
    const missed = s.staleness?.sessionsMissed ?? null;
    // an old error followed by a successful fetch is history, not a reason to warn
    const error = s.lastError && s.lastError.current ? s.lastError : null;
    return {
      symbol: s.symbol,
      lastBar: s.lastBarDate,
      stale: missed === null ? null : missed > 0,
      staleness: missed === null ? null : `${missed} closed session${missed === 1 ? '' : 's'} without a final bar`,
      lastError: error ? `${error.error ?? 'failed'} (${error.job})` : null,
      lastErrorAt: error?.at ?? null,
      lastSuccessAt: s.lastSuccessfulFetch,
    };
  });
}

/** Freshness from the latest bar dates alone (when the server has no /api/status). */
export function freshnessFromLatestBars(latestBars: Record<string, string>): InstrumentFreshness[] {
  return Object.entries(latestBars).map(([symbol, lastBar]) => ({
    symbol,
    lastBar,
    stale: null,
    staleness: null,
    lastError: null,
    lastErrorAt: null,
    lastSuccessAt: null,
  }));
}

/** Today's date in a time zone. */
function todayIn(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** One badge per exchange: its stalest instrument decides; any fetch error is listed. */
export function freshnessByExchange(
  instruments: readonly Instrument[],
  freshness: readonly InstrumentFreshness[],
  now: Date,
  source: 'status' | 'bars',
): ExchangeFreshness[] {
  const bySymbol = new Map(freshness.map((f) => [f.symbol, f]));
  const groups = new Map<string, ExchangeFreshness>();
  // where the server gave a verdict (it knows holidays and sessions), it decides; else the age of the bar does
  const judgedByServer = new Set<string>();
  for (const instrument of instruments) {
    if (!instrument.tracked) continue;
    const f = bySymbol.get(instrument.symbol);
    let g = groups.get(instrument.exchange);
    if (!g) {
      g = {
        exchange: instrument.exchange,
        timeZone: instrument.timeZone,
        symbols: [],
        lastBar: null,
        ageDays: null,
        stale: false,
        staleness: null,
        errors: [],
        source,
      };
      groups.set(instrument.exchange, g);
    }
    g.symbols.push(instrument.symbol);
    const lastBar = f?.lastBar ?? null;
    if (lastBar === null) {
      g.stale = true;
      g.staleness ??= `${instrument.symbol} has no bars`;
    } else if (g.lastBar === null || lastBar < g.lastBar) {
      g.lastBar = lastBar;
    }
    if (f && f.stale !== null) judgedByServer.add(instrument.exchange);
    if (f?.stale) {
      g.stale = true;
      if (f.staleness) g.staleness = `${instrument.symbol}: ${f.staleness}`;
    }
    if (f?.lastError) g.errors.push({ symbol: instrument.symbol, message: f.lastError, at: f.lastErrorAt });
  }
  for (const g of groups.values()) {
    if (g.lastBar) {
      g.ageDays = daysBetween(g.lastBar, todayIn(g.timeZone, now));
      if (!judgedByServer.has(g.exchange) && g.ageDays > STALE_AFTER_DAYS) g.stale = true;
    }
    if (g.errors.length > 0) g.stale = true;
  }
  return [...groups.values()];
}

export interface ExchangeOutage {
  /** when live updates stopped: the last successful fetch of any of its instruments, else its earliest failure on record */
  since: string | null;
  /** the last bar of the stored data (the exchange's stalest instrument, as its badge says) */
  through: string | null;
  errors: ExchangeFreshness['errors'];
}

/**
 * Fetching fails for every tracked instrument of the exchange: one outage to say once, not an error per symbol.
 * null when any of them still fetches (partial failure keeps its per-symbol notes) or none fails.
 */
export function exchangeOutage(g: ExchangeFreshness, freshness: readonly InstrumentFreshness[]): ExchangeOutage | null {
  const failing = new Set(g.errors.map((e) => e.symbol));
  if (g.symbols.length === 0 || !g.symbols.every((s) => failing.has(s))) return null;
  const mine = freshness.filter((f) => g.symbols.includes(f.symbol));
  const latest = (xs: (string | null)[]) =>
    xs.filter((x): x is string => x !== null).sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? null;
  const earliest = (xs: (string | null)[]) =>
    xs.filter((x): x is string => x !== null).sort((a, b) => Date.parse(a) - Date.parse(b))[0] ?? null;
  return {
    since: latest(mine.map((f) => f.lastSuccessAt)) ?? earliest(g.errors.map((e) => e.at)),
    through: g.lastBar,
    errors: g.errors,
  };
}
