// The shock detector's pure core (shared/methods/shocks.md): the Lee-Mykland critical value, the daily statistic
// on hand-made SARs with a known rbar, co-jump counting at the thresholds, episodes, news ranking, and the daily
// detector over the bundled history (27 Jan 2025: N = 7, z about -9, breadth 4 of 7).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  coJumpBars,
  coJumpThreshold,
  dailyGroupShock,
  dailyShockStatistic,
  leeMyklandCriticalValue,
  prepareDailyShockScan,
  rankShockNews,
  resolveShockOptions,
  scanDates,
  shockEpisodes,
  summarizeEpisode,
  type MemberJumpScores,
} from '../../src/analysis/shocks';
import { patellZ } from '../../src/analysis/crossSection/testStatistics';
import { twoSidedNormalPValue } from '../../src/analysis/stats';
import { loadBars } from './helpers';

const options = resolveShockOptions();

describe('Lee-Mykland critical value', () => {
  it('is 4.067058 for n = 78 at alpha 0.01 (highfrequency jumpTests.R)', () => {
    expect(leeMyklandCriticalValue(78, 0.01)).toBeCloseTo(4.067058, 6);
  });
  it('grows with n and falls with alpha, and refuses n <= 1', () => {
    expect(leeMyklandCriticalValue(390, 0.01)).toBeGreaterThan(leeMyklandCriticalValue(78, 0.01));
    expect(leeMyklandCriticalValue(78, 0.05)).toBeLessThan(leeMyklandCriticalValue(78, 0.01));
    expect(() => leeMyklandCriticalValue(1, 0.01)).toThrow(RangeError);
  });
});

describe('daily statistic on hand-made SARs', () => {
  // 6 members, d_i = 100: sum d/(d-2) = 6 * 100/98; z_P = sum Z / sqrt of it; rbar 0.1 shrinks by sqrt(0.9 / 1.5)
  const sars = [-4, -3.5, -2.5, -2.1, -1, 0.5];
  const members = sars.map((sar, i) => ({ sar, dof: 100, ar: sar * 0.01 * (i + 1) }));
  it('is the Patell Z times the KP factor, with p, breadth, direction and AAR_0', () => {
    const s = dailyShockStatistic(members, 0.1, options);
    const zP = -12.6 / Math.sqrt((6 * 100) / 98);
    expect(s.patellZ).toBeCloseTo(zP, 12);
    expect((patellZ(sars, [100, 100, 100, 100, 100, 100]) as { stat: number }).stat).toBeCloseTo(zP, 12);
    expect(s.z).toBeCloseTo(zP * Math.sqrt(0.9 / 1.5), 12);
    expect(s.p).toBeCloseTo(twoSidedNormalPValue(zP * Math.sqrt(0.9 / 1.5)), 15);
    expect(s.breadth).toEqual({ count: 4, share: 4 / 6 });
    expect(s.direction).toBe('down');
    expect(s.aar).toBeCloseTo(members.reduce((a, m) => a + m.ar, 0) / 6, 15);
    expect(s.flagged).toBe(true);
  });
  it('leaves rbar out only when told: rbar 0 gives the plain Patell Z', () => {
    expect(dailyShockStatistic(members, 0, options).z).toBeCloseTo(-12.6 / Math.sqrt((6 * 100) / 98), 12);
  });
  it('is null when 1 + (N - 1) rbar <= 0, and not flagged', () => {
    const s = dailyShockStatistic(members, -0.2, options);
    expect(s.z).toBeNull();
    expect(s.flagged).toBe(false);
    expect(s.notes.join(' ')).toMatch(/1 \+ \(N - 1\) rbar/);
  });
  it('needs breadth: one member carrying the statistic is not a shock', () => {
    const one = [-12, 0.3, -0.2, 0.1, -0.4, 0.2].map((sar) => ({ sar, dof: 100, ar: sar / 100 }));
    const s = dailyShockStatistic(one, 0, options);
    expect(s.p).toBeLessThan(options.alpha);
    expect(s.breadth.count).toBe(1);
    expect(s.flagged).toBe(false);
  });
});

