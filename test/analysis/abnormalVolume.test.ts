import { abnormalVolume, volumeBaseline } from '../../src/analysis/abnormalVolume';
import { computeImpact } from '../../src/analysis/eventStudy';

// Ten sessions, day 0 = index 7 (2025-03-12). Estimation window [-6, -2] = indexes 1..5:
//   index   offset   volume
//   1       -6       100
//   2       -5       200
//   3       -4       0       (not reported: left out of the mean and of n)
//   4       -3       300
//   5       -2       400
// mean = (100 + 200 + 300 + 400) / 4 = 250; day 0 traded 1,250 = 5.0x normal; day -1 (5,000, outside the
// estimation window) does not enter the mean.
const dates = [
  '2025-03-03',
  '2025-03-04',
  '2025-03-05',
  '2025-03-06',
  '2025-03-07',
  '2025-03-10',
  '2025-03-11',
  '2025-03-12',
  '2025-03-13',
  '2025-03-14',
];
const volumes = [999, 100, 200, 0, 300, 400, 5000, 1250, 750, null];
const bars = dates.map((date, i) => ({ date, close: 100 + i, adjClose: null, volume: volumes[i] }));

describe('abnormal volume = volume / mean volume of the estimation window', () => {
  test('the worked example: mean 250 over 4 sessions, day 0 at 5x', () => {
    const baseline = volumeBaseline(bars, 7, [-6, -2]);
    expect(baseline).toEqual({ mean: 250, n: 4 });
    expect(abnormalVolume(1250, baseline)).toBe(5);
    expect(abnormalVolume(750, baseline)).toBe(3);
  });

  test('a window reaching before the first bar is clipped to the history, as the market model is', () => {
    // [-10, -2] from index 7 starts at index -3: indexes 0..5, so 999 joins: (999 + 1000) / 5
    expect(volumeBaseline(bars, 7, [-10, -2])).toEqual({ mean: 399.8, n: 5 });
  });

  test('no volume (an index, FX with 0) gives null, never 0 or Infinity', () => {
    const none = dates.map((date) => ({ date, close: 1, volume: null }));
    const zeros = dates.map((date) => ({ date, close: 1, volume: 0 }));
    expect(volumeBaseline(none, 7, [-6, -2])).toEqual({ mean: null, n: 0 });
    expect(volumeBaseline(zeros, 7, [-6, -2])).toEqual({ mean: null, n: 0 });
    expect(abnormalVolume(1250, { mean: null, n: 0 })).toBeNull();
    expect(abnormalVolume(null, { mean: 250, n: 4 })).toBeNull();
    expect(abnormalVolume(0, { mean: 250, n: 4 })).toBeNull();
  });

  test('the event study carries it: the same baseline, per day and for day 0', () => {
    const result = computeImpact({
      symbol: 'TEST',
      dailyBars: bars,
      benchmark: null,
      event: { instant: new Date('2025-03-12T00:00:00Z'), dateOnly: true },
      exchangeCode: 'US',
      params: { window: [-1, 2], estimation: [-6, -2], minObs: 5 },
      sharesOutstanding: null,
      currency: 'USD',
    });
    expect(result.day0).toBe('2025-03-12');
    expect(result.volumeBaseline).toEqual({ mean: 250, n: 4 });
    expect(result.abnormalVolume).toBe(5);
    expect(result.days.map((d) => [d.offset, d.volume, d.abnormalVolume])).toEqual([
      [-1, 5000, 20],
      [0, 1250, 5],
      [1, 750, 3],
      [2, null, null],
    ]);
  });
});
