// Issue 12, item 11 (in part): Ctrl-C must not reach the embedded Postgres directly. A terminal sends SIGINT to
// the whole foreground process group; the app stops Postgres itself, in order, so Postgres runs in a process
// group of its own. A SIGINT to the app's group then stops everything cleanly.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../support/appProcess';
import { jsonLines } from './faultSupport';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-pgroup-'));
  fs.chmodSync(dir, 0o755);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const pgrpOf = (pid: number) =>
  Number(
    fs
      .readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ')[2],
  );

it('Postgres has its own process group; Ctrl-C on the app group stops it cleanly', async () => {
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  // detached: the app leads a process group of its own, as a shell's foreground job does
  const app = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist/main.js')], {
    env: {
      ...process.env,
      DATA_DIR: dir,
      DATABASE_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      SCHEDULER_ENABLED: 'false',
      IMPORT_BUNDLED_DATA: 'false',
      LOG_LEVEL: 'info',
      YAHOO_BASE_URL: 'http://127.0.0.1:9',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  app.stdout!.on('data', (d) => (out += d));
  app.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => app.once('exit', (code) => resolve(code)));
  for (
    let i = 0;
    i < 300 &&
    !(await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  )
    await new Promise((r) => setTimeout(r, 100));
  for (let i = 0; i < 50 && !/Aftershock is up/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
  const dataDir = /embedded \(([^)]+)\)/.exec(out)?.[1];
  expect(dataDir).toBeDefined();
  const postmaster = Number(fs.readFileSync(path.join(dataDir!, 'postmaster.pid'), 'utf8').split('\n')[0]);
  expect(pgrpOf(app.pid!)).toBe(app.pid);
  expect(pgrpOf(postmaster)).not.toBe(app.pid);

  const before = out.length;
  process.kill(-app.pid!, 'SIGINT'); // what Ctrl-C in a terminal does
  expect(await exited).toBe(0);
  const shutdown = jsonLines(out.slice(before));
  expect(shutdown.filter((l) => (l.level as number) >= 40).map((l) => l.msg)).toEqual([]);
  expect(shutdown.some((l) => l.msg === 'Aftershock stopped')).toBe(true);
}, 90_000);
