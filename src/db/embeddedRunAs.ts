// Postgres refuses to run as root. As root, the embedded server runs as the OS user `postgres` (created when
// missing), with its binaries and data folder copied or placed where that user can reach them.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPostgresError } from './embeddedPostgresError';

type PostgresLog = ((level: 'info' | 'warn' | 'debug', message: string) => void) | undefined;

export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function lookupUser(name: string): RunAs | null {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), name };
}

/** Postgres refuses to run as root: as root we run it as the OS user `postgres`, created when missing. */
export function runAsUser(log: PostgresLog): RunAs | null {
  if (!isRoot()) return null;
  let user = lookupUser('postgres');
  if (!user) {
    log?.('info', 'running as root: creating the system user "postgres" to run the embedded server');
    const r = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
      encoding: 'utf8',
    });
    if (r.status !== 0)
      throw new EmbeddedPostgresError(`Running as root, and the user "postgres" could not be created: ${r.stderr || r.error?.message}`, []);
    user = lookupUser('postgres');
    if (!user) throw new EmbeddedPostgresError('Running as root, and the user "postgres" is still missing after useradd', []);
  }
  return user;
}

function canReach(runAs: RunAs, target: string, test: '-x' | '-w'): boolean {
  return spawnSync('test', [test, target], { uid: runAs.uid, gid: runAs.gid }).status === 0;
}

/** Copy the binaries somewhere the postgres user can execute them (the project may sit under a 0700 home). */
export function reachableBinaryRoot(root: string, runAs: RunAs | null, log: PostgresLog): string {
  if (!runAs || canReach(runAs, path.join(root, 'bin', 'postgres'), '-x')) return root;
  // one copy per package version: an upgraded package gets a fresh copy
  const { version } = JSON.parse(fs.readFileSync(path.join(root, '..', 'package.json'), 'utf8')) as { version: string };
  const copy = path.join('/var/tmp', `aftershock-postgres-${os.platform()}-${os.arch()}-${version}`);
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
    log?.('info', `the postgres user cannot reach ${root}; copying the server binaries to ${copy}`);
    const tmp = `${copy}.tmp-${process.pid}`;
    fs.cpSync(root, tmp, { recursive: true, verbatimSymlinks: true });
    spawnSync('chmod', ['-R', 'a+rX', tmp]);
    fs.renameSync(tmp, copy);
  }
  return copy;
}

/** The data folder, or a stand-in under /var/tmp when the postgres user cannot enter the project folder. */
export function reachableDataDir(dataDir: string, runAs: RunAs | null, log: PostgresLog): string {
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (!runAs || canReach(runAs, path.dirname(dataDir), '-x')) return dataDir;
  const standIn = path.join(
    '/var/tmp',
    `aftershock-data-${crypto.createHash('sha1').update(path.resolve(dataDir)).digest('hex').slice(0, 12)}`,
    path.basename(dataDir),
  );
  log?.(
    'warn',
    `the postgres user cannot enter ${path.dirname(dataDir)} (a folder only its owner may enter); the embedded database lives in ${standIn} instead`,
  );
  fs.mkdirSync(path.dirname(standIn), { recursive: true, mode: 0o755 });
  return standIn;
}
