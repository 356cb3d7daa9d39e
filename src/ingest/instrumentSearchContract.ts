// The wire shapes of the add-an-instrument flow: GET /api/instruments/search (candidates with what adding each
// would give it), the 202 of a background POST /api/instruments, and GET /api/ingest-runs/:id (its progress).
import { z } from 'zod';

const instant = z.iso.datetime();

const candidateSchema = z.strictObject({
  symbol: z.string(),
  name: z.string(),
  kind: z.string().describe('equity, etf, index or fx'),
  listedOn: z.string().describe("the exchange as Yahoo's search names it (NasdaqGS, Tokyo...)"),
  exchange: z
    .string()
    .nullable()
    .describe(
      "the exchange it will be stored with: a World markets code (US, TSE, PAR...) or Yahoo's own name; null when its quote failed",
    ),
  sessions: z.string().nullable().describe('the session calendar the scheduler will use; null = unknown market (or no quote)'),
  sessionsNote: z.string().nullable(),
  currency: z.string().nullable(),
  timeZone: z.string().nullable(),
  benchmark: z.string().nullable().describe("the market's default benchmark it will get (the one it has when already tracked)"),
  fxSeries: z.string().nullable().describe('the Yahoo FX series of its currency, added with it when missing'),
  tracked: z.boolean().describe('already tracked: adding it again refreshes it'),
  problem: z.string().nullable().describe('why its quote could not be read (then exchange, currency and benchmark are null)'),
});

export const instrumentSearchResponse = z.strictObject({
  query: z.string(),
  candidates: z.array(candidateSchema),
});

export const addStartedResponse = z.strictObject({
  runId: z.number().int().describe('the ingest run of this add: follow it at progressUrl'),
  progressUrl: z.string(),
  candidate: candidateSchema.describe('what the quote says it will get'),
});

const runFields = {
  id: z.number().int(),
  job: z.string(),
  symbol: z.string().nullable(),
  status: z.enum(['running', 'ok', 'error']),
  startedAt: instant,
  endedAt: instant.nullable(),
  rangeFrom: z.iso.date().nullable(),
  rangeTo: z.iso.date().nullable(),
  rowsNew: z.number().int(),
  rowsUpdated: z.number().int(),
  rowsUnchanged: z.number().int(),
  error: z.string().nullable(),
};

const stepSchema = z.strictObject({
  ...runFields,
  sessions: z.number().int().describe('daily bars of this symbol stored so far'),
});

export const ingestRunProgressResponse = z.strictObject({
  run: z.strictObject(runFields),
  done: z.boolean(),
  steps: z
    .array(stepSchema)
    .describe("an add's backfills: of the instrument and of the benchmark and FX series added with it, in the order they started"),
  sessions: z.number().int().describe("daily bars of the run's symbol stored so far"),
});

export type InstrumentCandidate = z.infer<typeof candidateSchema>;
export type InstrumentSearchResponse = z.infer<typeof instrumentSearchResponse>;
export type AddStartedResponse = z.infer<typeof addStartedResponse>;
export type IngestRunProgress = z.infer<typeof ingestRunProgressResponse>;
