// Issue 12, item 7: an event before an instrument's first stored bar has no known day 0 (the sessions between
// the event and the first bar are not in the data): the impact says no_data with the reason, and no move is
// linked to it automatically.
import request from 'supertest';
import { useTestApp } from '../support/testApp';

const ADMIN_TOKEN = 'day-zero-admin-token-0123456789';
const t = useTestApp({ ADMIN_TOKEN });

const create = async (body: Record<string, unknown>) => {
  const res = await request(t.app.url).post('/api/events').set('authorization', `Bearer ${ADMIN_TOKEN}`).send(body);
  expect(res.status).toBe(201);
  return res.body.event.slug as string;
};
const autoLinks = async (slug: string) =>
  Number(
    (
      await t.db.pool.query(
        `SELECT count(*) AS n FROM move_event_links l JOIN events e ON e.id = l.event_id WHERE e.slug = $1 AND l.origin = 'auto'`,
        [slug],
      )
    ).rows[0].n,
  );

it.each([
  ['date-only, days before the first bar', { title: 'Before the history, date only', date: '2024-09-20' }],
  ['timed, the evening before the first bar', { title: 'Before the history, timed', occurredAt: '2024-09-30T22:00:00Z' }],
])('%s: no_data with the reason, nothing linked', async (_label, body) => {
  const slug = await create(body);
  const impact = await request(t.app.url).get(`/api/events/${slug}/impact?symbols=NVDA`);
  expect(impact.status).toBe(200);
  const [nvda] = impact.body.results;
  expect(nvda.status).toBe('no_data');
  expect(nvda.day0).toBeNull();
  expect(nvda.statusReason).toMatch(/before .*first bar|first bar .*2024-10-01/);
  expect(await autoLinks(slug)).toBe(0);
});

it('an event on the first bar date still has that session as day 0', async () => {
  const slug = await create({ title: 'On the first bar date', date: '2024-10-01' });
  const [nvda] = (await request(t.app.url).get(`/api/events/${slug}/impact?symbols=NVDA`)).body.results;
  expect(nvda.day0).toBe('2024-10-01');
});
