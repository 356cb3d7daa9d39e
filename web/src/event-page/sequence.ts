// "Who moved first": the sessions that priced the news in the order they closed, each with its instruments' day-0 moves.
import type { EventImpact, Instrument } from '../api';
import { direction, el, empty, replaceChildren } from '../dom';
import { cityOfTimeZone, formatDate, formatPercent, utcOffsetMinutes } from '../format';
import { dayAt, sessionsInOrder } from '../impactView';
import { instrumentOf } from './state';

export interface SequenceProps {
  results: readonly EventImpact[];
  instruments: readonly Instrument[];
}

export function renderSequence(target: HTMLElement, { results, instruments }: SequenceProps): void {
  const groups = sessionsInOrder(
    results,
    (symbol) => instrumentOf(instruments, symbol)?.timeZone ?? 'UTC',
    (timeZone, isoDate) => utcOffsetMinutes(timeZone, new Date(`${isoDate}T12:00:00Z`)),
  );
  if (groups.length === 0) {
    replaceChildren(target, empty('No instrument has a session after this event in the stored data yet.'));
    return;
  }
  const list = el('ol', 'sequence');
  for (const g of groups) {
    const moves = el('ul', 'sequence-moves');
    for (const r of [...g.results].sort((a, b) => (dayAt(a, 0)?.move ?? 0) - (dayAt(b, 0)?.move ?? 0))) {
      const move = dayAt(r, 0)?.move ?? null;
      moves.append(
        el('li', {}, el('a', { text: r.symbol, attrs: { href: `/instruments/${encodeURIComponent(r.symbol)}` } }), ' ', el('span', { className: `figure ${direction(move)}`, text: formatPercent(move) })),
      );
    }
    list.append(
      el(
        'li',
        'sequence-step',
        el('span', 'sequence-when', el('strong', { text: `${cityOfTimeZone(g.timeZone)} session` }), ` · day 0 = ${formatDate(g.day0, true)}`),
        moves,
      ),
    );
  }
  replaceChildren(target, list);
}
