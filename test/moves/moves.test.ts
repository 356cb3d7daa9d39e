// Move detection over the stored bars, its links to events, manual link decisions, and the moves API.
import request from 'supertest';
import { upsertDailyBars } from '../../src/bars/dailyBarStore';
import { detectAndStoreMoves } from '../../src/moves/moveDetection';
import type { DetectedMove } from '../../src/moves/moveContract';
import { createMoveDetection } from '../../src/moves/moveDetectionService';
import { barEventsService } from '../../src/bars/barEventsBus';
import { startTestApp, useTestApp } from '../support/testApp';

const TOKEN = 'moves-test-admin-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };

const t = useTestApp({ ADMIN_TOKEN: TOKEN });

async function moves(query = ''): Promise<DetectedMove[]> {
  const res = await request(t.app.url).get(`/api/moves${query}`);
  expect(res.status).toBe(200);
  return res.body.moves;
}
async function nvdaSellOff(): Promise<DetectedMove> {
  return (await moves('?symbol=NVDA&from=2025-01-27&to=2025-01-27'))[0];
}
async function counts(): Promise<{ moves: number; links: number; manual: number }> {
  const { rows } = await t.db.pool.query(
    `SELECT (SELECT count(*)::int FROM price_moves) AS moves, (SELECT count(*)::int FROM move_event_links) AS links,
            (SELECT count(*)::int FROM move_event_links WHERE origin = 'manual') AS manual`,
  );
  return rows[0];
}

describe('detection on the bundled data (run by the app on start)', () => {
  it('records NVDA on 27 Jan 2025 as a move linked to the App Store event (day 0) and to R1 (day +4)', async () => {
    const move = await nvdaSellOff();
    expect(move).toMatchObject({ symbol: 'NVDA', date: '2025-01-27', rule: 'both' });
    expect(Math.abs(move.move * 100 - -16.97)).toBeLessThanOrEqual(0.01);
    expect(move.z!).toBeLessThan(-3);
    const bySlug = Object.fromEntries(move.events.map((e) => [e.slug, e]));
    expect(bySlug['deepseek-app-store-no1']).toMatchObject({ offset: 0, origin: 'auto' });
    expect(bySlug['deepseek-r1-release']).toMatchObject({ offset: 4, origin: 'auto' });
    expect(bySlug['deepseek-v3-release']).toBeUndefined(); // a month earlier: outside [-1, +5]
  });

  it('records the Tokyo moves of 27 Jan too, linked to the App Store event at day 0', async () => {
    const tokyo = await moves('?symbol=6857.T,9984.T&from=2025-01-27&to=2025-01-27');
    expect(tokyo.map((m) => m.symbol).sort()).toEqual(['6857.T', '9984.T']);
    for (const m of tokyo) expect(m.events.find((e) => e.slug === 'deepseek-app-store-no1')?.offset).toBe(0);
  });

  it('every recorded move passes its rule, and every automatic link lies within [-1, +5] sessions', async () => {
    const all = await moves();
    expect(all.length).toBeGreaterThan(3);
    for (const m of all) {
      const byMove = Math.abs(m.move) >= 0.05 - 1e-12;
      const byZ = m.z !== null && Math.abs(m.z) >= 3 - 1e-12;
      expect(m.rule).toBe(byMove && byZ ? 'both' : byMove ? 'move' : 'abnormal');
      for (const e of m.events) {
        expect(e.offset).toBeGreaterThanOrEqual(-1);
        expect(e.offset).toBeLessThanOrEqual(5);
      }
    }
  });

  it('the event shows its linked moves with their offsets', async () => {
    const res = await request(t.app.url).get('/api/events/deepseek-r1-release');
    expect(res.status).toBe(200);
    const nvda = res.body.event.moves.find((m: { symbol: string; date: string }) => m.symbol === 'NVDA' && m.date === '2025-01-27');
    expect(nvda).toMatchObject({ offset: 4, origin: 'auto', rule: 'both' });
    expect(res.body.event.news.length).toBeGreaterThan(0);
  });

  it('running detection again changes no row', async () => {
    const before = await counts();
    const snapshot = (await t.db.pool.query('SELECT * FROM price_moves ORDER BY id')).rows;
    const summary = await detectAndStoreMoves(t.db);
    expect(summary).toMatchObject({ inserted: 0, updated: 0, deleted: 0, linksAdded: 0, linksRemoved: 0 });
    expect(summary.moves).toBe(before.moves);
    expect(await counts()).toEqual(before);
    expect((await t.db.pool.query('SELECT * FROM price_moves ORDER BY id')).rows).toEqual(snapshot);
  });
});

