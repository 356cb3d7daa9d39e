// The wire shape of an intraday study (GET /api/events/:slug/intraday, GET /api/intraday, each message of their
// streams): the core's IntradayStudyResult (src/analysis/intraday/intradayTypes.ts) with the event it is about.
import { z } from 'zod';

const num = z.number().nullable();
const outcome = z.union([z.object({ stat: z.number(), p: z.number() }), z.object({ reason: z.string() })]).nullable();

const pointSchema = z.object({
  k: z.number().int(),
  t: z.string().describe('bar start, ISO UTC'),
  session: z.string(),
  slot: z.number().int(),
  close: z.number(),
  fromPrevClose: num,
  ret: num,
  ar: num,
  sar: num,
  car: num.describe('cumulated from the window start'),
  car0: num.describe('cumulated from the event bar (k >= 0)'),
  z: num,
  p: num,
  lower: num.describe('matched time-of-day band (Rinaudo & Saha)'),
  upper: num,
  outside: z.boolean(),
  av: num.describe('abnormal volume'),
});

const memberSchema = z.object({
  symbol: z.string(),
  benchmark: z.string().nullable(),
  market: z.string().nullable(),
  status: z.enum([
    'ok',
    'no_event_time',
    'no_intraday_bars',
    'insufficient_estimation',
    'no_benchmark',
    'unknown_market',
    'event_session_pending',
  ]),
  reason: z.string().nullable(),
  eventSession: z.string().nullable(),
  eventBar: z.string().nullable(),
  eventSlot: z.number().int().nullable(),
  model: z.object({ kind: z.string(), alpha: num, beta: num, s2: num, L1: z.number().int(), sessions: z.array(z.string()) }).nullable(),
  sigma: z.array(num).describe('σ per slot of the event session'),
  offGrid: z.number().int(),
  points: z.array(pointSchema),
  significantFrom: num,
  significantThrough: num,
  direction: num,
  asOf: z.string().nullable(),
  notes: z.array(z.string()),
});

const aggregateSchema = z.object({
  k: z.number().int(),
  n: z.number().int(),
  aar: z.number(),
  caar: z.number(),
  caar0: num,
  csectT: outcome,
  stoufferZ: outcome,
  bmpT: outcome,
  nZ: z.number().int(),
});

export const intradayResponseSchema = z.object({
  event: z
    .object({ slug: z.string(), title: z.string(), instant: z.string().nullable(), date: z.string(), precision: z.string() })
    .nullable()
    .describe('the event studied; null for an ad hoc instant'),
  asOf: z.string().nullable().describe('end of the last bar used (the stream id)'),
  instant: z.string(),
  options: z.object({
    interval: z.string(),
    window: z.tuple([z.number().int(), z.number().int()]),
    estimationDays: z.number().int(),
    minDays: z.number().int(),
    model: z.string(),
    bandP: z.number(),
    initialBars: z.number().int(),
  }),
  members: z.array(memberSchema),
  aggregate: z.array(aggregateSchema),
});
