// Issue 12, item 16: a job_runs row of a killed process (running, but no session holds the job's lock any more)
// is marked abandoned, a run still holding its lock stays running; ingest_runs and job_runs rows older than
// RUNS_RETENTION_DAYS are pruned.
import pg from 'pg';
import type { RunningApp } from '../../src/app/server';
import { runHousekeepingService } from '../../src/scheduler/runHousekeeping';
import { JOB_LOCK_NAMESPACE } from '../../src/scheduler/jobRunStore';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { waitUntil } from '../alerts/alertTestSupport';

let db: TestDatabase;
let app: RunningApp;
let holder: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  holder = new pg.Client({ connectionString: db.url });
  await holder.connect();
});
afterAll(async () => {
  await app?.stop();
  await holder?.end();
  await db?.drop();
});

it('marks the runs of a killed process abandoned and prunes old runs', async () => {
  const q = (sql: string, params: unknown[] = []) => db.pool.query(sql, params);
  // a daily run of a process killed a minute ago: its lock went with its session
  await q(
    `INSERT INTO job_runs (job, slot, instance, started_at) VALUES ('daily', now() - interval '1 minute', 'dead-1', now() - interval '1 minute')`,
  );
  // an intraday run still going in another instance: it holds the job's lock
  await holder.query('SELECT pg_advisory_lock($1, hashtext($2))', [JOB_LOCK_NAMESPACE, 'intraday']);
  await q(
    `INSERT INTO job_runs (job, slot, instance, started_at) VALUES ('intraday', now() - interval '2 minutes', 'alive-1', now() - interval '2 minutes')`,
  );
  // old history, and recent history
  await q(`INSERT INTO job_runs (job, slot, instance, started_at, ended_at, status) VALUES ('daily', now() - interval '40 days', 'old', now() - interval '40 days', now() - interval '40 days', 'ok'),
           ('daily', now() - interval '5 days', 'recent', now() - interval '5 days', now() - interval '5 days', 'ok')`);
  await q(`INSERT INTO ingest_runs (job, symbol, interval, started_at, ended_at, status) VALUES ('daily', 'NVDA', '1d', now() - interval '40 days', now() - interval '40 days', 'ok'),
           ('daily', 'NVDA', '1d', now() - interval '5 days', now() - interval '5 days', 'ok')`);
  // an ingest run a killed process left 'running' two hours ago, and one started five minutes ago
  await q(`INSERT INTO ingest_runs (job, symbol, interval, started_at) VALUES ('add', 'ZDEAD', '1d', now() - interval '2 hours'),
           ('backfill', 'ZLIVE', '1d', now() - interval '5 minutes')`);
  const ingestBefore = Number((await q(`SELECT count(*) AS n FROM ingest_runs WHERE started_at > now() - interval '30 days'`)).rows[0].n);

  app = await startTestApp(db, { RUNS_RETENTION_DAYS: '30' }, [runHousekeepingService()]);
  await waitUntil(
    async () => (await q(`SELECT status FROM job_runs WHERE instance = 'dead-1'`)).rows[0].status === 'abandoned',
    'the dead run marked abandoned',
  );
  expect((await q(`SELECT ended_at FROM job_runs WHERE instance = 'dead-1'`)).rows[0].ended_at).not.toBeNull();
  expect((await q(`SELECT status FROM job_runs WHERE instance = 'alive-1'`)).rows[0].status).toBe('running');
  await waitUntil(
    async () => Number((await q(`SELECT count(*) AS n FROM job_runs WHERE instance = 'old'`)).rows[0].n) === 0,
    'old job runs pruned',
  );
  expect(Number((await q(`SELECT count(*) AS n FROM job_runs WHERE instance = 'recent'`)).rows[0].n)).toBe(1);
  expect(Number((await q(`SELECT count(*) AS n FROM ingest_runs WHERE started_at < now() - interval '30 days'`)).rows[0].n)).toBe(0);
  expect(Number((await q(`SELECT count(*) AS n FROM ingest_runs`)).rows[0].n)).toBe(ingestBefore);
  const dead = (await q(`SELECT status, ended_at, error FROM ingest_runs WHERE symbol = 'ZDEAD'`)).rows[0];
  expect(dead).toMatchObject({ status: 'error', error: 'abandoned: the process running it ended before it finished' });
  expect(dead.ended_at).not.toBeNull();
  expect((await q(`SELECT status FROM ingest_runs WHERE symbol = 'ZLIVE'`)).rows[0].status).toBe('running');
});
