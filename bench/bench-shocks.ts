// The shock detector (issue 23) on synthetic data: (1) scanning 5 years of daily bars of a 500-member group (every
// session: 500 market models, rbar, the KP-adjusted Patell Z, recording what is flagged) vs one SQL read of the same
// bars (the store's own query); (2) the per-bar co-jump check for 500 members (Lee-Mykland on each member's L,
// the group count) vs one SQL read of those 500 bars. Synthetic: deterministic, labelled `synthetic` in the store.
import { coJumpBars, resolveShockOptions, type MemberJumpScores } from '../src/analysis';
import { getDailyBarColumns } from '../src/bars/dailyBarReads';
import { addCalendarDays } from '../src/markets';
import { detectDailyShocks, shockGroup } from '../src/shocks/shockDetection';
import { benchDatabase, insertSyntheticUsInstruments, report, timed, type BenchFigure } from './benchSupport';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MEMBERS = 500;
const FROM = '2020-01-01';
const TO = '2024-12-31';
const symbolOf = (s: number) => `SHK${String(s).padStart(4, '0')}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const { db, cleanup } = await benchDatabase();
  try {
    const symbols = Array.from({ length: MEMBERS }, (_, s) => symbolOf(s));
    await insertSyntheticUsInstruments(db, '^SHK', symbols);
    // weekdays from 2019-06-01 (estimation before 2020) to 2024-12-31; index and stocks deterministic pseudo-random walks
    await db.pool.query(
      `WITH days AS (SELECT d::date AS date, row_number() OVER (ORDER BY d) AS k
                       FROM generate_series(date '2019-06-01', date '2024-12-31', interval '1 day') d
                      WHERE extract(isodow FROM d) < 6),
            idx AS (SELECT date, k, sum(0.01 * sin(k * 12.9898) ) OVER (ORDER BY k) AS m FROM days)
       INSERT INTO daily_bars (symbol, date, close, source)
       SELECT '^SHK', date, 1000 * exp(m), 'synthetic' FROM idx
       UNION ALL
       SELECT s.symbol, x.date,
              (50 + i) * exp((0.5 + (i % 10) / 10.0) * x.m + sum(0.015 * sin(x.k * (i + 7) * 78.233 + i)) OVER (PARTITION BY s.symbol ORDER BY x.k)),
              'synthetic'
         FROM unnest($1::text[]) WITH ORDINALITY s(symbol, i), idx x`,
      [symbols],
    );
    const { rows } = await db.pool.query<{ id: number }>(
      `INSERT INTO instrument_groups (slug, title) VALUES ('bench-shocks', 'synthetic 500') RETURNING id`,
    );
    await db.pool.query(
      `INSERT INTO instrument_group_members (group_id, symbol, position) SELECT $1, s, k FROM unnest($2::text[]) WITH ORDINALITY u(s, k)`,
      [rows[0].id, symbols],
    );
    await db.pool.query('VACUUM ANALYZE');
    const group = await shockGroup(db.pool, 'bench-shocks');
    const ranges = [...symbols, '^SHK'].map((symbol) => ({ symbol, from: addCalendarDays(FROM, -240), to: TO }));

    const scan: number[] = [];
    const read: number[] = [];
    let flagged = 0;
    for (let r = 0; r < RUNS; r++) {
      const t = await timed(() => detectDailyShocks(db.pool, group, FROM, TO));
      flagged = t.value.length;
      scan.push(t.seconds * 1000);
      read.push((await timed(() => getDailyBarColumns(db.pool, ranges))).seconds * 1000);
    }

    // the per-bar co-jump check: 500 members' L at one bar (as sessionJumpScores gives them), 78-slot sessions
    const t = '2024-12-02T15:00:00.000Z';
    const scores: MemberJumpScores[] = symbols.map((symbol, i) => ({
      symbol,
      market: 'US',
      slots: 78,
      scores: [{ t, slot: 6, ar: 0.001 * Math.sin(i), sigma: 0.001, l: i % 3 === 0 ? -5 : Math.sin(i * 7.1) }],
    }));
    const options = resolveShockOptions();
    const check: number[] = [];
    const barRead: number[] = [];
    await db.pool.query(
      `INSERT INTO intraday_bars (symbol, interval, ts, close, source) SELECT s, '5m', $2::timestamptz, 100, 'synthetic' FROM unnest($1::text[]) s`,
      [symbols, t],
    );
    let coJump = false;
    for (let r = 0; r < Math.max(RUNS, 9); r++) {
      check.push(
        (
          await timed(async () => {
            coJump = coJumpBars(scores, options)[0].flagged;
          })
        ).seconds * 1000,
      );
      barRead.push(
        (
          await timed(() =>
            db.pool.query(`SELECT symbol, close FROM intraday_bars WHERE symbol = ANY($1) AND interval = '5m' AND ts = $2`, [symbols, t]),
          )
        ).seconds * 1000,
      );
    }

    const figures: BenchFigure[] = [
      {
        name: `daily scan, ${MEMBERS} members x 5 years`,
        value: median(scan),
        unit: 'ms',
        limit: { name: 'one SQL read of the bars', value: median(read), ratio: median(scan) / median(read) },
      },
      {
        name: `co-jump check of one bar, ${MEMBERS} members`,
        value: median(check),
        unit: 'ms',
        limit: { name: 'one SQL read of the 500 bars', value: median(barRead), ratio: median(check) / median(barRead) },
      },
    ];
    report('shocks', figures, { flaggedDates: flagged, coJumpFlagged: coJump, sessions: '2020-01-01..2024-12-31 weekdays' });
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
