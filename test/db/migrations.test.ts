import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations, listMigrations, pendingMigrations } from '../../src/db/migrate';
import { adminUrl, createTestDatabase, type TestDatabase } from '../support/testDb';

const root = path.resolve(__dirname, '../..');

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });
  afterAll(async () => db?.drop());

  it("records every applied migration in _prisma_migrations with Prisma's sha256 checksum", async () => {
    const { rows } = await db.pool.query(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const files = fs
      .readdirSync(path.join(root, 'prisma/migrations'))
      .filter((d) => fs.existsSync(path.join(root, 'prisma/migrations', d, 'migration.sql')))
      .sort();
    expect(rows.map((r) => r.migration_name)).toEqual(files);
    for (const r of rows) {
      const sql = fs.readFileSync(path.join(root, 'prisma/migrations', r.migration_name, 'migration.sql'));
      expect(r.checksum).toBe(crypto.createHash('sha256').update(sql).digest('hex'));
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.applied_steps_count).toBe(1);
    }
    expect(await pendingMigrations(db.pool)).toEqual([]);
  });

  it('applies each migration once when several processes start at the same time', async () => {
    const fresh = await createTestDatabase({ empty: true });
    try {
      await fresh.pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      const pools = [
        new pg.Pool({ connectionString: fresh.url }),
        new pg.Pool({ connectionString: fresh.url }),
        new pg.Pool({ connectionString: fresh.url }),
      ];
      const results = await Promise.all(pools.map((p) => applyMigrations(p)));
      await Promise.all(pools.map((p) => p.end()));
      expect(results.flat().sort()).toEqual(listMigrations().map((m) => m.name));
      const { rows } = await fresh.pool.query('SELECT count(*)::int AS n FROM "_prisma_migrations"');
      expect(rows[0].n).toBe(listMigrations().length);
    } finally {
      await fresh.drop();
    }
  });

  it("schema.prisma and the committed migrations agree (Prisma's own schema engine diffs them)", () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/prisma-offline.mjs'), 'diff'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: adminUrl() },
      encoding: 'utf8',
      timeout: 120_000,
    });
    // exit 0 = no difference; 2 = schema.prisma has changes that no migration captures
    const statements = r.stdout.split('\n').filter((l) => l.trim() && !l.trim().startsWith('--'));
    expect({ status: r.status, statements }).toEqual({ status: 0, statements: [] });
  });
});