describe('per-instrument thresholds', () => {
  afterAll(async () => {
    await t.db.pool.query(`UPDATE instruments SET min_move_pct = NULL, min_abnormal_z = NULL WHERE symbol = '9984.T'`);
    await detectAndStoreMoves(t.db, ['9984.T']);
  });

  it('raising them drops the moves that no longer qualify; lowering them back brings the moves back', async () => {
    const before = await moves('?symbol=9984.T');
    expect(before.length).toBeGreaterThan(0);
    await t.db.pool.query(`UPDATE instruments SET min_move_pct = 50, min_abnormal_z = 50 WHERE symbol = '9984.T'`);
    const raised = await detectAndStoreMoves(t.db, ['9984.T']);
    expect(raised.symbols).toEqual(['9984.T']);
    expect(raised.deleted).toBe(before.length);
    expect(await moves('?symbol=9984.T')).toEqual([]);
    expect((await moves('?symbol=NVDA')).length).toBeGreaterThan(0); // other instruments untouched

    await t.db.pool.query(`UPDATE instruments SET min_move_pct = NULL, min_abnormal_z = NULL WHERE symbol = '9984.T'`);
    const restored = await detectAndStoreMoves(t.db, ['9984.T']);
    expect(restored.inserted).toBe(before.length);
    expect((await moves('?symbol=9984.T')).map((m) => [m.date, m.move, m.events.map((e) => e.slug)])).toEqual(
      before.map((m) => [m.date, m.move, m.events.map((e) => e.slug)]),
    );
  });

  it('a new bar of a benchmark re-detects the instruments measured against it', async () => {
    const summary = await detectAndStoreMoves(t.db, ['^N225']);
    expect(summary.symbols.sort()).toEqual(['6857.T', '8035.T', '9984.T', '^N225']);
  });
});

