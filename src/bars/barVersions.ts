// The watermark of the data an answer was computed from: the versions of the small tables it read (./db
// dataVersions) and of the bars of its instruments, read in one cheap query at request time. Statement triggers
// raise both in the writing transaction, so an equal watermark means nothing the answer depends on has changed
// since, whichever app instance wrote (no reliance on LISTEN/NOTIFY timing).
import type pg from 'pg';
import { dataVersionsSql, type VersionedTable } from '../db/dataVersions';

/** What an answer depends on. */
export interface DataDependencies {
  tables: readonly VersionedTable[];
  /** bars of these symbols at this interval ('1d' daily, '5m'...); symbols null: every symbol of the interval; absent: none */
  bars?: { interval: string; symbols: readonly string[] | null };
}

/**
 * The watermark of `deps` now: equal strings, equal inputs. It starts with the tables' part, so the watermark of
 * the same tables without bars is a prefix of it while none of them has changed.
 */
export async function readWatermark(db: Pick<pg.Pool, 'query'>, deps: DataDependencies): Promise<string> {
  // a version only grows, so the sum over the symbols grows whenever one of their bars changes
  const { rows } = await db.query<{ tables: string; bars: string | null }>(
    `SELECT ${dataVersionsSql('$1')} AS tables,
       (SELECT coalesce(sum(version), 0)::text || '/' || count(*) FROM bar_versions
         WHERE $2::text IS NOT NULL AND interval = $2 AND ($3::text[] IS NULL OR symbol = ANY($3::text[]))) AS bars`,
    [deps.tables, deps.bars?.interval ?? null, deps.bars?.symbols ?? null],
  );
  return deps.bars ? `${rows[0].tables}|${deps.bars.interval}:${rows[0].bars}` : `${rows[0].tables}|`;
}
