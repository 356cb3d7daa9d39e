// "Who moved first": the day-0 sessions of the markets of the instruments studied, in the order their closes
// came after the event, each with the weekdays it was closed before it (Seoul shut for Seollal until 31 Jan).
import type { EventImpact, NewsEvent } from '../analysis';
import { addCalendarDays, localDate, marketBasics, sessionCloseInstant, sessionOn, type MarketCode } from '../markets';

export interface ImpactSession {
  /** market code of src/markets */
  market: string;
  name: string;
  timeZone: string;
  /** day 0 on this market (from the instruments' bars) */
  day0: string;
  /** the instant day 0's session closed */
  close: string;
  /** the first weekday after the event on which this market did not trade although a session would have priced the news; null when it traded */
  closedFrom: string | null;
  symbols: string[];
}

const isWeekday = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d !== 0 && d !== 6;
};

/** The first weekday whose regular session would have priced the event (holidays ignored), if it comes before day 0. */
function closedFrom(code: MarketCode, event: NewsEvent, day0: string): string | null {
  const start = event.dateOnly
    ? event.instant.toISOString().slice(0, 10)
    : addCalendarDays(localDate(event.instant, marketBasics(code).timeZone), -1);
  for (let d = start; d < day0; d = addCalendarDays(d, 1)) {
    if (!isWeekday(d)) continue;
    if (event.dateOnly || sessionOn(code, d).close.getTime() > event.instant.getTime()) return d;
  }
  return null;
}

export function impactSessions(
  results: readonly EventImpact[],
  marketOf: (symbol: string) => MarketCode | null,
  event: NewsEvent,
): ImpactSession[] {
  const byKey = new Map<string, ImpactSession>();
  for (const r of results) {
    const code = marketOf(r.symbol);
    if (code === null || r.day0 === null) continue;
    const key = `${code}|${r.day0}`;
    let s = byKey.get(key);
    if (!s) {
      const { name, timeZone } = marketBasics(code);
      s = {
        market: code,
        name,
        timeZone,
        day0: r.day0,
        close: sessionCloseInstant(code, r.day0).toISOString(),
        closedFrom: closedFrom(code, event, r.day0),
        symbols: [],
      };
      byKey.set(key, s);
    }
    s.symbols.push(r.symbol);
  }
  return [...byKey.values()].sort((a, b) => a.close.localeCompare(b.close) || a.market.localeCompare(b.market));
}
