// The query of an intraday study (shared/methods/intraday.md): who (symbols, group, or the event's linked
// instruments) and how (the spec's options, defaults from DEFAULT_INTRADAY_OPTIONS). One schema for
// GET /api/events/:slug/intraday, GET /api/intraday, their CSVs and streams, and `aftershock intraday`; a bad
// value is a 400 naming the parameter.
import { z } from 'zod';
import { intradayOptionsFrom } from '../analysis';
import type { IntradayOptions } from '../analysis/intraday/intradayTypes';
import { invalidParameter, validationError } from '../errors/appError';
import { instantInRange, slugParam, symbolList, symbolParam } from '../http/validation';

/** Offsets of an intraday window at most this far from the event bar (a week of 1-minute bars). */
const MAX_INTRADAY_OFFSET = 3_000;
const MAX_ESTIMATION_DAYS = 250;

const WINDOW_PATTERN = /^\s*([-+]?\d{1,5})\s*,\s*([-+]?\d{1,5})\s*$/;

const intParam = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number of ${what}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const numberParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^(?:0|[1-9]\d*)?(?:\.\d+)?$/, 'must be a number such as 0.05')
    .transform(Number)
    .pipe(z.number().gt(min, `must be more than ${min}`).lt(max, `must be less than ${max}`));

const intradayOptionShape = {
  interval: z.enum(['1m', '5m', '15m', '60m']).optional().describe('bar length; default 5m'),
  window: z
    .string()
    .transform((text, ctx): [number, number] => {
      const m = WINDOW_PATTERN.exec(text);
      const w: [number, number] | null = m ? [Number(m[1]), Number(m[2])] : null;
      if (w && w[0] <= 0 && w[1] >= 0 && Math.max(-w[0], w[1]) <= MAX_INTRADAY_OFFSET) return w;
      ctx.addIssue({
        code: 'custom',
        message: `must be two bar offsets "from,to" with from <= 0 <= to within ±${MAX_INTRADAY_OFFSET}, such as -12,78`,
      });
      return z.NEVER;
    })
    .optional()
    .describe('event window "from,to" in bars (offset 0 = the event bar); default -12,78'),
  estimationDays: intParam(2, MAX_ESTIMATION_DAYS, 'sessions')
    .optional()
    .describe('estimation sessions before the event session; default 20'),
  minDays: intParam(2, MAX_ESTIMATION_DAYS, 'sessions').optional().describe('fewest qualifying estimation sessions; default 10'),
  model: z.enum(['market', 'market_adjusted', 'constant_mean']).optional().describe('normal-return model; default market'),
  bandP: numberParam(0, 1).optional().describe('two-sided level of the matched time-of-day band; default 0.05'),
  initialBars: intParam(0, MAX_INTRADAY_OFFSET, 'bars').optional().describe('first offset a significant run may start at; default 5'),
  benchmark: symbolParam.optional().describe("benchmark for every member instead of each instrument's own"),
};

const selectionShape = {
  symbols: symbolList.optional().describe('instruments, comma-separated (with or instead of group)'),
  group: slugParam.optional().describe('a group of instruments (GET /api/groups)'),
};

const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/, {
    message: 'must be an ISO 8601 instant with a zone, such as 2025-01-27T14:30:00Z',
    abort: true,
  })
  .transform((v) => new Date(v))
  .refine((d) => !Number.isNaN(d.getTime()) && instantInRange(d), 'is not a real instant in range');

/** GET /api/events/:slug/intraday (and its CSV and stream). */
export const eventIntradayQuery = z.strictObject({ ...selectionShape, ...intradayOptionShape });
/** GET /api/intraday?at= (and its CSV and stream). */
export const adhocIntradayQuery = z.strictObject({
  at: instant.describe('the instant studied (UTC or with an offset), e.g. 2025-01-27T14:30:00Z'),
  ...selectionShape,
  ...intradayOptionShape,
});

interface IntradaySelection {
  symbols: readonly string[] | null;
  group: string | null;
}

export interface IntradayHow {
  options: IntradayOptions;
  /** override for every member */
  benchmark: string | null;
}

export interface IntradayQuery {
  selection: IntradaySelection;
  how: IntradayHow;
  /** the ad hoc instant (null: the event's) */
  at: Date | null;
}

type OptionValues = z.output<z.ZodObject<typeof intradayOptionShape>>;

/** The options with the spec's defaults, checked together by the core (minDays <= estimationDays...). */
function howOf(q: OptionValues, where: string): IntradayHow {
  const { benchmark, ...options } = q;
  const checked = intradayOptionsFrom(options);
  if ('errors' in checked) throw invalidParameter(checked.errors[0].param, checked.errors[0].message, where);
  return { options: checked.options, benchmark: benchmark ?? null };
}

/** Who and how from a query string (or the CLI's options); `where` words the 400 ("query parameter", "option"). */
export function parseIntradayQuery(raw: Record<string, unknown>, adhoc: boolean, where = 'query parameter'): IntradayQuery {
  const parsed = (adhoc ? adhocIntradayQuery : eventIntradayQuery).safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error, where);
  const q = parsed.data as z.output<typeof adhocIntradayQuery>;
  const how = howOf(q, where);
  return { selection: { symbols: q.symbols ?? null, group: q.group ?? null }, how, at: adhoc ? q.at : null };
}

/** A stable key of a request's who and how (the live hub shares one computation per key). */
export function intradayKey(scope: string, q: IntradayQuery): string {
  return JSON.stringify([scope, q.at?.toISOString() ?? null, q.selection.group, q.selection.symbols, q.how]);
}
