// Issue 15, item 2: the links of the emails as pages for a person (confirm, unsubscribe, a bad or expired link
// with a form for a new confirmation email) while API clients keep JSON; the manage link's API (reading changes
// nothing, PATCH saves, POST unsubscribes); a new confirmation email on request, within the per-address limit.
import request from 'supertest';
import { createLinkSigner } from '../../src/notifications/linkTokens';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { createSmtp, linkIn, manageLinkIn, startAlertApp, subscriptionIdOf, type AlertApp, type TestSmtp } from './alertTestSupport';

let db: TestDatabase;
let smtp: TestSmtp;
let app: AlertApp;

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

const HTML = 'text/html,application/xhtml+xml';
const rowOf = async (id: number) =>
  (
    await db.pool.query(
      'SELECT symbols, group_slug, min_move_pct, min_abnormal_z, mode, confirmed_at, unsubscribed_at FROM subscriptions WHERE id = $1',
      [id],
    )
  ).rows[0];

/** Subscribe and return the links of the confirmation email (paths). */
async function subscribed(email: string, body: Record<string, unknown> = { symbols: ['NVDA', '6857.T'], minMovePct: 6, minAbnormalZ: 3 }) {
  const before = smtp.to(email).length;
  expect(
    (
      await request(app.url)
        .post('/api/subscriptions')
        .send({ email, ...body })
    ).status,
  ).toBe(202);
  await smtp.waitFor((s) => s.to(email).length > before, `the confirmation email to ${email}`);
  const text = smtp.to(email)[before].text;
  return {
    id: await subscriptionIdOf(db, email),
    confirm: linkIn(text, 'confirm'),
    unsubscribe: linkIn(text, 'unsubscribe'),
    manage: manageLinkIn(text),
  };
}

describe('confirm and unsubscribe pages', () => {
  it('show the terms in the dashboard look, change nothing on GET, and say what happened after the button', async () => {
    const links = await subscribed('pages@example.com');
    const page = await request(app.url).get(links.confirm).set('Accept', HTML);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<link rel="stylesheet" href="/styles.css">');
    expect(page.text).toContain('class="site-header"');
    expect(page.text).toMatch(/<dt>Instruments<\/dt><dd>6857\.T, NVDA<\/dd>/);
    expect(page.text).toMatch(/<dt>Move<\/dt><dd>6% or more/);
    expect(page.text).toMatch(/<dt>Abnormal return<\/dt><dd>\|z\| of 3 or more/);
    expect(page.text).toMatch(/<dt>Status<\/dt><dd>waiting for confirmation/);
    expect(page.text).toContain('href="/"');
    expect(page.text).not.toMatch(/<script|style=/); // the CSP allows neither inline
    expect((await rowOf(links.id)).confirmed_at).toBeNull();

    const done = await request(app.url).post(links.confirm).set('Accept', HTML).type('form').send('');
    expect(done.status).toBe(200);
    expect(done.text).toContain('Subscription confirmed');
    expect(done.text).toContain('Your subscription is active');
    expect(done.text).toMatch(/<dt>Status<\/dt><dd>active/);
    expect(done.text).toMatch(/<a href="\/subscriptions\/manage\?token=m\.[^"]+" id="manage-link">/);
    expect((await rowOf(links.id)).confirmed_at).not.toBeNull();

    // an API client still gets JSON from the POSTs
    const json = await request(app.url).post(links.unsubscribe).set('Accept', 'application/json');
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/json/);
    expect(json.body.subscription).toMatchObject({ status: 'unsubscribed', symbols: ['6857.T', 'NVDA'], minMovePct: 6 });
    const again = await request(app.url).get(links.unsubscribe).set('Accept', HTML);
    expect(again.text).toContain('cancelled already');
    const byButton = await request(app.url).post(links.unsubscribe).set('Accept', HTML).type('form').send('');
    expect(byButton.text).toContain('Unsubscribed');
    expect(byButton.text).toMatch(/<dt>Status<\/dt><dd>unsubscribed/);
  });

  it('escape what they show', async () => {
    const links = await subscribed('escaped@example.com');
    // a group slug as stored (the API allows only lowercase slugs; the page must not count on it)
    await db.pool.query(`UPDATE subscriptions SET symbols = '{}', group_slug = $2 WHERE id = $1`, [
      links.id,
      '<img src=x onerror=alert(1)>&"',
    ]);
    const page = await request(app.url).get(links.confirm).set('Accept', HTML);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('the instruments of the group &lt;img src=x onerror=alert(1)&gt;&amp;&quot;, as its members change');
  });

  it('a confirm link of a cancelled subscription says so, as a page', async () => {
    const links = await subscribed('cancelled@example.com');
    await request(app.url).post(links.unsubscribe);
    const page = await request(app.url).get(links.confirm).set('Accept', HTML);
    expect(page.status).toBe(409);
    expect(page.headers['content-type']).toMatch(/html/);
    expect(page.text).toContain('This subscription was cancelled');
  });
});

