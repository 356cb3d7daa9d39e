// The events write API over HTTP: create, edit, delete, attach and detach news; the admin token; hostile input.
import request from 'supertest';
import { startTestApp, useTestApp } from '../support/testApp';

const TOKEN = 'events-test-admin-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };

const t = useTestApp({ ADMIN_TOKEN: TOKEN });

const post = (body: unknown) =>
  request(t.app.url)
    .post('/api/events')
    .set(auth)
    .send(body as object);
/** "who moved first" of an event for NVDA and SoftBank: "MARKET day0" in the order the sessions closed */
const dayZeroSessions = async (slug: string) =>
  (await request(t.app.url).get(`/api/events/${slug}/impact?symbols=NVDA,9984.T`)).body.sessions.map(
    (s: { market: string; day0: string }) => `${s.market} ${s.day0}`,
  );
const eventCount = async () => (await t.db.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n as number;

describe('the admin token', () => {
  it.each([
    ['POST /api/events', () => request(t.app.url).post('/api/events').send({ title: 'x', date: '2025-01-01' })],
    ['PATCH /api/events/:slug', () => request(t.app.url).patch('/api/events/deepseek-r1-release').send({ title: 'x' })],
    ['DELETE /api/events/:slug', () => request(t.app.url).delete('/api/events/deepseek-r1-release')],
    [
      'POST /api/events/:slug/news',
      () =>
        request(t.app.url).post('/api/events/deepseek-r1-release/news').send({ url: 'https://a.example/', title: 'x', date: '2025-01-01' }),
    ],
    ['DELETE /api/events/:slug/news', () => request(t.app.url).delete('/api/events/deepseek-r1-release/news?url=https://a.example/')],
  ])('%s without a token is a 401 and changes nothing', async (_name, send) => {
    const before = await eventCount();
    const res = await send();
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body.error.code).toBe('unauthorized');
    expect(await eventCount()).toBe(before);
    expect((await request(t.app.url).get('/api/events/deepseek-r1-release')).body.event.title).toBe(
      'DeepSeek-R1 released with open weights',
    );
  });

  it('a wrong token is a 401', async () => {
    const res = await request(t.app.url)
      .post('/api/events')
      .set({ Authorization: 'Bearer wrong-token-wrong-token' })
      .send({ title: 'x', date: '2025-01-01' });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('Invalid admin token');
  });

  it('without ADMIN_TOKEN on the server, writes are disabled: 403', async () => {
    const readOnly = await startTestApp(t.db);
    try {
      const res = await request(readOnly.url).post('/api/events').set(auth).send({ title: 'x', date: '2025-01-01' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('writes_disabled');
      expect((await request(readOnly.url).get('/api/events')).status).toBe(200); // reads stay open
    } finally {
      await readOnly.stop();
    }
  });
});

describe('POST /api/events', () => {
  it('creates an event from an instant with offset, derives the slug from the title, attaches the source URLs', async () => {
    const res = await post({
      title: 'Übung: DeepSeek Janus-Pro released',
      occurredAt: '2025-01-27T23:40:00+08:00',
      kind: 'model_release',
      description: 'Multimodal model.\nSecond line.',
      newsUrls: [
        'https://github.com/deepseek-ai/Janus',
        'https://www.techedt.com/deepseek-overtakes-chatgpt-as-the-no-1-app-on-the-app-store',
      ],
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/events/ubung-deepseek-janus-pro-released');
    expect(res.body.event).toMatchObject({
      slug: 'ubung-deepseek-janus-pro-released',
      title: 'Übung: DeepSeek Janus-Pro released',
      occurredAt: '2025-01-27T15:40:00.000Z',
      dateOnly: false,
      kind: 'model_release',
      description: 'Multimodal model.\nSecond line.',
    });
    const urls = res.body.event.news.map((n: { url: string; role: string }) => `${n.role} ${n.url}`);
    expect(urls.sort()).toEqual([
      'source https://github.com/deepseek-ai/Janus',
      'source https://www.techedt.com/deepseek-overtakes-chatgpt-as-the-no-1-app-on-the-app-store',
    ]);
    // the bundled news item under a known URL is attached as stored, not overwritten
    const known = res.body.event.news.find((n: { url: string }) => n.url.startsWith('https://www.techedt.com'));
    expect(known.title).not.toBe('Übung: DeepSeek Janus-Pro released');
    expect((await request(t.app.url).get('/api/events/ubung-deepseek-janus-pro-released')).body.event.slug).toBe(
      'ubung-deepseek-janus-pro-released',
    );
  });

  it('reads a local time in an IANA time zone', async () => {
    const res = await post({ slug: 'local-time-event', title: 'Local', occurredAt: '2025-01-20T20:19:44', timeZone: 'Asia/Shanghai' });
    expect(res.status).toBe(201);
    expect(res.body.event).toMatchObject({ occurredAt: '2025-01-20T12:19:44.000Z', kind: 'news', dateOnly: false, description: null });
  });

  it('takes a date-only event', async () => {
    const res = await post({ slug: 'date-only-event', title: 'Date only', date: '2025-01-26', dateOnly: true, kind: 'app_ranking' });
    expect(res.status).toBe(201);
    expect(res.body.event).toMatchObject({ occurredAt: null, date: '2025-01-26', dateOnly: true });
  });

  it("takes a part of a day in a zone: its earliest instant on that market's hours, and links moves from its day 0", async () => {
    const res = await post({
      slug: 'nyc-evening',
      title: 'Evening',
      date: '2025-01-27',
      partOfDay: 'after_close',
      timeZone: 'America/New_York',
    });
    expect(res.status).toBe(201);
    expect(res.body.event).toMatchObject({ occurredAt: '2025-01-27T21:00:00.000Z', precision: 'after_close', occurredUntil: null });
    expect(await dayZeroSessions('nyc-evening')).toEqual(['TSE 2025-01-28', 'US 2025-01-28']);
    const tokyoMorning = await post({
      slug: 'tokyo-morning',
      title: 'Morning',
      date: '2025-01-28',
      partOfDay: 'before_open',
      timeZone: 'Asia/Tokyo',
    });
    expect(tokyoMorning.body.event).toMatchObject({ occurredAt: '2025-01-27T15:00:00.000Z', precision: 'before_open' });
  });

  it('takes an interval in a zone; day 0 counts from its start', async () => {
    const res = await post({
      slug: 'nyc-interval',
      title: 'Across the close',
      occurredAt: '2025-01-27T15:30',
      occurredUntil: '2025-01-27T17:00',
      timeZone: 'America/New_York',
    });
    expect(res.status).toBe(201);
    expect(res.body.event).toMatchObject({
      occurredAt: '2025-01-27T20:30:00.000Z',
      occurredUntil: '2025-01-27T22:00:00.000Z',
      precision: 'interval',
      timeZone: 'America/New_York',
    });
    expect(await dayZeroSessions('nyc-interval')).toEqual(['US 2025-01-27', 'TSE 2025-01-28']);
  });

  it('a derived slug that is taken gets a number; a given slug that is taken is a 409', async () => {
    const a = await post({ title: 'Same title', date: '2025-02-01' });
    const b = await post({ title: 'Same title', date: '2025-02-02' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.body.event.slug, b.body.event.slug]).toEqual(['same-title', 'same-title-2']);
    const taken = await post({ slug: 'same-title', title: 'Other', date: '2025-02-03' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toContain('same-title');
  });

  it('a title without Latin letters or digits still gets a slug', async () => {
    const res = await post({ title: '深度求索', date: '2025-01-28' });
    expect(res.status).toBe(201);
    expect(res.body.event.slug).toBe('event-2025-01-28');
  });

  it.each([
    [{ date: '2025-01-01' }, 'title'],
    [{ title: '   ', date: '2025-01-01' }, 'title: must not be empty'],
    [{ title: 'x' }, 'occurredAt: is required'],
    [{ title: 'x', occurredAt: '2025-01-20 12:00' }, 'occurredAt: must be an ISO date-time'],
    [{ title: 'x', occurredAt: '2025-01-20T12:00:00' }, 'occurredAt: has no offset'],
    [{ title: 'x', occurredAt: '2025-02-30T12:00:00Z' }, 'occurredAt: is not a real date and time'],
    [{ title: 'x', occurredAt: '2025-01-20T12:00:00', timeZone: 'Mars/Olympus' }, 'timeZone: must be an IANA time zone'],
    [{ title: 'x', occurredAt: '2025-03-09T02:30:00', timeZone: 'America/New_York' }, 'does not exist in America/New_York'],
    [{ title: 'x', occurredAt: '2025-01-20T12:00:00Z', date: '2025-01-20' }, 'occurredAt: give either occurredAt or date'],
    [{ title: 'x', date: '2025-01-20', dateOnly: false }, 'dateOnly: must be true'],
    [{ title: 'x', occurredAt: '2025-01-20T12:00:00Z', dateOnly: true }, 'dateOnly: must be false'],
    [{ title: 'x', date: '2025-13-01' }, 'date'],
    [{ title: 'x', date: '2025-01-27', partOfDay: 'after_close' }, 'timeZone: is required with partOfDay'],
    [{ title: 'x', date: '2025-01-27', partOfDay: 'evening', timeZone: 'America/New_York' }, 'partOfDay'],
    [{ title: 'x', date: '2025-01-27', partOfDay: 'after_close', timeZone: 'Pacific/Honolulu' }, 'timeZone: has no market'],
    [{ title: 'x', occurredAt: '2025-01-27T12:00:00Z', partOfDay: 'after_close' }, 'partOfDay: goes with date'],
    [
      { title: 'x', occurredAt: '2025-01-27T12:00:00Z', occurredUntil: '2025-01-27T11:00:00Z', timeZone: 'UTC' },
      'occurredUntil: must come after',
    ],
    [{ title: 'x', occurredAt: '2025-01-27T12:00:00Z', occurredUntil: '2025-01-27T13:00:00Z' }, 'timeZone: is required with an interval'],
    [{ title: 'x', date: '2025-01-27', occurredUntil: '2025-01-27T13:00:00Z' }, 'occurredUntil: goes with occurredAt'],
    [{ title: 'x', date: '2025-01-01', kind: 'Model Release' }, 'kind'],
    [{ title: 'x', date: '2025-01-01', slug: 'Bad Slug' }, 'slug'],
    [{ title: 'x', date: '2025-01-01', newsUrls: ['javascript:alert(1)'] }, 'newsUrls.0: must be an http:// or https:// URL'],
    [{ title: 'x', date: '2025-01-01', newsUrls: 'https://a.example/' }, 'newsUrls'],
    [{ title: 'x', date: '2025-01-01', colour: 'red' }, 'colour'],
    [{ title: 'a\u0000b', date: '2025-01-01' }, 'title: must not contain control characters'],
    [{ title: 'x'.repeat(301), date: '2025-01-01' }, 'title: must be at most 300 characters'],
  ])('%j is a 400 naming the problem', async (body, message) => {
    const before = await eventCount();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
    expect(await eventCount()).toBe(before);
  });

  it('a body that is not JSON is a 400', async () => {
    const res = await request(t.app.url).post('/api/events').set(auth).set('content-type', 'application/json').send('{"title": ');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('not valid JSON');
  });

  it('stores injection payloads as inert text and gives them back unchanged', async () => {
    const title = `<script>alert("x")</script>'; DROP TABLE events; --`;
    const description = `<img src=x onerror=alert(1)> {{constructor.constructor('alert(1)')()}} $(rm -rf /) \${7*7}`;
    const res = await post({ title, description, date: '2025-01-29', kind: 'test' });
    expect(res.status).toBe(201);
    expect(res.body.event.slug).toBe('script-alert-x-script-drop-table-events');
    const back = await request(t.app.url).get(`/api/events/${res.body.event.slug}`);
    expect(back.headers['content-type']).toMatch(/application\/json/);
    expect(back.body.event.title).toBe(title);
    expect(back.body.event.description).toBe(description);
    expect(await eventCount()).toBeGreaterThan(6); // the table is still there
    const list = await request(t.app.url).get('/api/events');
    expect(list.body.events.find((e: { slug: string }) => e.slug === res.body.event.slug).title).toBe(title);
  });
});

describe('PATCH /api/events/:slug', () => {
  it('changes fields, renames, and switches a timed event to date-only', async () => {
    await post({ slug: 'to-edit', title: 'Before', occurredAt: '2025-01-20T12:00:00Z' });
    const res = await request(t.app.url)
      .patch('/api/events/to-edit')
      .set(auth)
      .send({ slug: 'edited', title: 'After', date: '2025-01-21', description: 'now with text' });
    expect(res.status).toBe(200);
    expect(res.body.event).toMatchObject({
      slug: 'edited',
      title: 'After',
      dateOnly: true,
      date: '2025-01-21',
      occurredAt: null,
      description: 'now with text',
    });
    expect((await request(t.app.url).get('/api/events/to-edit')).status).toBe(404);
    const cleared = await request(t.app.url).patch('/api/events/edited').set(auth).send({ description: null });
    expect(cleared.body.event.description).toBeNull();
  });

  it('refuses a rename onto a taken slug, an empty change, and unknown events', async () => {
    await post({ slug: 'patch-a', title: 'A', date: '2025-01-01' });
    const taken = await request(t.app.url).patch('/api/events/patch-a').set(auth).send({ slug: 'deepseek-r1-release' });
    expect(taken.status).toBe(409);
    const empty = await request(t.app.url).patch('/api/events/patch-a').set(auth).send({});
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('names no field to change');
    expect((await request(t.app.url).patch('/api/events/nope-nope').set(auth).send({ title: 'x' })).status).toBe(404);
  });
});

describe('news of an event', () => {
  const url = 'https://www.reuters.com/technology/deepseek-example-2025-01-27/';

  it('attaches a new news item (201), an existing one as it is (200), and detaches it', async () => {
    await post({ slug: 'with-news', title: 'With news', date: '2025-01-27' });
    const first = await request(t.app.url)
      .post('/api/events/with-news/news')
      .set(auth)
      .send({ url, title: 'Nvidia sheds $593bn', publisher: 'Reuters', publishedAt: '2025-01-27T21:05:00Z', symbols: ['NVDA'] });
    expect(first.status).toBe(201);
    expect(first.body.event.news).toEqual([
      expect.objectContaining({
        url,
        title: 'Nvidia sheds $593bn',
        publisher: 'Reuters',
        publishedAt: '2025-01-27T21:05:00.000Z',
        role: 'coverage',
      }),
    ]);
    const again = await request(t.app.url)
      .post('/api/events/with-news/news')
      .set(auth)
      .send({ url, title: 'Other title', date: '2025-01-27', role: 'source' });
    expect(again.status).toBe(200);
    expect(again.body.event.news).toEqual([expect.objectContaining({ url, title: 'Nvidia sheds $593bn', role: 'source' })]);

    const detached = await request(t.app.url)
      .delete(`/api/events/with-news/news?url=${encodeURIComponent(url)}`)
      .set(auth);
    expect(detached.status).toBe(200);
    expect(detached.body.event.news).toEqual([]);
    // the news item itself stays (other events or moves may use it)
    expect((await t.db.pool.query('SELECT count(*)::int AS n FROM news_items WHERE url = $1', [url])).rows[0].n).toBe(1);
    const notAttached = await request(t.app.url)
      .delete(`/api/events/with-news/news?url=${encodeURIComponent(url)}`)
      .set(auth);
    expect(notAttached.status).toBe(404);
  });

  it.each([
    [{ url: 'ftp://a.example/x', title: 't', date: '2025-01-01' }, 'url'],
    [{ url: 'https://a.example/x', title: 't' }, 'publishedAt'],
    [{ url: 'https://a.example/x', title: 't', date: '2025-01-01', role: 'main' }, 'role'],
  ])('%j is a 400', async (body, param) => {
    const res = await request(t.app.url).post('/api/events/deepseek-r1-release/news').set(auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(param);
  });

  it('unknown events are 404s; a detach without url is a 400', async () => {
    expect(
      (await request(t.app.url).post('/api/events/nope-nope/news').set(auth).send({ url, title: 't', date: '2025-01-01' })).status,
    ).toBe(404);
    const noUrl = await request(t.app.url).delete('/api/events/deepseek-r1-release/news').set(auth);
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.error.message).toContain('url');
  });
});

describe('DELETE /api/events/:slug', () => {
  it('deletes the event and its links; its news items stay; a second delete is a 404', async () => {
    const created = await post({ slug: 'to-delete', title: 'Doomed', date: '2025-01-27', newsUrls: ['https://doomed.example/a'] });
    expect(created.status).toBe(201);
    const res = await request(t.app.url).delete('/api/events/to-delete').set(auth);
    expect(res.status).toBe(204);
    expect((await request(t.app.url).get('/api/events/to-delete')).status).toBe(404);
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM news_items WHERE url = 'https://doomed.example/a'`)).rows[0].n).toBe(1);
    expect((await request(t.app.url).delete('/api/events/to-delete').set(auth)).status).toBe(404);
  });
});
