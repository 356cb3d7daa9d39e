import { basketMarketValueChange } from '../../src/analysis/basket';
import type { EventImpact, ImpactDay } from '../../src/analysis/eventStudy';

function impact(symbol: string, usdByOffset: Record<number, number | null>, marketValueNote: string | null = null): EventImpact {
  const days = Object.entries(usdByOffset).map(
    ([offset, usd]) => ({ offset: Number(offset), marketValueChange: usd, marketValueChangeUsd: usd }) as ImpactDay,
  );
  return { symbol, day0: '2025-01-27', days, marketValueNote } as EventImpact;
}
const UNKNOWN_SHARES = 'shares outstanding of 6857.T are unknown, so market value changes are not given';
const NO_KRW = 'no KRW=X closes are stored (the KRW FX series), so market value changes are in KRW only';

describe('basketMarketValueChange', () => {
  it('sums the known USD changes per offset and counts who contributed', () => {
    const basket = basketMarketValueChange([
      impact('NVDA', { [-1]: -100, 0: -500, 1: 250 }),
      impact('8035.T', { [-1]: -1, 0: -4, 1: null }),
      impact('6857.T', { 0: null, 1: null }, UNKNOWN_SHARES),
      impact('NEW', { 1: 10 }), // listed only from day +1
      { symbol: '000660.KS', day0: '2025-01-31', days: [], marketValueNote: NO_KRW } as unknown as EventImpact,
    ]);
    const noBar = 'no bar at this offset';
    expect(basket).toEqual([
      {
        offset: -1,
        marketValueChangeUsd: -101,
        contributors: 2,
        instruments: 5,
        missing: ['6857.T', 'NEW', '000660.KS'],
        missingReasons: [
          { symbol: '6857.T', reason: noBar },
          { symbol: 'NEW', reason: noBar },
          { symbol: '000660.KS', reason: noBar },
        ],
      },
      {
        offset: 0,
        marketValueChangeUsd: -504,
        contributors: 2,
        instruments: 5,
        missing: ['6857.T', 'NEW', '000660.KS'],
        missingReasons: [
          { symbol: '6857.T', reason: UNKNOWN_SHARES },
          { symbol: 'NEW', reason: noBar },
          { symbol: '000660.KS', reason: noBar },
        ],
      },
      {
        offset: 1,
        marketValueChangeUsd: 260,
        contributors: 2,
        instruments: 5,
        missing: ['8035.T', '6857.T', '000660.KS'],
        missingReasons: [
          { symbol: '8035.T', reason: 'no market value change on this day' },
          { symbol: '6857.T', reason: UNKNOWN_SHARES },
          { symbol: '000660.KS', reason: noBar },
        ],
      },
    ]);
  });

  it('is null, not zero, where nobody contributed', () => {
    expect(basketMarketValueChange([impact('A', { 0: null })])).toEqual([
      {
        offset: 0,
        marketValueChangeUsd: null,
        contributors: 0,
        instruments: 1,
        missing: ['A'],
        missingReasons: [{ symbol: 'A', reason: 'no market value change on this day' }],
      },
    ]);
    expect(basketMarketValueChange([])).toEqual([]);
  });
});
