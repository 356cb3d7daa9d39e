// Issue 12, item 10: events created at the same time with one title get base, base-2, base-3... as one at a
// time would, never a 409.
import request from 'supertest';
import { useTestApp } from '../support/testApp';

const ADMIN_TOKEN = 'concurrent-events-admin-token-0123456789';
const t = useTestApp({ ADMIN_TOKEN });

it('12 concurrent creations with one title all succeed with -2, -3... suffixes', async () => {
  const results = await Promise.all(
    Array.from({ length: 12 }, () =>
      request(t.app.url)
        .post('/api/events')
        .set('authorization', `Bearer ${ADMIN_TOKEN}`)
        .send({ title: 'Same title at once', date: '2025-01-27' }),
    ),
  );
  expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
  const slugs = results.map((r) => r.body.event.slug as string).sort();
  const expected = ['same-title-at-once', ...Array.from({ length: 11 }, (_, i) => `same-title-at-once-${i + 2}`)].sort();
  expect(slugs).toEqual(expected);
});
