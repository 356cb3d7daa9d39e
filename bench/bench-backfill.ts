// Backfill throughput of the whole live-data path: a local server speaking Yahoo's wire format (FakeYahoo, in a
// process of its own, as Yahoo would be) -> YahooProvider (the real yahoo-finance2: HTTP, parse, schema
// validation, limiter) -> backfillSymbols -> upsertDailyBars (COPY + merge) -> Postgres, for many synthetic
// symbols (fake tickers, made-up prices). Measured against plain COPY of the same rows into the same table, and
// against the server alone, in the same run.
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pino from 'pino';
import { from as copyFrom } from 'pg-copy-streams';
import { backfillSymbols } from '../src/ingest/backfill';
import { MarketDataEventBus } from '../src/marketdata/eventBus';
import { YahooProvider } from '../src/marketdata/yahooProvider';
import { BUNDLED_META, FakeYahoo, type FakeBar } from '../test/support/fakeYahoo';
import { benchDatabase, report, timed } from './benchSupport';

const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? 200);
const DAYS = Number(process.env.BENCH_DAYS ?? 2500);
const CONCURRENCY = Number(process.env.YAHOO_CONCURRENCY ?? 2); // the app's default: at most 2 requests in flight
const FIRST = '2015-01-02';
const LAST = '2025-12-31';

const symbolName = (s: number) => `SYN${String(s).padStart(3, '0')}`;

/** Deterministic made-up daily bars on weekdays from FIRST: the same in the server process and here. */
function syntheticBars(symbol: string, seed: number): FakeBar[] {
  const bars: FakeBar[] = [];
  let price = 50 + seed;
  for (let t = Date.parse(`${FIRST}T00:00:00Z`); bars.length < DAYS; t += 86_400_000) {
    const day = new Date(t).getUTCDay();
    if (day === 0 || day === 6) continue;
    const open = price;
    price = Math.round(price * (1 + Math.sin(seed * 31 + bars.length) * 0.02) * 10_000) / 10_000;
    bars.push({
      symbol,
      date: new Date(t).toISOString().slice(0, 10),
      open,
      high: Math.max(open, price) * 1.01,
      low: Math.min(open, price) * 0.99,
      close: price,
      adjClose: price,
      volume: 1_000_000 + bars.length,
    });
  }
  return bars;
}

// ---------------------------------------------------------------------------------------------
// The server process: FakeYahoo renders each chart answer once; a replay server in front of it answers the
// same request again from memory, so that the timed runs measure Aftershock's side, not the fake's rendering
// (the fake builds every answer bar by bar with luxon, far slower per answer than the real thing).

async function serve(): Promise<void> {
  const fake = await FakeYahoo.start();
  for (let s = 0; s < SYMBOLS; s++) {
    fake.addSymbol(symbolName(s), syntheticBars(symbolName(s), s), {
      ...BUNDLED_META.NVDA,
      longName: `Synthetic ${s} (bench ticker)`,
      shortName: `SYN ${s}`,
    });
  }
  const target = new URL(fake.baseUrl);
  const cache = new Map<string, { headers: http.OutgoingHttpHeaders; body: Buffer }>();
  const replay = http.createServer((req, res) => {
    const key = req.url ?? '/';
    const hit = cache.get(key);
    if (hit) {
      res.writeHead(200, hit.headers);
      res.end(hit.body);
      return;
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: key, method: req.method, headers: req.headers },
      (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          const body = Buffer.concat(chunks);
          const headers: http.OutgoingHttpHeaders = { ...up.headers };
          delete headers['transfer-encoding'];
          headers['content-length'] = String(body.length);
          // only chart answers are replayed; the cookie and crumb flow stays live
          if (key.startsWith('/v8/finance/chart/') && up.statusCode === 200) cache.set(key, { headers, body });
          res.writeHead(up.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    upstream.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => replay.listen(0, '127.0.0.1', () => resolve()));
  process.send?.({ baseUrl: `http://127.0.0.1:${(replay.address() as AddressInfo).port}` });
  process.on('disconnect', () => {
    replay.close();
    void fake.close().then(() => process.exit(0));
  });
}

async function startServer(): Promise<{ baseUrl: string; child: ChildProcess }> {
  const child = fork(__filename, [], { env: { ...process.env, BENCH_FAKE_SERVER: '1' }, stdio: 'inherit' });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { baseUrl: string }).baseUrl));
    child.once('exit', (code) => reject(new Error(`fake server exited ${code}`)));
  });
  return { baseUrl, child };
}

// ---------------------------------------------------------------------------------------------

async function copyIntoDailyBars(db: Awaited<ReturnType<typeof benchDatabase>>['db'], csv: string[]): Promise<void> {
  const client = await db.pool.connect();
  try {
    const chunks = function* () {
      for (let i = 0; i < csv.length; i += 2000) yield csv.slice(i, i + 2000).join('');
    };
    await pipeline(
      Readable.from(chunks()),
      client.query(
        copyFrom(
          'COPY daily_bars (symbol, date, open, high, low, close, adj_close, volume, source, fetched_at, provisional) FROM STDIN (FORMAT csv)',
        ),
      ),
    );
  } finally {
    client.release();
  }
}

