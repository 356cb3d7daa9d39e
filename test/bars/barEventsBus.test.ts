// The bar-events bus: one LISTEN connection on bars_stored per app, whatever reacts to bars; its handlers in
// order (movesDetected after move detection committed); a debounced handler gets one merged event for a burst of
// stores; a handler never runs twice at once; after the database restarts, every handler looks at everything
// and notifications flow again.
import type { RunningApp } from '../../src/app/server';
import { backgroundServices } from '../../src/app/services';
import type { BarsStoredEvent, MovesDetectedEvent } from '../../src/bars/barEvents';
import { BarEventsBus, barEventsApplicationName, barEventsService, type BarEventsHandler } from '../../src/bars/barEventsBus';
import { upsertDailyBars } from '../../src/bars/dailyBarStore';
import type { Database } from '../../src/db/database';
import { createLogger } from '../../src/logging/logger';
import { createMoveDetection } from '../../src/moves/moveDetectionService';
import { waitUntil } from '../alerts/alertTestSupport';
import { startTestApp } from '../support/testApp';
import { startRestartablePostgres, type RestartablePostgres } from '../support/restartablePostgres';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

const silent = createLogger('silent');

/** The LISTEN connections on bars_stored of this database, by application_name. */
async function barsStoredListeners(db: Database): Promise<Map<string, number>> {
  const { rows } = await db.pool.query<{ app: string; n: number }>(
    `SELECT application_name AS app, count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND query ILIKE 'LISTEN %bars_stored%' GROUP BY 1`,
  );
  return new Map(rows.map((r) => [r.app, r.n]));
}

/** A handler that writes down every event it gets. */
function recorder(name: string, opts: { debounceMs?: number; intervals?: string[] } = {}) {
  const barsStored: BarsStoredEvent[] = [];
  const handler: BarEventsHandler = {
    name,
    barsStored: {
      ...opts,
      async handle(e) {
        barsStored.push(e);
      },
    },
  };
  return { handler, barsStored };
}

const bar = (symbol: string, date: string, close: number) => ({
  symbol,
  date,
  open: close,
  high: close,
  low: close,
  close,
  adjClose: close,
  volume: 1,
});

