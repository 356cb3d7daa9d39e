// The answer of GET /api/studies/run and GET /api/studies/:slug as a zod schema: the names clients rely on
// (issue 13, "The answer"). A test parses real answers with it; the dashboard takes its type.
import { z } from 'zod';

const num = z.number().nullable();
const statistic = z.object({ stat: z.number(), p: z.number() }).nullable();

const tests = z.object({ csectT: statistic, patellZ: statistic, bmpT: statistic, kpT: statistic, rankZ: statistic, gsignZ: statistic });
const extras = z.object({ bw1980T: statistic, bw1985T: statistic, signZ: statistic, csignZ: statistic });
const wilcoxon = z.object({ wPlus: z.number(), n: z.number().int(), z: num, p: num, pExact: num }).nullable();

const tested = { tests, extras, wilcoxon, notes: z.array(z.string()) };

const aggregateSchema = z.object({
  n: z.number().int(),
  overlapping: z.number().int().describe('members (included or not) with another event of their instrument closer than the window length'),
  rbar: num,
  days: z.array(z.object({ offset: z.number().int(), n: z.number().int(), aar: num, caar: num, ...tested })),
  cars: z.array(z.object({ from: z.number().int(), to: z.number().int(), n: z.number().int(), caar: num, meanCar: num, ...tested })),
  notes: z.array(z.string()),
});

const studyMemberSchema = z.object({
  symbol: z.string(),
  event: z.string().nullable(),
  date: z.string().nullable(),
  day0: z.string().nullable(),
  status: z.enum(['ok', 'insufficient_estimation', 'no_data', 'no_benchmark', 'no_factors', 'overlap']),
  statusReason: z.string(),
  subgroup: z.string().nullable(),
  model: z.object({
    alpha: num,
    beta: num,
    sigma: num,
    n: z.number().int().describe('L1: estimation pairs left after excludeEvents'),
    dof: z.number().int().nullable(),
    coefficients: z
      .array(z.object({ name: z.string(), value: z.number(), se: z.number() }))
      .nullable()
      .optional()
      .describe('factor models: const and each factor with its standard error'),
    factorRegion: z.enum(['us', 'europe', 'developed_ex_us']).nullable().optional().describe('factor models: the region of the factors'),
    factorVintage: z.string().nullable().optional().describe('factor models: the database vintage of the factor files, e.g. CRSP 202604'),
  }),
  days: z.array(z.object({ offset: z.number().int(), date: z.string(), return: num, benchmarkReturn: num, abnormalReturn: num, sar: num })),
  cars: z.array(z.object({ from: z.number().int(), to: z.number().int(), car: num, scar: num })),
  removedSessions: z
    .array(z.object({ date: z.string(), offset: z.number().int(), events: z.array(z.string()), reason: z.string() }))
    .describe('sessions of other events taken out of the estimation sample (excludeEvents), and why'),
  overlapNote: z.string().nullable().describe("the member's other events closer than the window length"),
});

const factorModelSchema = z
  .object({
    model: z.enum(['ff3', 'carhart', 'ff5']),
    factors: z.array(z.string()),
    regions: z.array(z.object({ region: z.enum(['us', 'europe', 'developed_ex_us']), vintage: z.string(), members: z.number().int() })),
    noFactors: z.number().int(),
    note: z.string(),
  })
  .nullable();

const windowSchema = z.tuple([z.number().int(), z.number().int()]);

const studyOptionsSchemaOut = z.object({
  returns: z.enum(['simple', 'log']),
  model: z.enum(['market', 'market_adjusted', 'constant_mean', 'ff3', 'carhart', 'ff5']),
  excludeEvents: z.string(),
  excludeMargin: z.number().int(),
  overlap: z.enum(['keep', 'first', 'drop']),
  sigmaDf: z.enum(['model', 'sd']),
  carStd: z.enum(['clm', 'patell_sum', 'simple']),
  kpCorr: z.enum(['pairwise', 'listwise']),
  rankScale: z.enum(['uniform', 'raw']),
  rankNorm: z.enum(['mean', 'sqrtn']),
  gsignPhat: z.enum(['firm_mean', 'pooled']),
  feMoments: z.enum(['paired', 'benchmark']),
  window: windowSchema,
  estimation: windowSchema,
  estimationDates: z.tuple([z.string(), z.string()]).nullable(),
  minObs: z.number().int(),
  cars: z.array(windowSchema),
});

const savedStudySchema = z.object({
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  selection: z.record(z.string(), z.unknown()),
  parameters: z.record(z.string(), z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** GET /api/studies/run, GET /api/studies/:slug */
export const studyResponseSchema = z.object({
  study: savedStudySchema.nullable(),
  benchmark: z.string().nullable(),
  options: studyOptionsSchemaOut,
  members: z.array(studyMemberSchema),
  aggregate: aggregateSchema,
  subgroups: z.array(z.object({ subgroup: z.string(), aggregate: aggregateSchema })),
  factorModel: factorModelSchema.describe('factor models: the factors, and per region the file vintage and its members'),
});

export type StudyResponse = z.infer<typeof studyResponseSchema>;

/** GET /api/studies */
export const studyListResponseSchema = z.object({ studies: z.array(savedStudySchema) });
