// The intraday job keeps every session's bars (issue 22): Yahoo serves 5-minute bars for 60 days only, so a later
// session's fetch must add to what is stored, never replace or delete it. The test Yahoo server serves the
// synthetic universe's Tokyo bars (lunch break skipped) at a clock set inside two sessions.
import { syntheticIntradayUniverse } from '../../src/bundled/syntheticIntraday';
import { saveInstrument } from '../../src/instruments/instrumentStore';
import { localDate } from '../../src/markets';
import { jobWork, type JobDeps } from '../../src/scheduler/jobs';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { FakeYahoo } from '../support/fakeYahoo';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { FAKE_TOKYO_META, testIngest } from './helpers';

quietLibraryUrlLogging();

const universe = syntheticIntradayUniverse({ sessionsBefore: 3, sessionsAfter: 2 });
const SYMBOL = 'SYN-JP1';
let db: TestDatabase;
let fake: FakeYahoo;
let clock: Date;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query('UPDATE instruments SET tracked = false');
  fake = await FakeYahoo.start({ now: () => clock });
  fake.addSymbol(SYMBOL, universe.daily[SYMBOL], FAKE_TOKYO_META);
  fake.addIntradayBars(SYMBOL, '5m', universe.bars[SYMBOL]);
  await saveInstrument(db.pool, universe.instruments.find((i) => i.symbol === SYMBOL)!);
});
afterAll(async () => {
  await fake?.close();
  await db?.drop();
});

function deps(): JobDeps {
  const { deps: d } = testIngest(db.pool, fake, { now: () => clock });
  return { ...d, config: { BACKFILL_FROM: universe.daily[SYMBOL][0].date, INTRADAY_INTERVAL_MINUTES: 5 } };
}
const stored = async () =>
  (await db.pool.query(`SELECT ts FROM intraday_bars WHERE symbol = $1 AND interval = '5m' ORDER BY ts`, [SYMBOL])).rows.map((r) =>
    r.ts.toISOString(),
  );
/** the universe's bars of a Tokyo session date that have ended by `at` */
const servedBy = (date: string, at: Date) =>
  universe.bars[SYMBOL]
    .filter((b) => localDate(b.ts, 'Asia/Tokyo') === date && b.ts.getTime() + 300_000 <= at.getTime())
    .map((b) => b.ts.toISOString());

it("a later session's run adds its bars and keeps the earlier session's", async () => {
  const [first, second] = universe.daily[SYMBOL].slice(-2).map((d) => d.date);
  clock = new Date(`${first}T06:35:00Z`); // 15:35 JST: the whole first session has ended
  expect((await jobWork('intraday:TSE', deps(), new Date(`${first}T06:30:00Z`))).failed).toEqual([]);
  const firstBars = servedBy(first, clock);
  expect(firstBars).toHaveLength(66);
  expect(await stored()).toEqual(firstBars);

  clock = new Date(`${second}T05:00:00Z`); // 14:00 JST, after the lunch break
  expect((await jobWork('intraday:TSE', deps(), clock)).failed).toEqual([]);
  const secondBars = servedBy(second, clock);
  expect(secondBars).toHaveLength(30 + 18); // 09:00-11:25 and 12:30-13:55: nothing in the lunch break
  expect(await stored()).toEqual([...firstBars, ...secondBars]);
});
