// The result cache (issue 25): the same question twice is answered from the cache, and a write of anything the
// answer depends on (a bar, the event, a group), by this app or another instance on the same database, is in the
// very next answer: the watermark is read from the database, not learnt from a notification.
import request from 'supertest';
import { upsertDailyBars } from '../../src/bars/dailyBarStore';
import { startTestApp } from '../support/testApp';
import type { RunningApp } from '../../src/app/server';
import { useTestApp } from '../support/testApp';

const TOKEN = 'test-admin-token-0123456789';
const t = useTestApp({ ADMIN_TOKEN: TOKEN });
const IMPACT = '/api/events/deepseek-app-store-no1/impact?symbols=NVDA,8035.T';
const STUDY = '/api/studies/run?events=deepseek-app-store-no1&group=cache-test&window=-5,10&estimation=-120,-11&minObs=30';

interface DayRow {
  offset: number;
  close: number;
}
const dayZeroClose = (body: { results: { symbol: string; days: DayRow[] }[] }, symbol: string) =>
  body.results.find((r) => r.symbol === symbol)?.days.find((d) => d.offset === 0)?.close;

describe('result cache', () => {
  let other: RunningApp | undefined;
  afterAll(async () => {
    await other?.stop();
  });

  it('answers the same impact request twice, the second time from the cache, byte for byte', async () => {
    const first = await request(t.app.url).get(IMPACT);
    expect(first.status).toBe(200);
    expect(first.headers['x-cache']).toBe('miss');
    const second = await request(t.app.url).get(IMPACT);
    expect(second.status).toBe(200);
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.text).toBe(first.text);
    // the same options written another way are the same question
    const reordered = await request(t.app.url).get(`${IMPACT}&window=-10,10`);
    expect(reordered.headers['x-cache']).toBe('hit');
    const metrics = (await request(t.app.url).get('/metrics')).text;
    expect(metrics).toMatch(/aftershock_result_cache_requests_total\{route="impact",outcome="hit"\} [2-9]/);
  });

  it('has a stored bar in the next answer, also when another app instance on the same database wrote it', async () => {
    const before = await request(t.app.url).get(IMPACT);
    expect(before.headers['x-cache']).toBe('hit');
    const close = dayZeroClose(before.body, 'NVDA')!;
    expect(close).toBeCloseTo(118.42, 2);
    // a correction of NVDA's day-0 bar, written through the bar store (synthetic value, this test's own database)
    const { rows } = await t.db.pool.query(
      `SELECT symbol, date, open, high, low, close, adj_close, volume FROM daily_bars WHERE symbol = 'NVDA' AND date = '2025-01-27'`,
    );
    const bar = rows[0];
    const storeClose = (close: number, adjClose: number, source: string) =>
      upsertDailyBars(
        t.db.pool,
        [{ symbol: 'NVDA', date: bar.date, open: bar.open, high: bar.high, low: bar.low, close, adjClose, volume: Number(bar.volume) }],
        { source },
      );
    await storeClose(100, 100, 'test: synthetic correction');
    const after = await request(t.app.url).get(IMPACT);
    expect(after.headers['x-cache']).toBe('miss');
    expect(dayZeroClose(after.body, 'NVDA')).toBe(100);

    // a second instance caches the answer; the first writes; the second's next answer has the write
    other = await startTestApp(t.db, { ADMIN_TOKEN: TOKEN });
    await request(other.url).get(IMPACT);
    expect((await request(other.url).get(IMPACT)).headers['x-cache']).toBe('hit');
    await storeClose(bar.close, bar.adj_close, 'test: restored');
    const restored = await request(other.url).get(IMPACT);
    expect(restored.headers['x-cache']).toBe('miss');
    expect(dayZeroClose(restored.body, 'NVDA')).toBeCloseTo(118.42, 2);
  });

  it('has an edited event in the next answer', async () => {
    await request(t.app.url).get(IMPACT); // this instance's entry is older than the restored bar
    expect((await request(t.app.url).get(IMPACT)).headers['x-cache']).toBe('hit');
    // written in SQL, as another program on the same database might: the trigger still moves the watermark
    await t.db.pool.query(`UPDATE events SET title = 'DeepSeek, retitled' WHERE slug = 'deepseek-app-store-no1'`);
    const after = await request(t.app.url).get(IMPACT);
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.body.event.title).toBe('DeepSeek, retitled');
  });

  it('recomputes after a write to the factor returns (a factor model reads them)', async () => {
    await request(t.app.url).get(IMPACT);
    expect((await request(t.app.url).get(IMPACT)).headers['x-cache']).toBe('hit');
    // any statement on the table moves its version, even one that changes no row
    await t.db.pool.query('DELETE FROM factor_returns WHERE false');
    expect((await request(t.app.url).get(IMPACT)).headers['x-cache']).toBe('miss');
  });

  it('caches a study and has a group edit in the next answer', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    expect(
      (
        await request(t.app.url)
          .post('/api/groups')
          .set(auth)
          .send({ slug: 'cache-test', title: 'cache test', symbols: ['NVDA'] })
      ).status,
    ).toBe(201);
    const first = await request(t.app.url).get(STUDY);
    expect(first.status).toBe(200);
    expect(first.headers['x-cache']).toBe('miss');
    expect(first.body.members).toHaveLength(1);
    const second = await request(t.app.url).get(STUDY);
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.text).toBe(first.text);
    await request(t.app.url)
      .patch('/api/groups/cache-test')
      .set(auth)
      .send({ add: ['8035.T'] });
    const after = await request(t.app.url).get(STUDY);
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.body.members).toHaveLength(2);
  });
});

