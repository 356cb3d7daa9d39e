// The DeepSeek sell-off of Monday 27 January 2025, on the bundled market data (data/market).
// Expected moves are the published ones (SOURCES.md: NVDA -16.97%, Advantest -8.61%,
// SoftBank -8.32%, Tokyo Electron -4.90%) and are also recomputed here from the CSV closes.
import { basketMarketValueChange } from '../../src/analysis/basket';
import { computeImpact, type EventImpact, type EventStudyInput } from '../../src/analysis/eventStudy';
import { detectMoves } from '../../src/analysis/moves';
import type { ExchangeCode } from '../../src/markets/exchanges';
import { directOls, loadBars, loadShares, type CsvBar } from './helpers';

const APP_STORE_NO_1 = { instant: new Date('2025-01-26T00:00:00Z'), dateOnly: true }; // date only
const R1_RELEASE = { instant: new Date('2025-01-20T12:19:44Z'), dateOnly: false };

const usdJpy = loadBars('USDJPY.csv').map(({ date, close }) => ({ date, close }));
const shares = loadShares();
const benchmarkOf: Record<string, { file: string; exchangeCode: ExchangeCode; currency: string }> = {
  NVDA: { file: 'GSPC.csv', exchangeCode: 'US', currency: 'USD' },
  '6857.T': { file: 'N225.csv', exchangeCode: 'TSE', currency: 'JPY' },
  '9984.T': { file: 'N225.csv', exchangeCode: 'TSE', currency: 'JPY' },
  '8035.T': { file: 'N225.csv', exchangeCode: 'TSE', currency: 'JPY' },
};

function study(symbol: string, overrides: Partial<EventStudyInput> = {}): EventImpact {
  const { file, exchangeCode, currency } = benchmarkOf[symbol];
  return computeImpact({
    symbol,
    dailyBars: loadBars(`${symbol}.csv`),
    benchmark: { symbol: file.replace('.csv', ''), dailyBars: loadBars(file) },
    event: APP_STORE_NO_1,
    exchangeCode,
    sharesOutstanding: shares.get(symbol) ?? null,
    usdJpyCloses: usdJpy,
    currency,
    ...overrides,
  });
}

const day = (result: EventImpact, offset: number) => result.days.find((d) => d.offset === offset)!;
const closeOn = (bars: CsvBar[], date: string) => bars.find((b) => b.date === date)!.close;

