// The wire shape of /api/instruments: what the routes answer, as zod schemas (the OpenAPI document's response
// schemas, the response tests' check) and as the types that the handlers, the dashboard and the tests use.
import { z } from 'zod';

export const instrumentSchema = z.strictObject({
  symbol: z.string(),
  name: z.string(),
  exchange: z.string(),
  currency: z.string(),
  timeZone: z.string().describe('IANA time zone of the exchange'),
  kind: z.string().describe('equity, index, fx...'),
  benchmark: z.string().nullable().describe('symbol of the market index of the market model'),
  sharesOutstanding: z.number().nullable(),
  sharesAsOf: z.iso.date().nullable(),
  sharesSource: z.string().nullable(),
  tracked: z.boolean(),
});

export const instrumentListResponse = z.strictObject({ instruments: z.array(instrumentSchema) });
export const instrumentResponse = z.strictObject({ instrument: instrumentSchema });

const dailyBarSchema = z.strictObject({
  date: z.iso.date().describe("trading date in the exchange's own calendar"),
  open: z.number().nullable(),
  high: z.number().nullable(),
  low: z.number().nullable(),
  close: z.number(),
  adjClose: z.number().nullable(),
  volume: z.number().nullable(),
  provisional: z.boolean().describe('true while the session is not final (an intraday snapshot)'),
});

export const dailyBarsResponse = z.strictObject({
  symbol: z.string(),
  currency: z.string(),
  timeZone: z.string(),
  interval: z.literal('1d'),
  from: z.iso.date().nullable(),
  to: z.iso.date().nullable(),
  bars: z.array(dailyBarSchema),
});

export type Instrument = z.infer<typeof instrumentSchema>;
export type InstrumentListResponse = z.infer<typeof instrumentListResponse>;
export type InstrumentResponse = z.infer<typeof instrumentResponse>;
export type DailyBar = z.infer<typeof dailyBarSchema>;
export type DailyBarsResponse = z.infer<typeof dailyBarsResponse>;
