// Issue 12, item 1: no secret in a log. The admin token (Authorization header) and the signed tokens of the
// confirm and unsubscribe links (query string) never reach the request log, at any level.
// Issue 20, item 5: nor do they when the query key is percent-encoded (Express decodes it and accepts the link), or
// when a manage or unsubscribe link arrives in the Referer or any other header.
import { Writable } from 'node:stream';
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import { createLogger } from '../../src/logging/logger';
import { createLinkSigner } from '../../src/notifications/linkTokens';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

const ADMIN_TOKEN = 'log-redaction-admin-token-0123456789';
const LINK_TOKEN = 'c.1.abc.SECRETSECRETSECRETSECRETSECRETSECRETSECRET1';
const LINK_SECRET = 'log-redaction-link-secret-0123456789';
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
  app = await startTestApp(db, { ADMIN_TOKEN, LINK_SECRET }, [], { logger: createLogger('trace', sink) });
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

it('redacts a link token behind a percent-encoded query key, in the Referer and in any header carrying a URL', async () => {
  const signer = createLinkSigner(LINK_SECRET, 'test');
  // signed for subscriptions that do not exist: a valid link gets a 404, a missing token a 400
  const tokens = [1, 2, 3, 4, 5, 6, 7].map((id) => signer.sign(id === 3 ? 'unsubscribe' : 'manage', 900_000 + id));
  const [encodedKey, referer, unsubReferer, nested, doubleEncoded, otherHeader, encodedPath] = tokens;
  const before = captured.length;

  // Express decodes the key, so the link is accepted: the token reached the route
  const accepted = await request(app.url).get(`/api/subscriptions/manage?tok%65n=${encodedKey}`);
  expect(accepted.status).toBe(404);
  await request(app.url).get('/api/instruments').set('Referer', `http://localhost:3000/subscriptions/manage?token=${referer}`);
  await request(app.url)
    .get('/api/instruments')
    .set('Referer', `http://localhost:3000/api/subscriptions/unsubscribe?x=1&%74oken=${unsubReferer}`);
  await request(app.url)
    .get('/api/instruments')
    .set('Referer', `http://localhost:3000/login?next=${encodeURIComponent(`/subscriptions/manage?token=${nested}`)}`);
  await request(app.url).get(`/api/subscriptions/manage?tok%2565n=${doubleEncoded}`);
  await request(app.url).get('/api/instruments').set('X-Original-URL', `/subscriptions/manage?TOKEN=${otherHeader}`);
  await request(app.url).get(`/api/subscriptions/${encodeURIComponent(encodedPath).replace(/\./g, '%2E')}`);
  await new Promise((r) => setTimeout(r, 200));

  const logged = captured.slice(before);
  expect(logged).toContain('tok%65n=[Redacted]');
  expect(logged).toContain('"referer":"http://localhost:3000/subscriptions/manage?token=[Redacted]"');
  expect(logged).toContain('x-original-url');
  for (const token of tokens) {
    expect(logged).not.toContain(token.slice(-43)); // the signature, whatever surrounds it
    expect(logged).not.toContain(encodeURIComponent(token.slice(-43)));
  }
});
