// The wire shape of /api/shocks (issue 23): a detected group shock as the API returns it, shared by the routes,
// the OpenAPI document, the dashboard's Shocks pages and the shock alerts. Instants are ISO strings (UTC).
// Method: shared/methods/shocks.md (daily: KP-adjusted Patell Z on day-0 SARs; intraday: Lee-Mykland co-jumps).
import { z } from 'zod';

export const SHOCK_KINDS = ['daily', 'intraday'] as const;
const SHOCK_STATUSES = ['candidate', 'confirmed', 'dismissed'] as const;
export type ShockKind = (typeof SHOCK_KINDS)[number];
export type ShockStatus = (typeof SHOCK_STATUSES)[number];

const shockMemberSchema = z.strictObject({
  symbol: z.string(),
  market: z.string().describe("the member's exchange code (markets/exchanges)"),
  ar: z.number().nullable().describe('abnormal return on the day (daily) or in the first flagged bar (intraday)'),
  sar: z
    .number()
    .nullable()
    .describe('daily: the standardised abnormal return SAR_{i,0}; intraday: the Lee-Mykland L = AR / sigma_s of that bar'),
  jumped: z.boolean().optional().describe('intraday: the member jumped in the shock direction in one of the episode bars'),
  firstBar: z.iso.datetime().nullable().optional().describe("intraday: start of the member's first jump bar in the episode"),
});

const firstBarSchema = z.strictObject({
  market: z.string(),
  t: z.iso.datetime().describe("start of the exchange's first flagged bar (intraday) or its session open (daily)"),
});

const shockNewsSchema = z.strictObject({
  id: z.number().int(),
  title: z.string(),
  url: z.string(),
  publishedAt: z.iso.datetime().nullable(),
  source: z.string().nullable().describe('the publisher'),
  membersNamed: z.array(z.string()).describe('the members (symbols) the item names'),
});

const shockSchema = z.strictObject({
  id: z.number().int(),
  group: z.strictObject({ slug: z.string(), name: z.string() }),
  kind: z.enum(SHOCK_KINDS),
  sessionDate: z.iso.date().nullable().describe('daily: the session date D; intraday: the local date of the episode start'),
  start: z.iso.datetime().describe("daily: the earliest open among the members' sessions on D; intraday: the first flagged bar start"),
  end: z.iso.datetime().describe("daily: the latest close among the members' sessions; intraday: the end of the last flagged bar"),
  statistic: z.strictObject({
    z: z.number().nullable().describe('daily: KP-adjusted Patell Z; intraday: the mean L of the members jumping in the first flagged bar'),
    p: z.number().nullable().describe('daily: 2 (1 - Phi(|z|)); intraday: null'),
    n: z.number().int().describe('members taking part (daily N, intraday N_t of the first flagged bar)'),
    rbar: z.number().nullable().describe('daily: the mean cross-correlation of estimation residuals; intraday: null'),
    bmpT: z.number().nullable().describe('daily, reported only'),
    kpT: z.number().nullable().describe('daily, reported only'),
    criticalValue: z.number().nullable().describe('intraday: C_n + S_n beta*; daily: null'),
  }),
  breadth: z.strictObject({
    count: z.int().describe('daily: members with |SAR| >= 2 in the direction; intraday: members jumping in the direction'),
    share: z.number(),
  }),
  direction: z.enum(['up', 'down']),
  size: z.strictObject({
    aar: z.number().nullable().describe('AAR_0 (daily) or the mean AR of the first flagged bar (intraday)'),
    valueChangeUsd: z.number().nullable().describe('the basket market value change in USD where share counts exist; null otherwise'),
  }),
  members: z.array(shockMemberSchema),
  firstBarByExchange: z.array(firstBarSchema).describe('earliest first, "who moved first"'),
  news: z.array(shockNewsSchema).describe('top 5: most members named, then nearest to start'),
  status: z.enum(SHOCK_STATUSES),
  eventSlug: z.string().nullable().describe('the event it became when confirmed'),
  detectedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const shockListResponse = z.strictObject({ shocks: z.array(shockSchema) });
export const shockResponse = z.strictObject({ shock: shockSchema });

export type Shock = z.infer<typeof shockSchema>;
export type ShockMember = z.infer<typeof shockMemberSchema>;
export type ShockListResponse = z.infer<typeof shockListResponse>;
export type ShockResponse = z.infer<typeof shockResponse>;
