// One member of a cross-sectional study: its model, abnormal and standardised abnormal returns
// (methods sections 3-4) and its CARs with the standardised CAR of `carStd` (section 5).
import type { ImpactStatus } from '../eventStudy';
import type { Window } from '../marketModel';
import {
  memberSample,
  type BenchmarkCache,
  type CrossSectionMemberInput,
  type FactorDay,
  type FactorRegion,
  type MemberSampleResult,
  type PairedDay,
  type RemovedSession,
} from './memberSample';
import {
  abnormalReturn,
  carForecastVariance,
  designRow,
  factorAbnormalReturn,
  fitNormalReturnModel,
  forecastErrorCorrection,
  regressionCarVariance,
  regressionCorrection,
  type NormalReturnFit,
} from './normalReturnModels';
import { MIN_ESTIMATION_PAIRS, type CrossSectionOptions } from './options';

interface MemberModel {
  alpha: number | null;
  beta: number | null;
  sigma: number | null;
  /** L1: pairs in the estimation sample */
  n: number;
  /** d = L1 - k (k = 2 for the market model, factors + 1 for a factor model, else 1), whatever sigmaDf */
  dof: number | null;
  /** factor models only: each coefficient (const first) with its standard error, null when not fitted */
  coefficients?: { name: string; value: number; se: number }[] | null;
  /** factor models only: the factor region and file vintage used */
  factorRegion?: FactorRegion | null;
  factorVintage?: string | null;
}

interface MemberDay {
  offset: number;
  date: string;
  return: number | null;
  benchmarkReturn: number | null;
  abnormalReturn: number | null;
  /** AR / (s sqrt(C)) */
  sar: number | null;
}

interface MemberCar {
  from: number;
  to: number;
  /** null unless the member has an AR on every offset of the window */
  car: number | null;
  scar: number | null;
}

export interface CrossSectionMember {
  symbol: string;
  event: string | null;
  /** the date the member was given by (day 0 = first bar on or after it); null for an event member */
  date: string | null;
  day0: string | null;
  status: ImpactStatus | 'no_factors' | 'overlap';
  statusReason: string;
  subgroup: string | null;
  model: MemberModel;
  days: MemberDay[];
  cars: MemberCar[];
  /** sessions of other events taken out of the estimation sample (excludeEvents), with why */
  removedSessions: RemovedSession[];
  /** the member's other events in the study closer than the window length, or null */
  overlapNote: string | null;
}

/** What the aggregate tests need of an included member, beyond its public rows. */
export interface MemberEstimates {
  fit: NormalReturnFit;
  /** the estimation pairs, aligned with fit.residuals */
  estimation: readonly PairedDay[];
  /** offset -> AR and SAR, event window */
  abnormalReturns: ReadonlyMap<number, number>;
  standardized: ReadonlyMap<number, number>;
}

export interface MemberStudy {
  member: CrossSectionMember;
  /** null unless status is "ok": the member then enters the aggregates */
  estimates: MemberEstimates | null;
}

const NO_MODEL: MemberModel = { alpha: null, beta: null, sigma: null, n: 0, dof: null };

function standardizedCar(
  fit: NormalReturnFit,
  options: CrossSectionOptions,
  [from, to]: Window,
  days: ReadonlyMap<number, MemberDay>,
  factorsByOffset: ReadonlyMap<number, FactorDay>,
): { car: number | null; scar: number | null } {
  let car = 0;
  let sarSum = 0;
  const benchmarkReturns: number[] = [];
  const rows: number[][] = [];
  for (let offset = from; offset <= to; offset++) {
    const day = days.get(offset);
    if (day?.abnormalReturn == null || day.sar === null) return { car: null, scar: null };
    car += day.abnormalReturn;
    sarSum += day.sar;
    if (fit.regression !== null) rows.push(designRow(factorsByOffset.get(offset)!));
    else if (day.benchmarkReturn === null) return { car: null, scar: null };
    else benchmarkReturns.push(day.benchmarkReturn);
  }
  const L = to - from + 1;
  let scar: number;
  if (options.carStd === 'clm') {
    const V = fit.regression !== null ? regressionCarVariance(fit.regression.xtxInverse, rows) : carForecastVariance(fit, benchmarkReturns);
    scar = car / (fit.sigma * Math.sqrt(V));
  } else if (options.carStd === 'patell_sum')
    scar = sarSum / Math.sqrt(L); // Eventus' cumulated Patell Z
  else scar = car / (fit.sigma * Math.sqrt(L));
  return { car, scar };
}

/**
 * Model, ARs, SARs and CARs of one member; members without enough history keep a status and reason. `sampled`
 * is its memberSample when the study already made it; `overlap` its overlap note and whether it is left out.
 */