async function main() {
  const { db, cleanup } = await benchDatabase();
  const { baseUrl, child } = await startServer();
  try {
    await db.pool.query(`INSERT INTO instruments (symbol, name, exchange, currency, time_zone, kind)
      SELECT 'SYN' || lpad(g::text, 3, '0'), 'synthetic ' || g, 'US', 'USD', 'America/New_York', 'equity' FROM generate_series(0, ${SYMBOLS - 1}) g ON CONFLICT DO NOTHING`);
    const symbols = Array.from({ length: SYMBOLS }, (_, s) => symbolName(s));
    const rows = SYMBOLS * DAYS;

    const events = new MarketDataEventBus();
    const provider = new YahooProvider({ baseUrl, maxConcurrency: CONCURRENCY, timeoutMs: 120_000, onEvent: events.emit });
    const deps = { pool: db.pool, provider, logger: pino({ level: 'warn' }), events };
    const eachSymbol = async (task: (symbol: string) => Promise<unknown>) => {
      let next = 0;
      const worker = async () => {
        while (next < symbols.length) await task(symbols[next++]);
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    };

    // first pass: the fake renders every answer (the replay server keeps it); the provider parses it
    const rendering = await timed(() => eachSymbol((s) => provider.getDailyBars(s, { from: FIRST, to: LAST })));

    // the source's limit: the same chart requests (the very URLs the library builds) answered from memory, raw
    let chartUrl = '';
    const urlProbe = new YahooProvider({
      baseUrl,
      transport: (input, init) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if (url.includes('/v8/finance/chart/')) chartUrl = url;
        return fetch(input, init);
      },
    });
    await urlProbe.getDailyBars(symbols[0], { from: FIRST, to: LAST });
    const serverAlone = await timed(async () => {
      let bytes = 0;
      await eachSymbol(async (s) => {
        bytes += (await (await fetch(chartUrl.replace(`/chart/${symbols[0]}?`, `/chart/${s}?`))).arrayBuffer()).byteLength;
      });
      return bytes;
    });

    // the provider alone: HTTP, yahoo-finance2's parsing and validation, our conversion; no database
    const providerAlone = await timed(() => eachSymbol((s) => provider.getDailyBars(s, { from: FIRST, to: LAST })));

    // the whole path, as `aftershock backfill` runs it
    await db.pool.query('TRUNCATE daily_bars');
    await db.pool.query('CHECKPOINT');
    const whole = await timed(() => backfillSymbols(deps, { symbols, from: FIRST, to: LAST, interval: '1d' }));
    if (whole.value.failed > 0 || whole.value.rowsNew !== rows)
      throw new Error(`backfill check failed: ${JSON.stringify({ ...whole.value, failures: whole.value.failures.slice(0, 3) })}`);

    // the physical limit: the same rows COPYed straight into daily_bars
    const fetchedAt = new Date().toISOString();
    const csv: string[] = [];
    for (let s = 0; s < SYMBOLS; s++) {
      for (const b of syntheticBars(symbolName(s), s))
        csv.push(`${b.symbol},${b.date},${b.open},${b.high},${b.low},${b.close},${b.adjClose},${b.volume},bench,${fetchedAt},f\n`);
    }
    await db.pool.query('TRUNCATE daily_bars');
    await db.pool.query('CHECKPOINT');
    const copy = await timed(() => copyIntoDailyBars(db, csv));
    const { rows: count } = await db.pool.query('SELECT count(*)::int AS n FROM daily_bars');
    if (count[0].n !== rows) throw new Error(`COPY stored ${count[0].n} rows, expected ${rows}`);

    const copyRate = rows / copy.seconds;
    const serverRate = rows / serverAlone.seconds;
    const providerRate = rows / providerAlone.seconds;
    const wholeRate = rows / whole.seconds;
    report(
      'backfill',
      [
        { name: 'plain COPY into daily_bars', value: copyRate, unit: 'rows/s' },
        { name: 'replay server alone (raw HTTP, no parsing)', value: serverRate, unit: 'rows/s' },
        {
          name: 'provider alone (HTTP + yahoo-finance2 + ours)',
          value: providerRate,
          unit: 'rows/s',
          limit: { name: 'server alone', value: serverRate, ratio: providerRate / serverRate },
        },
        {
          name: `whole backfill path (${SYMBOLS} x ${DAYS} days)`,
          value: wholeRate,
          unit: 'rows/s',
          limit: { name: 'COPY', value: copyRate, ratio: wholeRate / copyRate },
        },
        { name: 'whole backfill path, symbols per second', value: SYMBOLS / whole.seconds, unit: 'symbols/s' },
        { name: 'first fetch, the fake rendering each answer', value: rows / rendering.seconds, unit: 'rows/s' },
      ],
      {
        symbols: SYMBOLS,
        daysPerSymbol: DAYS,
        rows,
        requestsInFlight: CONCURRENCY,
        responseMiB: Math.round((serverAlone.value / 2 ** 20) * 10) / 10,
        seconds: {
          rendering: rendering.seconds,
          serverAlone: serverAlone.seconds,
          providerAlone: providerAlone.seconds,
          whole: whole.seconds,
          copy: copy.seconds,
        },
      },
    );
  } finally {
    child.disconnect();
    await cleanup();
  }
}

if (process.env.BENCH_FAKE_SERVER === '1') {
  serve().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