describe('on the shared test server', () => {
  let db: TestDatabase;
  const apps: RunningApp[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await db?.drop();
  });

  it('each app holds exactly one LISTEN connection on bars_stored, with every background service running', async () => {
    const before = await barsStoredListeners(db);
    expect([...before.values()]).toEqual([]);
    for (let i = 0; i < 2; i++) apps.push(await startTestApp(db, {}, backgroundServices));
    const listeners = await barsStoredListeners(db);
    // one per app, named after it
    expect([...listeners.values()]).toEqual([1, 1]);
    for (const app of apps) expect(listeners.get(barEventsApplicationName(app.ctx.instanceId))).toBe(1);
    while (apps.length) await apps.pop()!.stop();
    expect(await barsStoredListeners(db)).toEqual(new Map());
  });

  it('movesDetected reaches its handlers after move detection committed the moves of the stored bars', async () => {
    const order: string[] = [];
    let movesWhenTold: number | null = null;
    const told: MovesDetectedEvent[] = [];
    const probe: BarEventsHandler = {
      name: 'probe',
      barsStored: {
        async handle(e) {
          if (e.symbols?.includes('NVDA')) order.push('barsStored');
        },
      },
      movesDetected: {
        async handle(e) {
          order.push('movesDetected');
          const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM price_moves WHERE symbol = 'NVDA' AND date = '2025-04-01'`);
          movesWhenTold = rows[0].n;
          told.push(e);
        },
      },
    };
    apps.push(await startTestApp(db, {}, [barEventsService(createMoveDetection({ debounceMs: 300 }), () => probe)]));
    const last = (await db.pool.query(`SELECT close FROM daily_bars WHERE symbol = 'NVDA' ORDER BY date DESC LIMIT 1`)).rows[0].close;
    await upsertDailyBars(db.pool, [bar('NVDA', '2025-04-01', Math.round(last * 0.8 * 100) / 100)], { source: 'test' });
    await waitUntil(async () => told.length > 0, 'movesDetected');
    expect(order).toEqual(['barsStored', 'movesDetected']);
    expect(movesWhenTold).toBe(1); // the move was there when its handler ran
    expect(told[0]).toMatchObject({ interval: '1d', sessions: { from: '2025-04-01', to: '2025-04-01' }, changed: true });
    expect(told[0].symbols).toContain('NVDA');
    await apps.pop()!.stop();
  });

  it('a debounced handler gets one event for a burst of stores, the symbols and sessions of all of them', async () => {
    const { rows } = await db.pool.query<{ symbol: string }>(`SELECT symbol FROM instruments ORDER BY symbol LIMIT 3`);
    const symbols = rows.map((r) => r.symbol);
    const debounced = recorder('debounced', { debounceMs: 500 });
    const seen = debounced.barsStored;
    const intraday = recorder('only 5m', { intervals: ['5m'] });
    apps.push(
      await startTestApp(db, {}, [
        barEventsService(
          () => debounced.handler,
          () => intraday.handler,
        ),
      ]),
    );
    for (const [i, symbol] of symbols.entries()) {
      await upsertDailyBars(db.pool, [bar(symbol, `2031-01-0${i + 2}`, 100 + i)], { source: 'test' });
    }
    await waitUntil(async () => seen.length > 0, 'the debounced event');
    await new Promise((r) => setTimeout(r, 700)); // longer than the debounce: nothing else comes
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual({ symbols: symbols, interval: '1d', sessions: { from: '2031-01-02', to: '2031-01-04' } });
    expect(intraday.barsStored).toEqual([]); // daily bars are not its interval
    await apps.pop()!.stop();
  });
});

describe('the bus without a database', () => {
  it('never runs a handler twice at once: what arrives meanwhile is merged into its next call', async () => {
    const calls: BarsStoredEvent[] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => {
      release = r;
    });
    let running = 0;
    let mostAtOnce = 0;
    const bus = new BarEventsBus('postgres://127.0.0.1:9/none', silent, 'test');
    bus.add({
      name: 'slow',
      barsStored: {
        async handle(e) {
          mostAtOnce = Math.max(mostAtOnce, ++running);
          calls.push(e);
          if (calls.length === 1) await first;
          running--;
        },
      },
    });
    bus.barsStoredEvent({ symbols: ['A'], interval: '1d', sessions: { from: '2025-01-02', to: '2025-01-02' } });
    bus.barsStoredEvent({ symbols: ['B'], interval: '1d', sessions: { from: '2025-01-03', to: '2025-01-03' } });
    bus.barsStoredEvent({ symbols: ['C', 'B'], interval: '1d', sessions: { from: '2025-01-01', to: '2025-01-01' } });
    bus.barsStoredEvent({ symbols: ['D'], interval: '5m', sessions: { from: '2025-01-03T15:00:00Z', to: '2025-01-03T15:00:00Z' } });
    release();
    await bus.settled();
    expect(mostAtOnce).toBe(1);
    expect(calls).toEqual([
      { symbols: ['A'], interval: '1d', sessions: { from: '2025-01-02', to: '2025-01-02' } },
      { symbols: ['B', 'C', 'D'], interval: null, sessions: null }, // two intervals: no one span
    ]);
    bus.sweep();
    await bus.settled();
    expect(calls[2]).toEqual({ symbols: null, interval: null, sessions: null });
  });
});

describe('a database that restarts', () => {
  let server: RestartablePostgres | undefined;
  let db: Database;
  let bus: BarEventsBus | undefined;

  beforeAll(async () => {
    server = await startRestartablePostgres('barevents', silent);
    db = server.db;
    await db.pool.query(
      `INSERT INTO instruments (symbol, name, exchange, currency, time_zone, kind) VALUES ('ZBUS', 'bus test', 'US', 'USD', 'America/New_York', 'equity')`,
    );
  });
  afterAll(async () => {
    await bus?.stop();
    await server?.close();
  });

  it('its LISTEN connection comes back: every handler looks at everything, and notifications flow again', async () => {
    const a = recorder('a');
    const b = recorder('b', { debounceMs: 100 });
    bus = new BarEventsBus(db.connectionString, silent, 'aftershock bars_stored restart-test');
    bus.add(a.handler);
    bus.add(b.handler);
    await bus.start();
    await upsertDailyBars(db.pool, [bar('ZBUS', '2025-01-02', 100)], { source: 'test' });
    await waitUntil(async () => a.barsStored.length === 1 && b.barsStored.length === 1, 'the first notification');

    await server!.stop();
    await server!.start();
    const everything = { symbols: null, interval: null, sessions: null };
    await waitUntil(
      async () => a.barsStored.length === 2 && b.barsStored.length === 2,
      'the look at everything after the reconnect',
      30_000,
    );
    expect(a.barsStored[1]).toEqual(everything);
    expect(b.barsStored[1]).toEqual(everything);

    await upsertDailyBars(db.pool, [bar('ZBUS', '2025-01-03', 101)], { source: 'test' });
    const stored = { symbols: ['ZBUS'], interval: '1d', sessions: { from: '2025-01-03', to: '2025-01-03' } };
    await waitUntil(async () => a.barsStored.length === 3 && b.barsStored.length === 3, 'the notification after the restart');
    expect(a.barsStored[2]).toEqual(stored);
    expect(b.barsStored[2]).toEqual(stored);
    expect([...(await barsStoredListeners(db)).values()]).toEqual([1]);
  });
});