export function studyMember(
  input: CrossSectionMemberInput,
  options: CrossSectionOptions,
  cache?: BenchmarkCache,
  sampled: MemberSampleResult = memberSample(input, options, cache),
  overlap: { note: string; excluded: boolean } | null = null,
): MemberStudy {
  const base = {
    symbol: input.symbol,
    event: input.event ?? null,
    date: 'date' in input.dayZero ? input.dayZero.date : null,
    subgroup: input.subgroup ?? null,
  };
  const overlapNote = overlap?.note ?? null;
  if (!sampled.ok || overlap?.excluded) {
    const member: CrossSectionMember = {
      ...base,
      day0: sampled.ok ? sampled.sample.day0 : sampled.day0,
      status: sampled.ok ? 'overlap' : sampled.status,
      statusReason: sampled.ok ? `${overlapNote}; left out (overlap=${options.overlap})` : sampled.reason,
      model: { ...NO_MODEL },
      days: [],
      cars: options.cars.map(([from, to]) => ({ from, to, car: null, scar: null })),
      removedSessions: sampled.ok ? sampled.sample.removed : [],
      overlapNote,
    };
    return { member, estimates: null };
  }
  const { sample } = sampled;
  const L1 = sample.estimation.length;
  const sampleText = options.estimationDates
    ? `dated ${options.estimationDates[0]}..${options.estimationDates[1]}`
    : `at offsets [${options.estimation[0]},${options.estimation[1]}]`;
  let fitted: { fit: NormalReturnFit } | { reason: string };
  if (L1 < Math.max(options.minObs, MIN_ESTIMATION_PAIRS)) {
    fitted = { reason: `${input.symbol} has ${L1} paired estimation returns ${sampleText}; at least ${options.minObs} are needed` };
  } else {
    fitted = fitNormalReturnModel(sample.estimation, sample.benchmarkEstimationReturns, options);
  }
  const fit = 'fit' in fitted ? fitted.fit : null;

  const factorsByOffset = new Map<number, FactorDay>();
  const days: MemberDay[] = sample.window.map((d) => {
    let ar: number | null = null;
    let sar: number | null = null;
    if (fit?.regression && d.return !== null && d.factors !== null) {
      factorsByOffset.set(d.offset, d.factors);
      ar = factorAbnormalReturn(fit.regression, d.return, d.factors);
      sar = ar / (fit.sigma * Math.sqrt(regressionCorrection(fit.regression.xtxInverse, designRow(d.factors))));
    } else if (fit !== null && fit.regression === null && d.return !== null && d.benchmarkReturn !== null) {
      ar = abnormalReturn(fit, d.return, d.benchmarkReturn);
      sar = ar / (fit.sigma * Math.sqrt(forecastErrorCorrection(fit, d.benchmarkReturn)));
    }
    return { offset: d.offset, date: d.date, return: d.return, benchmarkReturn: d.benchmarkReturn, abnormalReturn: ar, sar };
  });
  const daysByOffset = new Map(days.map((d) => [d.offset, d]));
  const cars = options.cars.map(
    ([from, to]): MemberCar => ({
      from,
      to,
      ...(fit === null ? { car: null, scar: null } : standardizedCar(fit, options, [from, to], daysByOffset, factorsByOffset)),
    }),
  );

  const removedText =
    sample.removed.length > 0
      ? `, ${sample.removed.length} session${sample.removed.length === 1 ? '' : 's'} of other events removed (excludeEvents=${options.excludeEvents})`
      : '';
  const factorText = sample.factors ? ` (${sample.factors.region} factors, ${sample.factors.vintage})` : '';
  const statusReason =
    fit === null
      ? `${'reason' in fitted ? fitted.reason : ''}${removedText}; excluded from the aggregates`
      : `${options.model} model${factorText} fitted on ${L1} paired returns ${sampleText} ` +
        `(${sample.estimation[0].date} to ${sample.estimation[L1 - 1].date})${removedText}`;
  const factorSource = sample.factors
    ? {
        factorRegion: sample.factors.region,
        factorVintage: sample.factors.vintage,
        coefficients:
          fit?.regression?.names.map((name, j) => ({
            name,
            value: fit.regression!.coefficients[j],
            se: fit.regression!.standardErrors[j],
          })) ?? null,
      }
    : {};
  const member: CrossSectionMember = {
    ...base,
    day0: sample.day0,
    status: fit === null ? 'insufficient_estimation' : 'ok',
    statusReason,
    model: fit
      ? { alpha: fit.alpha, beta: fit.beta, sigma: fit.sigma, n: L1, dof: fit.dof, ...factorSource }
      : { ...NO_MODEL, n: L1, ...factorSource },
    days,
    cars,
    removedSessions: sample.removed,
    overlapNote,
  };
  if (fit === null) return { member, estimates: null };
  const abnormalReturns = new Map<number, number>();
  const standardized = new Map<number, number>();
  for (const d of days) {
    if (d.abnormalReturn !== null && d.sar !== null) {
      abnormalReturns.set(d.offset, d.abnormalReturn);
      standardized.set(d.offset, d.sar);
    }
  }
  return { member, estimates: { fit, estimation: sample.estimation, abnormalReturns, standardized } };
}
