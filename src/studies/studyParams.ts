// The query of a cross-sectional study: who (events, group, symbols, dates) and how (every option of the
// methods table, shared/methods/cross-section.md). One schema for GET /api/studies/run, its CSV twins, the
// parameters of a saved study and the CLI; a bad value is a 400 naming the parameter.
import { z } from 'zod';
import { resolveCrossSectionOptions, type CrossSectionOptions, type Window } from '../analysis';
import { validationError } from '../errors/appError';
import { isoDate, slugParam, symbolList, symbolParam } from '../http/validation';
import { MAX_ABS_OFFSET, MAX_CAR_WINDOWS, minObsParam } from '../impact/impactParams';
import type { StudySelection } from './studyMembers';

const WINDOW_PATTERN = /^\s*([-+]?\d{1,4})\s*,\s*([-+]?\d{1,4})\s*$/;

function parseWindow(text: string): Window | null {
  const m = WINDOW_PATTERN.exec(text);
  if (!m) return null;
  const window: Window = [Number(m[1]), Number(m[2])];
  return window[0] <= window[1] && Math.abs(window[0]) <= MAX_ABS_OFFSET && Math.abs(window[1]) <= MAX_ABS_OFFSET ? window : null;
}

const windowParam = (example: string) =>
  z.string().transform((text, ctx): Window => {
    const window = parseWindow(text);
    if (window) return window;
    ctx.addIssue({
      code: 'custom',
      message: `must be two integer offsets "from,to" with from <= to within ±${MAX_ABS_OFFSET}, such as ${example}`,
    });
    return z.NEVER;
  });

const choice = <T extends string>(values: readonly [T, ...T[]], text: string) => z.enum(values).optional().describe(text);

/** `slug` or `kind:earnings` (every event of that kind). */
const eventToken = z.string().regex(/^(?:kind:[A-Za-z0-9_.-]{1,60}|[a-z0-9]+(?:-[a-z0-9]+)*)$/, 'must be event slugs or kind:KIND');

