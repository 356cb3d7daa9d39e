import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embeddedPostgres';

const root = path.resolve(__dirname, '../..');
const dirs: string[] = [];
function tempDir(mode = 0o755): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-pgtest-'));
  fs.chmodSync(dir, mode);
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function query(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

const isRoot = process.getuid?.() === 0;

describe('embedded Postgres', () => {
  it('starts, keeps data across a restart, and stops', async () => {
    const dataDir = path.join(tempDir(), 'pg');
    const first = await startEmbeddedPostgres({ dataDir, fast: true });
    expect(first.owned).toBe(true);
    await query(first.connectionString, 'CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');
    await first.stop();
    await expect(query(first.connectionString, 'SELECT 1')).rejects.toThrow();
    const second = await startEmbeddedPostgres({ dataDir, fast: true });
    expect(await query(second.connectionString, 'SELECT v FROM kept')).toEqual([{ v: 42 }]);
    await second.stop();
  });

  it('a second start on the same folder joins the running server instead of fighting it', async () => {
    const dataDir = path.join(tempDir(), 'pg');
    const owner = await startEmbeddedPostgres({ dataDir, fast: true });
    const guest = await startEmbeddedPostgres({ dataDir, fast: true });
    expect(guest.owned).toBe(false);
    expect(guest.port).toBe(owner.port);
    await guest.stop(); // a guest leaves the server running
    expect(await query(owner.connectionString, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    await owner.stop();
  });

  it('cleans up a server orphaned by a SIGKILLed owner and starts afresh', async () => {
    const dataDir = path.join(tempDir(), 'pg');
    // the owner is another process (with-db holding the server while `sleep` runs), SIGKILLed once the server is up
    const holder = spawn(process.execPath, [path.join(root, 'dist/with-db.js'), 'sleep', '60'], {
      stdio: 'ignore',
      env: { ...process.env, WITH_DB_DATA_DIR: dataDir },
    });
    const pidFile = path.join(dataDir, 'postmaster.pid');
    for (let i = 0; i < 200 && !fs.existsSync(`${dataDir}.owner.json`); i++) await new Promise((r) => setTimeout(r, 50));
    const orphanPid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    process.kill(orphanPid, 0); // the orphan is still alive
    const pgServer = await startEmbeddedPostgres({ dataDir, fast: true });
    expect(pgServer.owned).toBe(true);
    // gone, or a zombie waiting for an init that does not reap (some containers): either way it has exited
    const gone = (() => {
      try {
        process.kill(orphanPid, 0);
      } catch {
        return true;
      }
      return fs.readFileSync(`/proc/${orphanPid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] === 'Z';
    })();
    expect(gone).toBe(true);
    expect(await query(pgServer.connectionString, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    await pgServer.stop();
  });

  it('says why when it cannot start: the Postgres log lines, not undefined', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startEmbeddedPostgres({ dataDir: path.join(tempDir(), 'pg'), port, fast: true })).rejects.toThrow(
        /could not (create listen socket|bind)|Address already in use/,
      );
    } finally {
      blocker.close();
    }
  });

  (isRoot ? it : it.skip)('works as root inside a folder only its owner may enter', async () => {
    const dataDir = path.join(tempDir(0o700), 'pg');
    const server = await startEmbeddedPostgres({ dataDir, fast: true });
    expect(await query(server.connectionString, 'SELECT current_user AS u')).toEqual([{ u: 'postgres' }]);
    await server.stop();
  });

  // as root we can become `nobody`; that user must be able to read the checkout for the test to mean anything
  const nobody = {
    uid: Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout),
    gid: Number(spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).stdout),
  };
  const nobodyCanRead = isRoot && spawnSync('test', ['-r', path.join(root, 'package.json')], nobody).status === 0;
  (nobodyCanRead ? it : it.skip)('works as a normal user', () => {
    const dir = tempDir(0o777);
    const r = spawnSync(
      process.execPath,
      [
        path.join(root, 'dist/with-db.js'),
        process.execPath,
        '-e',
        `
      const pg = require(${JSON.stringify(path.join(root, 'node_modules/pg'))});
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      c.connect().then(() => c.query('SELECT 1 AS ok')).then((r) => { console.log(JSON.stringify(r.rows)); return c.end(); });
    `,
      ],
      { ...nobody, encoding: 'utf8', env: { ...process.env, HOME: dir, TMPDIR: dir }, timeout: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('[{"ok":1}]');
    expect(r.status).toBe(0);
  });
});
