// GET /api/export/events/:slug/impact.csv against GET /api/events/:slug/impact with the same parameters:
// every field of every result and day, one row per instrument and offset.
import type { RunningApp } from '../../src/app/server';
import type { ImpactDay, ImpactResponse } from '../../src/impact/impactContract';
import { saveInstrument } from '../../src/instruments/instrumentStore';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { expectedCell, expectedTextCell, getCsv } from './helpers';

let db: TestDatabase;
let app: RunningApp;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp(db);
  // an instrument without a single bar: the study says no_data and why
  await saveInstrument(db.pool, {
    symbol: 'NOBARS',
    name: 'no bars yet',
    exchange: 'US',
    currency: 'USD',
    timeZone: 'America/New_York',
    kind: 'equity',
    benchmarkSymbol: '^GSPC',
  });
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const DAY_FIELDS: (keyof ImpactDay)[] = [
  'offset',
  'date',
  'close',
  'volume',
  'abnormalVolume',
  'return',
  'benchmarkReturn',
  'abnormalReturn',
  'car',
  'rebased',
  'move',
  'marketValueChange',
  'marketValueChangeUsd',
];

/** The rows the export must hold for an impact response, written from the JSON alone. */
function expectedRows(impact: ImpactResponse): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  for (const r of impact.results) {
    const perInstrument: Record<string, string> = {
      eventSlug: impact.event.slug,
      symbol: r.symbol,
      benchmark: expectedCell(r.benchmark),
      currency: r.currency,
      day0: expectedCell(r.day0),
      status: r.status,
      statusReason: expectedTextCell(r.statusReason),
      alpha: expectedCell(r.model.alpha),
      beta: expectedCell(r.model.beta),
      sigma: expectedCell(r.model.sigma),
      r2: expectedCell(r.model.r2),
      n: expectedCell(r.model.n),
      estimationFrom: String(impact.params.estimation[0]),
      estimationTo: String(impact.params.estimation[1]),
      windowFrom: String(impact.params.window[0]),
      windowTo: String(impact.params.window[1]),
      minObs: String(impact.params.minObs),
      bhar: expectedCell(r.bhar),
      volumeBaselineMean: expectedCell(r.volumeBaseline.mean),
      volumeBaselineN: expectedCell(r.volumeBaseline.n),
      marketValueNote: expectedTextCell(r.marketValueNote),
      windowNote: expectedTextCell(r.windowNote),
    };
    impact.params.carWindows.forEach(([from, to], i) => {
      expect([r.cars[i]?.from ?? from, r.cars[i]?.to ?? to]).toEqual([from, to]);
      perInstrument[`car_${from}_${to}`] = expectedCell(r.cars[i]?.car);
      perInstrument[`t_${from}_${to}`] = expectedCell(r.cars[i]?.t);
      perInstrument[`p_${from}_${to}`] = expectedCell(r.cars[i]?.p);
    });
    if (r.days.length === 0) rows.push({ ...perInstrument, ...Object.fromEntries(DAY_FIELDS.map((f) => [f, ''])) });
    for (const d of r.days) {
      const basket = impact.basket.find((b) => b.offset === d.offset);
      rows.push({
        ...perInstrument,
        ...Object.fromEntries(DAY_FIELDS.map((f) => [f, expectedCell(d[f])])),
        basketMarketValueChangeUsd: expectedCell(basket?.marketValueChangeUsd),
        basketContributors: expectedCell(basket?.contributors),
        basketInstruments: expectedCell(basket?.instruments),
        basketMissing: basket?.missing.join(' ') ?? '',
      });
    }
  }
  return rows;
}

/** Only the columns the JSON can say something about (model is the export's own label, checked apart). */
const pick = (rows: Record<string, string>[], keys: string[]) => rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k] ?? ''])));

