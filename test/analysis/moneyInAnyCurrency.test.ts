import {
  convertToUsd,
  marketValueChangeInMajorUnit,
  MAX_FX_STALENESS_DAYS,
  toMajorUnit,
  toUsd,
  type FxSeries,
} from '../../src/analysis/marketValue';

const gbpUsd = [
  { date: '2025-01-24', close: 1.248 },
  { date: '2025-01-27', close: 1.245 },
];
const fx: Record<string, FxSeries> = {
  GBP: { name: 'GBP/USD', direction: 'usd_per_unit', closes: gbpUsd },
  EUR: { name: 'EUR/USD', direction: 'usd_per_unit', closes: [{ date: '2025-01-27', close: 1.0468 }] }, // EURUSD=X, SOURCES.md
  KRW: { name: 'USD/KRW', direction: 'units_per_usd', closes: [{ date: '2025-01-31', close: 1452.5 }] },
  JPY: { name: 'USD/JPY', direction: 'units_per_usd', closes: [{ date: '2025-01-27', close: 155.744 }] },
};

describe('minor units', () => {
  it('pence, agorot and cents become pounds, shekels and rand; GBP itself stays', () => {
    expect(toMajorUnit(12_345, 'GBp')).toEqual({ amount: 123.45, currency: 'GBP' });
    expect(toMajorUnit(500, 'ILA')).toEqual({ amount: 5, currency: 'ILS' });
    expect(toMajorUnit(250, 'ZAc')).toEqual({ amount: 2.5, currency: 'ZAR' });
    expect(toMajorUnit(10, 'GBP')).toEqual({ amount: 10, currency: 'GBP' });
  });
});

describe('a London stock quoted in pence', () => {
  // close 10,290p after 10,500p (-210p a share), 1,550,000,000 shares, GBPUSD=X 1.245 on 27 Jan 2025:
  // -210p x 1.55bn = -325.5bn pence = -GBP 3.255bn; x 1.245 USD/GBP = -USD 4.052475bn
  it('market value change: -GBP 3.255bn, -USD 4.052475bn', () => {
    const change = marketValueChangeInMajorUnit(10_290, 10_500, 1_550_000_000, 'GBp');
    expect(change.currency).toBe('GBP');
    expect(change.amount).toBeCloseTo(-3_255_000_000, 0);
    expect(convertToUsd(change.amount, change.currency, fx, '2025-01-27')).toMatchObject({
      currency: 'GBP',
      direction: 'usd_per_unit',
      rate: { date: '2025-01-27', close: 1.245 },
    });
    expect(toUsd(change.amount, change.currency, fx, '2025-01-27')).toBeCloseTo(-4_052_475_000, 0);
  });

  it('converting the pence amount directly gives the same dollars (minor units are made major first)', () => {
    expect(toUsd(-325_500_000_000, 'GBp', fx, '2025-01-27')).toBeCloseTo(-4_052_475_000, 0);
  });
});

describe('toUsd for any currency', () => {
  it('multiplies by dollars-per-unit, divides by units-per-dollar', () => {
    expect(toUsd(1_000_000, 'EUR', fx, '2025-01-27')).toBeCloseTo(1_046_800, 6);
    expect(toUsd(1_452_500_000, 'KRW', fx, '2025-01-31')).toBeCloseTo(1_000_000, 6);
    expect(toUsd(155_744, 'JPY', fx, '2025-01-27')).toBeCloseTo(1000, 9);
    expect(toUsd(42, 'USD', {}, '2025-01-27')).toBe(42);
  });

  it(`uses the latest close up to ${MAX_FX_STALENESS_DAYS} days old, and says why when it cannot convert`, () => {
    expect(toUsd(100, 'GBP', fx, '2025-02-03')).toBeCloseTo(124.5, 9); // 7 days old
    expect(convertToUsd(100, 'GBP', fx, '2025-02-04')).toEqual({ usd: null, currency: 'GBP', reason: 'no_recent_fx_close' });
    expect(convertToUsd(100, 'GBP', fx, '2025-01-23')).toEqual({ usd: null, currency: 'GBP', reason: 'no_recent_fx_close' });
    expect(convertToUsd(100, 'TWD', fx, '2025-01-27')).toEqual({ usd: null, currency: 'TWD', reason: 'no_fx_series' });
    expect(convertToUsd(100, 'pounds', fx, '2025-01-27')).toEqual({ usd: null, currency: 'pounds', reason: 'not_a_currency' });
  });
});
