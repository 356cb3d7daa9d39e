// Which moves an event is credited with: none before day 0 when the event's time is known (issue 21, item 1).
import request from 'supertest';
import { useTestApp } from '../support/testApp';

const t = useTestApp();

test("Trump's after-close remark of 27 Jan is not linked to NVDA's 27 Jan move, which came before it", async () => {
  const res = await request(t.app.url).get('/api/moves?symbol=NVDA&from=2025-01-27&to=2025-01-28');
  expect(res.status).toBe(200);
  const jan27 = res.body.moves.find((m: { date: string }) => m.date === '2025-01-27');
  expect(jan27).toBeDefined();
  const slugs = jan27.events.map((e: { slug: string }) => e.slug);
  expect(slugs).toContain('deepseek-app-store-no1');
  expect(slugs).not.toContain('trump-wake-up-call');
});
