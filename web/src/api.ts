// The dashboard's only way to the server: JSON over fetch, every failure turned into an ApiError whose
// message is the API's own ({"error": {"code", "message", "details"}}), so pages can show it.
import type { IntradayStudyResult } from '../../src/analysis/intraday/intradayTypes';
import type { EventListItem, EventListResponse, EventResponse, EventSummary as EventFields } from '../../src/events/eventContract';
import type { ImpactResponse } from '../../src/impact/impactContract';
import type {
  DailyBarsResponse,
  IntradayBarsResponse,
  InstrumentListResponse,
  InstrumentResponse,
} from '../../src/instruments/instrumentContract';
import type { MoveListResponse, MoveResponse } from '../../src/moves/moveContract';
import type { StatusResponse } from '../../src/status/statusContract';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    /** seconds from the Retry-After header of a 429 or 503, when it has one */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** the route is not there (yet): a 404 that names no missing record but a missing route */
  get isMissingRoute(): boolean {
    return this.status === 404 && this.code === 'no_route';
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
    throw new ApiError(
      res.status,
      error?.code ?? 'http_error',
      error?.message ?? `${url} answered HTTP ${res.status}`,
      error?.details ?? null,
      Number(res.headers.get('retry-after')) || null,
    );
  }
  return body as T;
}

// ---- the API's shapes: the server's contract (src/**/*Contract.ts), as types only: no server code in the bundle

export type { DailyBar, Instrument } from '../../src/instruments/instrumentContract';
export type { EventDetail, NewsItem } from '../../src/events/eventContract';
export type { DetectedMove, EventMove } from '../../src/moves/moveContract';
export type { EventImpact, ImpactResponse, ImpactSession } from '../../src/impact/impactContract';
export type {
  IntradayAggregatePoint,
  IntradayBarsMessage,
  IntradayMemberResult,
  IntradayPoint,
  IntradayStudyResult,
} from '../../src/analysis/intraday/intradayTypes';
/** A message of GET /api/events/:slug/intraday/stream (and the answer of GET /api/events/:slug/intraday): the study and its event. */
export type IntradayStudyMessage = IntradayStudyResult & { event?: Partial<EventFields> };
/** An event as any route shows it; GET /api/events adds its news count. */
export type EventSummary = EventFields & Partial<Pick<EventListItem, 'newsCount'>>;

export const api = {
  instruments: () => apiRequest<InstrumentListResponse>('/api/instruments').then((r) => r.instruments),
  instrument: (symbol: string) =>
    apiRequest<InstrumentResponse>(`/api/instruments/${encodeURIComponent(symbol)}`).then((r) => r.instrument),
  bars: (symbol: string, range: { from?: string; to?: string } = {}) => {
    const q = new URLSearchParams();
    if (range.from) q.set('from', range.from);
    if (range.to) q.set('to', range.to);
    const qs = q.toString();
    return apiRequest<DailyBarsResponse>(`/api/instruments/${encodeURIComponent(symbol)}/bars${qs ? `?${qs}` : ''}`);
  },
  events: () => apiRequest<EventListResponse>('/api/events').then((r) => r.events),
  event: (slug: string) => apiRequest<EventResponse>(`/api/events/${encodeURIComponent(slug)}`).then((r) => r.event),
  impact: (slug: string, query: URLSearchParams, signal?: AbortSignal) => {
    const qs = query.toString();
    return apiRequest<ImpactResponse>(`/api/events/${encodeURIComponent(slug)}/impact${qs ? `?${qs}` : ''}`, { signal });
  },
  intraday: (slug: string, query: URLSearchParams, signal?: AbortSignal) =>
    apiRequest<IntradayStudyMessage>(`/api/events/${encodeURIComponent(slug)}/intraday?${query}`, { signal }),
  intradayStreamUrl: (slug: string, query: URLSearchParams) => `/api/events/${encodeURIComponent(slug)}/intraday/stream?${query}`,
  intradayBars: (symbol: string, range: { from?: string; to?: string } = {}) => {
    const q = new URLSearchParams({ interval: '5m' });
    if (range.from) q.set('from', range.from);
    if (range.to) q.set('to', range.to);
    return apiRequest<IntradayBarsResponse>(`/api/instruments/${encodeURIComponent(symbol)}/bars?${q}`);
  },
  moves: (symbol: string) => apiRequest<MoveListResponse>(`/api/moves?symbol=${encodeURIComponent(symbol)}`).then((r) => r.moves),
  move: (id: number) => apiRequest<MoveResponse>(`/api/moves/${id}`).then((r) => r.move),
  status: () => apiRequest<StatusResponse>('/api/status'),
  readiness: () => apiRequest<{ latestBars?: Record<string, string> }>('/readyz'),
};
