// Ingest throughput: 1,000,000 synthetic daily bars through the import path (upsertDailyBars: COPY into a
// staging table + ON CONFLICT merge) against plain COPY into the same table, measured in the same run.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { upsertDailyBars } from '../src/bars/dailyBarStore';
import type { DailyBarInput } from '../src/marketdata/types';
import { benchDatabase, report, timed } from './benchSupport';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SYMBOLS = 400;
const DAYS = Math.ceil(ROWS / SYMBOLS);
const BATCH = 50_000; // about what one backfill request of many symbols hands to the store

function syntheticBars(): DailyBarInput[] {
  const bars: DailyBarInput[] = [];
  const start = Date.UTC(2000, 0, 3);
  for (let s = 0; s < SYMBOLS; s++) {
    let price = 50 + s;
    for (let d = 0; d < DAYS && bars.length < ROWS; d++) {
      price *= 1 + Math.sin(s * 31 + d) * 0.02;
      const p = Math.round(price * 10000) / 10000;
      bars.push({
        symbol: `SYN${s}`,
        date: new Date(start + d * 86_400_000).toISOString().slice(0, 10),
        open: p,
        high: p * 1.01,
        low: p * 0.99,
        close: p,
        adjClose: p,
        volume: 1_000_000 + d,
      });
    }
  }
  return bars;
}

async function main() {
  const { db, cleanup } = await benchDatabase();
  try {
    await db.pool.query(`INSERT INTO instruments (symbol, name, exchange, currency, time_zone, kind)
      SELECT 'SYN' || g, 'synthetic ' || g, 'US', 'USD', 'America/New_York', 'equity' FROM generate_series(0, ${SYMBOLS - 1}) g ON CONFLICT DO NOTHING`);
    const bars = syntheticBars();
    const fetchedAt = new Date().toISOString();
    const csv = bars.map(
      (b) => `${b.symbol},${b.date},${b.open},${b.high},${b.low},${b.close},${b.adjClose},${b.volume},bench,${fetchedAt},f\n`,
    );

    // the physical limit: COPY straight into daily_bars (no staging, no conflict handling)
    await db.pool.query('TRUNCATE daily_bars');
    const copy = await timed(async () => {
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
    });

    await db.pool.query('TRUNCATE daily_bars');
    await db.pool.query('CHECKPOINT');
    const importNew = await timed(async () => {
      for (let i = 0; i < bars.length; i += BATCH) await upsertDailyBars(db.pool, bars.slice(i, i + BATCH), { source: 'bench' });
    });
    const again = await timed(async () => {
      let unchanged = 0;
      for (let i = 0; i < bars.length; i += BATCH)
        unchanged += (await upsertDailyBars(db.pool, bars.slice(i, i + BATCH), { source: 'bench' })).rowsUnchanged;
      return unchanged;
    });
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM daily_bars');
    if (rows[0].n !== ROWS || again.value !== ROWS)
      throw new Error(`row count check failed: ${rows[0].n} stored, ${again.value} unchanged, ${ROWS} expected`);

    const copyRate = ROWS / copy.seconds;
    report(
      'ingest',
      [
        { name: 'plain COPY into daily_bars', value: copyRate, unit: 'rows/s' },
        {
          name: 'import path, new rows (upsertDailyBars)',
          value: ROWS / importNew.seconds,
          unit: 'rows/s',
          limit: { name: 'COPY', value: copyRate, ratio: ROWS / importNew.seconds / copyRate },
          goal: '>= 0.5x COPY',
        },
        {
          name: 'import path, same rows again (all unchanged)',
          value: ROWS / again.seconds,
          unit: 'rows/s',
          limit: { name: 'COPY', value: copyRate, ratio: ROWS / again.seconds / copyRate },
        },
      ],
      { rows: ROWS, symbols: SYMBOLS, batch: BATCH },
    );
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
