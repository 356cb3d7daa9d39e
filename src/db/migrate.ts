// Applies prisma/migrations/*/migration.sql in order and records each in _prisma_migrations exactly as
// `prisma migrate deploy` does (same table, same sha256 checksum), so the Prisma CLI can take over on any
// machine where it can download its engine. Here it cannot, hence this runner.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { projectRoot } from '../config/config';
import { inTransaction } from './transaction';

// the advisory lock key Prisma's migrate uses, so our runner and the CLI exclude each other
const PRISMA_MIGRATE_LOCK = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

function migrationsDir(): string {
  return path.join(projectRoot, 'prisma', 'migrations');
}

export function listMigrations(dir = migrationsDir()): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Apply what is pending; returns the names applied. Safe to call from several processes at once. */
export async function applyMigrations(pool: pg.Pool, migrations = listMigrations()): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"');
    const done = new Map(rows.filter((r) => !r.rolled_back_at).map((r) => [r.migration_name, r]));
    for (const m of migrations) {
      const prior = done.get(m.name);
      if (prior?.finished_at) {
        if (prior.checksum !== m.checksum) {
          // Prisma only warns here; we do too, by refusing nothing but saying so
          process.emitWarning(`migration ${m.name} was modified after it was applied (checksum differs)`);
        }
        continue;
      }
      if (prior && !prior.finished_at) {
        throw new MigrationError(
          `migration ${m.name} failed earlier and is recorded as unfinished; resolve it (prisma migrate resolve) before starting again`,
        );
      }
      const id = crypto.randomUUID();
      try {
        // on the client holding the session-level migrate lock
        await inTransaction(client, async (c) => {
          await c.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [
            id,
            m.checksum,
            m.name,
          ]);
          await c.query(m.sql);
          await c.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
        });
      } catch (e) {
        throw new MigrationError(`migration ${m.name} failed: ${(e as Error).message}`);
      }
      applied.push(m.name);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]).catch(() => {});
    client.release();
  }
  return applied;
}

/** Names of migrations that exist in the repo but are not applied in the database. */
export async function pendingMigrations(pool: pg.Pool, migrations = listMigrations()): Promise<string[]> {
  const exists = await pool.query(`SELECT to_regclass('"_prisma_migrations"') AS t`);
  if (!exists.rows[0].t) return migrations.map((m) => m.name);
  const { rows } = await pool.query<{ migration_name: string }>(
    'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  const done = new Set(rows.map((r) => r.migration_name));
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}
