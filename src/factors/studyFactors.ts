// The factor returns a factor model needs (shared/methods/factors.md §1): per region, the latest stored vintage of
// the model's files over a date span, as columns for a compute worker, or why the region has none.
import type pg from 'pg';
import {
  isFactorModel,
  MODEL_FACTORS,
  type FactorDay,
  type FactorRegion,
  type MemberFactors,
  type NormalReturnModelKind,
} from '../analysis';
import { readFactorSet } from './factorStore';
import type { FactorSet } from './frenchCsv';

/** One region's factors as columns: fractions per day, x row-major (dates.length x factors). */
export type RegionFactors =
  | { region: FactorRegion; vintage: string; dates: string[]; rf: Float64Array; x: Float64Array; width: number }
  | { region: FactorRegion; reason: string };

const REGION_NAMES: Record<FactorRegion, string> = { us: 'the US', europe: 'Europe', developed_ex_us: 'Developed ex US' };
const SET_NAMES: Record<FactorSet, string> = { ff3: '3-factor', ff5: '5-factor', mom: 'momentum' };

/** The files (factor sets) of each model: Carhart is the 3 factors and the momentum file. */
const SETS_OF: Record<'ff3' | 'carhart' | 'ff5', FactorSet[]> = { ff3: ['ff3'], carhart: ['ff3', 'mom'], ff5: ['ff5'] };

async function regionFactors(
  pool: pg.Pool,
  model: 'ff3' | 'carhart' | 'ff5',
  region: FactorRegion,
  from: string,
  to: string,
): Promise<RegionFactors> {
  const sets = SETS_OF[model];
  const read = await Promise.all(sets.map((set) => readFactorSet(pool, region, set, from, to)));
  const missing = sets.filter((_, k) => read[k] === null);
  if (missing.length > 0) {
    return {
      region,
      reason:
        `the factor library has no daily ${missing.map((m) => SET_NAMES[m]).join(' and ')} file for ${REGION_NAMES[region]}, ` +
        `so the ${model} model cannot be fitted (aftershock factors import loads one)`,
    };
  }
  const [main, mom] = read as NonNullable<(typeof read)[number]>[];
  const momByDate = mom ? new Map(mom.dates.map((d, k) => [d, mom.values[k][0]])) : null;
  const width = MODEL_FACTORS[model].length;
  const dates: string[] = [];
  const rf: number[] = [];
  const x: number[] = [];
  main.dates.forEach((date, k) => {
    const v = main.values[k];
    // the set's columns end with RF: Mkt-RF SMB HML [RMW CMA] RF
    const factors = v.slice(0, -1);
    if (momByDate) factors.push(momByDate.get(date) ?? null);
    const riskFree = v[v.length - 1];
    if (riskFree === null || factors.some((f) => f === null || f === undefined)) return; // -99.99: no factors that day
    dates.push(date);
    rf.push(riskFree / 100);
    for (const f of factors) x.push((f as number) / 100);
  });
  const vintage = mom && mom.vintage !== main.vintage ? `${main.vintage} (Mom: ${mom.vintage})` : main.vintage;
  return { region, vintage, dates, rf: Float64Array.from(rf), x: Float64Array.from(x), width };
}

/** The factors of every region asked for, over [from, to]; empty for a model that uses none. */
export async function loadRegionFactors(
  pool: pg.Pool,
  model: NormalReturnModelKind,
  regions: Iterable<FactorRegion>,
  from: string,
  to: string,
): Promise<RegionFactors[]> {
  if (!isFactorModel(model)) return [];
  return Promise.all([...new Set(regions)].map((region) => regionFactors(pool, model, region, from, to)));
}

/** The engine's form of a region's factors (by date), built once per region in the worker. */
export function memberFactorsOf(columns: RegionFactors): MemberFactors {
  if ('reason' in columns) return columns;
  const byDate = new Map<string, FactorDay>();
  columns.dates.forEach((date, k) => {
    byDate.set(date, { rf: columns.rf[k], x: Array.from(columns.x.subarray(k * columns.width, (k + 1) * columns.width)) });
  });
  return { region: columns.region, vintage: columns.vintage, byDate };
}
