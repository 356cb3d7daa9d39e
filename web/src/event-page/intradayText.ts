// The intraday view's sentences: the group's tests at the latest offset in words and numbers, and each member's
// status in words. Pure, so the browser tests can build the same sentences from the API's answer.
import type { IntradayAggregatePoint, IntradayMemberResult } from '../api';
import { formatEventMinutes } from '../charts/intraday';
import { formatP, formatPercent, formatT } from '../format';

type Outcome = IntradayAggregatePoint['csectT'];

/** The latest offset from the event bar on that the group has a CAAR0 (the tests are formed there), or null. */
export function latestTests(aggregate: readonly IntradayAggregatePoint[]): IntradayAggregatePoint | null {
  for (let i = aggregate.length - 1; i >= 0; i--) if (aggregate[i].caar0 !== null) return aggregate[i];
  return null;
}

function outcomeText(name: string, outcome: Outcome): string {
  if (!outcome) return `${name}: not formed`;
  if ('reason' in outcome) return `${name}: not formed (${outcome.reason})`;
  return `${name} = ${formatT(outcome.stat)} (p ${formatP(outcome.p).startsWith('<') ? formatP(outcome.p) : `= ${formatP(outcome.p)}`})`;
}

function significant(outcome: Outcome, level = 0.05): boolean {
  return !!outcome && !('reason' in outcome) && outcome.p < level;
}

/** "At +55 min (bar 11) the group's CAAR from the event bar is -3.21% over 4 members: cross-sectional t = ... ". */
export function testSentence(point: IntradayAggregatePoint | null, minutes: number, drawn: number): string {
  if (!point || point.caar0 === null) {
    return drawn === 0
      ? 'No group path yet: no member has bars in its event window.'
      : 'No group test yet: no member has reached its event bar.';
  }
  const outcomes: [string, Outcome][] = [
    ['cross-sectional t', point.csectT],
    ['Stouffer Z', point.stoufferZ],
    ['BMP t', point.bmpT],
  ];
  const passing = outcomes.filter(([, o]) => significant(o)).map(([n]) => n);
  const verdict =
    passing.length === 0
      ? 'not significant at 5% by any of the three'
      : passing.length === 3
        ? 'significant at 5% by all three'
        : `significant at 5% by ${passing.join(' and ')} only`;
  const zNote = point.nZ !== point.n ? ` (the Z tests on ${point.nZ} members with a Z)` : '';
  return (
    `At ${formatEventMinutes(point.k * minutes)} (bar ${point.k}) the group’s CAAR from the event bar is ${formatPercent(point.caar0)} ` +
    `over ${point.n} member${point.n === 1 ? '' : 's'}: ${outcomes.map(([n, o]) => outcomeText(n, o)).join('; ')}${zNote}. ` +
    `The move is ${point.caar0 < 0 ? 'down' : 'up'}, ${verdict}.`
  );
}

const STATUS_WORDS: Record<IntradayMemberResult['status'], string> = {
  ok: 'measured',
  no_event_time: 'no event time',
  no_intraday_bars: 'no intraday bars in the window',
  insufficient_estimation: 'too few estimation sessions',
  no_benchmark: 'no benchmark',
  unknown_market: 'unknown market',
  event_session_pending: 'event session not open yet',
};

/** A member's status in words, with the reason the study gives. */
export function memberStatusText(m: Pick<IntradayMemberResult, 'status' | 'reason' | 'eventSession'>): string {
  const words = STATUS_WORDS[m.status] ?? m.status;
  const session = m.status === 'ok' && m.eventSession ? ` (session ${m.eventSession})` : '';
  return m.reason ? `${words}: ${m.reason}${session}` : `${words}${session}`;
}
