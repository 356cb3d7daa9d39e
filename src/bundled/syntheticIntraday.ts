// The synthetic intraday universe (issue 22): a deterministic, pure generator of 5-minute bars on the real
// session grids of New York and Tokyo (lunch break skipped, holidays and early closes from src/markets) for a
// handful of SYNTHETIC instruments, with one planted event shock. The tests use it, and `npm start` loads it as
// the synthetic group and event so the dashboard's Intraday view has something to show offline. Every name says
// "synthetic" and every symbol starts with SYN- (indices ^SYN-): no synthetic bar is ever stored under a real
// symbol. Same options, same bars, on every machine (a seeded PRNG, no clock).
import type { InstrumentSpec } from '../instruments/defaults';
import { csvFileForSymbol } from '../marketdata/csvProvider';
import type { DailyBarInput, IntradayBarInput } from '../marketdata/types';
import { addCalendarDays, localDate, marketBasics, type MarketCode, type Session, sessionSlots, tradingSessionOn } from '../markets';

export interface SyntheticIntradayOptions {
  /** PRNG seed (default 22) */
  seed?: number;
  /** the event instant, UTC (default 2025-02-19T15:30:00Z: 10:30 in New York, after Tokyo's close) */
  eventAt?: Date;
  /** sessions of each market before the one the event hits (default 25, enough for 20 estimation sessions) */
  sessionsBefore?: number;
  /** sessions of each market from the one the event hits on (default 2) */
  sessionsAfter?: number;
  /** the planted abnormal return at the event bar, per member (default -0.04: a 4% drop) */
  shock?: number;
}

interface SyntheticInstrument extends InstrumentSpec {
  market: 'US' | 'TSE';
  /** the member's market-model parameters the bars are drawn from (benchmarks: alpha 0, beta 1) */
  alpha: number;
  beta: number;
  /** the abnormal return planted at its event bar (0 for the benchmarks) */
  shock: number;
}

export interface SyntheticUniverse {
  instruments: SyntheticInstrument[];
  /** symbol -> its 5-minute bars, ascending, each on the slot grid of its market's sessions */
  bars: Record<string, IntradayBarInput[]>;
  /** symbol -> daily bars made from its own 5-minute bars (open of the first, close of the last, high, low, volume) */
  daily: Record<string, DailyBarInput[]>;
  /** the synthetic event: the shock starts at the first bar of each market at or after `instant` */
  event: { slug: string; title: string; instant: Date; kind: string; description: string };
  /** symbol -> start of its event bar (where the shock is planted), ISO UTC */
  eventBars: Record<string, string>;
  group: { slug: string; title: string; description: string; symbols: string[] };
}

export const SYNTHETIC_GROUP_SLUG = 'synthetic-intraday';
export const SYNTHETIC_EVENT_SLUG = 'synthetic-intraday-shock';
export const SYNTHETIC_SOURCE = 'synthetic';
/** the synthetic New York index (the benchmark of SYN-US1..3) */
export const SYNTHETIC_US_INDEX = '^SYN-US';
/** every synthetic symbol starts with this (after an index's ^) */
export const SYNTHETIC_PREFIX = 'SYN-';

const INTERVAL_MS = 5 * 60_000;

/** mulberry32: a small seeded PRNG, uniform in [0, 1) */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** standard normal draws (Box-Muller) from a uniform PRNG */
function normals(uniform: () => number): () => number {
  return () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/** The 5-minute slot starts of a session (src/markets), for tests that build bars on the grid. */
export { sessionSlots };

/** `before` trading sessions of the market strictly before the one that ends after `at`, that one, and `after - 1` more. */
function sessionsAround(market: MarketCode, at: Date, before: number, after: number): { sessions: Session[]; eventIndex: number } {
  const zone = marketBasics(market).timeZone;
  let date = localDate(at, zone);
  // the first session that closes after the event (an event after the close belongs to the next one)
  for (;;) {
    const s = tradingSessionOn(market, date);
    if (s && s.close.getTime() > at.getTime()) break;
    date = addCalendarDays(date, 1);
  }
  const earlier: Session[] = [];
  for (let d = addCalendarDays(date, -1); earlier.length < before; d = addCalendarDays(d, -1)) {
    const s = tradingSessionOn(market, d);
    if (s) earlier.unshift(s);
  }
  const later: Session[] = [];
  for (let d = date; later.length < after; d = addCalendarDays(d, 1)) {
    const s = tradingSessionOn(market, d);
    if (s) later.push(s);
  }
  return { sessions: [...earlier, ...later], eventIndex: earlier.length };
}

/** time-of-day volatility: a U shape over the session (high at the open and into the close) */
function slotSigma(slot: number, slots: number, base: number): number {
  const x = slots <= 1 ? 0 : slot / (slots - 1);
  return base * (0.7 + 1.6 * (x - 0.5) ** 2 + (slot === 0 ? 1.5 : 0));
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));

