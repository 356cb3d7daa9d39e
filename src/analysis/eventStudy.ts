// Event study for one instrument and one news event: abnormal returns around day 0, their
// cumulative sums with t-tests, buy-and-hold abnormal return, and market value changes. Windows count bars
// (series.ts): sessions for daily bars, intraday bars when `barMinutes` is given.
import type { MarketCode } from '../markets/exchanges';
import { dayZeroIndex, eventBeforeHistory, eventDate, type NewsEvent } from './dayZero';
import { abnormalVolume, reportedVolume, volumeBaseline, type VolumeBaseline } from './abnormalVolume';
import { formatWindow, resolveParams, type EventStudyParams } from './eventStudyParams';
import {
  estimateExpectedReturnModel,
  estimationWindowPairs,
  expectedReturn,
  type EstimationShortfall,
  type ExpectedReturnModel,
  type Window,
} from './marketModel';
import { fxSeriesOf, marketValues } from './impactMoney';
import type { FxClose, FxSeriesByCurrency } from './marketValue';
import { barMoves, barReturns, returnsByTime, type PairedReturn } from './returns';
import { barTime, barTimes, type Bar } from './series';
import { twoSidedPValue } from './stats';

export interface EventStudyInput {
  symbol: string;
  /** the instrument's bars, ascending by time: daily bars, or intraday bars of `barMinutes` */
  dailyBars: readonly Bar[];
  /** benchmark index and its bars (ascending, of the same kind), or null when the instrument has none */
  benchmark: { symbol: string; dailyBars: readonly Bar[] } | null;
  event: NewsEvent;
  /** the instrument's session calendar (any market of src/markets): decides day 0 for timed events */
  exchangeCode: MarketCode;
  /** the length of an intraday bar, whose t is its opening instant; absent for daily bars */
  barMinutes?: number;
  /** defaults: DEFAULT_EVENT_STUDY_PARAMS */
  params?: Partial<EventStudyParams>;
  sharesOutstanding: number | null;
  /**
   * FX series by major currency ('EUR', 'KRW', 'GBP'), each with its closes (ascending) and which way it quotes
   * (EUR/USD dollars per euro, USD/KRW won per dollar); the series of the instrument's currency converts to USD
   */
  fxSeries?: FxSeriesByCurrency;
  /** USD/JPY closes (yen per dollar), ascending: the original form of fxCloses.JPY */
  usdJpyCloses?: readonly FxClose[];
  /** Yahoo's currency of the prices, e.g. 'USD', 'JPY', 'EUR', 'GBp' (pence: market values in GBP) */
  currency: string;
}

export type ImpactStatus = 'ok' | 'insufficient_estimation' | 'no_data' | 'no_benchmark' | 'no_factors';

interface ImpactModel {
  alpha: number | null;
  beta: number | null;
  sigma: number | null;
  r2: number | null;
  /** paired returns in the estimation window */
  n: number;
}

export interface ImpactDay {
  offset: number;
  /** the bar's t: its session date for daily bars */
  date: string;
  close: number;
  return: number | null;
  benchmarkReturn: number | null;
  abnormalReturn: number | null;
  /** sum of abnormal returns from the start of the event window through this day */
  car: number | null;
  /** close / close on day -1 x 100 (unadjusted) */
  rebased: number | null;
  move: number | null;
  /** in marketValueCurrency (the instrument's currency; GBP for a GBp quote) */
  marketValueChange: number | null;
  marketValueChangeUsd: number | null;
  volume: number | null;
  /** volume / volumeBaseline.mean (see abnormalVolume.ts) */
  abnormalVolume: number | null;
}

interface CarResult {
  from: number;
  to: number;
  car: number | null;
  t: number | null;
  p: number | null;
}

export interface EventImpact {
  symbol: string;
  benchmark: string | null;
  currency: string;
  day0: string | null;
  status: ImpactStatus;
  statusReason: string;
  model: ImpactModel;
  days: ImpactDay[];
  cars: CarResult[];
  bhar: number | null;
  /** currency of days[].marketValueChange: the major unit of `currency` (GBP for GBp) */
  marketValueCurrency: string;
  /** why market value changes are missing (unknown shares, no FX rate); null when all are given */
  marketValueNote: string | null;
  /** mean volume over the estimation window: the "normal" of abnormal volume */
  volumeBaseline: VolumeBaseline;
  /** day 0's volume / volumeBaseline.mean; null without volumes (indices, FX) */
  abnormalVolume: number | null;
  /** where the stored bars cut the event window short, and which figures are missing for it; null when they cover it */
  windowNote: string | null;
}

const EMPTY_MODEL: ImpactModel = { alpha: null, beta: null, sigma: null, r2: null, n: 0 };

/** The result of an instrument the study cannot measure: status no_data and why. */
export function withoutResults(
  base: Pick<EventImpact, 'symbol' | 'benchmark' | 'currency' | 'marketValueCurrency'>,
  statusReason: string,
): EventImpact {
  return {
    ...base,
    day0: null,
    status: 'no_data',
    statusReason,
    model: { ...EMPTY_MODEL },
    days: [],
    cars: [],
    bhar: null,
    marketValueNote: null,
    volumeBaseline: { mean: null, n: 0 },
    abnormalVolume: null,
    windowNote: null,
  };
}

