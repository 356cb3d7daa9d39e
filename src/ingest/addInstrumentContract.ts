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
  sessions: z.enum(['TSE', 'US', 'FX']).nullable().describe('the session calendar the scheduler uses; null = sessions unknown to Aftershock'),
  benchmarkAdded: z.string().nullable().describe('the benchmark, when it had to be added first'),
  backfill: backfillSchema.nullable().describe('null when backfill: false'),
});

export type AddInstrumentResponse = z.infer<typeof addInstrumentResponse>;
