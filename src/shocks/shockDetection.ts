// The shock detector over stored bars (shared/methods/shocks.md): a group's members and benchmarks read in one
// query, the pure core (src/analysis/shocks) run over the requested sessions, and each flagged date recorded with
// its news. The live detector (./shockDetectorService) and `aftershock shocks scan` both record through here.
import type pg from 'pg';
import {
  dailyGroupShock,
  prepareDailyShockScan,
  rankShockNews,
  resolveShockOptions,
  scanDates,
  type DailyShock,
  barTime,
  toMajorUnit,
  type FxSeries,
  type ShockOptions,
} from '../analysis';
import { marketValues } from '../analysis/impactMoney';
import { getDailyBarColumns, type BarSeriesRange } from '../bars/dailyBarReads';
import { barsOfColumns } from '../compute/barColumns';
import type { Queryable } from '../db/transaction';
import { notFound } from '../errors/appError';
import { findGroup, groupBySlug, listGroups } from '../groups/groupStore';
import { getSharesAsOf, listInstruments } from '../instruments/instrumentStore';
import { fxSeriesFromYahoo, yahooFxSeriesOf } from '../marketdata/yahooFx';
import { marketForInstrument } from '../marketdata/yahooMarkets';
import { addCalendarDays, sessionCloseInstant, sessionOpenInstant, type MarketCode } from '../markets';
import { newsNamingAnyOf } from '../news/newsStore';
import { recordShock, type RecordOutcome, type ShockRecord } from './shockStore';

export interface ShockGroup {
  id: number;
  slug: string;
  title: string;
  symbols: string[];
}

/** Calendar days read before the first scanned date: the estimation window's 120 sessions with holidays to spare. */
const ESTIMATION_LOOKBACK_DAYS = 240;

export async function shockGroup(db: Queryable, slug: string): Promise<ShockGroup> {
  const [group, ref] = await Promise.all([findGroup(db, slug), groupBySlug(db, slug)]);
  if (!group || !ref) throw notFound(`Unknown group ${slug}`, [{ param: 'group', message: `no group ${slug}` }]);
  return { id: ref.id, slug, title: group.title, symbols: group.symbols };
}

/** Every group with at least minMembers members (the live detector's scope). */
export async function shockGroups(db: Queryable, options: ShockOptions): Promise<ShockGroup[]> {
  const groups = (await listGroups(db)).filter((g) => g.symbols.length >= options.minMembers);
  return Promise.all(groups.map((g) => shockGroup(db, g.slug)));
}

/**
 * The group's members as the core takes them, with the daily bars (provisional ones too) from `from` - lookback to
 * `to`, and the FX series of their currencies (for the USD value change).
 */
async function dailyShockInputs(pool: pg.Pool, group: ShockGroup, from: string, to: string) {
  const instruments = new Map((await listInstruments(pool)).map((i) => [i.symbol, i]));
  const members = group.symbols.flatMap((symbol) => {
    const instrument = instruments.get(symbol);
    if (!instrument) return [];
    const market = marketForInstrument(instrument);
    const fx = yahooFxSeriesOf(instrument.currency);
    return market === null ? [] : [{ symbol, market, benchmark: instrument.benchmarkSymbol, currency: instrument.currency, fx }];
  });
  const first = addCalendarDays(from, -ESTIMATION_LOOKBACK_DAYS);
  const symbols = [
    ...new Set(members.flatMap((m) => [m.symbol, ...(m.benchmark === null ? [] : [m.benchmark]), ...(m.fx === null ? [] : [m.fx.symbol])])),
  ];
  const ranges: BarSeriesRange[] = symbols.map((symbol) => ({ symbol, from: first, to }));
  const columns = await getDailyBarColumns(pool, ranges);
  const bars = new Map([...columns].map(([symbol, c]) => [symbol, barsOfColumns(c)]));
  const fx: Record<string, FxSeries> = {};
  for (const m of members) {
    if (m.fx === null) continue;
    fx[toMajorUnit(1, m.currency).currency] = fxSeriesFromYahoo(
      m.fx,
      (bars.get(m.fx.symbol) ?? []).map(({ date, close }) => ({ date, close })),
    );
  }
  return {
    fx,
    currencies: new Map(members.map((m) => [m.symbol, m.currency])),
    members: members.map((m) => ({
      symbol: m.symbol,
      market: m.market,
      bars: bars.get(m.symbol) ?? [],
      benchmarkBars: m.benchmark === null ? null : (bars.get(m.benchmark) ?? []),
    })),
  };
}

type DailyInputs = Awaited<ReturnType<typeof dailyShockInputs>>;

