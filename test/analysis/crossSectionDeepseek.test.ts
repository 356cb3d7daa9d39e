// The cross-sectional engine and the single-instrument impact share one market model: on the
// bundled DeepSeek data (App Store No. 1, 2025-01-26) their models and ARs are the same numbers,
// and CAAR[0,0] is the mean of the members' day-0 ARs, checkable by hand from the impact API.
import { computeImpact } from '../../src/analysis/eventStudy';
import { runCrossSectionStudy } from '../../src/analysis/crossSection/study';
import type { ExchangeCode } from '../../src/markets/exchanges';
import { loadBars } from './helpers';

const APP_STORE_NO_1 = { instant: new Date('2025-01-26T00:00:00Z'), dateOnly: true };
const MEMBERS: [symbol: string, benchmark: string, exchangeCode: ExchangeCode][] = [
  ['NVDA', 'GSPC', 'US'],
  ['6857.T', 'N225', 'TSE'],
  ['9984.T', 'N225', 'TSE'],
  ['8035.T', 'N225', 'TSE'],
];

describe('DeepSeek across the bundled equities', () => {
  const study = runCrossSectionStudy(
    MEMBERS.map(([symbol, benchmark, exchangeCode]) => ({
      symbol,
      event: 'deepseek-app-store-no1',
      dayZero: { event: APP_STORE_NO_1, exchangeCode },
      bars: loadBars(`${symbol}.csv`),
      benchmarkBars: loadBars(`${benchmark}.csv`),
    })),
    { estimation: [-120, -11], window: [-10, 10], cars: [[0, 0]] },
  );
  const impacts = MEMBERS.map(([symbol, benchmark, exchangeCode]) =>
    computeImpact({
      symbol,
      dailyBars: loadBars(`${symbol}.csv`),
      benchmark: { symbol: benchmark, dailyBars: loadBars(`${benchmark}.csv`) },
      event: APP_STORE_NO_1,
      exchangeCode,
      sharesOutstanding: null,
      usdJpyCloses: [],
      currency: 'USD',
    }),
  );

  it('members fitted by the impact study have the same alpha, beta, sigma, n and ARs', () => {
    const fitted = impacts.filter((impact) => impact.status === 'ok');
    expect(fitted.map((i) => i.symbol)).toEqual(['NVDA', '6857.T', '9984.T']);
    for (const impact of fitted) {
      const member = study.members.find((m) => m.symbol === impact.symbol)!;
      expect(member.status).toBe('ok');
      expect(member.day0).toBe('2025-01-27');
      expect(member.model).toEqual({ ...impact.model, r2: undefined, dof: impact.model.n - 2 });
      for (const day of member.days) {
        expect(day.abnormalReturn).toBe(impact.days.find((d) => d.offset === day.offset)!.abnormalReturn);
      }
    }
  });

  it('8035.T (20 estimation returns) stays listed as insufficient_estimation and out of the aggregate', () => {
    const member = study.members.find((m) => m.symbol === '8035.T')!;
    expect(member.status).toBe('insufficient_estimation');
    expect(member.model.n).toBe(20);
    expect(member.statusReason).toContain('20 paired estimation returns');
    expect(study.aggregate.n).toBe(3);
    expect(study.aggregate.notes).toContain('1 of 4 members are excluded (see their status)');
  });

  it('CAAR[0,0] = mean of the three day-0 ARs of the impact API', () => {
    const day0 = impacts.slice(0, 3).map((i) => i.days.find((d) => d.offset === 0)!.abnormalReturn!);
    const car = study.aggregate.cars[0];
    expect(car.n).toBe(3);
    expect(car.caar).toBeCloseTo((day0[0] + day0[1] + day0[2]) / 3, 15);
    expect(car.meanCar).toBeCloseTo(car.caar!, 15);
    expect(car.caar!).toBeLessThan(-0.05);
  });
});