function describeEstimation(
  symbol: string,
  benchmarkSymbol: string,
  estimation: Window,
  minObs: number,
  pairs: readonly PairedReturn[],
  model: ExpectedReturnModel,
  shortfall: EstimationShortfall,
  historyStart: string,
  benchmarkHistoryStart: string,
): string {
  const windowText = `the estimation window ${formatWindow(estimation)}`;
  const fallback = 'so the market-adjusted model (alpha 0, beta 1) is used and no t-statistics are given';
  if (shortfall === 'too_few_observations') {
    const starts =
      benchmarkHistoryStart > historyStart
        ? `${symbol} history starts ${historyStart}, ${benchmarkSymbol} history starts ${benchmarkHistoryStart}`
        : `history starts ${historyStart}`;
    return `${symbol} has ${model.n} paired returns in ${windowText} (${starts}); at least ${minObs} are needed, ${fallback}`;
  }
  if (shortfall === 'benchmark_without_variance') {
    return `${benchmarkSymbol} returns do not vary in ${windowText}, so no market model can be fitted; ${fallback}`;
  }
  const r2 = model.r2 === null ? 'n/a' : model.r2.toFixed(2);
  return (
    `${symbol}: market model against ${benchmarkSymbol} fitted on ${model.n} paired returns in ${windowText} ` +
    `(${pairs[0].t} to ${pairs[pairs.length - 1].t}); R² ${r2}`
  );
}

/** Π(1 + r) − Π(1 + alpha + beta·r_m) over offsets from..to; null when any day lacks a return. */
function buyAndHoldAbnormalReturn(
  model: ExpectedReturnModel,
  from: number,
  to: number,
  returnsAt: (offset: number) => { r: number | null; benchmarkReturn: number | null },
): number | null {
  let held = 1;
  let expected = 1;
  for (let offset = from; offset <= to; offset++) {
    const { r, benchmarkReturn } = returnsAt(offset);
    if (r === null || benchmarkReturn === null) return null;
    held *= 1 + r;
    expected *= 1 + expectedReturn(model, benchmarkReturn);
  }
  return held - expected;
}

