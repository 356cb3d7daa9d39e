import request from 'supertest';
import { useTestApp } from '../support/testApp';

const t = useTestApp();

describe('health', () => {
  it('/healthz answers while the process is alive', async () => {
    const res = await request(t.app.url).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('/readyz reports migrations applied and the latest bar of each instrument', async () => {
    const res = await request(t.app.url).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.pendingMigrations).toEqual([]);
    expect(res.body.latestBars.NVDA).toBe('2025-03-31');
    expect(res.body.latestBars['6857.T']).toBe('2025-03-31');
    expect(Object.keys(res.body.latestBars).sort()).toEqual([
      '6857.T',
      '8035.T',
      '9984.T',
      'JPY=X',
      'NVDA',
      'SMH',
      '^GSPC',
      '^IXIC',
      '^N225',
    ]);
  });

  it('every response carries a request id', async () => {
    const res = await request(t.app.url).get('/healthz').set('x-request-id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
  });
});

describe('GET /api/instruments', () => {
  it('lists the default instruments with their benchmarks and shares', async () => {
    const res = await request(t.app.url).get('/api/instruments');
    expect(res.status).toBe(200);
    const bySymbol = Object.fromEntries(res.body.instruments.map((i: { symbol: string }) => [i.symbol, i]));
    expect(Object.keys(bySymbol)).toHaveLength(9);
    expect(bySymbol.NVDA).toMatchObject({
      benchmark: '^GSPC',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      sharesOutstanding: 24_490_000_000,
      sharesAsOf: '2024-12-31',
    });
    expect(bySymbol['6857.T']).toMatchObject({
      benchmark: '^N225',
      currency: 'JPY',
      timeZone: 'Asia/Tokyo',
      sharesOutstanding: 739_340_000,
      sharesAsOf: '2024-12-20',
    });
    expect(bySymbol['8035.T']).toMatchObject({ sharesOutstanding: 458_890_000, sharesAsOf: '2025-01-20' });
    expect(bySymbol['9984.T']).toMatchObject({ sharesOutstanding: 1_440_000_000, sharesAsOf: '2024-12-30' });
    expect(bySymbol['JPY=X']).toMatchObject({ kind: 'fx', name: 'USD/JPY' });
  });
});

describe('GET /api/instruments/:symbol/bars', () => {
  it('gives NVDA closes around the DeepSeek sell-off as numbers, dates in the exchange calendar', async () => {
    const res = await request(t.app.url).get('/api/instruments/NVDA/bars?from=2025-01-24&to=2025-01-27');
    expect(res.status).toBe(200);
    expect(res.body.bars.map((b: { date: string; close: number }) => [b.date, b.close])).toEqual([
      ['2025-01-24', 142.62],
      ['2025-01-27', 118.42],
    ]);
    expect(res.body.bars[1]).toEqual({
      date: '2025-01-27',
      open: 124.8,
      high: 128.4,
      low: 116.7,
      close: 118.42,
      adjClose: expect.any(Number),
      volume: 818830900,
      provisional: false,
    });
  });

  it('gives Advantest in yen', async () => {
    const res = await request(t.app.url).get('/api/instruments/6857.T/bars?from=2025-01-24&to=2025-01-27');
    expect(res.status).toBe(200);
    expect(res.body.currency).toBe('JPY');
    expect(res.body.bars.map((b: { close: number }) => b.close)).toEqual([10050, 9185]);
  });

  it('answers an unknown symbol with a JSON 404', async () => {
    const res = await request(t.app.url).get('/api/instruments/NOPE/bars');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/json/);
    expect(res.body.error).toMatchObject({ code: 'unknown_symbol', message: expect.stringContaining('NOPE') });
  });

  it('answers a malformed date with a 400 that names the parameter', async () => {
    const res = await request(t.app.url).get('/api/instruments/NVDA/bars?from=yesterday');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_parameter');
    expect(res.body.error.message).toContain('from');
    expect(res.body.error.details).toEqual([expect.objectContaining({ param: 'from' })]);
  });

  it('rejects impossible dates and inverted ranges', async () => {
    expect((await request(t.app.url).get('/api/instruments/NVDA/bars?to=2025-02-30')).body.error.message).toContain('to');
    const inverted = await request(t.app.url).get('/api/instruments/NVDA/bars?from=2025-02-01&to=2025-01-01');
    expect(inverted.status).toBe(400);
    expect(inverted.body.error.message).toContain('from');
  });

  it('rejects a repeated parameter instead of guessing', async () => {
    const res = await request(t.app.url).get('/api/instruments/NVDA/bars?from=2025-01-01&from=2025-01-02');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('from');
  });
});

describe('events', () => {
  it('lists the six DeepSeek-case events in time order', async () => {
    const res = await request(t.app.url).get('/api/events');
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: { slug: string }) => e.slug)).toEqual([
      'deepseek-v3-release',
      'deepseek-app-release',
      'deepseek-r1-release',
      'deepseek-app-store-no1',
      'trump-wake-up-call',
      'nvidia-q4-fy2025-earnings',
    ]);
  });

  it('shows an event with its source and the market coverage attached to it', async () => {
    const res = await request(t.app.url).get('/api/events/deepseek-r1-release');
    expect(res.status).toBe(200);
    expect(res.body.event).toMatchObject({
      slug: 'deepseek-r1-release',
      occurredAt: '2025-01-20T12:19:44.000Z',
      dateOnly: false,
      kind: 'model_release',
    });
    const roles = res.body.event.news.map((n: { role: string; kind: string }) => `${n.role}:${n.kind}`);
    expect(roles).toEqual([
      'source:model_release',
      'coverage:market_close',
      'coverage:selloff',
      'coverage:market_close',
      'coverage:rebound',
    ]);
  });

  it('keeps a date-only event as a date', async () => {
    const res = await request(t.app.url).get('/api/events/deepseek-app-store-no1');
    expect(res.body.event).toMatchObject({ date: '2025-01-26', dateOnly: true, occurredAt: null });
  });

  it('404s an unknown slug and 400s a malformed one', async () => {
    expect((await request(t.app.url).get('/api/events/no-such-event')).status).toBe(404);
    const bad = await request(t.app.url).get('/api/events/Bad_Slug!');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('slug');
  });
});

describe('errors', () => {
  it('answers an unknown API route with a JSON 404', async () => {
    const res = await request(t.app.url).get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'no_route', message: expect.stringContaining('/nothing-here') });
  });

  it('sends security headers with a CSP that allows no inline script', async () => {
    const res = await request(t.app.url).get('/healthz');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
  });
});
