// The app_secrets table: per-database values (the link-signing key, the installation id) shared by every
// instance on that database.
import crypto from 'node:crypto';
import type pg from 'pg';

/** Read a per-database value, creating it on first use; concurrent first uses agree on one value. */
export async function databaseSecret(pool: pg.Pool, name: string, make: () => string): Promise<string> {
  await pool.query('INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, make()]);
  const { rows } = await pool.query<{ value: string }>('SELECT value FROM app_secrets WHERE name = $1', [name]);
  return rows[0].value;
}

/** Random per database: makes Message-IDs unique across installations (and is part of what links are signed with). */
export function installationId(pool: pg.Pool): Promise<string> {
  return databaseSecret(pool, 'installation_id', () => crypto.randomBytes(6).toString('hex'));
}