describe('co-jump thresholds', () => {
  it('is max(3, ceil(0.3 N_t)), ceil exact', () => {
    expect(coJumpThreshold(5, options)).toBe(3);
    expect(coJumpThreshold(10, options)).toBe(3); // 0.3 * 10 is 3.0000000000000004 in floating point
    expect(coJumpThreshold(11, options)).toBe(4);
    expect(coJumpThreshold(20, options)).toBe(6);
    expect(coJumpThreshold(500, options)).toBe(150);
  });

  const t0 = Date.parse('2025-03-10T14:30:00Z');
  const at = (k: number) => new Date(t0 + k * 300_000).toISOString();
  /** 10 members on a 78-slot session; `jumps[k]` lists the members with L = -6 at slot k, the rest L = 0.5 */
  function members(jumps: Record<number, number[]>): MemberJumpScores[] {
    return Array.from({ length: 10 }, (_, i) => ({
      symbol: `S${i}`,
      market: i < 5 ? 'US' : 'TSE',
      slots: 78,
      scores: Array.from({ length: 78 }, (_, k) => {
        const l = jumps[k]?.includes(i) ? -6 : 0.5;
        return { t: at(k), slot: k, ar: l / 1000, sigma: 0.001, l };
      }),
    }));
  }
  it('flags a bar where 3 of 10 jump the same way, not 2, nor 3 split by direction', () => {
    const bars = coJumpBars(members({ 10: [0, 1, 2], 20: [0, 1] }), options);
    expect(bars.filter((b) => b.flagged).map((b) => b.t)).toEqual([at(10)]);
    expect(bars[10]).toMatchObject({ n: 10, down: 3, threshold: 3, direction: 'down' });
    const split = members({ 30: [0, 1] });
    split[2] = { ...split[2], scores: split[2].scores.map((s) => (s.slot === 30 ? { ...s, l: 6 } : s)) };
    expect(coJumpBars(split, options).some((b) => b.flagged)).toBe(false);
  });
  it('merges flagged bars at most 30 minutes apart into one episode, starting at the first', () => {
    const bars = coJumpBars(members({ 10: [5, 6, 7], 16: [0, 1, 2], 23: [0, 1, 2], 50: [3, 4, 8] }), options);
    const episodes = shockEpisodes(bars, 5, options);
    // 10 -> 16 is 30 minutes (merged), 16 -> 23 is 35 minutes (a new episode)
    expect(episodes.map((e) => [e.start, e.end, e.bars.length])).toEqual([
      [at(10), at(17), 2],
      [at(23), at(24), 1],
      [at(50), at(51), 1],
    ]);
    const first = summarizeEpisode(episodes[0]);
    expect(first.firstBarByExchange).toEqual([
      { market: 'TSE', t: at(10) },
      { market: 'US', t: at(16) },
    ]);
    expect(first.members.find((m) => m.symbol === 'S0')).toMatchObject({ jumped: true, firstBar: at(16) });
    expect(first.members.find((m) => m.symbol === 'S9')).toMatchObject({ jumped: false, firstBar: null });
    expect(first).toMatchObject({ direction: 'down', n: 10, count: 3, meanL: -6 });
  });
});

describe('news ranking', () => {
  const start = new Date('2025-01-27T00:00:00Z');
  const end = new Date('2025-01-27T21:00:00Z');
  const item = (id: number, at: string, symbols: string[]) => ({ id, publishedAt: new Date(at), symbols });
  it('keeps items naming a member (or no symbol: general news) in [start - 48 h, end], most members named first, then nearest to start', () => {
    const ranked = rankShockNews(
      [
        item(1, '2025-01-26T12:00:00Z', ['NVDA']),
        item(2, '2025-01-24T23:59:00Z', ['NVDA', '8035.T']), // before start - 48 h
        item(3, '2025-01-27T22:00:00Z', ['NVDA']), // after end
        item(4, '2025-01-25T06:00:00Z', ['NVDA', '8035.T']),
        item(5, '2025-01-26T23:00:00Z', ['AAPL']), // names no member
        item(6, '2025-01-27T01:00:00Z', ['9984.T']),
        item(7, '2025-01-26T23:30:00Z', []), // general news: names no symbol
      ],
      ['NVDA', '8035.T', '9984.T'],
      { start, end },
      options,
    );
    expect(ranked.map((r) => r.item.id)).toEqual([4, 6, 1, 7]);
    expect(ranked[3].membersNamed).toEqual([]);
    expect(ranked[0].membersNamed).toEqual(['8035.T', 'NVDA']);
  });
});

describe('the daily detector over the bundled history (Oct 2024 - Mar 2025)', () => {
  const file = (s: string) => (fs.existsSync(path.join(__dirname, '../../data/market', `${s}.csv`)) ? `${s}.csv` : `../global/${s}.csv`);
  const MEMBERS: [string, string | null, string][] = [
    ['NVDA', 'GSPC', 'US'],
    ['6857.T', 'N225', 'TSE'],
    ['9984.T', 'N225', 'TSE'],
    ['8035.T', 'N225', 'TSE'],
    ['SU.PA', 'FCHI', 'PAR'],
    ['000660.KS', null, 'KOSPI'], // its benchmark ^KS11 is not bundled: it never takes part
    ['2330.TW', 'TWII', 'TWSE'],
    ['0700.HK', 'HSI', 'HKEX'],
    ['9988.HK', 'HSI', 'HKEX'],
    ['600519.SS', '000001.SS', 'SSE'],
  ];
  const scan = prepareDailyShockScan(
    MEMBERS.map(([symbol, benchmark, market]) => ({
      symbol,
      market,
      bars: loadBars(file(symbol)),
      benchmarkBars: benchmark === null ? null : loadBars(file(benchmark)),
    })),
    options,
  );
  const shocks = scanDates(scan, '2024-10-01', '2025-03-31').flatMap((d) => dailyGroupShock(scan, d) ?? []);
  it('flags 27 Jan 2025 and only it: N = 7, z about -9, breadth 4 of 7, down', () => {
    expect(shocks.filter((s) => s.flagged).map((s) => s.date)).toEqual(['2025-01-27']);
    const jan27 = shocks.find((s) => s.date === '2025-01-27')!;
    expect(jan27.n).toBe(7);
    expect(jan27.members.map((m) => m.market)).not.toContain('TWSE');
    expect(jan27.z).toBeCloseTo(-9.13, 2);
    expect(jan27.breadth.count).toBe(4);
    expect(jan27.direction).toBe('down');
  });
  it('does not flag 7 Jan 2025, where one member alone makes z about -5.5 (breadth 2)', () => {
    const jan7 = shocks.find((s) => s.date === '2025-01-07')!;
    expect(jan7.z).toBeLessThan(-5);
    expect(jan7.p).toBeLessThan(options.alpha);
    expect(jan7.breadth.count).toBe(2);
    expect(jan7.flagged).toBe(false);
  });
});
