// The wire shape of /api/instruments: what the routes answer, as zod schemas (the OpenAPI document's response
// schemas, the response tests' check) and as the types that the handlers, the dashboard and the tests use.
import { z } from 'zod';
import { BAR_INTERVALS, INTRADAY_INTERVALS } from '../marketdata/provider';

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

const intradayBarSchema = z.strictObject({
  ts: z.iso.datetime().describe('the instant the bar opens, UTC'),
  ...dailyBarSchema.pick({ open: true, high: true, low: true, close: true, volume: true }).shape,
});

export const intradayBarsResponse = dailyBarsResponse.extend({
  interval: z.enum(INTRADAY_INTERVALS),
  bars: z.array(intradayBarSchema),
});

/** What GET /api/instruments/:symbol/bars answers: daily bars for interval 1d, else intraday bars. */
export const barsResponse = dailyBarsResponse.extend({
  interval: z.enum(BAR_INTERVALS),
  bars: z.array(z.union([dailyBarSchema, intradayBarSchema])),
});

export type Instrument = z.infer<typeof instrumentSchema>;
export type InstrumentListResponse = z.infer<typeof instrumentListResponse>;
export type InstrumentResponse = z.infer<typeof instrumentResponse>;
export type DailyBar = z.infer<typeof dailyBarSchema>;
export type DailyBarsResponse = z.infer<typeof dailyBarsResponse>;
export type IntradayBarsResponse = z.infer<typeof intradayBarsResponse>;