interface Spec {
  symbol: string;
  name: string;
  market: 'US' | 'TSE';
  kind: 'equity' | 'index';
  start: number;
  alpha: number;
  beta: number;
  /** residual (or, for an index, total) 5-minute volatility */
  sigma: number;
}

const MARKETS: Record<'US' | 'TSE', { benchmark: string; currency: string; volume: number; decimals: number }> = {
  US: { benchmark: SYNTHETIC_US_INDEX, currency: 'USD', volume: 40_000, decimals: 4 },
  TSE: { benchmark: '^SYN-JP', currency: 'JPY', volume: 60_000, decimals: 1 },
};

const SPECS: readonly Spec[] = [
  {
    symbol: '^SYN-US',
    name: 'Synthetic US index (synthetic data)',
    market: 'US',
    kind: 'index',
    start: 5000,
    alpha: 0,
    beta: 1,
    sigma: 0.0009,
  },
  {
    symbol: '^SYN-JP',
    name: 'Synthetic Tokyo index (synthetic data)',
    market: 'TSE',
    kind: 'index',
    start: 38000,
    alpha: 0,
    beta: 1,
    sigma: 0.0008,
  },
  {
    symbol: 'SYN-US1',
    name: 'Synthetic US chip maker (synthetic data)',
    market: 'US',
    kind: 'equity',
    start: 130,
    alpha: 0,
    beta: 1.6,
    sigma: 0.0018,
  },
  {
    symbol: 'SYN-US2',
    name: 'Synthetic US power utility (synthetic data)',
    market: 'US',
    kind: 'equity',
    start: 85,
    alpha: 0,
    beta: 0.8,
    sigma: 0.0012,
  },
  {
    symbol: 'SYN-US3',
    name: 'Synthetic US cloud platform (synthetic data)',
    market: 'US',
    kind: 'equity',
    start: 210,
    alpha: 0,
    beta: 1.2,
    sigma: 0.0015,
  },
  {
    symbol: 'SYN-JP1',
    name: 'Synthetic Tokyo chip tester (synthetic data)',
    market: 'TSE',
    kind: 'equity',
    start: 9000,
    alpha: 0,
    beta: 1.4,
    sigma: 0.0016,
  },
  {
    symbol: 'SYN-JP2',
    name: 'Synthetic Tokyo cable maker (synthetic data)',
    market: 'TSE',
    kind: 'equity',
    start: 2400,
    alpha: 0,
    beta: 1.1,
    sigma: 0.0017,
  },
];

/**
 * The synthetic universe: two synthetic indices (^SYN-US on New York's sessions, ^SYN-JP on Tokyo's) and five
 * synthetic equities (SYN-US1..3, SYN-JP1..2), 5-minute bars drawn from a market model with a U-shaped
 * time-of-day volatility and an overnight gap, and the planted shock: each equity's first bar at or after the
 * event instant (New York's at the event, Tokyo's at its next open) gets `shock` on top of the model, half as
 * much again spread over the next 6 bars, and 4x its usual volume. The indices are not shocked, so the shock is
 * abnormal. Pure: the same options give the same bars.
 */
