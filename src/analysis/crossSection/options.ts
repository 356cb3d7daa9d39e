// Options of a cross-sectional event study, named as in the methods table
// (shared/methods/cross-section.md, "Option names in the API"), with its defaults.
import { DEFAULT_ESTIMATION_WINDOW, DEFAULT_MIN_OBSERVATIONS, type Window } from '../marketModel';
import type { ReturnKind } from '../returns';
import { formatWindow } from '../eventStudyParams';

/** The Fama-French and Carhart models of shared/methods/factors.md */
export type FactorModelKind = 'ff3' | 'carhart' | 'ff5';
export type NormalReturnModelKind = 'market' | 'market_adjusted' | 'constant_mean' | FactorModelKind;
const FACTOR_MODELS: readonly FactorModelKind[] = ['ff3', 'carhart', 'ff5'];
export const isFactorModel = (model: NormalReturnModelKind): model is FactorModelKind =>
  (FACTOR_MODELS as readonly string[]).includes(model);
/** which other events' day-0 sessions leave the estimation sample: none, the member's own others, all, or one kind */
type ExcludeEvents = 'none' | 'same' | 'all' | `kind:${string}`;
/** what a member whose instrument has another event closer than the window length becomes */
type OverlapPolicy = 'keep' | 'first' | 'drop';
/** `model`: s^2 with L1 - k degrees of freedom; `sd`: the sample sd of the estimation ARs (L1 - 1) for every model */
type SigmaDf = 'model' | 'sd';
type CarStd = 'clm' | 'patell_sum' | 'simple';
export type KpCorr = 'pairwise' | 'listwise';
export type RankScale = 'uniform' | 'raw';
export type RankNorm = 'mean' | 'sqrtn';
type GsignPhat = 'firm_mean' | 'pooled';
/** where xbar and S_xx of the forecast-error correction come from */
type FeMoments = 'paired' | 'benchmark';

export interface CrossSectionOptions {
  returns: ReturnKind;
  model: NormalReturnModelKind;
  sigmaDf: SigmaDf;
  carStd: CarStd;
  kpCorr: KpCorr;
  rankScale: RankScale;
  rankNorm: RankNorm;
  gsignPhat: GsignPhat;
  feMoments: FeMoments;
  /** event window W, offsets in the instrument's own bars */
  window: Window;
  /** estimation offsets E; ignored when `estimationDates` is given */
  estimation: Window;
  /** estimation sample by calendar dates [D1, D2] inclusive, instead of offsets */
  estimationDates: readonly [from: string, to: string] | null;
  /** fewest estimation pairs for a member to enter the aggregates */
  minObs: number;
  /** CAR windows, each inside `window` */
  cars: readonly Window[];
  /** echoed: the events whose day 0 (± excludeMargin sessions) the members' `otherEvents` remove from estimation */
  excludeEvents: ExcludeEvents;
  /** sessions removed on each side of another event's day 0 */
  excludeMargin: number;
  overlap: OverlapPolicy;
}

const DEFAULT_CROSS_SECTION_OPTIONS: Readonly<CrossSectionOptions> = {
  returns: 'simple',
  model: 'market',
  sigmaDf: 'model',
  carStd: 'clm',
  kpCorr: 'pairwise',
  rankScale: 'uniform',
  rankNorm: 'mean',
  gsignPhat: 'firm_mean',
  feMoments: 'paired',
  window: [-5, 10],
  estimation: DEFAULT_ESTIMATION_WINDOW,
  estimationDates: null,
  minObs: DEFAULT_MIN_OBSERVATIONS,
  cars: [
    [0, 0],
    [0, 1],
    [-1, 1],
    [0, 5],
  ],
  excludeEvents: 'none',
  excludeMargin: 1,
  overlap: 'keep',
};

/** The fewest estimation pairs ever accepted: s^2 of the market model needs L1 - 2 > 0. */
export const MIN_ESTIMATION_PAIRS = 3;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const CHOICES: { [K in keyof CrossSectionOptions]?: readonly string[] } = {
  returns: ['simple', 'log'],
  model: ['market', 'market_adjusted', 'constant_mean', ...FACTOR_MODELS],
  sigmaDf: ['model', 'sd'],
  carStd: ['clm', 'patell_sum', 'simple'],
  kpCorr: ['pairwise', 'listwise'],
  rankScale: ['uniform', 'raw'],
  rankNorm: ['mean', 'sqrtn'],
  gsignPhat: ['firm_mean', 'pooled'],
  feMoments: ['paired', 'benchmark'],
  overlap: ['keep', 'first', 'drop'],
};

function assertWindow(name: string, [from, to]: Window): void {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from > to) {
    throw new RangeError(`${name} must be integer offsets [from, to] with from <= to, got ${formatWindow([from, to])}`);
  }
}

/** Defaults filled in and every option checked; a RangeError names the offending option. */
export function resolveCrossSectionOptions(overrides: Partial<CrossSectionOptions> = {}): CrossSectionOptions {
  const given = Object.entries(overrides).filter(([, value]) => value !== undefined);
  const options: CrossSectionOptions = { ...DEFAULT_CROSS_SECTION_OPTIONS, ...Object.fromEntries(given) };
  for (const [name, allowed] of Object.entries(CHOICES)) {
    const value = options[name as keyof CrossSectionOptions];
    if (typeof value !== 'string' || !allowed.includes(value)) {
      throw new RangeError(`${name} must be one of ${allowed.join(', ')}, got ${String(value)}`);
    }
  }
  assertWindow('window', options.window);
  assertWindow('estimation', options.estimation);
  if (options.estimationDates === null && options.estimation[1] >= options.window[0]) {
    // Overlap would let the event's own returns define the "normal" returns it is measured against.
    throw new RangeError(
      `estimation ${formatWindow(options.estimation)} must end before the window ${formatWindow(options.window)} starts`,
    );
  }
  if (options.estimationDates !== null) {
    const [from, to] = options.estimationDates;
    if (!ISO_DATE.test(from) || !ISO_DATE.test(to) || from > to) {
      throw new RangeError(`estimationDates must be two YYYY-MM-DD dates, first <= second, got ${from},${to}`);
    }
  }
  if (!/^(none|same|all|kind:[A-Za-z0-9_.-]{1,60})$/.test(options.excludeEvents)) {
    throw new RangeError(`excludeEvents must be none, same, all or kind:KIND, got ${options.excludeEvents}`);
  }
  if (!Number.isInteger(options.excludeMargin) || options.excludeMargin < 0 || options.excludeMargin > 20) {
    throw new RangeError(`excludeMargin must be a whole number of sessions 0..20, got ${options.excludeMargin}`);
  }
  if (!Number.isInteger(options.minObs) || options.minObs < MIN_ESTIMATION_PAIRS) {
    throw new RangeError(`minObs must be an integer >= ${MIN_ESTIMATION_PAIRS}, got ${options.minObs}`);
  }
  for (const car of options.cars) {
    assertWindow('cars', car);
    if (car[0] < options.window[0] || car[1] > options.window[1]) {
      throw new RangeError(`cars window ${formatWindow(car)} must lie inside the window ${formatWindow(options.window)}`);
    }
  }
  return options;
}
