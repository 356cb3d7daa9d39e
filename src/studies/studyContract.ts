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
  status: z.enum(['ok', 'insufficient_estimation', 'no_data', 'no_benchmark']),
  statusReason: z.string(),
  subgroup: z.string().nullable(),
  model: z.object({ alpha: num, beta: num, sigma: num, n: z.number().int(), dof: z.number().int().nullable() }),
  days: z.array(z.object({ offset: z.number().int(), date: z.string(), return: num, benchmarkReturn: num, abnormalReturn: num, sar: num })),
  cars: z.array(z.object({ from: z.number().int(), to: z.number().int(), car: num, scar: num })),
});

const windowSchema = z.tuple([z.number().int(), z.number().int()]);

const studyOptionsSchemaOut = z.object({
  returns: z.enum(['simple', 'log']),
  model: z.enum(['market', 'market_adjusted', 'constant_mean']),
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
});

export type StudyResponse = z.infer<typeof studyResponseSchema>;

/** GET /api/studies */
export const studyListResponseSchema = z.object({ studies: z.array(savedStudySchema) });