export function syntheticIntradayUniverse(options: SyntheticIntradayOptions = {}): SyntheticUniverse {
  const seed = options.seed ?? 22;
  const eventAt = options.eventAt ?? new Date('2025-02-19T15:30:00Z');
  const before = options.sessionsBefore ?? 25;
  const after = options.sessionsAfter ?? 2;
  const shock = options.shock ?? -0.04;
  if (!(eventAt instanceof Date) || Number.isNaN(eventAt.getTime())) throw new RangeError('eventAt is not a valid instant');
  if (!Number.isInteger(before) || before < 0 || !Number.isInteger(after) || after < 1)
    throw new RangeError('sessionsBefore must be >= 0 and sessionsAfter >= 1 (whole numbers)');

  const normal = normals(prng(seed));
  const grids = {
    US: sessionsAround('US', eventAt, before, after),
    TSE: sessionsAround('TSE', eventAt, before, after),
  };
  // the index returns first: each member reuses its market's index return of the same bar
  const indexReturns = new Map<string, number>();
  const instruments: SyntheticInstrument[] = [];
  const bars: Record<string, IntradayBarInput[]> = {};
  const daily: Record<string, DailyBarInput[]> = {};
  const eventBars: Record<string, string> = {};
  for (const spec of SPECS) {
    const facts = MARKETS[spec.market];
    const isIndex = spec.kind === 'index';
    const memberShock = isIndex ? 0 : shock;
    instruments.push({
      symbol: spec.symbol,
      name: spec.name,
      exchange: spec.market,
      currency: facts.currency,
      timeZone: marketBasics(spec.market).timeZone,
      kind: spec.kind,
      benchmarkSymbol: isIndex ? null : facts.benchmark,
      market: spec.market,
      alpha: spec.alpha,
      beta: spec.beta,
      shock: memberShock,
    });
    const series: IntradayBarInput[] = [];
    const days: DailyBarInput[] = [];
    let price = spec.start;
    let eventBarIndex = -1;
    const { sessions } = grids[spec.market];
    for (const session of sessions) {
      const slots = sessionSlots(session);
      const first = series.length;
      for (const [slot, t] of slots.entries()) {
        const key = `${spec.market}|${t.getTime()}`;
        // slot 0 carries the overnight gap: a wider draw
        const sigma = slotSigma(slot, slots.length, spec.sigma) * (slot === 0 ? 2 : 1);
        let ret: number;
        if (isIndex) {
          ret = sigma * normal();
          indexReturns.set(key, ret);
        } else {
          ret = spec.alpha + spec.beta * (indexReturns.get(key) ?? 0) + sigma * normal();
        }
        let volumeBoost = 1;
        if (!isIndex && t.getTime() + INTERVAL_MS > eventAt.getTime()) {
          if (eventBarIndex < 0) {
            eventBarIndex = series.length;
            eventBars[spec.symbol] = t.toISOString();
          }
          const k = series.length - eventBarIndex;
          if (k === 0) ret += memberShock;
          else if (k <= 6) ret += memberShock / 12;
          if (k <= 6) volumeBoost = k === 0 ? 4 : 2;
        }
        const open = price;
        const close = price * Math.exp(ret);
        const wiggle = Math.abs(sigma * normal()) * 0.5;
        const high = Math.max(open, close) * (1 + wiggle);
        const low = Math.min(open, close) * (1 - wiggle);
        const volume = Math.round(
          facts.volume * (isIndex ? 20 : 1) * (1.5 - slot / slots.length) * volumeBoost * (0.75 + 0.5 * Math.abs(normal())),
        );
        series.push({
          symbol: spec.symbol,
          interval: '5m',
          ts: t,
          open: round(open, facts.decimals),
          high: round(high, facts.decimals),
          low: round(low, facts.decimals),
          close: round(close, facts.decimals),
          volume,
        });
        price = close;
      }
      const own = series.slice(first);
      if (own.length > 0)
        days.push({
          symbol: spec.symbol,
          date: session.date,
          open: own[0].open,
          high: Math.max(...own.map((b) => b.high ?? b.close)),
          low: Math.min(...own.map((b) => b.low ?? b.close)),
          close: own[own.length - 1].close,
          adjClose: own[own.length - 1].close,
          volume: own.reduce((sum, b) => sum + (b.volume ?? 0), 0),
        });
    }
    bars[spec.symbol] = series;
    daily[spec.symbol] = days;
  }
  const members = instruments.filter((i) => i.kind === 'equity').map((i) => i.symbol);
  const when = eventAt.toISOString().replace('.000Z', 'Z');
  return {
    instruments,
    bars,
    daily,
    event: {
      slug: SYNTHETIC_EVENT_SLUG,
      title: 'Synthetic intraday shock (synthetic data, for the offline demo)',
      instant: eventAt,
      kind: 'synthetic',
      description: `A made-up event at ${when}: a ${(shock * 100).toFixed(1)}% abnormal move planted in the synthetic equities' 5-minute bars (New York at the event, Tokyo at its next open). Not market data.`,
    },
    eventBars,
    group: {
      slug: SYNTHETIC_GROUP_SLUG,
      title: 'Synthetic intraday universe (synthetic data)',
      description:
        'Made-up instruments on the real New York and Tokyo session grids, generated by src/bundled/syntheticIntraday.ts; not market data',
      symbols: members,
    },
  };
}

const quoted = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * The universe as an import folder (README "Your own data"): instruments.csv, events.csv, SYMBOL.csv daily bars and
 * intraday/SYMBOL_5m.csv; file path (relative) -> text. Pure: the caller writes the files.
 */
export function syntheticUniverseFiles(universe: SyntheticUniverse): Record<string, string> {
  const files: Record<string, string> = {};
  files['instruments.csv'] = [
    'symbol,name,exchange,currency,time_zone,kind,benchmark',
    ...universe.instruments.map((i) =>
      [i.symbol, i.name, i.exchange, i.currency, i.timeZone, i.kind, i.benchmarkSymbol ?? 'none'].map(quoted).join(','),
    ),
  ].join('\n');
  const e = universe.event;
  files['events.csv'] =
    `slug,title,instant,kind,description\n${[e.slug, e.title, e.instant.toISOString(), e.kind, e.description].map(quoted).join(',')}\n`;
  for (const i of universe.instruments) {
    const stem = csvFileForSymbol(i.symbol).slice(0, -4);
    files[`${stem}.csv`] = [
      'date,open,high,low,close,volume',
      ...universe.daily[i.symbol].map((d) => [d.date, d.open, d.high, d.low, d.close, d.volume].join(',')),
    ].join('\n');
    files[`intraday/${stem}_5m.csv`] = [
      'ts_utc,open,high,low,close,volume',
      ...universe.bars[i.symbol].map((b) => [b.ts.toISOString(), b.open, b.high, b.low, b.close, b.volume].join(',')),
    ].join('\n');
  }
  return files;
}
