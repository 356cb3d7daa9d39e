// Reads and writes of instrument groups (instrument_groups, instrument_group_members).
import type pg from 'pg';
import { withTransaction, type Queryable } from '../db/transaction';

export interface GroupRow {
  slug: string;
  title: string;
  description: string | null;
  /** member symbols in the order they were added */
  symbols: string[];
  createdAt: Date;
  updatedAt: Date;
}

const SELECT = `
  SELECT g.slug, g.title, g.description, g.created_at AS "createdAt", g.updated_at AS "updatedAt",
         COALESCE((SELECT array_agg(m.symbol ORDER BY m.position, m.symbol) FROM instrument_group_members m WHERE m.group_id = g.id), '{}') AS symbols
    FROM instrument_groups g`;

export async function listGroups(db: Queryable): Promise<GroupRow[]> {
  return (await db.query<GroupRow>(`${SELECT} ORDER BY g.slug`)).rows;
}

export async function findGroup(db: Queryable, slug: string): Promise<GroupRow | null> {
  return (await db.query<GroupRow>(`${SELECT} WHERE g.slug = $1`, [slug])).rows[0] ?? null;
}

/** The id and slug of a group, or null. */
export async function groupBySlug(db: Queryable, slug: string): Promise<{ id: number; slug: string } | null> {
  const { rows } = await db.query<{ id: number; slug: string }>('SELECT id, slug FROM instrument_groups WHERE slug = $1', [slug]);
  return rows[0] ?? null;
}

/** For a read that must stay one query: the members of group `groupIdExpr` as a text[] ordered by symbol ('{}' when none). */
export const groupMembersSql = (groupIdExpr: string) =>
  `coalesce((SELECT array_agg(m.symbol ORDER BY m.symbol) FROM instrument_group_members m WHERE m.group_id = ${groupIdExpr}), '{}')`;

/** For a read that must stay one query: the title of group `groupIdExpr` (null once it is deleted). */
export const groupTitleByIdSql = (groupIdExpr: string) => `(SELECT g.title FROM instrument_groups g WHERE g.id = ${groupIdExpr})`;

/** For a read that must stay one query: the current slug of group `groupIdExpr` (null once it is deleted). */
export const groupSlugByIdSql = (groupIdExpr: string) => `(SELECT g.slug FROM instrument_groups g WHERE g.id = ${groupIdExpr})`;

async function appendMembers(db: Queryable, groupId: number, symbols: readonly string[]): Promise<void> {
  await db.query(
    `INSERT INTO instrument_group_members (group_id, symbol, position)
     SELECT $1, s.symbol, COALESCE((SELECT max(position) FROM instrument_group_members WHERE group_id = $1), 0) + s.k
       FROM unnest($2::text[]) WITH ORDINALITY AS s(symbol, k)
     ON CONFLICT (group_id, symbol) DO NOTHING`,
    [groupId, symbols],
  );
}

export interface GroupInput {
  slug: string;
  title: string;
  description?: string | null;
  symbols: readonly string[];
}

/** Creates a group; false when the slug is taken. */
export async function insertGroup(pool: pg.Pool, g: GroupInput): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO instrument_groups (slug, title, description) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING RETURNING id`,
      [g.slug, g.title, g.description ?? null],
    );
    if (rows.length === 0) return false;
    await appendMembers(client, rows[0].id, g.symbols);
    return true;
  });
}

/** Creates the group or replaces its title, description and members (the bundled import). */
export async function upsertGroup(db: Queryable, g: GroupInput): Promise<void> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO instrument_groups (slug, title, description) VALUES ($1, $2, $3)
     ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description, updated_at = now()
     RETURNING id`,
    [g.slug, g.title, g.description ?? null],
  );
  await db.query('DELETE FROM instrument_group_members WHERE group_id = $1 AND NOT (symbol = ANY($2::text[]))', [rows[0].id, g.symbols]);
  await appendMembers(db, rows[0].id, g.symbols);
}

export interface GroupChanges {
  slug?: string;
  title?: string;
  description?: string | null;
  /** replaces the members */
  symbols?: readonly string[];
  add?: readonly string[];
  remove?: readonly string[];
}

/** Applies the changes; 'missing' for an unknown group, 'taken' when the new slug is in use. */
export async function updateGroup(pool: pg.Pool, slug: string, c: GroupChanges): Promise<'ok' | 'missing' | 'taken'> {
  return withTransaction(pool, async (client) => {
    const found = await client.query<{ id: number }>('SELECT id FROM instrument_groups WHERE slug = $1 FOR UPDATE', [slug]);
    if (found.rows.length === 0) return 'missing';
    const id = found.rows[0].id;
    if (c.slug !== undefined && c.slug !== slug) {
      const taken = await client.query('SELECT 1 FROM instrument_groups WHERE slug = $1', [c.slug]);
      if (taken.rows.length > 0) return 'taken';
    }
    await client.query(
      `UPDATE instrument_groups SET slug = COALESCE($2, slug), title = COALESCE($3, title),
              description = CASE WHEN $4 THEN $5 ELSE description END, updated_at = now() WHERE id = $1`,
      [id, c.slug ?? null, c.title ?? null, c.description !== undefined, c.description ?? null],
    );
    if (c.symbols !== undefined) {
      await client.query('DELETE FROM instrument_group_members WHERE group_id = $1', [id]);
      await appendMembers(client, id, c.symbols);
    }
    if (c.remove?.length) {
      await client.query('DELETE FROM instrument_group_members WHERE group_id = $1 AND symbol = ANY($2::text[])', [id, c.remove]);
    }
    if (c.add?.length) await appendMembers(client, id, c.add);
    return 'ok';
  });
}

export async function deleteGroup(db: Queryable, slug: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM instrument_groups WHERE slug = $1', [slug]);
  return (rowCount ?? 0) > 0;
}
