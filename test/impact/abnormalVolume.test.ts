// Day-0 abnormal volume through GET /api/events/:slug/impact, checked against a mean computed here from the
// bars the bars API returns (the same stored bars, counted independently of src/analysis).
import request from 'supertest';
import type { EventImpact } from '../../src/impact/impactContract';
import type { DailyBar } from '../../src/instruments/instrumentContract';
import { useTestApp } from '../support/testApp';

const t = useTestApp();

async function storedBars(symbol: string): Promise<DailyBar[]> {
  const res = await request(t.app.url).get(`/api/instruments/${encodeURIComponent(symbol)}/bars`);
  expect(res.status).toBe(200);
  return res.body.bars;
}

describe('abnormal volume on the DeepSeek App Store event (day 0 = 27 Jan 2025 in New York)', () => {
  let results: EventImpact[];

  beforeAll(async () => {
    const res = await request(t.app.url).get('/api/events/deepseek-app-store-no1/impact?symbols=NVDA,^GSPC');
    expect(res.status).toBe(200);
    results = res.body.results;
  });

  it("NVDA: 27 Jan's volume over the mean volume of sessions -120..-11 before it", async () => {
    const bars = await storedBars('NVDA');
    const day0 = bars.findIndex((b) => b.date === '2025-01-27');
    expect(day0).toBeGreaterThan(11);
    // the estimation window [-120, -11] in NVDA's own sessions; the bundled history starts 1 Oct 2024, so fewer than 110
    const window = bars.slice(Math.max(0, day0 - 120), day0 - 10);
    expect(window[window.length - 1].date).toBe(bars[day0 - 11].date);
    const mean = window.reduce((sum, b) => sum + b.volume!, 0) / window.length;
    const expected = bars[day0].volume! / mean;

    const nvda = results.find((r) => r.symbol === 'NVDA')!;
    expect(nvda.day0).toBe('2025-01-27');
    expect(nvda.volumeBaseline.n).toBe(window.length);
    expect(nvda.volumeBaseline.mean).toBeCloseTo(mean, 6);
    expect(nvda.abnormalVolume).toBeCloseTo(expected, 10);
    // the sell-off traded 3.65 times a normal day's shares: 818.8m against a mean of 224.4m over 69 sessions
    expect(window.length).toBe(69);
    expect(nvda.abnormalVolume).toBeCloseTo(3.649, 3);
    const day0Row = nvda.days.find((d) => d.offset === 0)!;
    expect(day0Row.volume).toBe(bars[day0].volume);
    expect(day0Row.abnormalVolume).toBe(nvda.abnormalVolume);
  });

  it('^GSPC has no volume in the bundled data: null, not 0', () => {
    const gspc = results.find((r) => r.symbol === '^GSPC')!;
    expect(gspc.day0).toBe('2025-01-27');
    expect(gspc.volumeBaseline).toEqual({ mean: null, n: 0 });
    expect(gspc.abnormalVolume).toBeNull();
    expect(gspc.days.every((d) => d.volume === null && d.abnormalVolume === null)).toBe(true);
  });
});
