import { fxCloseOnOrBefore, marketValueChange, toUsd, type FxSeries } from '../../src/analysis/marketValue';

const usdJpy = [
  { date: '2025-01-23', close: 156.44 },
  { date: '2025-01-24', close: 156.155 },
  { date: '2025-01-27', close: 155.744 },
];
const JPY: FxSeries = { name: 'USD/JPY', direction: 'units_per_usd', closes: usdJpy };

describe('market value and FX', () => {
  it('market value change = (close - previous close) x shares', () => {
    expect(marketValueChange(118.42, 142.62, 24_490_000_000)).toBeCloseTo(-592_658_000_000, 0);
  });

  it('picks the USD/JPY close on the date, else the latest before it', () => {
    expect(fxCloseOnOrBefore(usdJpy, '2025-01-27')?.close).toBe(155.744);
    expect(fxCloseOnOrBefore(usdJpy, '2025-01-25')?.close).toBe(156.155); // Saturday
    expect(fxCloseOnOrBefore(usdJpy, '2025-01-31')?.close).toBe(155.744); // 4 days old: still used
    expect(fxCloseOnOrBefore(usdJpy, '2025-01-22')).toBeNull(); // before the series
    expect(fxCloseOnOrBefore(usdJpy, '2025-02-04')).toBeNull(); // 8 days stale
    expect(fxCloseOnOrBefore([], '2025-01-27')).toBeNull();
  });

  it('converts yen to dollars by dividing by yen-per-dollar; dollars stay as they are', () => {
    expect(toUsd(-1_557_440_000, 'JPY', { JPY }, '2025-01-27')).toBeCloseTo(-10_000_000, 4);
    expect(toUsd(123, 'USD', {}, '2025-01-27')).toBe(123);
    expect(toUsd(123, 'EUR', { JPY }, '2025-01-27')).toBeNull();
    expect(toUsd(123, 'JPY', { JPY }, '2025-01-22')).toBeNull();
  });
});
