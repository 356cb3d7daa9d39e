// Intraday group shocks (shared/methods/shocks.md section 3): at each bar start t, the members with a tested bar
// (N_t) and those jumping in the same direction; a co-jump when at least max(3, ceil(0.3 N_t)) do. Flagged bars
// at most 30 minutes apart form one episode, whose earliest bar is the shock's instant.
import type { JumpScore } from '../intraday/jumpScores';
import { jumpSign, leeMyklandCriticalValue } from './jumps';
import type { ShockOptions } from './options';

export interface MemberJumpScores {
  symbol: string;
  market: string;
  /** S, the number of slots of the member's session (the n of the critical value) */
  slots: number;
  /** the session's slots as sessionJumpScores gives them */
  scores: readonly JumpScore[];
}

interface CoJumpMember {
  symbol: string;
  market: string;
  ar: number | null;
  l: number;
  jump: -1 | 0 | 1;
  critical: number;
}

export interface CoJumpBar {
  t: string;
  /** N_t: members with a tested bar starting at t */
  n: number;
  up: number;
  down: number;
  threshold: number;
  flagged: boolean;
  direction: 'up' | 'down';
  members: CoJumpMember[];
}

/** ceil(x), exact for products that are whole numbers but for floating point (0.3 * 10 is 3.0000000000000004). */
function exactCeil(x: number): number {
  const nearest = Math.round(x);
  return Math.abs(x - nearest) <= 1e-9 * Math.max(1, Math.abs(x)) ? nearest : Math.ceil(x);
}

/** max(coJumpMin, ceil(coJumpShare N_t)): members that must jump together at a bar with N_t tested members. */
export function coJumpThreshold(nT: number, options: Pick<ShockOptions, 'coJumpShare' | 'coJumpMin'>): number {
  return Math.max(options.coJumpMin, exactCeil(options.coJumpShare * nT));
}

/** Every bar start with at least one tested member, ascending, with its count and whether it is a co-jump. */
export function coJumpBars(members: readonly MemberJumpScores[], options: ShockOptions): CoJumpBar[] {
  const byT = new Map<string, CoJumpMember[]>();
  for (const member of members) {
    const critical = leeMyklandCriticalValue(member.slots, options.jumpAlpha);
    for (const score of member.scores) {
      if (score.l === null || !Number.isFinite(score.l)) continue;
      const at = byT.get(score.t) ?? [];
      at.push({ symbol: member.symbol, market: member.market, ar: score.ar, l: score.l, jump: jumpSign(score.l, critical), critical });
      byT.set(score.t, at);
    }
  }
  return [...byT.keys()].sort().map((t) => {
    const at = byT.get(t)!;
    const up = at.filter((m) => m.jump === 1).length;
    const down = at.filter((m) => m.jump === -1).length;
    const threshold = coJumpThreshold(at.length, options);
    return {
      t,
      n: at.length,
      up,
      down,
      threshold,
      flagged: Math.max(up, down) >= threshold,
      direction: down > up ? 'down' : 'up',
      members: at,
    };
  });
}

export interface ShockEpisode {
  /** the earliest flagged bar's start */
  start: string;
  /** the last flagged bar's end */
  end: string;
  bars: CoJumpBar[];
}

/** Flagged bars (ascending) whose starts are at most episodeGapMinutes apart, chained into episodes. */
export function shockEpisodes(
  bars: readonly CoJumpBar[],
  intervalMinutes: number,
  options: Pick<ShockOptions, 'episodeGapMinutes'>,
): ShockEpisode[] {
  const flagged = bars.filter((b) => b.flagged).sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  const episodes: ShockEpisode[] = [];
  const gap = options.episodeGapMinutes * 60_000;
  const barEnd = (b: CoJumpBar) => new Date(Date.parse(b.t) + intervalMinutes * 60_000).toISOString();
  for (const bar of flagged) {
    const last = episodes[episodes.length - 1];
    const previous = last?.bars[last.bars.length - 1];
    if (last && previous && Date.parse(bar.t) - Date.parse(previous.t) <= gap) {
      last.bars.push(bar);
      last.end = barEnd(bar);
    } else episodes.push({ start: new Date(Date.parse(bar.t)).toISOString(), end: barEnd(bar), bars: [bar] });
  }
  return episodes;
}

export interface EpisodeSummary {
  direction: 'up' | 'down';
  /** N_t of the first flagged bar */
  n: number;
  /** members jumping in the direction at the first flagged bar, and their mean L */
  count: number;
  share: number;
  meanL: number | null;
  /** mean AR of the first flagged bar's tested members */
  aar: number | null;
  members: { symbol: string; market: string; ar: number | null; l: number | null; jumped: boolean; firstBar: string | null }[];
  /** per exchange, the start of its first bar with a member jumping in the direction, earliest first */
  firstBarByExchange: { market: string; t: string }[];
}

/** What a shock record says of an episode: direction from its first bar, who jumped first, per exchange. */
export function summarizeEpisode(episode: ShockEpisode): EpisodeSummary {
  const first = episode.bars[0];
  const sign = first.direction === 'down' ? -1 : 1;
  const jumpers = first.members.filter((m) => m.jump === sign);
  const ars = first.members.flatMap((m) => (m.ar === null ? [] : [m.ar]));
  const bySymbol = new Map<string, EpisodeSummary['members'][number]>();
  const firstByMarket = new Map<string, string>();
  for (const m of first.members)
    bySymbol.set(m.symbol, { symbol: m.symbol, market: m.market, ar: m.ar, l: m.l, jumped: false, firstBar: null });
  for (const bar of episode.bars) {
    for (const m of bar.members) {
      const row = bySymbol.get(m.symbol) ?? { symbol: m.symbol, market: m.market, ar: m.ar, l: m.l, jumped: false, firstBar: null };
      if (m.jump === sign && !row.jumped) {
        Object.assign(row, { ar: m.ar, l: m.l, jumped: true, firstBar: bar.t });
        if (!firstByMarket.has(m.market)) firstByMarket.set(m.market, bar.t);
      }
      bySymbol.set(m.symbol, row);
    }
  }
  return {
    direction: first.direction,
    n: first.n,
    count: jumpers.length,
    share: jumpers.length / first.n,
    meanL: jumpers.length === 0 ? null : jumpers.reduce((s, m) => s + m.l, 0) / jumpers.length,
    aar: ars.length === 0 ? null : ars.reduce((s, a) => s + a, 0) / ars.length,
    members: [...bySymbol.values()],
    firstBarByExchange: [...firstByMarket].map(([market, t]) => ({ market, t })).sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0)),
  };
}
