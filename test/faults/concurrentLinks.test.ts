// Issue 12, item 9: concurrent link/unlink decisions. A transaction uses only its own client, so 30 concurrent
// link and unlink requests (three times the pool) all get an answer, none a 500, and public reads stay quick.
import request from 'supertest';
import { useTestApp } from '../support/testApp';

const ADMIN_TOKEN = 'concurrent-links-admin-token-0123456789';
const t = useTestApp({ ADMIN_TOKEN });

it('30 concurrent link/unlink requests give no 500 and do not stall public reads', async () => {
  const moves = (await request(t.app.url).get('/api/moves?symbols=NVDA&limit=10')).body.moves as Array<{ id: number }>;
  expect(moves.length).toBeGreaterThan(2);
  const slug = 'deepseek-r1-release';
  const started = Date.now();
  const decisions = Array.from({ length: 30 }, (_, i) => {
    const move = moves[i % moves.length];
    const req =
      i % 2 === 0
        ? request(t.app.url).post(`/api/moves/${move.id}/links`).send({ eventSlug: slug })
        : request(t.app.url).delete(`/api/moves/${move.id}/links/${slug}`);
    return req.set('authorization', `Bearer ${ADMIN_TOKEN}`).then((r) => r.status);
  });
  const readStart = Date.now();
  const read = await request(t.app.url).get('/api/instruments');
  const readMs = Date.now() - readStart;
  const statuses = await Promise.all(decisions);
  const elapsed = Date.now() - started;
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
  expect(read.status).toBe(200);
  expect(readMs).toBeLessThan(5000);
  expect(elapsed).toBeLessThan(9000);
});
