// The event page's state: one object, made by main and passed down; no module of the page keeps any of its own.
import type { EventDetail, Instrument } from '../api';
import type { ImpactViewParams } from '../impactView';
import { instrumentStyles, type InstrumentStyle } from '../instrumentStyle';

export interface EventPageState {
  readonly slug: string;
  /** every instrument the server knows, in the API's order (fixes each one's style) */
  instruments: Instrument[];
  /** what the last impact answer used, to fill the form and spot unchanged defaults */
  effective: ImpactViewParams | null;
  /** the impact request under way, aborted when a newer view is asked for */
  inflight: AbortController | null;
  /** the event, once loaded */
  event: EventDetail | null;
}

export function createEventPageState(slug: string): EventPageState {
  return { slug, instruments: [], effective: null, inflight: null, event: null };
}

/** The event's slug from /events/:slug, '' when the address names none. */
export function slugFromPath(pathname: string): string {
  const m = /^\/events\/([^/]+)\/?$/.exec(pathname);
  return m ? decodeURIComponent(m[1]) : '';
}

export function instrumentOf(instruments: readonly Instrument[], symbol: string): Instrument | undefined {
  return instruments.find((i) => i.symbol === symbol);
}

/** Each symbol's colour and dash, the same as on every other page. */
export function stylesOf(instruments: readonly Instrument[], symbols: readonly string[]): Map<string, InstrumentStyle> {
  return instrumentStyles(
    instruments.map((i) => i.symbol),
    symbols,
  );
}
