// Cross-sectional studies over HTTP: GET /api/studies/run on synthetic instruments (500 x 1 event with a
// 250-day estimation window, 100 x 20 events = 2,000 members, 250 x 20 events = 5,000 members), median of
// BENCH_RUNS, each beside the floor: one SQL read of the same bars (the store's own query) in the same run; and the
// first scenario again under the Fama-French 3-factor model (model=ff3, the bundled US factors), beside the market
// model's line of the same members.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type pg from 'pg';
import { getDailyBarColumns } from '../src/bars/dailyBarReads';
import { runCrossSectionStudy } from '../src/analysis';
import { barRanges, expandSelection, prepareStudyJob, studyInputsOf } from '../src/studies/studyMembers';
import { parseRunQuery } from '../src/studies/studyParams';
import path from 'node:path';
import { projectRoot } from '../src/config/config';
import { importFactorFolder } from '../src/factors/factorImport';
import { hasFactorReturns } from '../src/factors/factorStore';

import { benchDatabase, insertSyntheticUsInstruments, startBenchApp, report, timed, type BenchFigure } from './benchSupport';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const INSTRUMENTS = 500;
const SESSIONS = 700;
const EVENTS = 20;
const symbolOf = (s: number) => `SYN${String(s).padStart(4, '0')}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A fresh connection per request: a kept-alive socket the server has just closed would reset the next one. */
const get = (url: string) => fetch(url, { headers: { connection: 'close' } });

interface DayZero {
  n: number;
  aar: number;
  tests: { csectT: { stat: number } | null; bmpT: { stat: number } | null };
}

/** A python3 with pandas and statsmodels (PYTHON, else python3 on the PATH, else Debian's own), or null. */
const pythonWithPandas = (): string | null =>
  [process.env.PYTHON, 'python3', '/usr/bin/python3']
    .filter((p): p is string => Boolean(p))
    .find((p) => spawnSync(p, ['-c', 'import pandas, statsmodels'], { encoding: 'utf8' }).status === 0) ?? null;

/**
 * The analyst's peer (bench/peer_statsmodels.py) on the same bars written as one CSV per symbol: its time from the first
 * CSV read to the last statistic, and its day-0 numbers, which must equal Aftershock's.
 */
async function pythonPeer(
  python: string,
  pool: pg.Pool,
  symbols: string[],
  eventDate: string,
  estimation: string,
  minObs: number,
  ours: DayZero,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-peer-'));
  try {
    for (const symbol of [...symbols, '^SYN']) {
      const { rows } = await pool.query<{ date: string; close: number }>(
        `SELECT to_char(date, 'YYYY-MM-DD') AS date, close FROM daily_bars WHERE symbol = $1 ORDER BY date`,
        [symbol],
      );
      // shortest round-trip text of each double: the peer parses the same numbers
      fs.writeFileSync(path.join(dir, `${symbol}.csv`), `date,close\n${rows.map((r) => `${r.date},${r.close}`).join('\n')}\n`);
    }
    const [e1, e2] = estimation.split(',');
    const out = execFileSync(
      python,
      [path.join(__dirname, '..', 'bench', 'peer_statsmodels.py'), dir, '^SYN', eventDate, e1, e2, String(minObs)],
      {
        encoding: 'utf8',
      },
    );
    const peer = JSON.parse(out) as { n: number; aar: number; csectT: number; bmpT: number; ms: number };
    const close = (a: number, b: number | undefined) => b !== undefined && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
    if (
      peer.n !== ours.n ||
      !close(peer.aar, ours.aar) ||
      !close(peer.csectT, ours.tests.csectT?.stat) ||
      !close(peer.bmpT, ours.tests.bmpT?.stat)
    )
      throw new Error(
        `the peer's numbers differ: ${JSON.stringify(peer)} vs ${JSON.stringify({ n: ours.n, aar: ours.aar, ...ours.tests })}`,
      );
    return peer;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const { db, cleanup } = await benchDatabase();
  // every request computed: the figures are the study's own cost (the result cache's is the last figure)
  const app = await startBenchApp(db, [], { RESULT_CACHE: 'off', HEAVY_RATE_LIMIT: '100000' });
  const cached = await startBenchApp(db, [], { HEAVY_RATE_LIMIT: '100000' });
  try {
    const symbols = Array.from({ length: INSTRUMENTS }, (_, s) => symbolOf(s));
    await insertSyntheticUsInstruments(db, '^SYN', symbols);
    // weekdays from 2020-01-01; the index a random walk, each stock beta x index + noise (deterministic)
    await db.pool.query(
      `WITH days AS (SELECT d::date AS date, row_number() OVER (ORDER BY d) AS k
                       FROM generate_series(date '2020-01-01', date '2023-12-31', interval '1 day') d
                      WHERE extract(isodow FROM d) < 6 LIMIT $2)
       INSERT INTO daily_bars (symbol, date, close, source)
       SELECT '^SYN', date, 1000 * exp(0.01 * sin(k / 3.0) + 0.0002 * k), 'bench' FROM days
       UNION ALL
       SELECT s.symbol, d.date, (50 + i) * exp((0.5 + (i % 10) / 10.0) * (0.01 * sin(d.k / 3.0) + 0.0002 * d.k) + 0.02 * sin(d.k * (i + 7) * 0.37)), 'bench'
         FROM unnest($1::text[]) WITH ORDINALITY s(symbol, i), days d`,
      [symbols, SESSIONS],
    );
    const groups: [string, number][] = [
      ['bench-500', 500],
      ['bench-100', 100],
      ['bench-250', 250],
    ];
    for (const [slug, n] of groups) {
      const { rows } = await db.pool.query<{ id: number }>(`INSERT INTO instrument_groups (slug, title) VALUES ($1, $1) RETURNING id`, [
        slug,
      ]);
      await db.pool.query(
        `INSERT INTO instrument_group_members (group_id, symbol, position) SELECT $1, s, k FROM unnest($2::text[]) WITH ORDINALITY u(s, k)`,
        [rows[0].id, symbols.slice(0, n)],
      );
    }
    // 20 date-only events a fortnight apart, late enough for 250 sessions of estimation before each
    await db.pool.query(
      `INSERT INTO events (slug, title, occurred_at, date_only, kind)
       SELECT 'bench-event-' || k, 'bench event ' || k, timestamptz '2021-03-01 00:00Z' + (k * interval '14 days'), true, 'bench'
         FROM generate_series(0, $1::int - 1) k`,
      [EVENTS],
    );
    await db.pool.query('VACUUM ANALYZE');

    const allEvents = Array.from({ length: EVENTS }, (_, k) => `bench-event-${k}`).join(',');
    const scenarios = [
      {
        name: '500 instruments x 1 event (250-day estimation)',
        group: 'bench-500',
        events: 'bench-event-0',
        members: 500,
        estimation: '-260,-11',
        minObs: 200,
        instruments: 500,
      },
      {
        name: '100 instruments x 20 events (2,000 members)',
        group: 'bench-100',
        events: allEvents,
        members: 2000,
        estimation: '-120,-11',
        minObs: 30,
        instruments: 100,
      },
      {
        name: '250 instruments x 20 events (5,000 members)',
        group: 'bench-250',
        events: allEvents,
        members: 5000,
        estimation: '-120,-11',
        minObs: 30,
        instruments: 250,
      },
    ];
    if (!(await hasFactorReturns(db.pool))) await importFactorFolder(db, path.join(projectRoot, 'data', 'factors'));
    const figures: BenchFigure[] = [];
    const notes: Record<string, unknown> = {};
    const marketMs = new Map<string, number>();
    for (const s of scenarios) {
      const url = `${app.url}/api/studies/run?group=${s.group}&events=${s.events}&window=-5,10&estimation=${s.estimation}&minObs=${s.minObs}`;
      const warm = await get(url);
      const body = (await warm.json()) as { members: unknown[]; aggregate: { n: number } };
      if (warm.status !== 200 || body.members.length !== s.members)
        throw new Error(`${s.name}: HTTP ${warm.status}, ${body.members.length} members`);
      const http: number[] = [];
      const floor: number[] = [];
      const { selection, how } = parseRunQuery(Object.fromEntries(new URL(url).searchParams), 'query');
      const resolved = await expandSelection(db.pool, selection);
      const ranges = barRanges(
        resolved,
        resolved.specs.map(() => '^SYN'),
        how,
      );
      const engine: number[] = [];
      const inputs = studyInputsOf(await prepareStudyJob(db.pool, resolved, null, how));
      for (let r = 0; r < RUNS; r++) {
        http.push((await timed(async () => (await get(url)).arrayBuffer())).seconds * 1000);
        floor.push((await timed(() => getDailyBarColumns(db.pool, ranges))).seconds * 1000);
        engine.push((await timed(async () => runCrossSectionStudy(inputs, how.options))).seconds * 1000);
      }
      const value = median(http);
      const limit = median(floor);
      figures.push({
        name: s.name,
        value,
        unit: 'ms',
        limit: { name: 'one SQL read of the bars', value: limit, ratio: value / limit },
        goal: s.members === 500 ? '< 300 ms, within 3x the floor' : 'within 3x the floor',
      });
      notes[s.name] = { included: body.aggregate.n, msPerMember: value / s.members, engineMs: median(engine) };
      marketMs.set(s.name, value);
      console.log(`  ${s.name}: engine alone (runCrossSectionStudy) ${median(engine).toFixed(0)} ms`);
    }
    // the first scenario asked again of an instance with the result cache on: a hit once the first answer is kept
    const again = `${cached.url}/api/studies/run?group=${scenarios[0].group}&events=${scenarios[0].events}&window=-5,10&estimation=${scenarios[0].estimation}&minObs=${scenarios[0].minObs}`;
    const firstAnswer = await get(again);
    await firstAnswer.arrayBuffer();
    const hits: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      hits.push(
        (
          await timed(async () => {
            const res = await get(again);
            if (res.headers.get('x-cache') !== 'hit') throw new Error(`expected a cache hit, got ${res.headers.get('x-cache')}`);
            return res.arrayBuffer();
          })
        ).seconds * 1000,
      );
    }
    figures.push({
      name: `${scenarios[0].name}, asked again (result cache hit)`,
      value: median(hits),
      unit: 'ms',
      limit: { name: 'one SQL read of the bars', value: figures[0].limit!.value, ratio: median(hits) / figures[0].limit!.value },
    });
    // against what an analyst would run instead: pandas + statsmodels on the 500 x 1 study's bars
    const python = pythonWithPandas();
    const missing = python ? null : 'no python3 with pandas and statsmodels (Debian: apt-get install python3-pandas python3-statsmodels)';
    if (!python) {
      console.log(`  pandas + statsmodels peer skipped: ${missing}`);
      notes.pythonPeer = `skipped: ${missing}`;
    } else {
      const s = scenarios[0];
      const body = (await (await get(again)).json()) as { aggregate: { days: (DayZero & { offset: number })[] } };
      const dayZero = body.aggregate.days.find((d) => d.offset === 0)!;
      const { rows } = await db.pool.query<{ date: string }>(
        `SELECT to_char(occurred_at, 'YYYY-MM-DD') AS date FROM events WHERE slug = $1`,
        [s.events],
      );
      const peer = await pythonPeer(python, db.pool, symbols.slice(0, s.instruments), rows[0].date, s.estimation, s.minObs, dayZero);
      figures.push({
        name: 'pandas + statsmodels, the 500 x 1 study (CSVs read, OLS per firm, AAR, csect t, BMP t at day 0; equal numbers)',
        value: peer.ms,
        unit: 'ms',
        limit: { name: 'Aftershock over HTTP (computed)', value: figures[0].value, ratio: peer.ms / figures[0].value },
        goal: 'ratio >= 20x',
      });
      notes.pythonPeer = peer;
    }
    // the same members under ff3: the factors read and an OLS with 4 regressors per member
    const first = scenarios[0];
    const ff3Url = `${app.url}/api/studies/run?group=${first.group}&events=${first.events}&window=-5,10&estimation=${first.estimation}&minObs=${first.minObs}&model=ff3`;
    const ff3Warm = await get(ff3Url);
    const ff3Body = (await ff3Warm.json()) as { members: unknown[]; aggregate: { n: number } };
    if (ff3Warm.status !== 200 || ff3Body.aggregate.n !== first.members)
      throw new Error(`ff3: HTTP ${ff3Warm.status}, ${ff3Body.aggregate?.n} members included`);
    const ff3: number[] = [];
    for (let r = 0; r < RUNS; r++) ff3.push((await timed(async () => (await get(ff3Url)).arrayBuffer())).seconds * 1000);
    const market = marketMs.get(first.name)!;
    figures.push({
      name: `${first.name}, model=ff3`,
      value: median(ff3),
      unit: 'ms',
      limit: { name: "the market model's line (same members)", value: market, ratio: median(ff3) / market },
      goal: 'within 2x the market model',
    });
    report('studies', figures, notes);
  } finally {
    await cached.stop();
    await app.stop();
    await cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
