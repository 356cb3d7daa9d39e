// Reads and writes of saved studies (the studies table): members and parameters, never results.
import type { Queryable } from '../db/transaction';
import type { StudySelection } from './studyMembers';

export interface StudyRow {
  slug: string;
  title: string;
  description: string | null;
  selection: StudySelection;
  /** option strings as in the query: {window: "-5,10", ...} */
  parameters: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

const SELECT = `SELECT slug, title, description, selection, parameters, created_at AS "createdAt", updated_at AS "updatedAt" FROM studies`;

export async function listStudies(db: Queryable): Promise<StudyRow[]> {
  return (await db.query<StudyRow>(`${SELECT} ORDER BY slug`)).rows;
}

export async function findStudy(db: Queryable, slug: string): Promise<StudyRow | null> {
  return (await db.query<StudyRow>(`${SELECT} WHERE slug = $1`, [slug])).rows[0] ?? null;
}

export interface StudyInput {
  slug: string;
  title: string;
  description: string | null;
  selection: StudySelection;
  parameters: Record<string, string>;
}

/** Creates a study; false when the slug is taken. */
export async function insertStudy(db: Queryable, s: StudyInput): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO studies (slug, title, description, selection, parameters) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (slug) DO NOTHING RETURNING id`,
    [s.slug, s.title, s.description, JSON.stringify(s.selection), JSON.stringify(s.parameters)],
  );
  return rows.length > 0;
}

/** Creates the study or replaces it (the CLI's `studies import`). */
export async function upsertStudy(db: Queryable, s: StudyInput): Promise<void> {
  await db.query(
    `INSERT INTO studies (slug, title, description, selection, parameters) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description,
       selection = EXCLUDED.selection, parameters = EXCLUDED.parameters, updated_at = now()`,
    [s.slug, s.title, s.description, JSON.stringify(s.selection), JSON.stringify(s.parameters)],
  );
}

/** Replaces the whole stored row of `slug` (a PATCH merged in the service); false when missing or the new slug is taken. */
export async function replaceStudy(db: Queryable, slug: string, s: StudyInput): Promise<'ok' | 'missing' | 'taken'> {
  if (s.slug !== slug && (await findStudy(db, s.slug))) return 'taken';
  const { rowCount } = await db.query(
    `UPDATE studies SET slug = $2, title = $3, description = $4, selection = $5, parameters = $6, updated_at = now() WHERE slug = $1`,
    [slug, s.slug, s.title, s.description, JSON.stringify(s.selection), JSON.stringify(s.parameters)],
  );
  return (rowCount ?? 0) > 0 ? 'ok' : 'missing';
}

export async function deleteStudy(db: Queryable, slug: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM studies WHERE slug = $1', [slug]);
  return (rowCount ?? 0) > 0;
}
