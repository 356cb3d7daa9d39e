import { basketMarketValueChange } from '../../src/analysis/basket';
import type { EventImpact, ImpactDay } from '../../src/analysis/eventStudy';

function impact(symbol: string, usdByOffset: Record<number, number | null>): EventImpact {
  const days = Object.entries(usdByOffset).map(([offset, usd]) => ({ offset: Number(offset), marketValueChangeUsd: usd }) as ImpactDay);
  return { symbol, days } as EventImpact;
}

describe('basketMarketValueChange', () => {
  it('sums the known USD changes per offset and counts who contributed', () => {
    const basket = basketMarketValueChange([
      impact('NVDA', { [-1]: -100, 0: -500, 1: 250 }),
      impact('8035.T', { [-1]: -1, 0: -4, 1: null }),
      impact('6857.T', { 0: null, 1: null }), // shares unknown
      impact('NEW', { 1: 10 }), // listed only from day +1
    ]);
    expect(basket).toEqual([
      { offset: -1, marketValueChangeUsd: -101, contributors: 2, instruments: 4, missing: ['6857.T', 'NEW'] },
      { offset: 0, marketValueChangeUsd: -504, contributors: 2, instruments: 4, missing: ['6857.T', 'NEW'] },
      { offset: 1, marketValueChangeUsd: 260, contributors: 2, instruments: 4, missing: ['8035.T', '6857.T'] },
    ]);
  });

  it('is null, not zero, where nobody contributed', () => {
    expect(basketMarketValueChange([impact('A', { 0: null })])).toEqual([
      { offset: 0, marketValueChangeUsd: null, contributors: 0, instruments: 1, missing: ['A'] },
    ]);
    expect(basketMarketValueChange([])).toEqual([]);
  });
});
