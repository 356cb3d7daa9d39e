// The intraday event study's inputs, options and answer (shared/methods/intraday.md), shared by the pure core,
// the service that feeds it stored bars, the API, the CSV, the live stream and the dashboard.
import type { MarketCode } from '../../markets/types';
import type { TestOutcome } from '../crossSection/testStatistics';

export type IntradayInterval = '1m' | '5m' | '15m' | '60m';
export type IntradayModelKind = 'market' | 'market_adjusted' | 'constant_mean';

export interface IntradayOptions {
  interval: IntradayInterval;
  /** event window [w1, w2] in bars (offset 0 = the event bar) */
  window: readonly [number, number];
  estimationDays: number;
  minDays: number;
  model: IntradayModelKind;
  bandP: number;
  initialBars: number;
}

export const DEFAULT_INTRADAY_OPTIONS: Readonly<IntradayOptions> = {
  interval: '5m',
  window: [-12, 78],
  estimationDays: 20,
  minDays: 10,
  model: 'market',
  bandP: 0.05,
  initialBars: 5,
};

/** One stored intraday bar: its START instant (ISO 8601 UTC), close and volume. */
export interface IntradayBar {
  t: string;
  close: number;
  volume?: number | null;
}

/** Official closes of sessions (the daily bars), by exchange-local session date: the C_{d-1} of the opening return. */
export interface SessionClose {
  date: string;
  close: number;
}

/** A price series on the exchange's sessions: its intraday bars (ascending) and its daily closes. */
export interface IntradaySeries {
  symbol: string;
  bars: readonly IntradayBar[];
  dailyCloses: readonly SessionClose[];
}

export interface IntradayMemberInput {
  /** the instrument */
  series: IntradaySeries;
  /** the instrument's exchange; null: no sessions known (status unknown_market) */
  market: MarketCode | null;
  /** its benchmark on the same exchange's sessions; null: none (status no_benchmark unless the model needs none) */
  benchmark: IntradaySeries | null;
}

export interface IntradayEventInput {
  /** the event instant τ (UTC) */
  instant: Date;
  /** a date-only event has no intraday study (status no_event_time) */
  dateOnly: boolean;
  /** now: sessions that have not opened by then are pending (status event_session_pending) */
  now: Date;
}

export type IntradayStatus =
  | 'ok'
  | 'no_event_time'
  | 'no_intraday_bars'
  | 'insufficient_estimation'
  | 'no_benchmark'
  | 'unknown_market'
  | 'event_session_pending';

export interface IntradayModelFit {
  kind: IntradayModelKind;
  alpha: number | null;
  beta: number | null;
  /** residual variance s^2 (market: SSR / (L1 - 2)); null where the model has none */
  s2: number | null;
  /** number of paired estimation returns (slots s >= 1) */
  L1: number;
  /** the estimation sessions used (exchange-local dates, ascending) */
  sessions: string[];
}

/** One offset k of a member's event window, present only where the member has a bar at k (up to asOf). */
export interface IntradayPoint {
  k: number;
  /** bar start (ISO UTC) */
  t: string;
  /** exchange-local session date and slot of the bar */
  session: string;
  slot: number;
  close: number;
  /** % path: close / previous official close of the event session - 1 (the price path drawn) */
  fromPrevClose: number | null;
  ret: number | null;
  ar: number | null;
  sar: number | null;
  /** cumulated from the window's start */
  car: number | null;
  /** cumulated from the event bar (k >= 0), tested */
  car0: number | null;
  z: number | null;
  p: number | null;
  /** matched time-of-day band (Rinaudo & Saha); null outside the event session or without enough sessions */
  lower: number | null;
  upper: number | null;
  outside: boolean;
  /** abnormal volume */
  av: number | null;
}

export interface IntradayMemberResult {
  symbol: string;
  benchmark: string | null;
  market: MarketCode | null;
  status: IntradayStatus;
  /** why, when the status is not ok */
  reason: string | null;
  /** exchange-local date of the event session, and the instant the event bar starts */
  eventSession: string | null;
  eventBar: string | null;
  /** slot of the event bar within its session */
  eventSlot: number | null;
  model: IntradayModelFit | null;
  /** σ_s per slot of the event session's grid (null where D_s < minDays) */
  sigma: (number | null)[];
  /** stored bars not on the slot grid, ignored */
  offGrid: number;
  points: IntradayPoint[];
  significantFrom: number | null;
  significantThrough: number | null;
  direction: -1 | 0 | 1 | null;
  /** end of the last bar used (start + Δ), ISO; null when none */
  asOf: string | null;
  notes: string[];
}

/** The group at offset k (section 8). */
export interface IntradayAggregatePoint {
  k: number;
  n: number;
  aar: number;
  caar: number;
  /** k >= 0 only */
  caar0: number | null;
  csectT: TestOutcome | null;
  stoufferZ: TestOutcome | null;
  bmpT: TestOutcome | null;
  /** members with a Z at k (the Z tests' own n) */
  nZ: number;
}

export interface IntradayStudyResult {
  instant: string;
  options: IntradayOptions;
  members: IntradayMemberResult[];
  aggregate: IntradayAggregatePoint[];
  /** the latest asOf of the members (ISO); null when no member has a bar */
  asOf: string | null;
}

/**
 * A member in the live stream's `bars` message: the member as it now stands, but only its points from offset
 * `from` on (they replace the previous points with k >= from); `from` null: its points are unchanged.
 */
type IntradayMemberIncrement = Omit<IntradayMemberResult, 'points'> & { from: number | null; points: IntradayPoint[] };

/**
 * The live stream's `bars` message (event: bars): what a new bar changed in the study of the message whose id is
 * `base`.
 * Every member, in the study's order; the aggregate's points from `aggregateFrom` on replace the previous ones
 * (null: unchanged).
 */
export interface IntradayBarsMessage {
  base: string | null;
  asOf: string | null;
  members: IntradayMemberIncrement[];
  aggregateFrom: number | null;
  aggregate: IntradayAggregatePoint[];
}
