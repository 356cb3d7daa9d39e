// Developer tool: start a throwaway embedded Postgres, run a command with DATABASE_URL set, stop it.
// Used to author migrations and check drift where the Prisma CLI cannot download its engine:
//   node dist/with-db.js node scripts/prisma-offline.mjs dev add_thing
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/db/embeddedPostgres';

async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) throw new Error('usage: node dist/with-db.js <command> [args...]');
  // WITH_DB_DATA_DIR: keep the cluster in a given folder (tests of orphan clean-up use it)
  const given = process.env.WITH_DB_DATA_DIR;
  const dir = given ? path.dirname(given) : fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-withdb-'));
  if (!given) fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: given ?? path.join(dir, 'pg'), fast: true });
  try {
    const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DATABASE_URL: pg.connectionString } });
    process.exitCode = r.status ?? 1;
  } finally {
    await pg.stop();
    if (!given) fs.rmSync(dir, { recursive: true, force: true });
  }
}
main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
