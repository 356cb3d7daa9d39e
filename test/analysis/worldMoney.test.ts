// Market value in any currency through the event study (computeImpact), with worked numbers: a London stock
// quoted in pence, a Paris one in euros (EURUSD=X: dollars per euro) and a Seoul one in won (KRW=X: won per dollar).
import { computeImpact, type EventStudyInput } from '../../src/analysis/eventStudy';
import type { FxClose, FxSeries } from '../../src/analysis/marketValue';

const bars = (closes: number[]) =>
  ['2025-01-23', '2025-01-24', '2025-01-27', '2025-01-28'].map((date, i) => ({ date, close: closes[i], adjClose: null }));
const flatBenchmark = bars([100, 101, 100, 101]);
// the series as the app's provider names and quotes them (src/marketdata/yahooFx.ts)
const gbpUsd = (closes: FxClose[]): FxSeries => ({ name: 'GBPUSD=X', direction: 'usd_per_unit', closes });
const eurUsd = (closes: FxClose[]): FxSeries => ({ name: 'EURUSD=X', direction: 'usd_per_unit', closes });
const usdKrw = (closes: FxClose[]): FxSeries => ({ name: 'KRW=X', direction: 'units_per_usd', closes });

function study(overrides: Partial<EventStudyInput>): ReturnType<typeof computeImpact> {
  return computeImpact({
    symbol: 'TEST',
    dailyBars: bars([1300, 1250, 1200, 1230]),
    benchmark: { symbol: 'BENCH', dailyBars: flatBenchmark },
    event: { instant: new Date('2025-01-26T00:00:00Z'), dateOnly: true },
    exchangeCode: 'LSE',
    params: { window: [-1, 1], estimation: [-2, -2], minObs: 3, carWindows: [[0, 0]] },
    sharesOutstanding: 1_000_000,
    currency: 'GBp',
    ...overrides,
  });
}
const dayZero = (r: ReturnType<typeof computeImpact>) => r.days.find((d) => d.offset === 0)!;

describe('market value in the currency of the listing and in USD', () => {
  test('London, quoted in pence: 1,000,000 shares from 1,250p to 1,200p = -GBP 500,000 = -USD 625,000 at GBPUSD=X 1.25', () => {
    const r = study({
      fxSeries: {
        GBP: gbpUsd([
          { date: '2025-01-24', close: 1.2 },
          { date: '2025-01-27', close: 1.25 },
        ]),
      },
    });
    expect(r.currency).toBe('GBp');
    expect(r.marketValueCurrency).toBe('GBP');
    expect(dayZero(r).date).toBe('2025-01-27');
    expect(dayZero(r).marketValueChange).toBeCloseTo(-500_000, 6); // (1200 - 1250) p x 1e6 / 100
    expect(dayZero(r).marketValueChangeUsd).toBeCloseTo(-625_000, 6); // GBP x dollars per pound
    // the move is on the price, unchanged by the unit: 1200 / 1250 - 1
    expect(dayZero(r).move).toBeCloseTo(-0.04, 12);
    expect(r.marketValueNote).toBeNull();
  });

  test('Paris in euros (multiply by EURUSD=X) and Seoul in won (divide by KRW=X)', () => {
    const paris = study({
      currency: 'EUR',
      exchangeCode: 'PAR',
      dailyBars: bars([260, 265.8749, 240.6774, 222.69]),
      fxSeries: { EUR: eurUsd([{ date: '2025-01-27', close: 1.0468 }]) },
    });
    expect(dayZero(paris).marketValueChange).toBeCloseTo((240.6774 - 265.8749) * 1e6, 6);
    expect(dayZero(paris).marketValueChangeUsd).toBeCloseTo((240.6774 - 265.8749) * 1e6 * 1.0468, 6);
    const seoul = study({
      currency: 'KRW',
      exchangeCode: 'KOSPI',
      dailyBars: bars([220000, 221000, 199200, 200000]),
      fxSeries: { KRW: usdKrw([{ date: '2025-01-27', close: 1427.63 }]) },
    });
    expect(seoul.marketValueCurrency).toBe('KRW');
    expect(dayZero(seoul).marketValueChangeUsd).toBeCloseTo((-21800 * 1e6) / 1427.63, 6);
  });

  test("no FX series of the currency: the amount in the listing's currency only, and the note names the series", () => {
    const r = study({ fxSeries: { GBP: gbpUsd([]) } });
    expect(dayZero(r).marketValueChange).toBeCloseTo(-500_000, 6);
    expect(dayZero(r).marketValueChangeUsd).toBeNull();
    expect(r.marketValueNote).toBe('no GBPUSD=X closes are stored (the GBP FX series), so market value changes are in GBP only');
    // no series given at all: the core knows no provider's name for it
    expect(study({ fxSeries: {} }).marketValueNote).toBe('no GBP FX series is given, so market value changes are in GBP only');
  });

  test('a stale rate is refused for the days it is too old for', () => {
    const r = study({ currency: 'EUR', fxSeries: { EUR: eurUsd([{ date: '2025-01-17', close: 1.03 }]) } });
    expect(r.days.map((d) => d.marketValueChangeUsd === null)).toEqual([false, true, true]);
    expect(r.marketValueNote).toBe(
      'no EURUSD=X close within 7 days on or before 2025-01-27, 2025-01-28, so the USD amounts for those days are not given',
    );
  });
});
