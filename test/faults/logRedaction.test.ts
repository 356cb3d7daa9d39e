// Issue 12, item 1: no secret in a log. The admin token (Authorization header) and the signed tokens of the
// confirm and unsubscribe links (query string) never reach the request log, at any level.
import { Writable } from 'node:stream';
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import { createLogger } from '../../src/logging/logger';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

const ADMIN_TOKEN = 'log-redaction-admin-token-0123456789';
const LINK_TOKEN = 'c.1.abc.SECRETSECRETSECRETSECRETSECRETSECRETSECRET1';
const UNSUB_TOKEN = 'u.1.abc.UNSUBUNSUBUNSUBUNSUBUNSUBUNSUBUNSUBUNSUBUN2';

let db: TestDatabase;
let app: RunningApp;
let captured = '';

beforeAll(async () => {
  db = await createTestDatabase();
  const sink = new Writable({
    write(chunk, _enc, done) {
      captured += chunk.toString();
      done();
    },
  });
  app = await startTestApp(db, { ADMIN_TOKEN }, [], { logger: createLogger('trace', sink) });
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

it('logs admin requests and link clicks without the admin token or the link tokens', async () => {
  expect((await request(app.url).get('/api/subscriptions').set('Authorization', `Bearer ${ADMIN_TOKEN}`)).status).toBe(200);
  expect((await request(app.url).get('/api/subscriptions').set('Authorization', 'Bearer wrong-token-also-secret-000')).status).toBe(401);
  await request(app.url).get(`/api/subscriptions/confirm?token=${LINK_TOKEN}`);
  await request(app.url).get(`/api/subscriptions/unsubscribe?token=${encodeURIComponent(UNSUB_TOKEN)}&x=1`);
  await request(app.url).post(`/api/subscriptions/unsubscribe?token=${UNSUB_TOKEN}`).type('form').send('List-Unsubscribe=One-Click');
  await new Promise((r) => setTimeout(r, 200));
  // the requests are logged (the test would pass vacuously otherwise)
  expect(captured).toContain('/api/subscriptions/confirm');
  expect(captured).toContain('/api/subscriptions/unsubscribe');
  expect(captured).toContain('[Redacted]');
  for (const secret of [ADMIN_TOKEN, 'wrong-token-also-secret-000', LINK_TOKEN, UNSUB_TOKEN, 'SECRETSECRET', 'UNSUBUNSUB'])
    expect(captured).not.toContain(secret);
});
