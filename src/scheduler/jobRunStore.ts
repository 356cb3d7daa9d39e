// The job_runs table (one row per job slot, claimed by the first instance to insert it) and the session-level
// advisory lock that keeps two runs of one job from overlapping.
import type pg from 'pg';

/** First key of the two-int advisory locks Aftershock's jobs take (the second is hashtext(job)). */
export const JOB_LOCK_NAMESPACE = 0x41465453; // 'AFTS'

/** Insert the slot's row; null when another instance already has it. */
export async function claimSlot(pool: pg.Pool, job: string, slot: Date, instance: string): Promise<number | null> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO job_runs (job, slot, instance) VALUES ($1, $2, $3) ON CONFLICT (job, slot) DO NOTHING RETURNING id`,
    [job, slot, instance],
  );
  return rows[0]?.id ?? null;
}

export async function finishSlot(pool: pg.Pool, id: number, status: 'ok' | 'error' | 'skipped', detail: string | null): Promise<void> {
  await pool.query('UPDATE job_runs SET ended_at = now(), status = $2, detail = $3 WHERE id = $1', [id, status, detail]);
}

/** Takes the job's lock on this connection unless another session holds it; true when taken. */
export async function tryLockJob(client: pg.ClientBase, job: string): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [JOB_LOCK_NAMESPACE, job]);
  return rows[0].ok;
}

export async function unlockJob(client: pg.ClientBase, job: string): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [JOB_LOCK_NAMESPACE, job]);
}

/**
 * Mark abandoned the running rows whose job lock no session holds: the process that ran them was killed (its
 * session, and with it the lock, ended). A row younger than `graceSeconds` may be between its claim and its lock.
 */
export async function markAbandonedRuns(pool: pg.Pool, graceSeconds = 30): Promise<Array<{ id: number; job: string }>> {
  const { rows } = await pool.query<{ id: number; job: string }>(
    `UPDATE job_runs j SET status = 'abandoned', ended_at = now(), detail = coalesce(j.detail, 'the process running it ended before it finished')
      WHERE j.status = 'running' AND j.started_at < now() - make_interval(secs => $2)
        AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                          AND l.classid::bigint = $1 AND l.objid::bigint = (hashtext(j.job)::bigint & 4294967295))
      RETURNING j.id, j.job`,
    [JOB_LOCK_NAMESPACE, graceSeconds],
  );
  return rows;
}

/** Delete finished job_runs rows that started more than `days` days ago; returns how many. */
export async function pruneJobRuns(pool: pg.Pool, days: number): Promise<number> {
  const r = await pool.query(`DELETE FROM job_runs WHERE status <> 'running' AND started_at < now() - make_interval(days => $1)`, [days]);
  return r.rowCount ?? 0;
}

export interface JobRunRow {
  job: string;
  slot: Date;
  instance: string;
  startedAt: Date;
  endedAt: Date | null;
  status: string;
  detail: string | null;
}

/** The latest run of every job that has run, and its latest successful one. */
export async function lastJobRuns(pool: pg.Pool): Promise<Map<string, { last: JobRunRow; lastOk: JobRunRow | null }>> {
  const cols = `job, slot, instance, started_at AS "startedAt", ended_at AS "endedAt", status, detail`;
  const last = await pool.query<JobRunRow>(`SELECT DISTINCT ON (job) ${cols} FROM job_runs ORDER BY job, slot DESC, id DESC`);
  const ok = await pool.query<JobRunRow>(
    `SELECT DISTINCT ON (job) ${cols} FROM job_runs WHERE status = 'ok' ORDER BY job, slot DESC, id DESC`,
  );
  const okByJob = new Map(ok.rows.map((r) => [r.job, r]));
  return new Map(last.rows.map((r) => [r.job, { last: r, lastOk: okByJob.get(r.job) ?? null }]));
}
