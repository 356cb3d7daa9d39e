// Issue 12, item 15: a normal shutdown (SIGTERM) of the app with its embedded Postgres logs no warning and no
// line carrying a pg client object: the connections that Postgres's own shutdown ends are expected.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAppProcess } from '../support/appProcess';
import { jsonLines } from './faultSupport';

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-quiet-'));
  fs.chmodSync(dataDir, 0o755); // the postgres user must enter it
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

it('SIGTERM with the embedded Postgres logs no warning and no multi-KB line', async () => {
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    LOG_LEVEL: 'info',
    SCHEDULER_ENABLED: 'false',
    IMPORT_BUNDLED_DATA: 'false',
    YAHOO_BASE_URL: 'http://127.0.0.1:9',
  };
  const app = await startAppProcess(env, { readyTimeoutMs: 60_000 });
  // some traffic first, so pooled connections are open (idle) when the server goes down
  await Promise.all(Array.from({ length: 40 }, (_, i) => fetch(`${app.url}${i % 2 ? '/api/instruments' : '/api/events'}`)));
  const before = app.output().length;
  expect(await app.kill('SIGTERM')).toBe(0);
  const shutdown = app.output().slice(before);
  const lines = jsonLines(shutdown);
  expect(lines.some((l) => /shut|stop/i.test(String(l.msg)))).toBe(true);
  const warnings = lines.filter((l) => (l.level as number) >= 40).map((l) => l.msg);
  expect(warnings).toEqual([]);
  const long = shutdown.split('\n').filter((l) => l.length > 2000);
  expect(long.map((l) => l.slice(0, 200))).toEqual([]);
  expect(shutdown).not.toMatch(/_connectionCallback|_queryable|"_ending"/);
}, 120_000);
