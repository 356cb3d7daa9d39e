// Cold start: the first start on an empty data folder until /readyz answers 200 (initdb, migrations,
// bundled import), and a restart on the same folder, of the server itself (dist/main.js) and through `npm start`
// (npm and the build check before the server). The limit measured in the same run: the embedded Postgres alone
// (initdb + start, and a plain restart).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startEmbeddedPostgres } from '../src/db/embeddedPostgres';
import { report, timed } from './benchSupport';

const root = path.resolve(__dirname, '..');

/** The server itself; `npm start` is npm, the build check, then the same server. */
const SERVER = [process.execPath, path.join(root, 'dist/main.js')];
const NPM_START = ['npm', 'start', '--silent'];

async function startToReady(dataDir: string, command = SERVER): Promise<{ seconds: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const proc = spawn(command[0], command.slice(1), {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      SCHEDULER_ENABLED: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
    // a process group of its own, stopped as a terminal's Ctrl-C stops it: npm dies of a SIGTERM of its own and
    // leaves the server running
    detached: true,
  });
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    seconds,
    stop: async () => {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      process.kill(-proc.pid!, 'SIGINT');
      await exited;
      // npm may be gone before the server has stopped its Postgres, which removes this file last
      const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
      for (let waited = 0; fs.existsSync(pidFile) && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    },
  };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-coldstart-'));
  fs.chmodSync(dir, 0o755);
  try {
    const first = await startToReady(path.join(dir, 'app'));
    await first.stop();
    const again = await startToReady(path.join(dir, 'app'));
    await again.stop();
    const npmAgain = await startToReady(path.join(dir, 'app'), NPM_START);
    await npmAgain.stop();

    const pgInit = await timed(() => startEmbeddedPostgres({ dataDir: path.join(dir, 'pg-only', 'pg') }));
    await pgInit.value.stop();
    const pgRestart = await timed(() => startEmbeddedPostgres({ dataDir: path.join(dir, 'pg-only', 'pg') }));
    await pgRestart.value.stop();

    report('coldstart', [
      {
        name: 'first start to ready (initdb, migrate, import)',
        value: first.seconds,
        unit: 's',
        limit: { name: 'Postgres initdb + start', value: pgInit.seconds, ratio: first.seconds / pgInit.seconds },
        goal: '< 30 s',
      },
      {
        name: 'restart to ready',
        value: again.seconds,
        unit: 's',
        limit: { name: 'Postgres restart', value: pgRestart.seconds, ratio: again.seconds / pgRestart.seconds },
      },
      {
        name: 'restart to ready through npm start',
        value: npmAgain.seconds,
        unit: 's',
        limit: { name: 'restart of the server alone', value: again.seconds, ratio: npmAgain.seconds / again.seconds },
        goal: '< 3 s',
      },
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
