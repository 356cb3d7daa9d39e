// The wire shape of POST /api/instruments: a zod schema for the OpenAPI document, and the handler's type.
import { z } from 'zod';
import { instrumentSchema } from '../instruments/instrumentContract';

const backfillSchema = z.strictObject({
  symbol: z.string(),
  status: z.enum(['ok', 'skipped', 'error']),
  from: z.iso.date().optional().describe('first date fetched (absent when skipped before fetching)'),
  to: z.iso.date().optional(),
  rowsNew: z.number().int(),
  rowsUpdated: z.number().int(),
  rowsUnchanged: z.number().int(),
  attempts: z.number().int(),
  reason: z.string().optional().describe('why it was skipped'),
  error: z.string().optional(),
});

export const addInstrumentResponse = z.strictObject({
  instrument: instrumentSchema,
  created: z.boolean(),
  sessions: z
    .string()
    .nullable()
    .describe(
      'the market of the exchange registry whose sessions the scheduler uses (US, TSE, FX, PAR, KOSPI...); null = sessions unknown to Aftershock',
    ),
  sessionsNote: z.string().nullable().describe('why there are no sessions: daily bars only, no day 0; null when there are'),
  benchmarkAdded: z.string().nullable().describe('the benchmark, when it had to be added first'),
  fxSeriesAdded: z.string().nullable().describe('the Yahoo FX series of its currency (EURUSD=X, KRW=X...), when it had to be added'),
  fxSeriesNote: z.string().nullable().describe('why the FX series could not be added (the instrument is added all the same)'),
  backfill: backfillSchema.nullable().describe('the daily bars; null when backfill: false'),
  intradayBackfill: backfillSchema
    .nullable()
    .describe(
      "the 5-minute bars of the last 60 days (Yahoo's limit) not stored yet; null when backfill: false, for FX or a market whose sessions are unknown",
    ),
  benchmarkIntradayBackfill: backfillSchema
    .nullable()
    .describe('the same for its benchmark when that was stored already (a benchmark added with it is backfilled by its own add)'),
});

export type AddInstrumentResponse = z.infer<typeof addInstrumentResponse>;
