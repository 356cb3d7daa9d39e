// The dashboard's only way to the server: JSON over fetch, every failure turned into an ApiError whose
// message is the API's own ({"error": {"code", "message", "details"}}), so pages can show it.
import type { BasketDay } from '../../src/analysis/basket';
import type { EventImpact } from '../../src/analysis/eventStudy';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** the route is not there (yet): a 404 that names no missing record but a missing route */
  get isMissingRoute(): boolean {
    return this.status === 404 && /^No API route/.test(this.message);
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** admin token for write routes */
  token?: string;
  signal?: AbortSignal;
}

export async function apiRequest<T>(url: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
      credentials: 'same-origin',
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', `The server could not be reached (${(err as Error).message})`);
  }
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError(res.status, 'bad_response', `${url} answered HTTP ${res.status} with something that is not JSON`);
    }
  }
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    throw new ApiError(res.status, error?.code ?? 'http_error', error?.message ?? `${url} answered HTTP ${res.status}`, error?.details ?? null);
  }
  return body as T;
}

// ---- the API's shapes (see src/**/*Routes.ts) ----

export interface Instrument {
  symbol: string;
  name: string;
  exchange: string;
  currency: string;
  timeZone: string;
  kind: string;
  benchmark: string | null;
  sharesOutstanding: number | null;
  sharesAsOf: string | null;
  sharesSource: string | null;
  tracked: boolean;
}

export interface DailyBar {
  date: string;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number;
  adjClose: number | null;
  volume: number | null;
  provisional: boolean;
}

export interface NewsItem {
  url: string;
  title: string;
  publisher: string | null;
  publishedAt: string | null;
  date: string;
  dateOnly: boolean;
  kind: string | null;
  role?: string;
}

export interface EventSummary {
  slug: string;
  title: string;
  occurredAt: string | null;
  date: string;
  dateOnly: boolean;
  kind: string;
  description: string | null;
  newsCount?: number;
}

/** An event a move is linked to, with the move's session offset from that event's day 0. */
export interface LinkedEvent {
  slug: string;
  title: string;
  offset: number;
  origin: 'auto' | 'manual';
}

/** A detected move (GET /api/moves): move, return and abnormalReturn are fractions; z = AR / residual sigma. */
export interface DetectedMove {
  id: number;
  symbol: string;
  date: string;
  move: number;
  return: number | null;
  abnormalReturn: number | null;
  z: number | null;
  rule: string;
  events: LinkedEvent[];
}

/** News near a move (GET /api/moves/:id): published shortly before or after, naming the symbol or none. */
export interface CandidateNews {
  url: string;
  title: string;
  publisher: string | null;
  publishedAt: string;
  dateOnly: boolean;
  kind: string | null;
  eventSlugs: string[];
}

export interface MoveDetail extends DetectedMove {
  candidateNews: CandidateNews[];
}

/** A move as the event detail lists it: with its offset from this event's day 0. */
export interface EventMove {
  id: number;
  symbol: string;
  date: string;
  move: number;
  abnormalReturn: number | null;
  z: number | null;
  rule: string;
  offset: number;
  origin: 'auto' | 'manual';
}

export interface EventDetail extends EventSummary {
  news: NewsItem[];
  moves?: EventMove[];
}

/** A day-0 session of one market, as the impact API orders them (by the instant its session closed). */
export interface ImpactSession {
  market: string;
  name: string;
  timeZone: string;
  day0: string;
  close: string;
  /** the first weekday the market was shut before day 0 although a session would have priced the news */
  closedFrom: string | null;
  symbols: string[];
}

export interface ImpactResponse {
  event: EventSummary;
  params: Record<string, unknown>;
  results: EventImpact[];
  basket: BasketDay[];
  sessions?: ImpactSession[];
}

export type { EventImpact, BasketDay };

export const api = {
  instruments: () => apiRequest<{ instruments: Instrument[] }>('/api/instruments').then((r) => r.instruments),
  instrument: (symbol: string) => apiRequest<{ instrument: Instrument }>(`/api/instruments/${encodeURIComponent(symbol)}`).then((r) => r.instrument),
  bars: (symbol: string, range: { from?: string; to?: string } = {}) => {
    const q = new URLSearchParams();
    if (range.from) q.set('from', range.from);
    if (range.to) q.set('to', range.to);
    const qs = q.toString();
    return apiRequest<{ bars: DailyBar[]; currency: string }>(`/api/instruments/${encodeURIComponent(symbol)}/bars${qs ? `?${qs}` : ''}`);
  },
  events: () => apiRequest<{ events: EventSummary[] }>('/api/events').then((r) => r.events),
  event: (slug: string) => apiRequest<{ event: EventDetail }>(`/api/events/${encodeURIComponent(slug)}`).then((r) => r.event),
  impact: (slug: string, query: URLSearchParams, signal?: AbortSignal) => {
    const qs = query.toString();
    return apiRequest<ImpactResponse>(`/api/events/${encodeURIComponent(slug)}/impact${qs ? `?${qs}` : ''}`, { signal });
  },
  moves: (symbol: string) => apiRequest<{ moves: DetectedMove[] }>(`/api/moves?symbol=${encodeURIComponent(symbol)}`).then((r) => r.moves),
  move: (id: number) => apiRequest<{ move: MoveDetail }>(`/api/moves/${id}`).then((r) => r.move),
  status: () => apiRequest<unknown>('/api/status'),
  readiness: () => apiRequest<{ latestBars?: Record<string, string> }>('/readyz'),
};