const list = <T extends z.ZodType<string, string>>(item: T, max: number) =>
  z
    .string()
    .transform((v) => [
      ...new Set(
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(item).min(1, 'must name at least one').max(max));

/** The option parameters (the "how"), as strings. */
export const studyOptionShape = {
  window: windowParam('-5,10').optional().describe('event window "from,to" in the instrument\'s own sessions; default -5,10'),
  estimation: windowParam('-120,-11').optional().describe('estimation offsets "from,to", ending before the window; default -120,-11'),
  estimationDates: list(isoDate, 2)
    .refine((d) => d.length === 2 && d[0] <= d[1], 'must be two dates "D1,D2" with D1 <= D2')
    .optional()
    .describe('estimation sample by calendar dates "D1,D2" inclusive, instead of offsets'),
  minObs: minObsParam.optional().describe('fewest estimation pairs for a member to enter the aggregates; default 30'),
  cars: z
    .string()
    .transform((text, ctx): Window[] => {
      const windows = text.split(';').map(parseWindow);
      if (windows.some((w) => w === null) || windows.length > MAX_CAR_WINDOWS) {
        ctx.addIssue({ code: 'custom', message: `must be up to ${MAX_CAR_WINDOWS} windows "from,to" separated by ";", e.g. 0,0;-1,1` });
        return z.NEVER;
      }
      return windows as Window[];
    })
    .optional()
    .describe('CAR windows inside the window, e.g. 0,0;0,1;-1,1;0,5 (the default)'),
  benchmark: symbolParam.optional().describe("benchmark for every member instead of each instrument's own"),
  returns: choice(['simple', 'log'], 'simple (default) or log returns'),
  model: choice(
    ['market', 'market_adjusted', 'constant_mean', 'ff3', 'carhart', 'ff5'],
    "normal-return model; default market; ff3, carhart, ff5: Kenneth French's factors of the member's region (README, Factor models)",
  ),
  excludeEvents: z
    .string()
    .regex(/^(none|same|all|kind:[A-Za-z0-9_.-]{1,60})$/, 'must be none, same, all or kind:KIND')
    .optional()
    .describe(
      "other events whose day-0 session (± excludeMargin) leaves each member's estimation sample: none (default), same (the member's other events: in the study or linked to its moves), all, kind:KIND",
    ),
  excludeMargin: z
    .string()
    .regex(/^\d{1,2}$/, 'must be a whole number of sessions')
    .transform(Number)
    .optional()
    .describe("sessions removed on each side of another event's day 0; default 1"),
  overlap: choice(
    ['keep', 'first', 'drop'],
    'members of one instrument whose events are closer than the window length: keep (default, noted), first (only the earliest stays), drop',
  ),
  sigmaDf: choice(['model', 'sd'], 'degrees of freedom of s: L1 - k (model, default) or L1 - 1 (sd)'),
  carStd: choice(['clm', 'patell_sum', 'simple'], 'standardised CAR; default clm'),
  kpCorr: choice(['pairwise', 'listwise'], 'Kolari-Pynnonen rbar; default pairwise'),
  rankScale: choice(['uniform', 'raw'], 'rank test scaling; default uniform'),
  rankNorm: choice(['mean', 'sqrtn'], 'rank test normalisation; default mean'),
  gsignPhat: choice(['firm_mean', 'pooled'], 'generalised sign test p-hat; default firm_mean'),
  feMoments: choice(['paired', 'benchmark'], 'forecast-error moments; default paired'),
};

/** The member parameters (the "who"). */
const studySelectionShape = {
  events: list(eventToken, 200).optional().describe('event slugs, or kind:KIND for every event of a kind, comma-separated'),
  group: slugParam.optional().describe('a group of instruments (GET /api/groups)'),
  symbols: symbolList.optional().describe('instruments, comma-separated (with or instead of group)'),
  dates: list(isoDate, 200).optional().describe('day-0 dates instead of events: day 0 = the first bar on or after each date'),
};

export const OPTION_NAMES = Object.keys(studyOptionShape) as (keyof typeof studyOptionShape)[];

type OptionValues = z.output<z.ZodObject<typeof studyOptionShape>>;

export interface StudyOptions {
  options: Partial<CrossSectionOptions>;
  /** override for every member */
  benchmark: string | null;
}

/** Checks the options together (windows inside each other...) as the engine will, naming the parameter. */
function toEngineOptions(q: OptionValues, ctx: z.RefinementCtx): StudyOptions {
  const { benchmark, estimationDates, excludeEvents, ...rest } = q;
  const options: Partial<CrossSectionOptions> = {
    ...rest,
    ...(excludeEvents ? { excludeEvents: excludeEvents as CrossSectionOptions['excludeEvents'] } : {}),
    ...(estimationDates ? { estimationDates: [estimationDates[0], estimationDates[1]] as const } : {}),
  };
  try {
    resolveCrossSectionOptions(options);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const name = /^(\w+)/.exec(e.message)?.[1] ?? 'query';
    ctx.addIssue({ code: 'custom', path: [name], message: e.message.replace(/^\w+ /, '') });
    return z.NEVER;
  }
  return { options, benchmark: benchmark ?? null };
}

const studyOptionsSchema = z.strictObject(studyOptionShape).transform(toEngineOptions);

/** GET /api/studies/run: who and how in one query string. */
export const studyRunQuery = z.strictObject({ ...studySelectionShape, ...studyOptionShape });

/** The raw option strings of a query (what a saved study stores). */
function optionStrings(query: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(OPTION_NAMES.flatMap((k) => (typeof query[k] === 'string' ? [[k, query[k] as string]] : [])));
}

/** JSON parameters of a saved study: strings as in the query, or numbers and arrays (window: [-5, 10]). */
export const studyParametersBody = z
  .record(z.string(), z.union([z.string(), z.number(), z.array(z.union([z.number(), z.string(), z.array(z.number())]))]))
  .transform(
    (p): Record<string, string | undefined> =>
      Object.fromEntries(
        Object.entries(p).map(([k, v]) => [
          k,
          Array.isArray(v) ? v.map((x) => (Array.isArray(x) ? x.join(',') : String(x))).join(Array.isArray(v[0]) ? ';' : ',') : String(v),
        ]),
      ),
  )
  .pipe(z.strictObject(Object.fromEntries(OPTION_NAMES.map((k) => [k, z.string().optional()]))))
  .superRefine((p, ctx) => {
    const r = studyOptionsSchema.safeParse(p);
    if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  })
  .transform((p) => Object.fromEntries(Object.entries(p).filter((e): e is [string, string] => typeof e[1] === 'string')));

/** The engine's options from stored (already checked) parameter strings. */
export function parseStudyOptions(parameters: Record<string, string>): StudyOptions {
  return studyOptionsSchema.parse(parameters);
}

/** Who and how of an ad hoc run from its query (or the CLI's options); a bad one is a 400 naming it. */
export function parseRunQuery(raw: Record<string, unknown>, where: string): { selection: StudySelection; how: StudyOptions } {
  const query = studyRunQuery.safeParse(raw);
  if (!query.success) throw validationError(query.error, where);
  const how = studyOptionsSchema.safeParse(optionStrings(raw));
  if (!how.success) throw validationError(how.error, where);
  const q = query.data;
  return {
    selection: { group: q.group ?? null, symbols: q.symbols ?? null, events: q.events ?? null, dates: q.dates ?? null },
    how: how.data,
  };
}
