// Reads and writes of detected shocks (the shocks table): one row per (group, kind, key), key the session date
// (daily) or the episode start (intraday). INSERT ... ON CONFLICT DO UPDATE makes detectors of several app
// instances (and a scan beside them) record each shock once; only the one that inserted it hears "first detected".
import type { Queryable } from '../db/transaction';
import { groupSlugByIdSql, groupTitleByIdSql } from '../groups/groupStore';
import { eventJoinSql } from '../news/eventStore';
import type { ShockKind, ShockMember, ShockStatus } from './shockContract';

/** What the shocks table keeps beyond its columns. */
interface ShockDetail {
  patellZ: number | null;
  rbar: number | null;
  bmpT: number | null;
  kpT: number | null;
  criticalValue: number | null;
  members: ShockMember[];
  firstBarByExchange: { market: string; t: string }[];
}

export interface ShockRecord {
  groupId: number;
  kind: ShockKind;
  key: string;
  sessionDate: string;
  startAt: Date;
  endAt: Date;
  z: number | null;
  p: number | null;
  n: number;
  breadthCount: number;
  breadthShare: number;
  direction: 'up' | 'down';
  aar: number | null;
  valueChangeUsd: number | null;
  detail: ShockDetail;
  newsIds: number[];
}

export type RecordOutcome = 'inserted' | 'updated' | 'unchanged';

/** Records the shock, or updates its numbers when they changed (status, event and detectedAt are kept). */
export async function recordShock(db: Queryable, r: ShockRecord): Promise<{ id: number | null; outcome: RecordOutcome }> {
  const { rows } = await db.query<{ id: number; inserted: boolean }>(
    `INSERT INTO shocks (group_id, kind, key, session_date, start_at, end_at, z, p, n, breadth_count, breadth_share, direction, aar,
                         value_change_usd, detail, news_ids)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT (group_id, kind, key) DO UPDATE SET
       session_date = EXCLUDED.session_date, start_at = EXCLUDED.start_at, end_at = EXCLUDED.end_at, z = EXCLUDED.z, p = EXCLUDED.p,
       n = EXCLUDED.n, breadth_count = EXCLUDED.breadth_count, breadth_share = EXCLUDED.breadth_share, direction = EXCLUDED.direction,
       aar = EXCLUDED.aar, value_change_usd = EXCLUDED.value_change_usd, detail = EXCLUDED.detail, news_ids = EXCLUDED.news_ids,
       updated_at = now()
     WHERE (shocks.session_date, shocks.start_at, shocks.end_at, shocks.z, shocks.p, shocks.n, shocks.breadth_count, shocks.breadth_share,
            shocks.direction, shocks.aar, shocks.value_change_usd, shocks.detail, shocks.news_ids)
           IS DISTINCT FROM
           (EXCLUDED.session_date, EXCLUDED.start_at, EXCLUDED.end_at, EXCLUDED.z, EXCLUDED.p, EXCLUDED.n, EXCLUDED.breadth_count,
            EXCLUDED.breadth_share, EXCLUDED.direction, EXCLUDED.aar, EXCLUDED.value_change_usd, EXCLUDED.detail, EXCLUDED.news_ids)
     RETURNING id, (xmax = 0) AS inserted`,
    [
      r.groupId,
      r.kind,
      r.key,
      r.sessionDate,
      r.startAt,
      r.endAt,
      r.z,
      r.p,
      r.n,
      r.breadthCount,
      r.breadthShare,
      r.direction,
      r.aar,
      r.valueChangeUsd,
      JSON.stringify(r.detail),
      r.newsIds,
    ],
  );
  const row = rows[0];
  if (!row) return { id: null, outcome: 'unchanged' };
  return { id: row.id, outcome: row.inserted ? 'inserted' : 'updated' };
}

export interface ShockRow extends Omit<ShockRecord, 'groupId'> {
  id: number;
  groupSlug: string;
  groupName: string;
  status: ShockStatus;
  eventSlug: string | null;
  detectedAt: Date;
  updatedAt: Date;
}

const SELECT = `
  SELECT s.id, s.kind, s.key, to_char(s.session_date, 'YYYY-MM-DD') AS "sessionDate", s.start_at AS "startAt", s.end_at AS "endAt",
         s.z, s.p, s.n, s.breadth_count AS "breadthCount", s.breadth_share AS "breadthShare", s.direction, s.aar,
         s.value_change_usd AS "valueChangeUsd", s.detail, coalesce(s.news_ids, '{}') AS "newsIds", s.status, e.slug AS "eventSlug",
         s.detected_at AS "detectedAt", s.updated_at AS "updatedAt",
         ${groupSlugByIdSql('s.group_id')} AS "groupSlug", ${groupTitleByIdSql('s.group_id')} AS "groupName"
    FROM shocks s ${eventJoinSql('e', 's.event_id', 'LEFT JOIN')}`;

export interface ShockFilter {
  groupId?: number | null;
  kind?: ShockKind | null;
  /** start at or after this instant */
  from?: Date | null;
  /** start at or before this instant */
  to?: Date | null;
  limit?: number;
}

/** Shocks newest first. */
export async function listShocks(db: Queryable, f: ShockFilter = {}): Promise<ShockRow[]> {
  const { rows } = await db.query<ShockRow>(
    `${SELECT}
      WHERE ($1::int IS NULL OR s.group_id = $1) AND ($2::text IS NULL OR s.kind = $2)
        AND ($3::timestamptz IS NULL OR s.start_at >= $3) AND ($4::timestamptz IS NULL OR s.start_at <= $4)
      ORDER BY s.start_at DESC, s.id DESC LIMIT $5`,
    [f.groupId ?? null, f.kind ?? null, f.from ?? null, f.to ?? null, f.limit ?? 1000],
  );
  return rows;
}

export async function findShock(db: Queryable, id: number): Promise<ShockRow | null> {
  return (await db.query<ShockRow>(`${SELECT} WHERE s.id = $1`, [id])).rows[0] ?? null;
}

/** Sets the status (and the event it became); false when the shock is gone. */
export async function setShockStatus(db: Queryable, id: number, status: ShockStatus, eventId: number | null): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE shocks SET status = $2, event_id = coalesce($3, event_id), updated_at = now() WHERE id = $1',
    [id, status, eventId],
  );
  return (rowCount ?? 0) > 0;
}

/** Claims a shock for a confirm (false: gone or confirmed already), so two confirms at once make one event. */
export async function claimShockForConfirm(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query(
    "UPDATE shocks SET status = 'confirmed', updated_at = now() WHERE id = $1 AND status <> 'confirmed'",
    [id],
  );
  return (rowCount ?? 0) > 0;
}
