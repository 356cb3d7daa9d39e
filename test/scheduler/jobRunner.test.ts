// One job slot runs once however many instances fire it; a job never overlaps itself (advisory lock); a run
// with failures is recorded and logged once.
import pg from 'pg';
import { JOB_LOCK_NAMESPACE } from '../../src/scheduler/jobRunStore';
import { runJobSlot, type JobOutcome } from '../../src/scheduler/jobRunner';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { captureLogger } from './helpers';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ empty: true });
});
afterAll(async () => db?.drop());

const ok: JobOutcome = { symbols: 2, ok: 2, failed: [], rowsNew: 3, rowsUpdated: 0, rowsUnchanged: 1 };
const jobRuns = async (job: string) =>
  (await db.pool.query('SELECT slot, instance, status, detail FROM job_runs WHERE job = $1 ORDER BY id', [job])).rows;

test('two instances firing the same slot: one runs it, the other finds it taken', async () => {
  const slot = new Date('2025-07-15T20:30:00Z');
  let calls = 0;
  const work = async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 50));
    return ok;
  };
  const log = captureLogger();
  const results = await Promise.all(
    ['instance-a', 'instance-b'].map((instanceId) => runJobSlot({ pool: db.pool, logger: log.logger, instanceId }, 'daily:US', slot, work)),
  );
  expect(results.map((r) => r.status).sort()).toEqual(['ok', 'taken']);
  expect(calls).toBe(1);
  const rows = await jobRuns('daily:US');
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ status: 'ok', slot });
  expect(JSON.parse(rows[0].detail)).toMatchObject({ symbols: 2, ok: 2, failed: 0, rowsNew: 3 });
});

test('a run of the next slot while the job is still running anywhere is skipped (advisory lock), and does no work', async () => {
  // another instance's long run holds the job's lock
  const other = new pg.Client({ connectionString: db.url });
  await other.connect();
  await other.query('SELECT pg_advisory_lock($1, hashtext($2))', [JOB_LOCK_NAMESPACE, 'news']);
  let calls = 0;
  const log = captureLogger();
  try {
    const r = await runJobSlot(
      { pool: db.pool, logger: log.logger, instanceId: 'instance-b' },
      'news',
      new Date('2025-07-15T12:20:00Z'),
      async () => {
        calls++;
        return ok;
      },
    );
    expect(r.status).toBe('skipped');
    expect(calls).toBe(0);
    expect((await jobRuns('news')).map((x) => x.status)).toEqual(['skipped']);
  } finally {
    await other.end();
  }
  // the lock is free again: the next slot runs
  const next = await runJobSlot(
    { pool: db.pool, logger: log.logger, instanceId: 'instance-b' },
    'news',
    new Date('2025-07-15T18:20:00Z'),
    async () => {
      calls++;
      return ok;
    },
  );
  expect(next.status).toBe('ok');
  expect(calls).toBe(1);
});

test('a run where symbols failed is an error with one warning, however many symbols failed', async () => {
  const log = captureLogger();
  const failed = Array.from({ length: 9 }, (_, i) => ({
    symbol: `FAKE${i}`,
    error: 'Yahoo answered HTTP 503 for FAKE',
    unreachable: true,
  }));
  const r = await runJobSlot(
    { pool: db.pool, logger: log.logger, instanceId: 'a' },
    'daily:TSE',
    new Date('2025-07-15T07:00:00Z'),
    async () => ({ ...ok, symbols: 9, ok: 0, failed }),
  );
  expect(r.status).toBe('error');
  const warnings = log.warnings();
  expect(warnings).toHaveLength(1);
  expect(warnings[0].msg).toMatch(/9 of 9 symbols failed.*unreachable/);
  const [row] = await jobRuns('daily:TSE');
  expect(row.status).toBe('error');
  expect(JSON.parse(row.detail).errors).toHaveLength(9);
});

test('a job that throws is recorded as an error and releases its lock', async () => {
  const log = captureLogger();
  const r = await runJobSlot(
    { pool: db.pool, logger: log.logger, instanceId: 'a' },
    'quotes',
    new Date('2025-07-15T07:00:00Z'),
    async () => {
      throw new Error('boom');
    },
  );
  expect(r).toMatchObject({ status: 'error', error: 'boom' });
  expect((await jobRuns('quotes')).map((x) => [x.status, x.detail])).toEqual([['error', 'boom']]);
  const again = await runJobSlot(
    { pool: db.pool, logger: log.logger, instanceId: 'a' },
    'quotes',
    new Date('2025-07-16T07:00:00Z'),
    async () => ok,
  );
  expect(again.status).toBe('ok');
});
