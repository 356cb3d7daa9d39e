// The wire shape of GET /api/events/:slug/impact (the event study; its CSV export lays out the same numbers).
// The analysis core's types (src/analysis) are what it computes; these schemas are what the API sends, and the
// route's handler is typed with them so that tsc checks one against the other.
import { z } from 'zod';
import { eventSchema } from '../events/eventContract';

const fraction = z.number().nullable();
const window = z.tuple([z.number().int(), z.number().int()]).readonly().describe('[from, to] session offsets from day 0');

const impactModelSchema = z.strictObject({
  alpha: z.number().nullable(),
  beta: z.number().nullable(),
  sigma: z.number().nullable().describe('residual standard deviation'),
  r2: z.number().nullable(),
  n: z.number().int().describe('paired returns in the estimation window'),
  kind: z.enum(['ff3', 'carhart', 'ff5']).optional().describe('factor models only: the model'),
  dof: z.number().int().nullable().optional().describe('factor models only: L1 - k'),
  coefficients: z
    .array(z.strictObject({ name: z.string(), value: z.number(), se: z.number() }))
    .nullable()
    .optional()
    .describe('factor models only: const and each factor with its standard error'),
  factorRegion: z.string().nullable().optional().describe('factor models only: us, europe or developed_ex_us'),
  factorVintage: z.string().nullable().optional().describe('factor models only: the vintage of the factor files, e.g. CRSP 202604'),
});

const impactDaySchema = z.strictObject({
  offset: z.number().int(),
  date: z.iso.date(),
  close: z.number(),
  return: fraction,
  benchmarkReturn: fraction,
  abnormalReturn: fraction,
  car: fraction.describe('sum of abnormal returns from the start of the event window through this day'),
  rebased: z.number().nullable().describe('close / close on day -1 x 100 (unadjusted)'),
  move: fraction,
  marketValueChange: z.number().nullable().describe("in marketValueCurrency (the instrument's currency; GBP for a GBp quote)"),
  marketValueChangeUsd: z.number().nullable(),
  volume: z.number().nullable().describe('shares traded; null where the series reports none (indices, FX)'),
  abnormalVolume: z.number().nullable().describe('volume / volumeBaseline.mean: 1 = a normal session'),
});

const carResultSchema = z.strictObject({
  from: z.number().int(),
  to: z.number().int(),
  car: fraction,
  t: z.number().nullable(),
  p: z.number().nullable().describe('two-sided'),
});

const eventImpactSchema = z.strictObject({
  symbol: z.string(),
  benchmark: z.string().nullable(),
  currency: z.string(),
  day0: z.iso.date().nullable(),
  status: z.enum(['ok', 'insufficient_estimation', 'no_data', 'no_benchmark', 'no_factors']),
  statusReason: z.string(),
  model: impactModelSchema,
  days: z.array(impactDaySchema),
  cars: z.array(carResultSchema),
  bhar: z.number().nullable(),
  marketValueCurrency: z.string().describe('currency of days[].marketValueChange: the major unit of `currency` (GBP for GBp)'),
  marketValueNote: z.string().nullable().describe('why market value changes are missing; null when all are given'),
  volumeBaseline: z
    .strictObject({
      mean: z.number().nullable().describe('mean volume of the sessions with a volume in the estimation window'),
      n: z.number().int().describe('sessions in that mean'),
    })
    .describe('the normal volume abnormal volume is measured against'),
  abnormalVolume: z.number().nullable().describe("day 0's volume / volumeBaseline.mean; null without volumes"),
  windowNote: z
    .string()
    .nullable()
    .describe(
      'where the stored prices end (or begin) inside the event window, and that BHAR and the CARs reaching past them are missing; null when the prices cover the window',
    ),
});

const basketDaySchema = z.strictObject({
  offset: z.number().int(),
  marketValueChangeUsd: z.number().nullable().describe('sum of the known USD market value changes; null when none is known'),
  contributors: z.number().int(),
  instruments: z.number().int(),
  missing: z.array(z.string()).describe('symbols left out at this offset (no bar, unknown shares or no FX rate)'),
  missingReasons: z
    .array(z.strictObject({ symbol: z.string(), reason: z.string() }))
    .describe('why each of `missing` is left out, in the same order'),
});

const impactSessionSchema = z.strictObject({
  market: z.string().describe('market code of the exchange registry (TSE, PAR, KOSPI...)'),
  name: z.string(),
  timeZone: z.string(),
  day0: z.iso.date(),
  close: z.iso.datetime().describe("the instant day 0's session closed"),
  closedFrom: z.iso
    .date()
    .nullable()
    .describe('the first weekday after the event on which this market was shut although a session would have priced the news'),
  symbols: z.array(z.string()),
});

const impactParamsSchema = z.strictObject({
  symbols: z.array(z.string()),
  window,
  estimation: window,
  minObs: z.number().int(),
  benchmark: z.string().nullable().describe('the override for every symbol, or null when each instrument uses its own'),
  carWindows: z.array(window).readonly(),
  model: z.enum(['market', 'ff3', 'carhart', 'ff5']),
});

export const impactResponse = z.strictObject({
  event: eventSchema,
  params: impactParamsSchema,
  results: z.array(eventImpactSchema),
  basket: z.array(basketDaySchema).describe('USD market value change of all instruments per offset'),
  sessions: z
    .array(impactSessionSchema)
    .describe('the day-0 sessions of the markets shown, in the order their closes came after the event ("who moved first")'),
});

export type ImpactDay = z.infer<typeof impactDaySchema>;
export type EventImpact = z.infer<typeof eventImpactSchema>;
export type ImpactSession = z.infer<typeof impactSessionSchema>;
export type ImpactResponse = z.infer<typeof impactResponse>;
