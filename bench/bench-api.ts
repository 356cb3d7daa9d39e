// API latency: the event-study route for one event and 50 instruments with a year of daily bars each (every one
// with a benchmark; a fifth of them in yen, so USD/JPY is read too) against a trivial JSON route (/healthz) of the
// same server in the same run. autocannon runs in a child process so it does not share the server's event loop.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startApp } from '../src/app/server';
import { loadConfig } from '../src/config/config';
import { upsertDailyBars } from '../src/bars/dailyBarStore';
import { saveInstrument, saveSharesOutstanding } from '../src/instruments/instrumentStore';
import { createLogger } from '../src/logging/logger';
import type { DailyBarInput } from '../src/marketdata/types';
import { benchDatabase, report, type BenchFigure } from './benchSupport';

const INSTRUMENTS = 50;
const YEN_EVERY = 5; // every 5th instrument trades in Tokyo, in yen
const FIRST_DAY = '2024-03-01';
const LAST_DAY = '2025-03-31';
const EVENT_DATE = '2025-01-27';
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 6);
const THROUGHPUT_SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 8);
const THROUGHPUT_CONNECTIONS = 8;

function weekdays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

/** A deterministic random walk (no Math.random: two runs see the same series). */
function randomWalk(symbol: string, dates: readonly string[], start: number, seed: number): DailyBarInput[] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  };
  let price = start;
  return dates.map((date) => {
    price *= 1 + next() * 0.04;
    const close = Math.round(price * 100) / 100;
    return { symbol, date, open: close, high: close * 1.01, low: close * 0.99, close, adjClose: close, volume: 1_000_000 };
  });
}

