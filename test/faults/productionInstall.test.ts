// Issue 12, item 17: the Docker image runs `npm ci` with NODE_ENV=production, which leaves out devDependencies.
// Docker does not run here, so this checks what it can: a clean copy of the checkout (its tracked files, no
// node_modules, no dist) installs with `NODE_ENV=production npm ci`, the postinstall bundle builds, and that
// install starts and answers /readyz against a Postgres.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, runCommand, startAppProcess } from '../support/appProcess';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

let dir: string;
let db: TestDatabase;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-prod-install-'));
  // the tracked files as they are in the working tree (what a clone of this commit holds)
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    const from = path.join(PROJECT_ROOT, f);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, f));
  }
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it('NODE_ENV=production npm ci installs, builds, starts and answers /readyz', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  delete env.npm_config_production;
  const install = await runCommand(
    'npm',
    ['ci', '--no-audit', '--no-fund', '--prefer-offline'],
    { ...env, npm_config_loglevel: 'error' },
    280_000,
    dir,
  );
  expect({ status: install.status, tail: install.stderr.split('\n').slice(-15).join('\n') }).toMatchObject({ status: 0 });
  expect(fs.existsSync(path.join(dir, 'dist', 'main.js'))).toBe(true);
  expect(fs.readdirSync(path.join(dir, 'web', 'dist')).some((f) => f.endsWith('.js'))).toBe(true);
  // devDependencies stayed out
  expect(fs.existsSync(path.join(dir, 'node_modules', 'jest'))).toBe(false);

  const proc = await runAppFrom(dir, {
    DATABASE_URL: db.url,
    NODE_ENV: 'production',
    SCHEDULER_ENABLED: 'false',
    IMPORT_BUNDLED_DATA: 'false',
    LOG_LEVEL: 'warn',
    YAHOO_BASE_URL: 'http://127.0.0.1:9',
  });
  try {
    const ready = await fetch(`${proc.url}/readyz`);
    expect(ready.status).toBe(200);
    expect((await fetch(`${proc.url}/`)).status).toBe(200);
  } finally {
    await proc.kill();
  }
}, 400_000);

/** dist/main.js of the production install (startAppProcess runs this checkout's; point it at the copy). */
async function runAppFrom(root: string, env: Record<string, string>) {
  const main = path.join(root, 'dist', 'main.js');
  return startAppProcess(env, { readyTimeoutMs: 60_000, main });
}