describe('manual link decisions', () => {
  it('need the admin token', async () => {
    const move = await nvdaSellOff();
    expect((await request(t.app.url).delete(`/api/moves/${move.id}/links/deepseek-r1-release`)).status).toBe(401);
    const wrong = await request(t.app.url)
      .post(`/api/moves/${move.id}/links`)
      .set({ Authorization: 'Bearer not-the-token-at-all' })
      .send({ eventSlug: 'deepseek-v3-release' });
    expect(wrong.status).toBe(401);
    expect((await nvdaSellOff()).events.map((e) => e.slug)).toContain('deepseek-r1-release');
  });

  it('an unlink survives re-detection', async () => {
    const move = await nvdaSellOff();
    const res = await request(t.app.url).delete(`/api/moves/${move.id}/links/deepseek-r1-release`).set(auth);
    expect(res.status).toBe(200);
    expect(res.body.move.events.map((e: { slug: string }) => e.slug)).not.toContain('deepseek-r1-release');
    expect(res.body.move.unlinkedEvents).toEqual([expect.objectContaining({ slug: 'deepseek-r1-release', offset: 4, origin: 'manual' })]);

    await detectAndStoreMoves(t.db);
    await detectAndStoreMoves(t.db, ['NVDA']);
    const after = await nvdaSellOff();
    expect(after.id).toBe(move.id);
    expect(after.events.map((e) => e.slug)).not.toContain('deepseek-r1-release');
    expect(after.events.map((e) => e.slug)).toContain('deepseek-app-store-no1');
    const event = await request(t.app.url).get('/api/events/deepseek-r1-release');
    expect(event.body.event.moves.some((m: { id: number }) => m.id === move.id)).toBe(false);
  });

  it('a manual link outside the automatic range survives re-detection, and can be undone by an unlink', async () => {
    const move = await nvdaSellOff();
    const res = await request(t.app.url).post(`/api/moves/${move.id}/links`).set(auth).send({ eventSlug: 'deepseek-v3-release' });
    expect(res.status).toBe(200);
    const link = res.body.move.events.find((e: { slug: string }) => e.slug === 'deepseek-v3-release');
    expect(link.origin).toBe('manual');
    expect(link.offset).toBeGreaterThan(5);
    await detectAndStoreMoves(t.db);
    expect((await nvdaSellOff()).events.find((e) => e.slug === 'deepseek-v3-release')).toMatchObject({
      origin: 'manual',
      offset: link.offset,
    });

    expect((await request(t.app.url).delete(`/api/moves/${move.id}/links/deepseek-v3-release`).set(auth)).status).toBe(200);
    await detectAndStoreMoves(t.db);
    expect((await nvdaSellOff()).events.map((e) => e.slug)).not.toContain('deepseek-v3-release');
  });

  it('a move that a person linked is kept even when it stops qualifying', async () => {
    const tokyo = (await moves('?symbol=9984.T&from=2025-01-27&to=2025-01-27'))[0];
    expect((await request(t.app.url).post(`/api/moves/${tokyo.id}/links`).set(auth).send({ eventSlug: 'trump-wake-up-call' })).status).toBe(
      200,
    );
    await t.db.pool.query(`UPDATE instruments SET min_move_pct = 50, min_abnormal_z = 50 WHERE symbol = '9984.T'`);
    try {
      await detectAndStoreMoves(t.db, ['9984.T']);
      expect((await moves('?symbol=9984.T')).map((m) => m.id)).toEqual([tokyo.id]);
    } finally {
      await t.db.pool.query(`UPDATE instruments SET min_move_pct = NULL, min_abnormal_z = NULL WHERE symbol = '9984.T'`);
      await detectAndStoreMoves(t.db, ['9984.T']);
    }
  });

  it('unknown moves and events are 404s, a bad body a 400, an event after the data a 409', async () => {
    const move = await nvdaSellOff();
    expect((await request(t.app.url).post('/api/moves/999999/links').set(auth).send({ eventSlug: 'deepseek-r1-release' })).status).toBe(
      404,
    );
    const noEvent = await request(t.app.url).post(`/api/moves/${move.id}/links`).set(auth).send({ eventSlug: 'no-such-event' });
    expect(noEvent.status).toBe(404);
    expect(noEvent.body.error.message).toContain('no-such-event');
    const bad = await request(t.app.url).post(`/api/moves/${move.id}/links`).set(auth).send({ eventSlug: 'Not A Slug' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('eventSlug');
    expect((await request(t.app.url).get('/api/moves/abc')).status).toBe(400);

    await t.db.pool.query(
      `INSERT INTO events (slug, title, occurred_at, kind) VALUES ('future-event', 'Later', '2030-01-01T00:00:00Z', 'news')`,
    );
    const future = await request(t.app.url).post(`/api/moves/${move.id}/links`).set(auth).send({ eventSlug: 'future-event' });
    expect(future.status).toBe(409);
    expect(future.body.error.message).toContain('no day 0');
  });
});

describe('GET /api/moves filters', () => {
  it('min is the smallest |move| in percent', async () => {
    const big = await moves('?min=10');
    expect(big.length).toBeGreaterThan(0);
    expect(big.every((m) => Math.abs(m.move) >= 0.1)).toBe(true);
    expect(big.some((m) => m.symbol === 'NVDA' && m.date === '2025-01-27')).toBe(true);
    const all = await moves();
    expect(big.length).toBeLessThan(all.length);
  });

  it('from and to bound the session dates', async () => {
    const feb = await moves('?from=2025-02-01&to=2025-02-28');
    expect(feb.every((m) => m.date >= '2025-02-01' && m.date <= '2025-02-28')).toBe(true);
  });

  it.each([
    ['?min=lots', 'min'],
    ['?min=101', 'min'],
    ['?from=2025-02-01&to=2025-01-01', 'from'],
    ['?limit=0', 'limit'],
  ])('%s is a 400 invalid_parameter naming the parameter', async (query, message) => {
    const res = await request(t.app.url).get(`/api/moves${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_parameter');
    expect(res.body.error.message).toContain(message);
  });

  it('an unknown symbol is a 404 unknown_symbol naming it', async () => {
    const res = await request(t.app.url).get('/api/moves?symbol=NOPE');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'unknown_symbol', message: 'symbol: unknown symbol NOPE' });
  });
});

describe('GET /api/moves/:id candidate news', () => {
  it('offers news from 3 days before to 1 day after the move that names the symbol or no symbol', async () => {
    const insert = `INSERT INTO news_items (url, title, publisher, published_at, symbols, source) VALUES ($1, $2, 'Yahoo', $3, $4, 'yahoo')`;
    await t.db.pool.query(insert, ['https://news.example/nvda-27', 'Nvidia slides', '2025-01-27T15:00:00Z', ['NVDA']]);
    await t.db.pool.query(insert, ['https://news.example/softbank', 'SoftBank news', '2025-01-27T15:00:00Z', ['9984.T']]);
    await t.db.pool.query(insert, ['https://news.example/old', 'Old news', '2025-01-20T15:00:00Z', ['NVDA']]);
    await t.db.pool.query(insert, ['https://news.example/late', 'Two days later', '2025-01-29T15:00:00Z', ['NVDA']]);
    const move = await nvdaSellOff();
    const res = await request(t.app.url).get(`/api/moves/${move.id}`);
    expect(res.status).toBe(200);
    const urls = res.body.move.candidateNews.map((n: { url: string }) => n.url);
    expect(urls).toContain('https://news.example/nvda-27');
    expect(urls).not.toContain('https://news.example/softbank');
    expect(urls).not.toContain('https://news.example/old');
    expect(urls).not.toContain('https://news.example/late');
    // bundled coverage names no symbol: the sell-off report of that evening is a candidate, already attached to events
    const selloff = res.body.move.candidateNews.find((n: { kind: string }) => n.kind === 'selloff');
    expect(selloff.eventSlugs).toEqual(expect.arrayContaining(['deepseek-app-store-no1']));
    for (const n of res.body.move.candidateNews) {
      const t = Date.parse(n.publishedAt);
      expect(t).toBeGreaterThanOrEqual(Date.parse('2025-01-24T05:00:00Z'));
      expect(t).toBeLessThan(Date.parse('2025-01-29T05:00:00Z'));
    }
    expect((await request(t.app.url).get('/api/moves/987654')).status).toBe(404);
  });
});

describe('events and links follow each other', () => {
  it('a new event links the moves around it at once; moving it in time re-links them', async () => {
    const created = await request(t.app.url)
      .post('/api/events')
      .set(auth)
      .send({ title: 'Test: something on Friday 24 Jan', date: '2025-01-24', dateOnly: true, kind: 'test' });
    expect(created.status).toBe(201);
    const slug = created.body.event.slug;
    const linked = created.body.event.moves.find((m: { symbol: string; date: string }) => m.symbol === 'NVDA' && m.date === '2025-01-27');
    expect(linked).toMatchObject({ offset: 1, origin: 'auto' });

    const moved = await request(t.app.url).patch(`/api/events/${slug}`).set(auth).send({ date: '2024-11-01' });
    expect(moved.status).toBe(200);
    expect(moved.body.event.moves.some((m: { date: string }) => m.date === '2025-01-27')).toBe(false);
    expect((await nvdaSellOff()).events.map((e) => e.slug)).not.toContain(slug);
  });
});

describe('re-detection after new bars (bars_stored listener)', () => {
  it('a stored bar that moves NVDA 20% becomes a move without anyone calling detection', async () => {
    const listening = await startTestApp(t.db, { ADMIN_TOKEN: TOKEN }, [barEventsService(createMoveDetection({ debounceMs: 50 }))]);
    try {
      const last = (await t.db.pool.query(`SELECT close FROM daily_bars WHERE symbol = 'NVDA' ORDER BY date DESC LIMIT 1`)).rows[0]
        .close as number;
      const close = Math.round(last * 0.8 * 100) / 100;
      await upsertDailyBars(
        t.db.pool,
        [{ symbol: 'NVDA', date: '2025-04-01', open: last, high: last, low: close, close, adjClose: close, volume: 1 }],
        { source: 'test' },
      );
      let found: DetectedMove[] = [];
      for (let i = 0; i < 200 && found.length === 0; i++) {
        found = await moves('?symbol=NVDA&from=2025-04-01');
        if (found.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(found).toHaveLength(1);
      expect(found[0].move).toBeCloseTo(close / last - 1, 12);
    } finally {
      await listening.stop();
    }
  });

  it('its LISTEN connection cut by the database comes back, and what was stored meanwhile becomes a move', async () => {
    const listening = await startTestApp(t.db, { ADMIN_TOKEN: TOKEN }, [barEventsService(createMoveDetection({ debounceMs: 50 }))]);
    try {
      const cut = await t.db.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`,
      );
      expect(cut.rowCount).toBe(1);
      // stored while the listener is probably still reconnecting: the notification is lost, the catch-up finds it
      const last = (await t.db.pool.query(`SELECT close FROM daily_bars WHERE symbol = 'NVDA' ORDER BY date DESC LIMIT 1`)).rows[0]
        .close as number;
      const close = Math.round(last * 1.25 * 100) / 100;
      await upsertDailyBars(
        t.db.pool,
        [{ symbol: 'NVDA', date: '2025-04-02', open: last, high: close, low: last, close, adjClose: close, volume: 1 }],
        { source: 'test' },
      );
      let found: DetectedMove[] = [];
      for (let i = 0; i < 200 && found.length === 0; i++) {
        found = await moves('?symbol=NVDA&from=2025-04-02');
        if (found.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(found).toHaveLength(1);
      expect(found[0].move).toBeCloseTo(close / last - 1, 12);
    } finally {
      await listening.stop();
    }
  });
});
