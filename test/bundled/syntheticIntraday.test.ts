// The synthetic intraday universe: deterministic, on the real session grids (Tokyo's lunch skipped), labelled
// synthetic, with its shock where it says.
import { SYNTHETIC_PREFIX, sessionSlots, syntheticIntradayUniverse, syntheticUniverseFiles } from '../../src/bundled/syntheticIntraday';
import { isInSession, localDate, sessionOn } from '../../src/markets';

describe('syntheticIntradayUniverse', () => {
  const universe = syntheticIntradayUniverse();

  it('is deterministic for a seed and differs for another', () => {
    const again = syntheticIntradayUniverse();
    expect(JSON.stringify(again)).toBe(JSON.stringify(universe));
    const other = syntheticIntradayUniverse({ seed: 23 });
    expect(other.bars['SYN-US1'][10].close).not.toBe(universe.bars['SYN-US1'][10].close);
  });

  it('labels every instrument, the group and the event synthetic', () => {
    for (const i of universe.instruments) {
      expect(i.symbol.replace(/^\^/, '').startsWith(SYNTHETIC_PREFIX)).toBe(true);
      expect(i.name.toLowerCase()).toContain('synthetic');
    }
    expect(universe.group.title.toLowerCase()).toContain('synthetic');
    expect(universe.event.title.toLowerCase()).toContain('synthetic');
    expect(universe.group.symbols).toEqual(['SYN-US1', 'SYN-US2', 'SYN-US3', 'SYN-JP1', 'SYN-JP2']);
  });

  it('puts every bar inside a session of its market, on the 5-minute grid, ascending, prices positive', () => {
    for (const i of universe.instruments) {
      const bars = universe.bars[i.symbol];
      expect(bars.length).toBeGreaterThan(27 * 60);
      for (const [k, b] of bars.entries()) {
        expect(isInSession(i.market, b.ts)).toBe(true);
        if (k > 0) expect(b.ts.getTime()).toBeGreaterThan(bars[k - 1].ts.getTime());
        for (const v of [b.open, b.high, b.low, b.close]) expect(v).toBeGreaterThan(0);
        expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open!, b.close));
        expect(b.low).toBeLessThanOrEqual(Math.min(b.open!, b.close));
      }
      // every session complete: the bars of a date are exactly its slot grid
      const date = localDate(bars[0].ts, i.timeZone);
      const grid = sessionSlots(sessionOn(i.market, date)).map((t) => t.toISOString());
      expect(bars.filter((b) => localDate(b.ts, i.timeZone) === date).map((b) => b.ts.toISOString())).toEqual(grid);
    }
  });

  it("skips Tokyo's lunch break and has 66 slots a Tokyo session, 78 a New York one", () => {
    const day = universe.daily['SYN-JP1'][3].date;
    const jp = universe.bars['SYN-JP1'].filter((b) => localDate(b.ts, 'Asia/Tokyo') === day);
    expect(jp).toHaveLength(66);
    expect(jp.some((b) => b.ts.toISOString() === `${day}T02:30:00.000Z`)).toBe(false); // 11:30 Tokyo
    expect(jp.some((b) => b.ts.toISOString() === `${day}T03:30:00.000Z`)).toBe(true); // 12:30 Tokyo
    const usDay = universe.daily['SYN-US1'][3].date;
    expect(universe.bars['SYN-US1'].filter((b) => localDate(b.ts, 'America/New_York') === usDay)).toHaveLength(78);
  });

  it('plants the shock at the event bar of each member (New York at the event, Tokyo at its next open), not in the indices', () => {
    expect(universe.eventBars['SYN-US1']).toBe('2025-02-19T15:30:00.000Z');
    expect(universe.eventBars['SYN-JP1']).toBe('2025-02-20T00:00:00.000Z');
    expect(universe.eventBars['^SYN-US']).toBeUndefined();
    for (const symbol of universe.group.symbols) {
      const bars = universe.bars[symbol];
      const k = bars.findIndex((b) => b.ts.toISOString() === universe.eventBars[symbol]);
      const ret = Math.log(bars[k].close / bars[k - 1].close);
      expect(ret).toBeLessThan(-0.02);
    }
  });

  it('makes daily bars from the same 5-minute bars', () => {
    const days = universe.daily['SYN-US2'];
    const last = days[days.length - 1];
    const ofDay = universe.bars['SYN-US2'].filter((b) => localDate(b.ts, 'America/New_York') === last.date);
    expect(last.close).toBe(ofDay[ofDay.length - 1].close);
    expect(days.length).toBe(27);
  });

  it('writes an import folder with intraday/SYMBOL_5m.csv files', () => {
    const files = syntheticUniverseFiles(universe);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['instruments.csv', 'events.csv', 'SYN-US.csv', 'intraday/SYN-US_5m.csv', 'intraday/SYN-JP2_5m.csv']),
    );
    expect(files['intraday/SYN-US1_5m.csv'].split('\n')[0]).toBe('ts_utc,open,high,low,close,volume');
  });
});
