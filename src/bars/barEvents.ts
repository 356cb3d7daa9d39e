// What the bar-events bus (./barEventsBus) hands its handlers, and how two events of a kind waiting for the same
// handler merge into one (a debounced handler sees one event for a burst of stores).
import type { BarsStored } from './dailyBarStore';

/** A span of session dates (daily bars) or bar instants (intraday, ISO); null: not known. */
type Sessions = BarsStored['sessions'];

/** Bars changed (new or updated rows), whoever stored them; or, with symbols null, "look at everything". */
export interface BarsStoredEvent {
  /** null: any symbol (a sweep, a reconnect, a payload that did not say) */
  symbols: string[] | null;
  /** '1d', '5m'...; null when unknown or several */
  interval: string | null;
  sessions: Sessions;
}

/** Move detection has finished (committed) for these instruments after bars were stored. */
export interface MovesDetectedEvent {
  /** the instruments whose moves were detected again (those named and the ones benchmarked against them) */
  symbols: string[];
  /** moves are daily, close to close */
  interval: '1d';
  /** the sessions of the stored bars that led to it; null: not known (a sweep) */
  sessions: Sessions;
  /** whether a stored move or link changed */
  changed: boolean;
}

export const EVERYTHING: BarsStoredEvent = { symbols: null, interval: null, sessions: null };

function mergeSessions(a: Sessions, b: Sessions): Sessions {
  if (!a || !b) return null;
  return { from: a.from < b.from ? a.from : b.from, to: a.to > b.to ? a.to : b.to };
}

const mergeSymbols = (a: string[], b: string[]): string[] => [...new Set([...a, ...b])];

export function mergeBarsStored(a: BarsStoredEvent, b: BarsStoredEvent): BarsStoredEvent {
  const sameInterval = a.interval === b.interval;
  return {
    symbols: a.symbols && b.symbols ? mergeSymbols(a.symbols, b.symbols) : null,
    interval: sameInterval ? a.interval : null,
    // dates and instants do not make one span
    sessions: sameInterval ? mergeSessions(a.sessions, b.sessions) : null,
  };
}

export function mergeMovesDetected(a: MovesDetectedEvent, b: MovesDetectedEvent): MovesDetectedEvent {
  return {
    symbols: mergeSymbols(a.symbols, b.symbols),
    interval: '1d',
    sessions: mergeSessions(a.sessions, b.sessions),
    changed: a.changed || b.changed,
  };
}