describe('result cache switched off', () => {
  const off = useTestApp({ RESULT_CACHE: 'off' });
  it('computes every request', async () => {
    expect((await request(off.app.url).get(IMPACT)).status).toBe(200);
    const again = await request(off.app.url).get(IMPACT);
    expect(again.status).toBe(200);
    expect(again.headers['x-cache']).toBeUndefined();
  });
});

describe('result cache bounded by RESULT_CACHE_MB', () => {
  const small = useTestApp({ RESULT_CACHE_MB: '1' });
  it('keeps at most that many bytes, the least recently used answers going first', async () => {
    const url = (k: number) => `/api/events/deepseek-app-store-no1/impact?minObs=${30 + k}`;
    let sent = 0;
    for (let k = 1; sent <= 2 ** 21; k++) {
      const res = await request(small.app.url).get(url(k));
      expect(res.headers['x-cache']).toBe('miss');
      sent += res.text.length;
    }
    const metrics = (await request(small.app.url).get('/metrics')).text;
    const held = Number(/^aftershock_result_cache_bytes (\d+)/m.exec(metrics)?.[1]);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(2 ** 20);
    // the first answer went, the last is kept
    expect((await request(small.app.url).get(url(1))).headers['x-cache']).toBe('miss');
    expect((await request(small.app.url).get(url(1))).headers['x-cache']).toBe('hit');
  });
});

describe('result cache after bars are deleted', () => {
  const own = useTestApp();
  it('has no stale answer after a DELETE or a TRUNCATE of the bars', async () => {
    const get = () => request(own.app.url).get(IMPACT);
    await get();
    expect((await get()).headers['x-cache']).toBe('hit');
    const tokyoDates = (body: { results: { symbol: string; days: { date: string }[] }[] }) =>
      body.results.find((r) => r.symbol === '8035.T')?.days.map((d) => d.date);
    expect(tokyoDates((await get()).body)).toContain('2025-01-28');
    await own.db.pool.query(`DELETE FROM daily_bars WHERE symbol = '8035.T' AND date = '2025-01-28'`);
    const deleted = await get();
    expect(deleted.headers['x-cache']).toBe('miss');
    expect(tokyoDates(deleted.body)).not.toContain('2025-01-28');
    expect((await get()).headers['x-cache']).toBe('hit');
    await own.db.pool.query('TRUNCATE daily_bars');
    const truncated = await get();
    expect(truncated.headers['x-cache']).toBe('miss');
    expect(truncated.body.results.map((r: { status: string }) => r.status)).toEqual(['no_data', 'no_data']);
  });
});
