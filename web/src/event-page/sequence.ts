// "Who moved first": the sessions that priced the news in the order their closes came after it, across every
// exchange of the instruments shown, each with its instruments' day-0 moves; a market that was shut when the
// others traded says until when ("Seoul: closed until 31 Jan; day 0 = Fri 31 Jan").
import type { EventImpact, ImpactSession, Instrument } from '../api';
import { direction, el, empty, instrumentLink, replaceChildren } from '../dom';
import { cityOfTimeZone, formatDate, formatInstant, formatPercent, utcOffsetMinutes } from '../format';
import { dayAt, sessionsInOrder } from '../impactView';
import { instrumentOf } from './state';

export interface SequenceProps {
  results: readonly EventImpact[];
  instruments: readonly Instrument[];
  /** the impact API's day-0 sessions in close order; without them, grouped by time zone as before */
  sessions?: readonly ImpactSession[];
}

interface Step {
  key: string;
  city: string;
  day0: string;
  closedFrom: string | null;
  title: string | null;
  results: EventImpact[];
}

const dayMonthFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
const weekdayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short' });
const atUtc = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`);
/** "31 Jan" and "Fri 31 Jan": the year is the event's, shown elsewhere on the page */
const dayMonth = (isoDate: string) => dayMonthFormat.format(atUtc(isoDate));
const weekdayDayMonth = (isoDate: string) => `${weekdayFormat.format(atUtc(isoDate))} ${dayMonth(isoDate)}`;

function stepsOf({ results, instruments, sessions }: SequenceProps): Step[] {
  if (sessions) {
    const bySymbol = new Map(results.map((r) => [r.symbol, r]));
    return sessions.map((s) => ({
      key: `${s.market}|${s.day0}`,
      city: cityOfTimeZone(s.timeZone),
      day0: s.day0,
      closedFrom: s.closedFrom,
      title: `${s.name}: day 0 closed ${formatInstant(s.close, s.timeZone)}`,
      results: s.symbols.map((symbol) => bySymbol.get(symbol)).filter((r): r is EventImpact => r !== undefined),
    }));
  }
  return sessionsInOrder(
    results,
    (symbol) => instrumentOf(instruments, symbol)?.timeZone ?? 'UTC',
    (timeZone, isoDate) => utcOffsetMinutes(timeZone, new Date(`${isoDate}T12:00:00Z`)),
  ).map((g) => ({
    key: `${g.timeZone}|${g.day0}`,
    city: cityOfTimeZone(g.timeZone),
    day0: g.day0,
    closedFrom: null,
    title: null,
    results: g.results,
  }));
}

export function renderSequence(target: HTMLElement, props: SequenceProps): void {
  const steps = stepsOf(props);
  if (steps.length === 0) {
    replaceChildren(target, empty('No instrument has a session after this event in the stored data yet.'));
    return;
  }
  const list = el('ol', 'sequence');
  for (const step of steps) {
    const moves = el('ul', 'sequence-moves');
    for (const r of [...step.results].sort((a, b) => (dayAt(a, 0)?.move ?? 0) - (dayAt(b, 0)?.move ?? 0))) {
      const move = dayAt(r, 0)?.move ?? null;
      moves.append(
        el('li', {}, instrumentLink(r.symbol), ' ', el('span', { className: `figure ${direction(move)}`, text: formatPercent(move) })),
      );
    }
    const when = step.closedFrom
      ? el(
          'span',
          'sequence-when',
          el('strong', { text: `${step.city}: closed until ${dayMonth(step.day0)}` }),
          `; day 0 = ${weekdayDayMonth(step.day0)}`,
        )
      : el('span', 'sequence-when', el('strong', { text: `${step.city} session` }), ` · day 0 = ${formatDate(step.day0, true)}`);
    list.append(
      el(
        'li',
        {
          className: step.closedFrom ? 'sequence-step sequence-closed' : 'sequence-step',
          dataset: { market: step.key },
          attrs: { title: step.title ?? undefined },
        },
        when,
        moves,
      ),
    );
  }
  replaceChildren(target, list);
}