describe('DeepSeek, event 2025-01-26 (date only)', () => {
  const nvda = study('NVDA');
  const advantest = study('6857.T');
  const softbank = study('9984.T');
  const tokyoElectron = study('8035.T');

  it('day 0 is Monday 2025-01-27 everywhere', () => {
    for (const result of [nvda, advantest, softbank, tokyoElectron]) {
      expect(result.day0).toBe('2025-01-27');
      expect(day(result, 0).date).toBe('2025-01-27');
      expect(day(result, -1).date).toBe('2025-01-24');
    }
  });

  it.each([
    ['NVDA', -16.97],
    ['6857.T', -8.61],
    ['9984.T', -8.32],
    ['8035.T', -4.9],
  ])('%s moved %d%% on day 0 (to 0.01 pp)', (symbol, publishedPct) => {
    const result = { NVDA: nvda, '6857.T': advantest, '9984.T': softbank, '8035.T': tokyoElectron }[symbol]!;
    const movePct = day(result, 0).move! * 100;
    expect(Math.abs(movePct - publishedPct)).toBeLessThanOrEqual(0.01);
    const bars = loadBars(`${symbol}.csv`);
    expect(day(result, 0).move).toBeCloseTo(closeOn(bars, '2025-01-27') / closeOn(bars, '2025-01-24') - 1, 12);
  });

  it('NVDA lost about $592.66bn of market value on day 0 (24.49bn shares)', () => {
    expect(shares.get('NVDA')).toBe(24_490_000_000);
    const usdBn = day(nvda, 0).marketValueChangeUsd! / 1e9;
    expect(usdBn).toBeCloseTo(-592.66, 2);
    expect(usdBn).toBeCloseTo(((118.42 - 142.62) * 24.49e9) / 1e9, 6);
    expect(day(nvda, 0).marketValueChange).toBe(day(nvda, 0).marketValueChangeUsd);
    expect(nvda.marketValueNote).toBeNull();
  });

  it('NVDA: market model fitted (status ok) and matching an independent OLS on the same window', () => {
    const bars = loadBars('NVDA.csv');
    const index = (date: string) => bars.findIndex((b) => b.date === date);
    // estimation [-120,-11]: history starts 79 sessions before day 0, and the first bar has no return
    const day0 = index('2025-01-27');
    expect(day0).toBe(79);
    const gspc = new Map(loadBars('GSPC.csv').map((b, i, all) => [b.date, i === 0 ? null : b.close / all[i - 1].close - 1]));
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = Math.max(1, day0 - 120); i <= day0 - 11; i++) {
      const x = gspc.get(bars[i].date);
      if (x === null || x === undefined) continue;
      xs.push(x);
      ys.push(bars[i].adjClose! / bars[i - 1].adjClose! - 1);
    }
    const expected = directOls(xs, ys);
    expect(nvda.status).toBe('ok');
    expect(nvda.model.n).toBe(68);
    expect(expected.n).toBe(68);
    expect(nvda.model.alpha).toBeCloseTo(expected.alpha, 10);
    expect(nvda.model.beta).toBeCloseTo(expected.beta, 8);
    expect(nvda.model.sigma).toBeCloseTo(expected.sigma, 10);
    expect(nvda.model.r2).toBeCloseTo(expected.r2, 8);
    expect(nvda.statusReason).toContain('68 paired returns');

    // day-0 abnormal return and its t-test, from the independent fit
    const r0 = bars[day0].adjClose! / bars[day0 - 1].adjClose! - 1;
    const rm0 = 6012.28 / 6101.24 - 1;
    const ar0 = r0 - (expected.alpha + expected.beta * rm0);
    expect(day(nvda, 0).benchmarkReturn).toBeCloseTo(rm0, 12);
    expect(day(nvda, 0).abnormalReturn).toBeCloseTo(ar0, 10);
    const car00 = nvda.cars.find((c) => c.from === 0 && c.to === 0)!;
    expect(car00.t).toBeCloseTo(ar0 / expected.sigma, 6);
    expect(car00.t!).toBeLessThan(-5);
    expect(car00.p!).toBeLessThan(1e-6);
  });

  it('8035.T: 20 paired returns since its history starts 2024-12-06, so insufficient_estimation', () => {
    expect(tokyoElectron.status).toBe('insufficient_estimation');
    // 21 sessions 2024-12-06 .. 2025-01-09 (offset -11) give 20 returns
    const bars = loadBars('8035.T.csv');
    expect(bars[0].date).toBe('2024-12-06');
    expect(bars.findIndex((b) => b.date === '2025-01-27') - 11).toBe(20);
    expect(tokyoElectron.model).toMatchObject({ alpha: 0, beta: 1, r2: null, n: 20 });
    expect(tokyoElectron.model.sigma).toBeGreaterThan(0);
    expect(tokyoElectron.statusReason).toBe(
      '8035.T has 20 paired returns in the estimation window [-120,-11] (history starts 2024-12-06); ' +
        'at least 30 are needed, so the market-adjusted model (alpha 0, beta 1) is used and no t-statistics are given',
    );
    expect(tokyoElectron.cars.every((c) => c.car !== null && c.t === null && c.p === null)).toBe(true);
    // market-adjusted: AR = r - r_m
    const r0 = 24957.6387 / 26243.9629 - 1; // adjusted closes 01-24 -> 01-27
    const rm0 = 39565.8 / 39931.98 - 1;
    expect(day(tokyoElectron, 0).abnormalReturn).toBeCloseTo(r0 - rm0, 12);
  });

  it('6857.T and 9984.T have enough history for the market model', () => {
    expect(advantest.status).toBe('ok');
    expect(softbank.status).toBe('ok');
    expect(advantest.model.n).toBe(66);
  });

  it('the three Tokyo names have shares in the bundled data -> market values in yen and USD on day 0', () => {
    for (const [result, count] of [
      [advantest, 739_340_000],
      [softbank, 1_440_000_000],
      [tokyoElectron, 458_890_000],
    ] as const) {
      expect(shares.get(result.symbol)).toBe(count);
      const yen =
        (closeOn(loadBars(`${result.symbol}.csv`), '2025-01-27') - closeOn(loadBars(`${result.symbol}.csv`), '2025-01-24')) * count;
      expect(day(result, 0).marketValueChange).toBeCloseTo(yen, 0);
      expect(day(result, 0).marketValueChangeUsd).toBeCloseTo(yen / 155.744, 3);
      expect(result.marketValueCurrency).toBe('JPY');
      expect(result.marketValueNote).toBeNull();
    }
    // Advantest (9185 - 10050) x 739.34M = -JPY 639.5bn = -USD 4.11bn at 155.744
    expect(day(advantest, 0).marketValueChangeUsd! / 1e9).toBeCloseTo(-4.106, 3);
  });

  it('shares unknown -> no market value, with a note', () => {
    const withoutShares = study('6857.T', { sharesOutstanding: null });
    expect(day(withoutShares, 0).marketValueChange).toBeNull();
    expect(day(withoutShares, 0).marketValueChangeUsd).toBeNull();
    expect(withoutShares.marketValueNote).toContain('unknown');
  });

  it('6857.T: yen are converted with the USD/JPY close of 2025-01-27, or the one before when that is missing', () => {
    const hypotheticalShares = 700_000_000; // NOT Advantest's real count: only exercises the conversion
    const yen = (9185 - 10050) * hypotheticalShares;
    const withShares = study('6857.T', { sharesOutstanding: hypotheticalShares });
    expect(day(withShares, 0).marketValueChange).toBeCloseTo(yen, 0);
    expect(usdJpy.find((f) => f.date === '2025-01-27')!.close).toBe(155.744);
    expect(day(withShares, 0).marketValueChangeUsd).toBeCloseTo(yen / 155.744, 3);

    const without27th = study('6857.T', {
      sharesOutstanding: hypotheticalShares,
      usdJpyCloses: usdJpy.filter((f) => f.date !== '2025-01-27'),
    });
    expect(day(without27th, 0).marketValueChangeUsd).toBeCloseTo(yen / 156.155, 3); // 2025-01-24
  });

  it('basket: all four equities contribute on day 0', () => {
    const day0 = basketMarketValueChange([nvda, advantest, softbank, tokyoElectron]).find((d) => d.offset === 0)!;
    const yenToUsd = (close: number, previous: number, count: number) => ((close - previous) * count) / 155.744;
    const tokyo = yenToUsd(9185, 10050, 739_340_000) + yenToUsd(9681, 10560, 1_440_000_000) + yenToUsd(25805, 27135, 458_890_000);
    expect(day0.contributors).toBe(4);
    expect(day0.instruments).toBe(4);
    expect(day0.missing).toEqual([]);
    expect(day0.missingReasons).toEqual([]);
    expect(day0.marketValueChangeUsd).toBeCloseTo((118.42 - 142.62) * 24.49e9 + tokyo, 0);
    // -USD 592.66bn (NVDA) - 4.11bn (Advantest) - 8.13bn (SoftBank) - 3.92bn (Tokyo Electron) = -USD 608.8bn
    expect(day0.marketValueChangeUsd! / 1e9).toBeCloseTo(-608.81, 1);
  });

  it('rebased series starts at 100 on 2025-01-24', () => {
    expect(day(nvda, -1).rebased).toBe(100);
    expect(day(nvda, 0).rebased).toBeCloseTo((118.42 / 142.62) * 100, 10);
    expect(day(nvda, 1).rebased).toBeCloseTo((128.99 / 142.62) * 100, 10);
  });
});

describe('DeepSeek-R1 release, 2025-01-20T12:19:44Z (timed)', () => {
  it('day 0 is 21 Jan in Tokyo and New York, and the 27 Jan sell-off is day +4', () => {
    for (const symbol of ['NVDA', '6857.T']) {
      const result = study(symbol, { event: R1_RELEASE });
      expect(result.day0).toBe('2025-01-21');
      expect(day(result, 4).date).toBe('2025-01-27');
    }
  });
});

describe('detectMoves on the bundled NVDA series', () => {
  it("flags 27 Jan by both rules, with z equal to the event study's day-0 t", () => {
    const moves = detectMoves(loadBars('NVDA.csv'), loadBars('GSPC.csv'));
    const selloff = moves.find((m) => m.date === '2025-01-27')!;
    expect(selloff.rule).toBe('both');
    const nvda = study('NVDA');
    expect(selloff.z).toBeCloseTo(nvda.cars.find((c) => c.from === 0 && c.to === 0)!.t!, 10);
    expect(selloff.move).toBeCloseTo(118.42 / 142.62 - 1, 12);
  });
});
