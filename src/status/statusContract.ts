// The wire shape of GET /api/status: zod schemas for the OpenAPI document and the response tests, and the types
// that the handler and the dashboard use. Instants are ISO strings.
import { z } from 'zod';

const instant = z.iso.datetime();

const instrumentStatusSchema = z.strictObject({
  symbol: z.string(),
  name: z.string(),
  exchange: z.string(),
  sessions: z
    .string()
    .nullable()
    .describe(
      'the market of the exchange registry whose sessions are used (US, TSE, FX, PAR, KOSPI...); null = a market whose sessions Aftershock does not know',
    ),
  tracked: z.boolean(),
  lastBarDate: z.iso.date().nullable(),
  lastBarProvisional: z.boolean().nullable(),
  lastFinalBarDate: z.iso.date().nullable(),
  lastSuccessfulFetch: instant.nullable().describe('end of the last successful price fetch (backfill, daily, intraday)'),
  staleness: z.strictObject({
    sessionsMissed: z
      .number()
      .int()
      .nullable()
      .describe('closed sessions without a final bar; null when sessions are unknown or there is no final bar'),
    hoursSinceLastFetch: z.number().nullable(),
  }),
  lastError: z
    .strictObject({
      at: instant,
      job: z.string(),
      error: z.string().nullable(),
      current: z.boolean().describe('newer than the last success'),
    })
    .nullable()
    .describe('the latest failed fetch of this symbol (any job)'),
});

const jobRunSchema = z.strictObject({
  slot: instant,
  instance: z.string(),
  startedAt: instant,
  endedAt: instant.nullable(),
  status: z.string(),
  detail: z.unknown().describe("the run's summary (JSON), or the message of a run that threw"),
});

const jobStatusSchema = z.strictObject({
  job: z.string(),
  enabled: z.boolean(),
  schedule: z.strictObject({ cron: z.string().describe('seconds first'), timeZone: z.string() }).nullable(),
  nextRun: instant.nullable(),
  lastRun: jobRunSchema.nullable(),
  lastSuccessfulRun: jobRunSchema.nullable(),
});

export const statusResponse = z.strictObject({
  now: instant,
  provider: z.string().describe('the market-data provider'),
  scheduler: z.strictObject({ enabled: z.boolean() }),
  adminWrites: z
    .strictObject({ enabled: z.boolean() })
    .describe('whether the write routes (add an event or an instrument...) are on: ADMIN_TOKEN is set on the server'),
  instruments: z.array(instrumentStatusSchema),
  jobs: z.array(jobStatusSchema),
});

export type InstrumentStatusJson = z.infer<typeof instrumentStatusSchema>;
export type JobStatus = z.infer<typeof jobStatusSchema>;
export type StatusResponse = z.infer<typeof statusResponse>;
