// Subscriptions over real HTTP and real SMTP: double opt-in, signed links, unsubscribe (link and RFC 8058
// one-click POST), admin listing and deleting, bad input, the rate limit.
import request from 'supertest';
import { nextTradingDays } from '../../src/markets';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import {
  ADMIN_TOKEN,
  BASE_URL,
  createSmtp,
  lastClose,
  linkIn,
  startAlertApp,
  storeBar,
  subscribeAndConfirm,
  subscriptionIdOf,
  type AlertApp,
  type TestSmtp,
  MOVES_KIND,
} from './alertTestSupport';

let db: TestDatabase;
let smtp: TestSmtp;
let app: AlertApp;

// every store of a new NVDA bar is the next US session after the bundled data
const sessions = nextTradingDays('US', '2025-03-31', 40);
const nextSession = () => sessions.shift()!;
async function moveNvda(pct: number): Promise<string> {
  const date = nextSession();
  const { close } = await lastClose(db, 'NVDA');
  await storeBar(db, 'NVDA', date, close * (1 + pct / 100));
  return date;
}
const alertsOf = async (subscriptionId: number) =>
  (await db.pool.query('SELECT symbol, session_date, rule FROM alerts WHERE subscription_id = $1 ORDER BY id', [subscriptionId])).rows;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = createSmtp();
  await smtp.listen();
  app = await startAlertApp(db, { SMTP_URL: smtp.url });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.close();
  await db?.drop();
});

