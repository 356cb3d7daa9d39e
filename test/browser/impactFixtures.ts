// Impact results made by hand for the dashboard's pure tests: an instrument with a fitted market model
// (sigma 2%, day 0 = 27 Jan 2025) and days given by offset, every figure unknown unless set.
import type { EventImpact } from '../../web/src/api';

export type ImpactDay = EventImpact['days'][number];

export function impact(partial: Partial<EventImpact> & { symbol: string }): EventImpact {
  return {
    benchmark: '^GSPC',
    currency: 'USD',
    marketValueCurrency: 'USD',
    day0: '2025-01-27',
    status: 'ok',
    statusReason: '',
    model: { alpha: 0, beta: 1, sigma: 0.02, r2: 0.5, n: 100 },
    days: [],
    cars: [],
    bhar: null,
    marketValueNote: null,
    volumeBaseline: { mean: null, n: 0 },
    abnormalVolume: null,
    windowNote: null,
    ...partial,
  };
}

export const day = (offset: number, values: Partial<ImpactDay> = {}): ImpactDay => ({
  offset,
  date: `2025-01-${String(27 + offset).padStart(2, '0')}`,
  close: 100,
  return: null,
  benchmarkReturn: null,
  abnormalReturn: null,
  car: null,
  rebased: null,
  move: null,
  marketValueChange: null,
  marketValueChangeUsd: null,
  volume: null,
  abnormalVolume: null,
  ...values,
});
