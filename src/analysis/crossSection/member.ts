// One member of a cross-sectional study: its model, abnormal and standardised abnormal returns
// (methods sections 3-4) and its CARs with the standardised CAR of `carStd` (section 5).
import type { ImpactStatus } from '../eventStudy';
import type { Window } from '../marketModel';
import { memberSample, type BenchmarkCache, type CrossSectionMemberInput, type PairedDay } from './memberSample';
import {
  abnormalReturn,
  carForecastVariance,
  fitNormalReturnModel,
  forecastErrorCorrection,
  type NormalReturnFit,
} from './normalReturnModels';
import { MIN_ESTIMATION_PAIRS, type CrossSectionOptions } from './options';

interface MemberModel {
  alpha: number | null;
  beta: number | null;
  sigma: number | null;
  /** L1: pairs in the estimation sample */
  n: number;
  /** d = L1 - k (k = 2 for the market model, else 1), whatever sigmaDf */
  dof: number | null;
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
  status: ImpactStatus;
  statusReason: string;
  subgroup: string | null;
  model: MemberModel;
  days: MemberDay[];
  cars: MemberCar[];
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
): { car: number | null; scar: number | null } {
  let car = 0;
  let sarSum = 0;
  const benchmarkReturns: number[] = [];
  for (let offset = from; offset <= to; offset++) {
    const day = days.get(offset);
    if (day?.abnormalReturn == null || day.sar === null || day.benchmarkReturn === null) return { car: null, scar: null };
    car += day.abnormalReturn;
    sarSum += day.sar;
    benchmarkReturns.push(day.benchmarkReturn);
  }
  const L = to - from + 1;
  let scar: number;
  if (options.carStd === 'clm') scar = car / (fit.sigma * Math.sqrt(carForecastVariance(fit, benchmarkReturns)));
  else if (options.carStd === 'patell_sum')
    scar = sarSum / Math.sqrt(L); // Eventus' cumulated Patell Z
  else scar = car / (fit.sigma * Math.sqrt(L));
  return { car, scar };
}

/** Model, ARs, SARs and CARs of one member; members without enough history keep a status and reason. */
export function studyMember(input: CrossSectionMemberInput, options: CrossSectionOptions, cache?: BenchmarkCache): MemberStudy {
  const base = {
    symbol: input.symbol,
    event: input.event ?? null,
    date: 'date' in input.dayZero ? input.dayZero.date : null,
    subgroup: input.subgroup ?? null,
  };
  const sampled = memberSample(input, options, cache);
  if (!sampled.ok) {
    const member: CrossSectionMember = {
      ...base,
      day0: sampled.day0,
      status: sampled.status,
      statusReason: sampled.reason,
      model: { ...NO_MODEL },
      days: [],
      cars: options.cars.map(([from, to]) => ({ from, to, car: null, scar: null })),
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

  const days: MemberDay[] = sample.window.map((d) => {
    let ar: number | null = null;
    let sar: number | null = null;
    if (fit !== null && d.return !== null && d.benchmarkReturn !== null) {
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
      ...(fit === null ? { car: null, scar: null } : standardizedCar(fit, options, [from, to], daysByOffset)),
    }),
  );

  const statusReason =
    fit === null
      ? `${'reason' in fitted ? fitted.reason : ''}; excluded from the aggregates`
      : `${options.model} model fitted on ${L1} paired returns ${sampleText} ` +
        `(${sample.estimation[0].date} to ${sample.estimation[L1 - 1].date})`;
  const member: CrossSectionMember = {
    ...base,
    day0: sample.day0,
    status: fit === null ? 'insufficient_estimation' : 'ok',
    statusReason,
    model: fit ? { alpha: fit.alpha, beta: fit.beta, sigma: fit.sigma, n: L1, dof: fit.dof } : { ...NO_MODEL, n: L1 },
    days,
    cars,
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