describe('double opt-in', () => {
  it('sends only a confirmation (with unsubscribe headers) until the link is followed, then alerts', async () => {
    const email = 'optin@example.com';
    const res = await request(app.url)
      .post('/api/subscriptions')
      .send({ email, symbols: ['NVDA'], minMovePct: 5 });
    expect(res.status).toBe(202);
    expect(res.body.subscription).toEqual({
      symbols: ['NVDA'],
      group: null,
      minMovePct: 5,
      minAbnormalZ: null,
      mode: 'instant',
      ...MOVES_KIND,
    });
    const id = await subscriptionIdOf(db, email);
    await smtp.waitFor((s) => s.to(email).length === 1, 'the confirmation email');
    const [confirmation] = smtp.to(email);
    expect(confirmation.subject).toBe('Confirm your Aftershock alerts');
    expect(confirmation.text).toContain('NVDA: moves of 5% or more');
    const unsubscribeLink = linkIn(confirmation.text, 'unsubscribe');
    expect(confirmation.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(confirmation.header('List-Unsubscribe')).toBe(`<${BASE_URL}${unsubscribeLink}>`);

    // a big move while unconfirmed: no alert, no email, now or later
    await moveNvda(-12);
    await app.evaluateNow();
    expect(await alertsOf(id)).toEqual([]);
    expect(smtp.to(email)).toHaveLength(1);

    const confirmed = await request(app.url).post(linkIn(confirmation.text, 'confirm'));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.subscription).toMatchObject({ id, status: 'active' });
    // the move stored before the confirmation stays unalerted
    await app.evaluateNow();
    expect(await alertsOf(id)).toEqual([]);

    const date = await moveNvda(-10);
    await smtp.waitFor((s) => s.to(email).length === 2, 'the alert email');
    expect(smtp.to(email)[1].subject).toMatch(/^NVDA -10\.\d\d%/);
    await app.evaluateNow();
    expect(await alertsOf(id)).toEqual([{ symbol: 'NVDA', session_date: date, rule: 'close_move' }]);
    expect(smtp.to(email)).toHaveLength(2);
  });

  it('does not send a second confirmation for the same pending request at once', async () => {
    const body = { email: 'twice@example.com', symbols: 'SMH', minMovePct: 7 };
    const first = await request(app.url).post('/api/subscriptions').send(body);
    const second = await request(app.url).post('/api/subscriptions').send(body);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body).toEqual(first.body);
    const { rows: subs } = await db.pool.query('SELECT count(*)::int AS n FROM subscriptions WHERE email = $1', [body.email]);
    expect(subs[0].n).toBe(1);
    await smtp.waitFor((s) => s.to(body.email).length === 1, 'the confirmation email');
    await app.evaluateNow();
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM outbox_emails WHERE to_address = $1`, [body.email]);
    expect(rows[0].n).toBe(1);
    expect(smtp.to(body.email)).toHaveLength(1);
  });

  it('answers a confirmation page to a browser', async () => {
    const email = 'browser@example.com';
    await request(app.url).post('/api/subscriptions').send({ email, symbols: 'all' });
    await smtp.waitFor((s) => s.to(email).length === 1, 'the confirmation email');
    const res = await request(app.url)
      .post(linkIn(smtp.to(email)[0].text, 'confirm'))
      .set('Accept', 'text/html,application/xhtml+xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/html/);
    expect(res.text).toContain('Subscription confirmed');
  });

  it('refuses forged, tampered and misused tokens', async () => {
    const email = 'tokens@example.com';
    await request(app.url)
      .post('/api/subscriptions')
      .send({ email, symbols: ['NVDA'] });
    await smtp.waitFor((s) => s.to(email).length === 1, 'the confirmation email');
    const confirmLink = linkIn(smtp.to(email)[0].text, 'confirm');
    const token = new URL(confirmLink, BASE_URL).searchParams.get('token')!;
    const [purpose, id, issued, mac] = token.split('.');
    const otherId = `${purpose}.${Number(id) + 1}.${issued}.${mac}`;
    const flipped = `${purpose}.${id}.${issued}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [otherId, flipped, 'nonsense', `u.${id}.${issued}.${mac}`]) {
      const res = await request(app.url).get(`/api/subscriptions/confirm?token=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_token');
    }
    // a confirmation token is no unsubscribe token
    const misused = await request(app.url).post(`/api/subscriptions/unsubscribe?token=${encodeURIComponent(token)}`);
    expect(misused.status).toBe(400);
    const missing = await request(app.url).get('/api/subscriptions/confirm');
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('token');
  });
});

describe('unsubscribe', () => {
  it('by the link in an email stops the next alert', async () => {
    const email = 'leave-by-link@example.com';
    const id = await subscribeAndConfirm(app, smtp, { email, symbols: ['NVDA'], minMovePct: 5 });
    await moveNvda(-9);
    await smtp.waitFor((s) => s.to(email).length === 2, 'the first alert');
    const alertEmail = smtp.to(email)[1];
    expect(alertEmail.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const res = await request(app.url).post(linkIn(alertEmail.text, 'unsubscribe'));
    expect(res.status).toBe(200);
    expect(res.body.subscription.status).toBe('unsubscribed');

    await moveNvda(-11);
    await app.evaluateNow();
    expect(await alertsOf(id)).toHaveLength(1);
    expect(smtp.to(email)).toHaveLength(2);
  });

  it('by the List-Unsubscribe one-click POST stops the next alert', async () => {
    const email = 'leave-one-click@example.com';
    const id = await subscribeAndConfirm(app, smtp, { email, symbols: ['NVDA'], minMovePct: 5 });
    await moveNvda(8);
    await smtp.waitFor((s) => s.to(email).length === 2, 'the first alert');
    const header = smtp.to(email)[1].header('List-Unsubscribe')!;
    expect(header).toMatch(/^<.+>$/);
    const url = new URL(header.slice(1, -1));
    expect(url.origin).toBe(BASE_URL);
    // what a mail client sends (RFC 8058)
    const res = await request(app.url).post(`${url.pathname}${url.search}`).type('form').send('List-Unsubscribe=One-Click');
    expect(res.status).toBe(200);

    await moveNvda(-12);
    await app.evaluateNow();
    expect(await alertsOf(id)).toHaveLength(1);
    expect(smtp.to(email)).toHaveLength(2);
    // a second click is harmless
    expect((await request(app.url).post(`${url.pathname}${url.search}`)).status).toBe(200);
  });
});

describe('admin', () => {
  it('lists subscriptions with addresses and deletes them only with the token', async () => {
    const email = 'admin-listed@example.com';
    const id = await subscribeAndConfirm(app, smtp, { email, symbols: ['SMH'], minMovePct: 6, mode: 'digest' });
    expect((await request(app.url).get('/api/subscriptions')).status).toBe(401);
    expect((await request(app.url).get('/api/subscriptions').set('Authorization', 'Bearer wrong-token-wrong-token')).status).toBe(401);
    const list = await request(app.url).get('/api/subscriptions').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(list.status).toBe(200);
    expect(list.body.subscriptions.find((s: { id: number }) => s.id === id)).toMatchObject({
      email,
      symbols: ['SMH'],
      minMovePct: 6,
      mode: 'digest',
      status: 'active',
    });

    expect((await request(app.url).delete(`/api/subscriptions/${id}`)).status).toBe(401);
    expect((await request(app.url).delete(`/api/subscriptions/${id}`).set('Authorization', `Bearer ${ADMIN_TOKEN}`)).status).toBe(204);
    const again = await request(app.url).delete(`/api/subscriptions/${id}`).set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(again.status).toBe(404);
    const bad = await request(app.url).delete('/api/subscriptions/abc').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('id');
  });
});

describe('bad input', () => {
  const post = (body: unknown) =>
    request(app.url)
      .post('/api/subscriptions')
      .send(body as object);

  it.each([
    [{ email: 'not-an-email' }, 'email'],
    [{ symbols: ['NVDA'] }, 'email'],
    [{ email: 'a@example.com', minMovePct: -1 }, 'minMovePct'],
    [{ email: 'a@example.com', minMovePct: 0 }, 'minMovePct'],
    [{ email: 'a@example.com', minMovePct: 'five' }, 'minMovePct'],
    [{ email: 'a@example.com', minAbnormalZ: 0 }, 'minAbnormalZ'],
    [{ email: 'a@example.com', mode: 'weekly' }, 'mode'],
    [{ email: 'a@example.com', symbols: [] }, 'symbols'],
    [{ email: 'a@example.com', symbols: ['NVDA', 'bad symbol!'] }, 'symbols'],
    [{ email: 'a@example.com', frequency: 'daily' }, 'frequency'],
  ])('%j is a 400 naming %s', async (body, param) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(param);
  });

  it('names the unknown symbols', async () => {
    const res = await post({ email: 'a@example.com', symbols: ['NVDA', 'NOPE', 'XYZ.T'] });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'unknown_symbol', message: 'symbols: unknown symbols NOPE, XYZ.T' });
    expect(res.body.error.details).toEqual([{ param: 'symbols', message: 'unknown symbols NOPE, XYZ.T' }]);
  });

  it('accepts symbols in any case and as a comma list', async () => {
    const res = await post({ email: 'case@example.com', symbols: 'nvda, 6857.t' });
    expect(res.status).toBe(202);
    expect(res.body.subscription.symbols).toEqual(['6857.T', 'NVDA']);
  });

  it('a body that is not JSON is a 400', async () => {
    const res = await request(app.url).post('/api/subscriptions').set('Content-Type', 'application/json').send('{"email":');
    expect(res.status).toBe(400);
  });
});

describe('link keys', () => {
  it('instances on one database share the generated key; LINK_SECRET replaces it', async () => {
    const email = 'keys@example.com';
    await request(app.url)
      .post('/api/subscriptions')
      .send({ email, symbols: ['NVDA'] });
    await smtp.waitFor((s) => s.to(email).length === 1, 'the confirmation email');
    const link = linkIn(smtp.to(email)[0].text, 'confirm');
    const { rows } = await db.pool.query(`SELECT name FROM app_secrets ORDER BY name`);
    expect(rows.map((r) => r.name)).toEqual(['installation_id', 'link_secret']);

    const sameDatabase = await startAlertApp(db, { SMTP_URL: smtp.url });
    const ownSecret = await startAlertApp(db, { SMTP_URL: smtp.url, LINK_SECRET: 'a-configured-link-secret' });
    try {
      expect((await request(ownSecret.url).get(link)).status).toBe(400);
      expect((await request(sameDatabase.url).get(link)).status).toBe(200);
    } finally {
      await sameDatabase.stop();
      await ownSecret.stop();
    }
  });
});

describe('rate limit', () => {
  let limited: AlertApp;
  beforeAll(async () => {
    limited = await startAlertApp(db, { SMTP_URL: smtp.url, SUBSCRIBE_RATE_LIMIT: '2' });
  });
  afterAll(async () => limited?.stop());

  it('answers 429 with Retry-After once a client has used its requests', async () => {
    const statuses: number[] = [];
    let last: request.Response | null = null;
    for (let i = 0; i < 3; i++) {
      last = await request(limited.url)
        .post('/api/subscriptions')
        .send({ email: `burst${i}@example.com`, symbols: ['NVDA'] });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.body.error).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: Number(last!.headers['retry-after']) } });
    // other routes are not limited
    expect((await request(limited.url).get('/api/alerts')).status).toBe(200);
  });
});
