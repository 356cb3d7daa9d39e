// A detected shock in words for the Shocks pages and the home page: how strong ("9 of 12 members, average abnormal
// return -6.8%, p < 0.001"), when (in UTC and in each exchange's own time), who moved first, its status. Pure: the
// browser test words the API's shocks with it to compare with the page.
import type { Shock, ShockStatus } from '../../src/shocks/shockContract';
import { formatDate, formatInstant, formatP, formatT, MISSING, marketName } from './format';

export type { Shock, ShockMember } from '../../src/shocks/shockContract';
/** A news item attached to a shock. */
export type ShockNews = Shock['news'][number];

/** Where a market keeps its clock: exchange code -> IANA zone (from the instruments, whose exchange is the code). */
export type MarketZones = ReadonlyMap<string, string>;

/** A p-value as a reader says it: "p < 0.001", "p = 0.004". */
function pWords(p: number | null | undefined): string {
  const text = formatP(p);
  if (text === MISSING) return '';
  return text.startsWith('<') ? `p < ${text.slice(1)}` : `p = ${text}`;
}

/** A fraction as a signed percentage with one decimal: -0.0681 -> "-6.8%". */
function percent1(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return MISSING;
  const text = Math.abs(fraction * 100).toFixed(1);
  if (Number(text) === 0) return '0.0%';
  return `${fraction < 0 ? '-' : '+'}${text}%`;
}

/** "9 of 12 members, average abnormal return -6.8%, p < 0.001" (an intraday shock has no p: "… jumped, …"). */
export function strengthWords(shock: Shock): string {
  const { breadth, statistic, size } = shock;
  const who = `${breadth.count} of ${statistic.n} members${shock.kind === 'intraday' ? ' jumped' : ''}`;
  return [who, `average abnormal return ${percent1(size.aar)}`, pWords(statistic.p)].filter(Boolean).join(', ');
}

/** The statistic with its name: "z = -9.12" (daily: KP-adjusted Patell Z), "mean L = -6.10 (critical 4.07)" (intraday). */
export function statisticWords(shock: Shock): string {
  const s = shock.statistic;
  if (shock.kind === 'daily') return `adjusted Patell z = ${formatT(s.z)}`;
  return `mean jump statistic L = ${formatT(s.z)}${s.criticalValue === null ? '' : ` (critical value ${formatT(s.criticalValue)})`}`;
}

export const directionWords = (shock: Shock): string => (shock.direction === 'down' ? 'fell together' : 'rose together');

export const kindWords = (shock: Shock): string => (shock.kind === 'daily' ? 'daily' : 'intraday (5-minute bars)');

function zoneOf(market: string, zones: MarketZones): string {
  return zones.get(market) ?? 'UTC';
}

/** "Tokyo (JPX) 27 Jan 2025, 09:00 GMT+9": a market and an instant in its own time. */
function marketTime(market: string, iso: string, zones: MarketZones): string {
  const zone = zoneOf(market, zones);
  return `${marketName(market, zone)} ${formatInstant(iso, zone)}`;
}

/** "27 Jan 2025, 14:30-14:45 UTC", or both instants in full when they fall on different UTC dates. */
function utcRange(start: string, end: string): string {
  const from = formatInstant(start, 'UTC');
  const to = formatInstant(end, 'UTC');
  const day = (text: string) => text.replace(/, \d\d:\d\d UTC$/, '');
  return day(from) === day(to) ? `${from.replace(/ UTC$/, '')}–${to.slice(-9)}` : `${from} to ${to}`;
}

/**
 * When: the headline (a daily shock's session date, an intraday one's first bar in UTC), the span in UTC, and an
 * intraday shock's first bar in the local time of each market taking part (a daily shock's local times are its
 * markets' session opens: firstMoverWords).
 */
export function whenWords(shock: Shock, zones: MarketZones): { headline: string; utc: string; local: string[] } {
  const utc = utcRange(shock.start, shock.end);
  if (shock.kind === 'daily') return { headline: `Session of ${formatDate(shock.sessionDate, true)}`, utc, local: [] };
  const markets = [...new Set([...shock.firstBarByExchange.map((f) => f.market), ...shock.members.map((m) => m.market)])];
  const local = markets.filter((m) => zoneOf(m, zones) !== 'UTC').map((m) => marketTime(m, shock.start, zones));
  return { headline: formatInstant(shock.start, 'UTC'), utc, local };
}

/** Who moved first: each exchange's first bar (intraday: its first flagged bar; daily: its session open), earliest first. */
export function firstMoverWords(shock: Shock, zones: MarketZones): string[] {
  return [...shock.firstBarByExchange]
    .sort((a, b) => Date.parse(a.t) - Date.parse(b.t))
    .map((f) => {
      const movers = shock.members.filter((m) => m.market === f.market && (shock.kind === 'daily' || m.jumped)).map((m) => m.symbol);
      return `${marketTime(f.market, f.t, zones)}${movers.length ? ` (${movers.join(', ')})` : ''}`;
    });
}

const STATUS_WORDS: Record<ShockStatus, string> = {
  candidate: 'Candidate',
  confirmed: 'Confirmed as an event',
  dismissed: 'Dismissed',
};

export const statusWords = (status: ShockStatus): string => STATUS_WORDS[status] ?? status;

/** Newest first: the latest start first, whatever order the API gave. */
export const newestFirst = (shocks: readonly Shock[]): Shock[] => [...shocks].sort((a, b) => Date.parse(b.start) - Date.parse(a.start));

/** The shock the home page shows: the newest one not dismissed (a dismissed one was a false alarm). */
export const latestShock = (shocks: readonly Shock[]): Shock | undefined => newestFirst(shocks.filter((s) => s.status !== 'dismissed'))[0];