/**
 * The members' market value change on D in USD, as the impact page computes it (close-to-close change x the shares
 * outstanding known as of D, converted at the FX close of D): the sum of the known amounts; null when none is known.
 */
async function valueChangeUsd(pool: pg.Pool, inputs: DailyInputs, shock: DailyShock): Promise<number | null> {
  const symbols = shock.members.map((m) => m.symbol);
  const shares = await getSharesAsOf(pool, symbols, shock.date);
  let sum: number | null = null;
  for (const member of inputs.members) {
    const count = shares.get(member.symbol)?.shares ?? null;
    if (!symbols.includes(member.symbol) || count === null) continue;
    const index = member.bars.findIndex((b) => barTime(b) === shock.date);
    const values = marketValues({
      symbol: member.symbol,
      dailyBars: member.bars,
      sharesOutstanding: count,
      currency: inputs.currencies.get(member.symbol) ?? 'USD',
      fx: inputs.fx,
    });
    const usd = index < 1 ? null : values.at(index).usd;
    if (usd !== null) sum = (sum ?? 0) + usd;
  }
  return sum;
}

/** Earliest open and latest close among the taking-part members' sessions on the date. */
function sessionSpan(shock: DailyShock): { start: Date; end: Date } {
  const opens = shock.members.map((m) => sessionOpenInstant(m.market as MarketCode, shock.date).getTime());
  const closes = shock.members.map((m) => sessionCloseInstant(m.market as MarketCode, shock.date).getTime());
  return { start: new Date(Math.min(...opens)), end: new Date(Math.max(...closes)) };
}

/** The first open per exchange on the date, earliest first. */
function opensByExchange(shock: DailyShock): { market: string; t: string }[] {
  const markets = [...new Set(shock.members.map((m) => m.market))];
  return markets
    .map((market) => ({ market, t: sessionOpenInstant(market as MarketCode, shock.date).toISOString() }))
    .sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
}

/** The top news of a shock: items naming members (or no symbol: general news) in [start - 48 h, end]. */
export async function shockNewsIds(
  db: Queryable,
  members: readonly string[],
  window: { start: Date; end: Date },
  options: ShockOptions,
): Promise<number[]> {
  const from = new Date(window.start.getTime() - options.newsLookbackHours * 3_600_000);
  const items = await newsNamingAnyOf(db, members, from, window.end);
  return rankShockNews(items, members, window, options).map((r) => r.item.id);
}

function dailyRecord(group: ShockGroup, shock: DailyShock, window: { start: Date; end: Date }, newsIds: number[]): ShockRecord {
  return {
    groupId: group.id,
    kind: 'daily',
    key: shock.date,
    sessionDate: shock.date,
    startAt: window.start,
    endAt: window.end,
    z: shock.z,
    p: shock.p,
    n: shock.n,
    breadthCount: shock.breadth.count,
    breadthShare: shock.breadth.share,
    direction: shock.direction,
    aar: shock.aar,
    valueChangeUsd: null,
    detail: {
      patellZ: shock.patellZ,
      rbar: shock.rbar,
      bmpT: shock.bmpT,
      kpT: shock.kpT,
      criticalValue: null,
      members: shock.members.map((m) => ({ symbol: m.symbol, market: m.market, ar: m.ar, sar: m.sar })),
      firstBarByExchange: opensByExchange(shock),
    },
    newsIds,
  };
}

export interface DetectedShock {
  shock: DailyShock;
  id: number | null;
  outcome: RecordOutcome;
}

/**
 * Runs the daily detector on the group's sessions in [from, to] and records every flagged date (idempotent:
 * recording the same numbers again changes nothing). Returns the flagged dates, ascending.
 */
export async function detectDailyShocks(
  pool: pg.Pool,
  group: ShockGroup,
  from: string,
  to: string,
  overrides: Partial<ShockOptions> = {},
): Promise<DetectedShock[]> {
  const options = resolveShockOptions(overrides);
  const inputs = await dailyShockInputs(pool, group, from, to);
  if (inputs.members.length < options.minMembers) return [];
  const scan = prepareDailyShockScan(inputs.members, options);
  const flagged = scanDates(scan, from, to).flatMap((date) => {
    const shock = dailyGroupShock(scan, date);
    return shock?.flagged ? [shock] : [];
  });
  const detected: DetectedShock[] = [];
  for (const shock of flagged) {
    const window = sessionSpan(shock);
    const newsIds = await shockNewsIds(
      pool,
      shock.members.map((m) => m.symbol),
      window,
      options,
    );
    const record = dailyRecord(group, shock, window, newsIds);
    record.valueChangeUsd = await valueChangeUsd(pool, inputs, shock);
    const { id, outcome } = await recordShock(pool, record);
    detected.push({ shock, id, outcome });
  }
  return detected;
}