describe('GET /api/export/events/:slug/impact.csv', () => {
  it.each([
    ['the defaults', 'deepseek-app-store-no1', ''],
    ['custom windows, minObs and CAR windows', 'deepseek-r1-release', 'window=-5,10&estimation=-100,-6&minObs=40&cars=0,0;-2,2;0,10'],
    [
      'chosen symbols, one benchmark for all, an instrument without bars',
      'deepseek-app-store-no1',
      'symbols=NVDA,6857.T,NOBARS&benchmark=SMH&window=-2,3',
    ],
  ])('holds every field of the impact API: %s', async (_name, slug, query) => {
    const [csv, impact] = await Promise.all([
      getCsv(app.url, `/api/export/events/${slug}/impact.csv?${query}`),
      fetch(`${app.url}/api/events/${slug}/impact?${query}`).then((r) => r.json() as Promise<ImpactResponse>),
    ]);
    expect(csv.status).toBe(200);
    const expected = expectedRows(impact);
    expect(expected.length).toBeGreaterThan(impact.results.length);
    const keys = Object.keys(expected.find((r) => r.offset !== '') ?? {});
    for (const k of keys) expect(csv.header).toContain(k);
    expect(pick(csv.rows, keys)).toEqual(pick(expected, keys));
    // the model behind each status, on every row
    for (const row of csv.rows) {
      expect(row.model).toBe({ ok: 'market_model', insufficient_estimation: 'market_adjusted' }[row.status] ?? '');
    }
  });

  it('gives the DeepSeek figures as the analysis computed them, at full precision', async () => {
    const csv = await getCsv(app.url, '/api/export/events/deepseek-app-store-no1/impact.csv?symbols=NVDA,8035.T&window=0,0');
    const nvda = csv.rows.find((r) => r.symbol === 'NVDA')!;
    expect(nvda).toMatchObject({
      day0: '2025-01-27',
      offset: '0',
      date: '2025-01-27',
      close: '118.42',
      benchmark: '^GSPC',
      currency: 'USD',
      status: 'ok',
    });
    expect(nvda.move).toBe(String(118.42 / 142.62 - 1));
    expect(Number(nvda.marketValueChangeUsd) / 1e9).toBeCloseTo(-592.66, 1);
    const tel = csv.rows.find((r) => r.symbol === '8035.T')!;
    expect(tel).toMatchObject({ status: 'insufficient_estimation', model: 'market_adjusted', alpha: '0', beta: '1', r2: '' });
    expect(tel.statusReason).toContain('paired returns');
  });

  it('names the file after the event, adds a BOM on request', async () => {
    const plain = await getCsv(app.url, '/api/export/events/deepseek-r1-release/impact.csv?symbols=NVDA');
    const bom = await getCsv(app.url, '/api/export/events/deepseek-r1-release/impact.csv?symbols=NVDA&bom=1');
    expect(plain.headers.get('content-disposition')).toBe('attachment; filename="aftershock-impact-deepseek-r1-release.csv"');
    expect(plain.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect([...bom.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bom.bytes.subarray(3).equals(plain.bytes)).toBe(true);
  });

  it("answers the impact API's bad parameters the way it does, as JSON, before any CSV", async () => {
    const cases: [string, number, string][] = [
      ['window=10,-5', 400, 'window'],
      ['estimation=-5,-20', 400, 'estimation'],
      ['window=-5,10&estimation=-20,-5', 400, 'estimation'],
      ['symbols=NVDA,NOPE', 404, 'NOPE'],
      ['minObs=2', 400, 'minObs'],
      ['bom=2', 400, 'bom'],
      ['format=xlsx', 400, 'format'],
    ];
    for (const [query, status, text] of cases) {
      const res = await fetch(`${app.url}/api/export/events/deepseek-app-store-no1/impact.csv?${query}`);
      expect([query, res.status]).toEqual([query, status]);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await res.json()).error.message).toContain(text);
      if (!query.startsWith('bom') && !query.startsWith('format')) {
        const api = await fetch(`${app.url}/api/events/deepseek-app-store-no1/impact?${query}`);
        expect(api.status).toBe(status);
      }
    }
    expect((await fetch(`${app.url}/api/export/events/no-such-event/impact.csv`)).status).toBe(404);
    expect((await fetch(`${app.url}/api/export/events/Bad_Slug/impact.csv`)).status).toBe(400);
  });
});
