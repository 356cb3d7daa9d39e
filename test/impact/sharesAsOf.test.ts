// Market value on a past day uses the share count known as of that day: a newer count from a live quote must
// not rewrite the DeepSeek figure, and re-importing the bundled data must not roll the instrument back.
import path from 'node:path';
import request from 'supertest';
import { importBundledData } from '../../src/bundled/bundledImport';
import { getSharesAsOf, saveSharesOutstanding } from '../../src/instruments/instrumentStore';
import { useTestApp } from '../support/testApp';

const t = useTestApp();

const nvdaDayZeroUsd = async () => {
  const res = await request(t.app.url).get('/api/events/deepseek-app-store-no1/impact?symbols=NVDA');
  expect(res.status).toBe(200);
  return res.body.results[0].days.find((d: { offset: number }) => d.offset === 0).marketValueChangeUsd as number;
};

describe('shares outstanding as of the event', () => {
  it('keeps the DeepSeek market value when a newer share count arrives', async () => {
    const before = await nvdaDayZeroUsd();
    expect(before).toBeCloseTo((118.42 - 142.62) * 24_490_000_000, -6);

    await saveSharesOutstanding(t.db.pool, 'NVDA', 24_300_000_000, '2026-11-01', 'yahoo quote');
    expect(await nvdaDayZeroUsd()).toBe(before);
    const instrument = (await request(t.app.url).get('/api/instruments/NVDA')).body.instrument;
    expect(instrument).toMatchObject({ sharesOutstanding: 24_300_000_000, sharesAsOf: '2026-11-01', sharesSource: 'yahoo quote' });
  });

  it('does not roll the instrument back to an older count on re-import, nor record a count twice', async () => {
    await importBundledData(t.db, path.join(__dirname, '../../data/market'));
    const instrument = (await request(t.app.url).get('/api/instruments/NVDA')).body.instrument;
    expect(instrument.sharesAsOf).toBe('2026-11-01');
    const { rows } = await t.db.pool.query(`SELECT as_of, shares FROM shares_outstanding_history WHERE symbol = 'NVDA' ORDER BY as_of`);
    expect(rows).toEqual([
      { as_of: '2024-12-31', shares: 24_490_000_000 },
      { as_of: '2026-11-01', shares: 24_300_000_000 },
    ]);
  });

  it('picks the newest dated count on or before the date, else an undated one, else the earliest later one', async () => {
    // an undated count, as a source without a date gives one
    await saveSharesOutstanding(t.db.pool, 'SMH', 200_000_000, null, 'test: undated');
    const at = async (date: string) =>
      Object.fromEntries([...(await getSharesAsOf(t.db.pool, ['NVDA', '8035.T', 'SMH'], date))].map(([s, v]) => [s, [v.shares, v.asOf]]));
    const smh = [200_000_000, null];
    expect(await at('2025-01-27')).toEqual({ NVDA: [24_490_000_000, '2024-12-31'], '8035.T': [458_890_000, '2025-01-20'], SMH: smh });
    expect(await at('2026-12-01')).toEqual({ NVDA: [24_300_000_000, '2026-11-01'], '8035.T': [458_890_000, '2025-01-20'], SMH: smh });
    // nothing dated on or before 2025-01-10 for Tokyo Electron: the earliest later count
    expect(await at('2025-01-10')).toEqual({ NVDA: [24_490_000_000, '2024-12-31'], '8035.T': [458_890_000, '2025-01-20'], SMH: smh });
    // an undated count comes before a later dated one
    await saveSharesOutstanding(t.db.pool, 'SMH', 210_000_000, '2025-03-01', 'test: dated');
    expect((await at('2024-06-30')).SMH).toEqual(smh);
    expect((await at('2025-03-02')).SMH).toEqual([210_000_000, '2025-03-01']);
  });
});
