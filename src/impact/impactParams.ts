// The query of an event study: `?symbols=NVDA,6857.T&window=-5,10&estimation=-120,-11&minObs=30&benchmark=^IXIC`.
// One schema for every route that runs one (the JSON impact route, the CSV export), and for the API description.
import { z } from 'zod';
import { DEFAULT_EVENT_STUDY_PARAMS, type Window } from '../analysis';
import { symbolList, symbolParam } from '../http/validation';

/** Offsets beyond this many sessions from day 0 are refused: two years of history is more than any event study needs. */
export const MAX_ABS_OFFSET = 500;

/** `minObs`: the fewest estimation pairs for a market model (the residual sigma needs n - 2 > 0, so at least 3). */
export const minObsParam = z
  .string()
  .regex(/^\d{1,4}$/, 'must be a whole number')
  .transform(Number)
  .pipe(
    z
      .number()
      .int()
      .min(3, 'must be at least 3 (the residual sigma needs n - 2 > 0)')
      .max(2 * MAX_ABS_OFFSET),
  );
/** A CAR window list is short: each is a line of the result. */
export const MAX_CAR_WINDOWS = 12;

const WINDOW_PATTERN = /^\s*(-?\+?\d{1,4})\s*,\s*(-?\+?\d{1,4})\s*$/;

function parseWindow(text: string): Window | null {
  const m = WINDOW_PATTERN.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** "a,b": two integer trading-day offsets from day 0, a <= b, both within ±MAX_ABS_OFFSET. */
const windowParam = (example: string) =>
  z
    .string()
    .describe(`two trading-day offsets from day 0 as "from,to", e.g. ${example}`)
    .transform((text, ctx): Window => {
      const window = parseWindow(text);
      if (!window) {
        ctx.addIssue({ code: 'custom', message: `must be two integer offsets "from,to" such as ${example}` });
        return z.NEVER;
      }
      const [from, to] = window;
      if (Math.abs(from) > MAX_ABS_OFFSET || Math.abs(to) > MAX_ABS_OFFSET) {
        ctx.addIssue({ code: 'custom', message: `offsets must lie within ±${MAX_ABS_OFFSET} sessions` });
        return z.NEVER;
      }
      if (from > to) {
        ctx.addIssue({ code: 'custom', message: `start must not be after end (got ${from},${to})` });
        return z.NEVER;
      }
      return window;
    });

const formatWindow = ([from, to]: Window) => `[${from},${to}]`;

/** The impact query as it arrives (strings) and as the service takes it (parsed, defaults applied). */
export const impactQuerySchema = z
  .object({
    symbols: symbolList.optional().describe('comma-separated symbols; default: every tracked equity that has a benchmark'),
    window: windowParam('-10,10')
      .optional()
      .describe(`event window "from,to" in sessions relative to day 0; default ${DEFAULT_EVENT_STUDY_PARAMS.window.join(',')}`),
    estimation: windowParam('-120,-11')
      .optional()
      .describe(
        `estimation window of the market model "from,to"; must end before the event window; default ${DEFAULT_EVENT_STUDY_PARAMS.estimation.join(',')}`,
      ),
    minObs: minObsParam
      .optional()
      .describe(`fewest paired returns for fitting the market model; default ${DEFAULT_EVENT_STUDY_PARAMS.minObs}`),
    benchmark: symbolParam.optional().describe("benchmark for every symbol instead of each instrument's own (e.g. ^IXIC or SMH)"),
    model: z
      .enum(['market', 'ff3', 'carhart', 'ff5'])
      .optional()
      .describe("normal-return model: market (default) or Kenneth French's ff3, carhart, ff5 factors of each instrument's region"),
    cars: z
      .string()
      .transform((text, ctx): Window[] => {
        const windows: Window[] = [];
        for (const part of text.split(';')) {
          const window = parseWindow(part);
          if (!window || window[0] > window[1] || Math.abs(window[0]) > MAX_ABS_OFFSET || Math.abs(window[1]) > MAX_ABS_OFFSET) {
            ctx.addIssue({ code: 'custom', message: `"${part}" is not a window "from,to" with from <= to` });
            return z.NEVER;
          }
          windows.push(window);
        }
        if (windows.length > MAX_CAR_WINDOWS) {
          ctx.addIssue({ code: 'custom', message: `at most ${MAX_CAR_WINDOWS} windows` });
          return z.NEVER;
        }
        return windows;
      })
      .optional()
      .describe(
        `CAR windows separated by ";", e.g. 0,0;-1,1; default ${DEFAULT_EVENT_STUDY_PARAMS.carWindows.map((w) => w.join(',')).join(';')}`,
      ),
  })
  // not strict: a route that takes more parameters (the CSV export) parses the same query with its own schema too
  .transform((q, ctx) => {
    const window = q.window ?? DEFAULT_EVENT_STUDY_PARAMS.window;
    const estimation = q.estimation ?? DEFAULT_EVENT_STUDY_PARAMS.estimation;
    // the same rule the core enforces, said in terms of the request's parameters
    if (estimation[1] >= window[0]) {
      ctx.addIssue({
        code: 'custom',
        path: ['estimation'],
        message: `must end before the event window starts (estimation ${formatWindow(estimation)} overlaps window ${formatWindow(window)})`,
      });
      return z.NEVER;
    }
    return {
      symbols: q.symbols ? [...new Set(q.symbols)] : null,
      window,
      estimation,
      minObs: q.minObs ?? DEFAULT_EVENT_STUDY_PARAMS.minObs,
      benchmark: q.benchmark ?? null,
      carWindows: q.cars ?? DEFAULT_EVENT_STUDY_PARAMS.carWindows,
      model: q.model ?? 'market',
    };
  });

export type ImpactQuery = z.output<typeof impactQuerySchema>;
