// Issue 12, item 11 (in part): a zombie owner is not taken for alive. When the process recorded as the owner of
// the embedded Postgres has died but not been reaped (a zombie: kill(pid, 0) still succeeds), the next start
// treats the server as orphaned, shuts it down and starts its own, instead of joining a server nobody will stop.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/db/embeddedPostgres';

let dir: string;
let first: RunningPostgres | null = null;
let second: RunningPostgres | null = null;
let parent: ChildProcess | null = null;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-zombie-'));
  fs.chmodSync(dir, 0o755);
});
afterAll(async () => {
  await second?.stop();
  await first?.stop();
  parent?.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A zombie: a child that exited, whose parent (a sleeping shell) never reaps it. */
async function zombiePid(): Promise<number> {
  parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const pid = await new Promise<number>((resolve) => parent!.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
  for (let i = 0; i < 50; i++) {
    const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
    if (state === 'Z') return pid;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no zombie');
}

it('a server whose recorded owner is a zombie is shut down and started afresh', async () => {
  const dataDir = path.join(dir, 'pg');
  first = await startEmbeddedPostgres({ dataDir, fast: true });
  const ownerFile = path.join(path.dirname(first.dataDir), `${path.basename(first.dataDir)}.owner.json`);
  const owner = JSON.parse(fs.readFileSync(ownerFile, 'utf8'));
  fs.writeFileSync(ownerFile, JSON.stringify({ ...owner, pid: await zombiePid() }));
  const logs: string[] = [];
  second = await startEmbeddedPostgres({ dataDir, fast: true, log: (_level, msg) => logs.push(msg) });
  expect(second.owned).toBe(true);
  expect(logs.join('\n')).toMatch(/orphaned/);
}, 60_000);