interface CannonResult {
  latency: { p50: number; p99: number; average: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}

async function autocannon(url: string, connections: number, seconds: number): Promise<CannonResult> {
  const bin = path.join(__dirname, '..', 'node_modules', 'autocannon', 'autocannon.js');
  const { stdout } = await promisify(execFile)(process.execPath, [bin, '-j', '-c', String(connections), '-d', String(seconds), url], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const result = JSON.parse(stdout) as CannonResult;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result;
}

async function main() {
  const { db, cleanup } = await benchDatabase();
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    IMPORT_BUNDLED_DATA: 'false',
    SCHEDULER_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    // one client sends every request here: the per-client limit is not what is measured
    HEAVY_RATE_LIMIT: '100000',
  });
  try {
    const usDays = weekdays(FIRST_DAY, LAST_DAY);
    await saveInstrument(db.pool, {
      symbol: 'BENCH-US',
      name: 'bench US index',
      exchange: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'index',
      benchmarkSymbol: null,
    });
    await saveInstrument(db.pool, {
      symbol: 'BENCH-JP',
      name: 'bench Tokyo index',
      exchange: 'TSE',
      currency: 'JPY',
      timeZone: 'Asia/Tokyo',
      kind: 'index',
      benchmarkSymbol: null,
    });
    await saveInstrument(db.pool, {
      symbol: 'JPY=X',
      name: 'USD/JPY',
      exchange: 'FX',
      currency: 'JPY',
      timeZone: 'Europe/London',
      kind: 'fx',
      benchmarkSymbol: null,
    });
    const bars: DailyBarInput[] = [
      ...randomWalk('BENCH-US', usDays, 5000, 1),
      ...randomWalk('BENCH-JP', usDays, 38000, 2),
      ...randomWalk('JPY=X', usDays, 150, 3),
    ];
    const symbols: string[] = [];
    for (let i = 0; i < INSTRUMENTS; i++) {
      const yen = i % YEN_EVERY === 0;
      const symbol = yen ? `${8000 + i}.T` : `SYN${String(i).padStart(2, '0')}`;
      symbols.push(symbol);
      await saveInstrument(
        db.pool,
        yen
          ? {
              symbol,
              name: `synthetic ${symbol}`,
              exchange: 'TSE',
              currency: 'JPY',
              timeZone: 'Asia/Tokyo',
              kind: 'equity',
              benchmarkSymbol: 'BENCH-JP',
            }
          : {
              symbol,
              name: `synthetic ${symbol}`,
              exchange: 'US',
              currency: 'USD',
              timeZone: 'America/New_York',
              kind: 'equity',
              benchmarkSymbol: 'BENCH-US',
            },
      );
      await saveSharesOutstanding(db.pool, symbol, 1_000_000_000 + i, '2024-12-31', 'bench');
      bars.push(...randomWalk(symbol, usDays, yen ? 5000 + i * 10 : 50 + i, 100 + i));
    }
    await upsertDailyBars(db.pool, bars, { source: 'bench' });
    await db.pool.query(
      `INSERT INTO events (slug, title, occurred_at, date_only, kind) VALUES ('bench-event', 'Bench event', $1, true, 'bench')`,
      [`${EVENT_DATE}T00:00:00Z`],
    );
    await db.pool.query('ANALYZE');

    const app = await startApp({ config, db, logger: createLogger('warn') });
    try {
      const impactUrl = `${app.url}/api/events/bench-event/impact?symbols=${symbols.map(encodeURIComponent).join(',')}`;
      const health = `${app.url}/healthz`;
      // check the answer before measuring it
      const check = (await (await fetch(impactUrl)).json()) as { results: { status: string; days: unknown[] }[] };
      const ok = check.results.filter((r) => r.status === 'ok' && r.days.length === 21).length;
      if (check.results.length !== INSTRUMENTS || ok !== INSTRUMENTS)
        throw new Error(`expected ${INSTRUMENTS} fitted results, got ${ok} of ${check.results.length}`);
      const bytes = JSON.stringify(check).length;

      await autocannon(impactUrl, 1, 2); // warm-up (JIT, pool connections)
      const healthLatency = await autocannon(health, 1, LATENCY_SECONDS);
      const impactLatency = await autocannon(impactUrl, 1, LATENCY_SECONDS);
      const healthLoad = await autocannon(health, THROUGHPUT_CONNECTIONS, THROUGHPUT_SECONDS);
      const impactLoad = await autocannon(impactUrl, THROUGHPUT_CONNECTIONS, THROUGHPUT_SECONDS);
      // every request computed: a second instance on the same database with its result cache off (as distinct requests)
      const uncachedApp = await startApp({ config: { ...config, RESULT_CACHE: false }, db, logger: createLogger('warn') });
      let uncachedLoad: CannonResult;
      let uncachedLatency: CannonResult;
      try {
        const uncachedUrl = impactUrl.replace(app.url, uncachedApp.url);
        await autocannon(uncachedUrl, 1, 2);
        uncachedLatency = await autocannon(uncachedUrl, 1, LATENCY_SECONDS);
        uncachedLoad = await autocannon(uncachedUrl, THROUGHPUT_CONNECTIONS, THROUGHPUT_SECONDS);
      } finally {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await uncachedApp.stop();
      }

      // autocannon rounds latencies to whole milliseconds, so /healthz's percentiles are mostly 0: compare with its mean
      const against = (name: string, value: number, health: CannonResult) => ({
        name: `/healthz mean (${name})`,
        value: health.latency.average,
        ratio: value / Math.max(health.latency.average, 0.001),
      });
      const figures: BenchFigure[] = [
        {
          name: 'impact p50 latency (1 connection)',
          value: impactLatency.latency.p50,
          unit: 'ms',
          limit: against('1 connection', impactLatency.latency.p50, healthLatency),
          goal: '< 50 ms (from the result cache)',
        },
        {
          name: 'impact p99 latency (1 connection)',
          value: impactLatency.latency.p99,
          unit: 'ms',
          limit: against('1 connection', impactLatency.latency.p99, healthLatency),
        },
        {
          name: `impact p50 latency (${THROUGHPUT_CONNECTIONS} connections)`,
          value: impactLoad.latency.p50,
          unit: 'ms',
          limit: against(`${THROUGHPUT_CONNECTIONS} connections`, impactLoad.latency.p50, healthLoad),
        },
        {
          name: `impact p99 latency (${THROUGHPUT_CONNECTIONS} connections)`,
          value: impactLoad.latency.p99,
          unit: 'ms',
          limit: against(`${THROUGHPUT_CONNECTIONS} connections`, impactLoad.latency.p99, healthLoad),
        },
        {
          name: `impact throughput (${THROUGHPUT_CONNECTIONS} connections)`,
          value: impactLoad.requests.average,
          unit: 'req/s',
          limit: { name: '/healthz', value: healthLoad.requests.average, ratio: impactLoad.requests.average / healthLoad.requests.average },
          goal: '>= 500 req/s and >= 0.2x (from the result cache)',
        },
        {
          name: 'impact p50 latency, every request computed (1 connection, RESULT_CACHE=off)',
          value: uncachedLatency.latency.p50,
          unit: 'ms',
          limit: against('1 connection', uncachedLatency.latency.p50, healthLatency),
          goal: '< 50 ms',
        },
        {
          name: `impact throughput, every request computed (${THROUGHPUT_CONNECTIONS} connections, RESULT_CACHE=off)`,
          value: uncachedLoad.requests.average,
          unit: 'req/s',
          limit: {
            name: '/healthz',
            value: healthLoad.requests.average,
            ratio: uncachedLoad.requests.average / healthLoad.requests.average,
          },
          goal: '>= 100 req/s',
        },
      ];
      report('api', figures, {
        instruments: INSTRUMENTS,
        barsPerInstrument: usDays.length,
        responseBytes: bytes,
        requests: {
          impact: impactLatency.requests.total + impactLoad.requests.total,
          healthz: healthLatency.requests.total + healthLoad.requests.total,
        },
        healthzPercentiles: {
          c1: { p50: healthLatency.latency.p50, p99: healthLatency.latency.p99 },
          [`c${THROUGHPUT_CONNECTIONS}`]: { p50: healthLoad.latency.p50, p99: healthLoad.latency.p99 },
        },
      });
      console.log(`  (${INSTRUMENTS} instruments x ${usDays.length} bars, response ${Math.round(bytes / 1024)} KiB)`);
    } finally {
      // autocannon hangs up with requests still running; server.close() does not wait for their handlers
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await app.stop();
    }
  } finally {
    await cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
