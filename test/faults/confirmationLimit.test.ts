// Issue 12, item 4: one confirmation email per address per 10 minutes, whatever the terms asked for: changing a
// threshold, the symbols, the mode or the case of the address does not send another.
import request from 'supertest';
import { useTestApp } from '../support/testApp';

const t = useTestApp({ SUBSCRIBE_RATE_LIMIT: '1000' });

const confirmationsTo = async (email: string) =>
  Number(
    (
      await t.db.pool.query(`SELECT count(*) AS n FROM outbox_emails WHERE kind = 'confirmation' AND lower(to_address) = lower($1)`, [
        email,
      ])
    ).rows[0].n,
  );

it('sends one confirmation to an address however the terms change within 10 minutes', async () => {
  const email = 'victim@example.com';
  const variants = [
    { email, minMovePct: 5 },
    { email, minMovePct: 5.1 },
    { email, minMovePct: 6, mode: 'digest' },
    { email, symbols: ['NVDA'] },
    { email, minAbnormalZ: 3 },
    { email: 'Victim@Example.com', minMovePct: 7 },
  ];
  for (const body of variants) expect((await request(t.app.url).post('/api/subscriptions').send(body)).status).toBe(202);
  expect(await confirmationsTo(email)).toBe(1);
  // another address is not held back by it
  expect((await request(t.app.url).post('/api/subscriptions').send({ email: 'other@example.com', minMovePct: 9 })).status).toBe(202);
  expect(await confirmationsTo('other@example.com')).toBe(1);
});

it('concurrent requests with different terms still send one', async () => {
  const email = 'burst@example.com';
  const statuses = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      request(t.app.url)
        .post('/api/subscriptions')
        .send({ email, minMovePct: 5 + i })
        .then((r) => r.status),
    ),
  );
  expect(statuses).toEqual(Array(8).fill(202));
  expect(await confirmationsTo(email)).toBe(1);
});