describe('bad links', () => {
  it('a forged, tampered or expired link is a page that says so and offers a new confirmation email', async () => {
    const links = await subscribed('expired@example.com');
    const { rows } = await db.pool.query(`SELECT name, value FROM app_secrets`);
    const secret = Object.fromEntries(rows.map((r) => [r.name, r.value]));
    const signer = createLinkSigner(secret.link_secret, secret.installation_id);
    const expired = signer.sign('confirm', links.id, new Date(Date.now() - 8 * 24 * 3600 * 1000));
    const tampered = `${links.confirm.slice(0, -2)}xx`;
    for (const path of [
      `/api/subscriptions/confirm?token=${expired}`,
      tampered,
      '/api/subscriptions/unsubscribe?token=u.1.2.forged',
      '/api/subscriptions/confirm',
    ]) {
      const page = await request(app.url).get(path).set('Accept', HTML);
      expect(page.status).toBe(400);
      expect(page.headers['content-type']).toMatch(/html/);
      expect(page.text).toContain('This link does not work');
      expect(page.text).toMatch(/<form method="post" action="\/api\/subscriptions\/resend"/);
      expect(page.text).not.toMatch(/"error"|at [A-Za-z.]+ \(|node_modules/); // no JSON, no stack
      // and an API client still gets the JSON error
      const json = await request(app.url).get(path);
      expect(json.status).toBe(400);
      expect(json.body.error).toBeDefined();
    }
    // the POSTs likewise
    const post = await request(app.url).post(`/api/subscriptions/confirm?token=${expired}`).set('Accept', HTML);
    expect(post.status).toBe(400);
    expect(post.text).toContain('This link does not work');
    expect((await rowOf(links.id)).confirmed_at).toBeNull();
  });

  it('the form of that page sends a new confirmation email, once per address in 10 minutes', async () => {
    const email = 'resend@example.com';
    const links = await subscribed(email);
    const resend = () =>
      request(app.url)
        .post('/api/subscriptions/resend')
        .set('Accept', HTML)
        .type('form')
        .send(`email=${encodeURIComponent(email)}`);
    const soon = await resend();
    expect(soon.status).toBe(202);
    expect(soon.text).toContain('Check your inbox');
    await app.sender?.settled();
    expect(smtp.to(email)).toHaveLength(1); // the first confirmation is not 10 minutes old

    await db.pool.query(`UPDATE outbox_emails SET created_at = now() - interval '11 minutes' WHERE to_address = $1`, [email]);
    expect((await resend()).status).toBe(202);
    await smtp.waitFor((s) => s.to(email).length === 2, 'the new confirmation email');
    const fresh = linkIn(smtp.to(email)[1].text, 'confirm');
    expect(smtp.to(email)[1].subject).toBe('Confirm your Aftershock alerts');
    expect((await request(app.url).post(fresh)).body.subscription).toMatchObject({ id: links.id, status: 'active' });

    // the same answer for an address nobody subscribed, as JSON for an API client
    const unknown = await request(app.url).post('/api/subscriptions/resend').send({ email: 'nobody@example.com' });
    expect(unknown.status).toBe(202);
    expect(unknown.body.message).toBe(soon.text.match(/If this address[^<]+/)![0]);
    const bad = await request(app.url).post('/api/subscriptions/resend').send({ email: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('email');
  });

  it('for an active subscription it sends its manage and unsubscribe links instead, within the same limit', async () => {
    const email = 'lost-links@example.com';
    const links = await subscribed(email);
    expect((await request(app.url).post(links.confirm)).status).toBe(200);
    await db.pool.query(`UPDATE outbox_emails SET created_at = now() - interval '11 minutes' WHERE to_address = $1`, [email]);
    const resend = () => request(app.url).post('/api/subscriptions/resend').send({ email: email.toUpperCase() });
    expect((await resend()).status).toBe(202);
    await smtp.waitFor((s) => s.to(email).length === 2, 'the links email');
    const sent = smtp.to(email)[1];
    expect(sent.subject).toBe('Your Aftershock alert links');
    expect(sent.text).toContain('NVDA');
    expect(sent.text).not.toMatch(/\/api\/subscriptions\/confirm/);
    // the manage link opens the manage page of that subscription; the unsubscribe link is a valid one of it
    const manage = await request(app.url).get(`/api${manageLinkIn(sent.text)}`);
    expect(manage.status).toBe(200);
    expect(manage.body.subscription).toMatchObject({ id: links.id, status: 'active' });
    const unsubscribePage = await request(app.url).get(linkIn(sent.text, 'unsubscribe')).set('Accept', HTML);
    expect(unsubscribePage.status).toBe(200);
    expect(unsubscribePage.text).toContain('Press the button to stop the Aftershock alerts of this subscription');
    expect((await rowOf(links.id)).unsubscribed_at).toBeNull(); // a GET changes nothing
    // a second ask within 10 minutes sends nothing more
    expect((await resend()).status).toBe(202);
    await app.sender?.settled();
    expect(smtp.to(email)).toHaveLength(2);
    // and its unsubscribe link stops that subscription
    expect((await request(app.url).post(linkIn(sent.text, 'unsubscribe'))).status).toBe(200);
    expect((await rowOf(links.id)).unsubscribed_at).not.toBeNull();
  });

  it('is rate-limited together with subscribing, in words for a browser', async () => {
    const limited = await startAlertApp(db, { SMTP_URL: smtp.url, SUBSCRIBE_RATE_LIMIT: '1' });
    try {
      expect((await request(limited.url).post('/api/subscriptions').send({ email: 'rl@example.com' })).status).toBe(202);
      const page = await request(limited.url)
        .post('/api/subscriptions/resend')
        .set('Accept', HTML)
        .type('form')
        .send('email=rl%40example.com');
      expect(page.status).toBe(429);
      expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
      expect(page.text).toContain('Too many requests from this address. Try again in 10 minutes.');
    } finally {
      await limited.stop();
    }
  });
});

describe('the manage link', () => {
  it('reads without changing anything, saves new terms, and unsubscribes', async () => {
    const links = await subscribed('manager@example.com');
    const token = new URL(links.manage, 'http://x').searchParams.get('token')!;
    const url = (suffix = '') => `/api/subscriptions/manage${suffix}?token=${encodeURIComponent(token)}`;
    const before = await rowOf(links.id);
    const read = await request(app.url).get(url());
    expect(read.status).toBe(200);
    expect(read.body.subscription).toMatchObject({
      id: links.id,
      symbols: ['6857.T', 'NVDA'],
      group: null,
      minMovePct: 6,
      status: 'pending_confirmation',
    });
    expect(read.body.subscription.email).toBeUndefined();
    expect(await rowOf(links.id)).toEqual(before);

    const saved = await request(app.url).patch(url()).send({ symbols: 'all', minMovePct: 7.5, mode: 'digest' });
    expect(saved.status).toBe(200);
    expect(saved.body.subscription).toMatchObject({ symbols: 'all', group: null, minMovePct: 7.5, minAbnormalZ: null, mode: 'digest' });
    expect(await rowOf(links.id)).toMatchObject({ symbols: [], min_move_pct: 7.5, min_abnormal_z: null, mode: 'digest' });

    const admin = { Authorization: 'Bearer admin-token-for-alert-tests' };
    await request(app.url)
      .post('/api/groups')
      .set(admin)
      .send({ slug: 'chips', title: 'Chips', symbols: ['NVDA'] });
    const toGroup = await request(app.url).patch(url()).send({ group: 'chips', minMovePct: 4 });
    expect(toGroup.body.subscription).toMatchObject({ symbols: [], group: 'chips', minMovePct: 4, mode: 'instant' });
    // unknown things are 404s (not_found, unknown_symbol), malformed ones 400s: one code per kind of mistake
    for (const [body, param, status] of [
      [{ group: 'nope' }, 'group', 404],
      [{ symbols: ['NOPE'] }, 'symbols', 404],
      [{ minMovePct: 0 }, 'minMovePct', 400],
      [{ mode: 'weekly' }, 'mode', 400],
      [{ email: 'other@example.com' }, 'email', 400],
    ] as const) {
      const res = await request(app.url).patch(url()).send(body);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(param);
    }
    expect(await rowOf(links.id)).toMatchObject({ group_slug: 'chips', min_move_pct: 4 });

    // a manage token is no confirm or unsubscribe token, and a forged one is refused
    expect((await request(app.url).post(`/api/subscriptions/confirm?token=${token}`)).status).toBe(400);
    const forged = await request(app.url).get(`/api/subscriptions/manage?token=${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`);
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('invalid_token');

    const left = await request(app.url).post(url('/unsubscribe'));
    expect(left.status).toBe(200);
    expect(left.body.subscription.status).toBe('unsubscribed');
    expect((await rowOf(links.id)).unsubscribed_at).not.toBeNull();
    expect((await request(app.url).patch(url()).send({ minMovePct: 9 })).status).toBe(409);
  });

  it('opens the dashboard page (whose GET changes nothing)', async () => {
    const links = await subscribed('manage-page@example.com');
    const page = await request(app.url).get(links.manage);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script type="module" src="/assets/page-manage.js">');
    expect((await rowOf(links.id)).confirmed_at).toBeNull();
  });
});

describe('page errors', () => {
  it('a form body the parser refuses is a 4xx page, not a 500', async () => {
    const big = `email=${'a'.repeat(20_000)}%40example.com`;
    const res = await request(app.url).post('/api/subscriptions/resend').set('Accept', HTML).type('form').send(big);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/html/);
    expect(res.text).toContain('That did not work');
  });
});