/** Abnormal returns, CARs, BHAR and market value changes of one instrument around one event. */
export function computeImpact(input: EventStudyInput): EventImpact {
  const params = resolveParams(input.params);
  const { symbol, dailyBars, event, currency, sharesOutstanding } = input;
  if (sharesOutstanding !== null && !(Number.isFinite(sharesOutstanding) && sharesOutstanding > 0)) {
    throw new RangeError(`sharesOutstanding must be a positive number or null, got ${sharesOutstanding}`);
  }
  // Market value changes: unknown shares or a missing FX rate leave them null, with a note.
  const money = marketValues({ symbol, dailyBars, sharesOutstanding, currency, fx: fxSeriesOf(input.fxSeries, input.usdJpyCloses) });
  const base = { symbol, benchmark: input.benchmark?.symbol ?? null, currency, marketValueCurrency: money.currency };

  const instrumentReturns = barReturns(dailyBars); // also checks the time order
  const moves = barMoves(dailyBars);
  if (dailyBars.length === 0) return withoutResults(base, `${symbol} has no daily bars`);
  const dates = barTimes(dailyBars);
  const day0Index = dayZeroIndex(dates, event, input.exchangeCode, input.barMinutes);
  if (day0Index === null) {
    const when = event.dateOnly ? eventDate(event) : event.instant.toISOString();
    if (eventBeforeHistory(dates, event, input.exchangeCode, input.barMinutes)) {
      return withoutResults(base, `the event (${when}) comes before ${symbol}'s first bar (${dates[0]}), so its day 0 is not in the data`);
    }
    return withoutResults(base, `${symbol} has no session after the event (${when}) yet; its last bar is ${dates[dates.length - 1]}`);
  }

  // Expected-return model (null without a benchmark: no abnormal returns then).
  const benchmarkBars = input.benchmark?.dailyBars ?? [];
  let status: ImpactStatus;
  let statusReason: string;
  let model: ExpectedReturnModel | null = null;
  let benchmarkByDate = new Map<string, number>();
  if (input.benchmark === null || benchmarkBars.length === 0) {
    status = 'no_benchmark';
    statusReason = input.benchmark
      ? `the benchmark ${input.benchmark.symbol} has no daily bars, so abnormal returns, CARs and BHAR are not computed`
      : `${symbol} has no benchmark, so abnormal returns, CARs and BHAR are not computed`;
  } else {
    benchmarkByDate = returnsByTime(barReturns(benchmarkBars));
    const pairs = estimationWindowPairs(instrumentReturns, benchmarkByDate, day0Index, params.estimation);
    const estimated = estimateExpectedReturnModel(pairs, params.minObs);
    model = estimated.model;
    status = estimated.shortfall === null ? 'ok' : 'insufficient_estimation';
    statusReason = describeEstimation(
      symbol,
      input.benchmark.symbol,
      params.estimation,
      params.minObs,
      pairs,
      model,
      estimated.shortfall,
      dates[0],
      barTime(benchmarkBars[0]),
    );
  }

  // Lookups by bar index; indexes outside the history give null.
  const returnAt = (index: number): number | null => instrumentReturns[index]?.return ?? null;
  const benchmarkReturnAt = (index: number): number | null =>
    index >= 0 && index < dates.length ? (benchmarkByDate.get(dates[index]) ?? null) : null;
  const abnormalReturnAt = (index: number): number | null => {
    const r = returnAt(index);
    const benchmarkReturn = benchmarkReturnAt(index);
    if (model === null || r === null || benchmarkReturn === null) return null;
    return r - expectedReturn(model, benchmarkReturn);
  };

  const volumes = volumeBaseline(dailyBars, day0Index, params.estimation);
  const [windowFrom, windowTo] = params.window;
  const closeBeforeDayZero = day0Index >= 1 ? dailyBars[day0Index - 1].close : null;
  const days: ImpactDay[] = [];
  let car: number | null = 0;
  for (let offset = windowFrom; offset <= windowTo; offset++) {
    const index = day0Index + offset;
    const abnormalReturn = abnormalReturnAt(index);
    // A CAR is only a sum over the whole stretch: one unknown day (or a day before history starts) ends it.
    car = car !== null && abnormalReturn !== null ? car + abnormalReturn : null;
    if (index < 0 || index >= dailyBars.length) continue;
    const bar = dailyBars[index];
    const marketValue = money.at(index);
    days.push({
      offset,
      date: dates[index],
      close: bar.close,
      return: returnAt(index),
      benchmarkReturn: benchmarkReturnAt(index),
      abnormalReturn,
      car,
      rebased: closeBeforeDayZero !== null && closeBeforeDayZero > 0 ? (bar.close / closeBeforeDayZero) * 100 : null,
      move: moves[index].move,
      marketValueChange: marketValue.local,
      marketValueChangeUsd: marketValue.usd,
      volume: reportedVolume(bar.volume),
      abnormalVolume: abnormalVolume(bar.volume, volumes),
    });
  }

  const cars = params.carWindows.map(([from, to]): CarResult => {
    let sum: number | null = 0;
    for (let offset = from; offset <= to && sum !== null; offset++) {
      const abnormalReturn = abnormalReturnAt(day0Index + offset);
      sum = abnormalReturn === null ? null : sum + abnormalReturn;
    }
    // t-tests only under a fitted market model: the fallback's sigma is not a residual sigma.
    const sigma = status === 'ok' && model !== null ? model.sigma : null;
    if (sum === null || sigma === null || !(sigma > 0) || model === null) return { from, to, car: sum, t: null, p: null };
    const t = sum / (sigma * Math.sqrt(to - from + 1));
    return { from, to, car: sum, t, p: twoSidedPValue(t, model.n - 2) };
  });

  // Buy-and-hold abnormal return over the whole event window; needs every day of it.
  const bhar =
    model === null
      ? null
      : buyAndHoldAbnormalReturn(model, windowFrom, windowTo, (offset) => ({
          r: returnAt(day0Index + offset),
          benchmarkReturn: benchmarkReturnAt(day0Index + offset),
        }));

  return {
    ...base,
    day0: dates[day0Index],
    status,
    statusReason,
    model: model ? { alpha: model.alpha, beta: model.beta, sigma: model.sigma, r2: model.r2, n: model.n } : { ...EMPTY_MODEL },
    days,
    cars,
    bhar,
    marketValueNote: money.note(),
    volumeBaseline: volumes,
    abnormalVolume: abnormalVolume(dailyBars[day0Index].volume, volumes),
    windowNote: describeWindowCut(symbol, dates, day0Index, params.window),
  };
}

const signed = (offset: number): string => (offset > 0 ? `+${offset}` : String(offset));

/**
 * Where the stored bars end (or begin) inside the event window, in words: the days outside them are not in
 * `days`, and BHAR and the CARs that reach them are null. Null when the bars cover the whole window.
 */
function describeWindowCut(
  symbol: string,
  dates: readonly string[],
  day0Index: number,
  [windowFrom, windowTo]: readonly [number, number],
): string | null {
  const firstOffset = -day0Index;
  const lastOffset = dates.length - 1 - day0Index;
  const parts: string[] = [];
  if (windowTo > lastOffset)
    parts.push(
      `${symbol}'s stored prices end on ${dates[dates.length - 1]} (day ${signed(lastOffset)}), so days ${signed(Math.max(lastOffset + 1, windowFrom))} to ${signed(windowTo)} are not measured`,
    );
  if (windowFrom < firstOffset)
    parts.push(
      `${symbol}'s stored prices begin on ${dates[0]} (day ${signed(firstOffset)}), so days ${signed(windowFrom)} to ${signed(Math.min(firstOffset - 1, windowTo))} are not measured`,
    );
  if (parts.length === 0) return null;
  return `${parts.join('; ')}: BHAR [${signed(windowFrom)}, ${signed(windowTo)}] and any CAR reaching those days are missing`;
}
