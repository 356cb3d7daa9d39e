// Issue 20, item 4: a killed import leaves nothing visible. `aftershock import` (the built CLI, a process of its
// own) gets SIGKILL while it streams the bars of a large folder of SYNTHETIC data (60 made-up instruments x 2,500
// daily bars, generated here); none of its instruments, events or bars is visible afterwards, in the tables or
// in /api/instruments. The same import run again completes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import request from 'supertest';
import { PROJECT_ROOT, runCli } from '../support/appProcess';
import { useTestApp } from '../support/testApp';
import { countRows } from './importFolders';

const SYMBOLS = 60;
const BARS = 2_500;

const t = useTestApp();
let dir: string;

/** SYNTHETIC bars: a seeded random walk over weekdays from 1990, nothing real. */
function writeSyntheticFolder(): void {
  let seed = 20;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const dates: string[] = [];
  for (let d = Date.UTC(1990, 0, 1); dates.length < BARS; d += 86_400_000) {
    const day = new Date(d).getUTCDay();
    if (day !== 0 && day !== 6) dates.push(new Date(d).toISOString().slice(0, 10));
  }
  for (let s = 0; s < SYMBOLS; s++) {
    let close = 50 + 100 * random();
    const lines = ['date,close,volume'];
    for (const date of dates) {
      close *= 1 + (random() - 0.5) * 0.04;
      lines.push(`${date},${close.toFixed(4)},${Math.floor(random() * 1e6)}`);
    }
    fs.writeFileSync(path.join(dir, `ZZK${String(s).padStart(2, '0')}.csv`), `${lines.join('\n')}\n`);
  }
  fs.writeFileSync(
    path.join(dir, 'events.csv'),
    'slug,title,date,kind\nzzk-synthetic-one,Synthetic event one,2005-03-01,news\nzzk-synthetic-two,Synthetic event two,2010-06-01,earnings\n',
  );
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-import-killed-synthetic-'));
  writeSyntheticFolder();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const count = (sql: string) => countRows(t.db.pool, sql);
const visible = async () => ({
  instruments: await count(`SELECT count(*) AS n FROM instruments WHERE symbol LIKE 'ZZK%'`),
  bars: await count(`SELECT count(*) AS n FROM daily_bars WHERE symbol LIKE 'ZZK%'`),
  events: await count(`SELECT count(*) AS n FROM events WHERE slug LIKE 'zzk-%'`),
});
/** the import's COPY of bars is streaming on some connection of this database */
const copying = async () =>
  (await count(
    `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'COPY staging_daily_bars%'`,
  )) > 0;

it('SIGKILL while the bars stream leaves nothing visible; the import again completes', async () => {
  const cli = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/aftershock.js'), 'import', dir], {
    env: { ...process.env, DATABASE_URL: t.db.url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  cli.stdout.on('data', (d) => (output += d));
  cli.stderr.on('data', (d) => (output += d));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => cli.once('exit', (_code, signal) => resolve(signal)));
  const until = Date.now() + 120_000;
  while (!(await copying())) {
    if (cli.exitCode !== null) throw new Error(`the import ended before it was killed: ${output}`);
    if (Date.now() > until) throw new Error(`no COPY seen within 120 s: ${output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  cli.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  // the server ends the dead client's backend (and rolls back its transaction) once it sees the socket closed
  while (await copying()) await new Promise((r) => setTimeout(r, 50));

  expect(await visible()).toEqual({ instruments: 0, bars: 0, events: 0 });
  const listed = (await request(t.app.url).get('/api/instruments')).body.instruments.map((i: { symbol: string }) => i.symbol);
  expect(listed.filter((s: string) => s.startsWith('ZZK'))).toEqual([]);

  const again = await runCli(['import', dir], { DATABASE_URL: t.db.url, LOG_LEVEL: 'warn' });
  expect(again.status).toBe(0);
  expect(JSON.parse(again.stdout)).toMatchObject({ instruments: SYMBOLS, bars: { rowsNew: SYMBOLS * BARS, files: SYMBOLS }, events: 2 });
  expect(await visible()).toEqual({ instruments: SYMBOLS, bars: SYMBOLS * BARS, events: 2 });
}, 300_000);
