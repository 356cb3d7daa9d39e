// The intraday shock detector over stored 5-minute bars (shared/methods/shocks.md sections 2-3): each member's
// Lee-Mykland L on every slot of a session (icore's sessionJumpScores: model and sigma_s from the 20 qualifying
// sessions before it), the co-jump count per bar across the group, episodes of flagged bars at most 30 minutes
// apart, each recorded once per (group, episode start) with its news.
import type pg from 'pg';
import {
  DEFAULT_INTRADAY_OPTIONS,
  coJumpBars,
  leeMyklandCriticalValue,
  resolveShockOptions,
  sessionJumpScores,
  shockEpisodes,
  summarizeEpisode,
  type IntradayMemberInput,
  type IntradaySeries,
  type MemberJumpScores,
  type ShockEpisode,
  type ShockOptions,
} from '../analysis';
import { getDailyBarColumns } from '../bars/dailyBarReads';
import { intradayBars } from '../bars/intradayBarReads';
import { barsOfColumns } from '../compute/barColumns';
import { listInstruments } from '../instruments/instrumentStore';
import { marketForInstrument } from '../marketdata/yahooMarkets';
import { addCalendarDays, localDate, marketBasics, type MarketCode } from '../markets';
import { shockNewsIds, type ShockGroup } from './shockDetection';
import { recordShock, type RecordOutcome } from './shockStore';

const INTERVAL = '5m';
const INTERVAL_MINUTES = 5;
/** Calendar days of bars read before the first session: 20 qualifying sessions with holidays to spare. */
const LOOKBACK_DAYS = 45;
const JUMP_OPTIONS = { ...DEFAULT_INTRADAY_OPTIONS, interval: INTERVAL } as const;

async function seriesOf(pool: pg.Pool, symbol: string, from: string, to: string): Promise<IntradaySeries> {
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${addCalendarDays(to, 2)}T00:00:00Z`);
  const [bars, daily] = await Promise.all([
    intradayBars(pool, symbol, INTERVAL, start, end),
    getDailyBarColumns(pool, [{ symbol, from, to: addCalendarDays(to, 1) }]),
  ]);
  const closes = daily.get(symbol);
  return {
    symbol,
    bars: bars.map((b) => ({ t: b.ts.toISOString(), close: b.close, volume: b.volume })),
    dailyCloses: closes ? barsOfColumns(closes).map((b) => ({ date: b.date, close: b.close })) : [],
  };
}

/** The group's members with their 5-minute bars and daily closes from `from` - lookback to `to` (local dates). */
async function intradayInputs(pool: pg.Pool, group: ShockGroup, from: string, to: string) {
  const instruments = new Map((await listInstruments(pool)).map((i) => [i.symbol, i]));
  const first = addCalendarDays(from, -LOOKBACK_DAYS);
  const members = group.symbols.flatMap((symbol) => {
    const instrument = instruments.get(symbol);
    const market = instrument ? marketForInstrument(instrument) : null;
    return !instrument || market === null ? [] : [{ symbol, market, benchmark: instrument.benchmarkSymbol }];
  });
  // every symbol (a shared benchmark once) read at once; the pool bounds the connections
  const symbols = [...new Set(members.flatMap((m) => (m.benchmark === null ? [m.symbol] : [m.symbol, m.benchmark])))];
  const series = new Map((await Promise.all(symbols.map((s) => seriesOf(pool, s, first, to)))).map((s) => [s.symbol, s]));
  return members.map(({ symbol, market, benchmark }): { symbol: string; market: MarketCode; input: IntradayMemberInput } => ({
    symbol,
    market,
    input: { series: series.get(symbol)!, market, benchmark: benchmark === null ? null : series.get(benchmark)! },
  }));
}

export interface DetectedEpisode {
  episode: ShockEpisode;
  sessionDate: string;
  id: number | null;
  outcome: RecordOutcome;
}

/**
 * Runs the co-jump detector on every session of the group's members with a local date in [from, to] and records
 * each episode (idempotent). Returns the episodes, in time order.
 */
export async function detectIntradayShocks(
  pool: pg.Pool,
  group: ShockGroup,
  from: string,
  to: string,
  overrides: Partial<ShockOptions> = {},
): Promise<DetectedEpisode[]> {
  const options = resolveShockOptions(overrides);
  const members = await intradayInputs(pool, group, from, to);
  if (members.length < options.minMembers) return [];
  const detected: DetectedEpisode[] = [];
  for (let date = from; date <= to; date = addCalendarDays(date, 1)) {
    const scored: MemberJumpScores[] = members.flatMap(({ symbol, market, input }) => {
      const scores = sessionJumpScores(input, date, JUMP_OPTIONS);
      return scores.length < 2 ? [] : [{ symbol, market, slots: scores.length, scores }];
    });
    if (scored.length < options.minMembers) continue;
    for (const episode of shockEpisodes(coJumpBars(scored, options), INTERVAL_MINUTES, options)) {
      const summary = summarizeEpisode(episode);
      const start = new Date(episode.start);
      const end = new Date(episode.end);
      const firstMarket = (summary.firstBarByExchange[0]?.market ?? scored[0].market) as MarketCode;
      const sessionDate = localDate(start, marketBasics(firstMarket).timeZone);
      const newsIds = await shockNewsIds(
        pool,
        summary.members.map((m) => m.symbol),
        { start, end },
        options,
      );
      const slots = scored.find((m) => m.market === firstMarket)?.slots ?? scored[0].slots;
      const { id, outcome } = await recordShock(pool, {
        groupId: group.id,
        kind: 'intraday',
        key: episode.start,
        sessionDate,
        startAt: start,
        endAt: end,
        z: summary.meanL,
        p: null,
        n: summary.n,
        breadthCount: summary.count,
        breadthShare: summary.share,
        direction: summary.direction,
        aar: summary.aar,
        valueChangeUsd: null,
        detail: {
          patellZ: null,
          rbar: null,
          bmpT: null,
          kpT: null,
          criticalValue: leeMyklandCriticalValue(slots, options.jumpAlpha),
          members: summary.members.map((m) => ({
            symbol: m.symbol,
            market: m.market,
            ar: m.ar,
            sar: m.l,
            jumped: m.jumped,
            firstBar: m.firstBar,
          })),
          firstBarByExchange: summary.firstBarByExchange,
        },
        newsIds,
      });
      detected.push({ episode, sessionDate, id, outcome });
    }
  }
  return detected;
}
