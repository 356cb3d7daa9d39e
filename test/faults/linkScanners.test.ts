// Issue 12, item 5: mail scanners follow links. A GET of the confirm or unsubscribe link changes nothing and
// shows a page with one button; its POST does it. The RFC 8058 one-click POST of List-Unsubscribe stays.
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { type AlertApp, createSmtp, linkIn, startAlertApp, subscriptionIdOf, type TestSmtp } from '../alerts/alertTestSupport';

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

const statusOf = async (id: number) => {
  const { rows } = await db.pool.query('SELECT confirmed_at, unsubscribed_at FROM subscriptions WHERE id = $1', [id]);
  return rows[0].unsubscribed_at ? 'unsubscribed' : rows[0].confirmed_at ? 'active' : 'pending';
};

/** the one form of a page: its method, action and the number of buttons */
function formOf(html: string) {
  const forms = [...html.matchAll(/<form\b[^>]*method="post"[^>]*action="([^"]+)"[^>]*>/gi)];
  return { count: forms.length, action: forms[0]?.[1].replace(/&amp;/g, '&'), buttons: (html.match(/<button\b/gi) ?? []).length };
}

it('GET of the links changes nothing and shows one button; POST confirms and unsubscribes', async () => {
  const email = 'scanned@example.com';
  await request(app.url)
    .post('/api/subscriptions')
    .send({ email, symbols: ['NVDA'] });
  await smtp.waitFor((s) => s.to(email).length === 1, 'the confirmation email');
  const id = await subscriptionIdOf(db, email);
  const confirmLink = linkIn(smtp.to(email)[0].text, 'confirm');
  const unsubscribeLink = linkIn(smtp.to(email)[0].text, 'unsubscribe');

  // a scanner fetches every link, with any Accept header
  for (const accept of ['text/html', 'application/json', '*/*']) {
    const page = await request(app.url).get(confirmLink).set('Accept', accept);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/html/);
    expect(await statusOf(id)).toBe('pending');
    const form = formOf(page.text);
    expect(form).toMatchObject({ count: 1, buttons: 1 });
    expect(form.action).toBe(confirmLink);
  }
  const confirmed = await request(app.url).post(confirmLink);
  expect(confirmed.status).toBe(200);
  expect(confirmed.body.subscription.status).toBe('active');
  expect(await statusOf(id)).toBe('active');

  const page = await request(app.url).get(unsubscribeLink).set('Accept', 'text/html');
  expect(page.status).toBe(200);
  expect(formOf(page.text)).toMatchObject({ count: 1, buttons: 1, action: unsubscribeLink });
  expect(await statusOf(id)).toBe('active');
  // the page's button (a browser form POST) and the RFC 8058 one-click both unsubscribe
  const clicked = await request(app.url).post(unsubscribeLink).set('Accept', 'text/html').type('form').send('');
  expect(clicked.status).toBe(200);
  expect(clicked.text).toContain('Unsubscribed');
  expect(await statusOf(id)).toBe('unsubscribed');
  const oneClick = await request(app.url).post(unsubscribeLink).type('form').send('List-Unsubscribe=One-Click');
  expect(oneClick.status).toBe(200);
});

it('a GET with a bad token still says so', async () => {
  expect((await request(app.url).get('/api/subscriptions/confirm?token=nonsense')).status).toBe(400);
  expect((await request(app.url).get('/api/subscriptions/unsubscribe?token=nonsense')).status).toBe(400);
});
