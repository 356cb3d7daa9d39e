// The slot grid of intraday.md (NOTATION, section 2) on the market registry's sessions: lunch breaks skipped, the
// last slot shorter, early closes with fewer slots, the event bar and offsets that run across a close.
import { gridOn, intradaySessionRange } from '../../src/analysis/intraday';
import { eventBarOf, windowSlots } from '../../src/analysis/intraday/slotGrid';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);

describe('slot grid', () => {
  test('New York, 5 minutes: 78 slots from 09:30 (14:30 UTC in winter)', () => {
    const g = gridOn('US', '2025-01-27', '5m');
    expect(g?.slots).toBe(78);
    expect(iso(g?.slotStart[0] ?? 0)).toBe('2025-01-27T14:30:00.000Z');
    expect(iso(g?.slotStart[77] ?? 0)).toBe('2025-01-27T20:55:00.000Z');
    expect(iso(g?.slotEnd[77] ?? 0)).toBe('2025-01-27T21:00:00.000Z');
  });

  test('New York, 60 minutes: 7 slots, the last one 30 minutes', () => {
    const g = gridOn('US', '2025-01-27', '60m');
    expect(g?.slots).toBe(7);
    expect(iso(g?.slotStart[6] ?? 0)).toBe('2025-01-27T20:30:00.000Z');
    expect(iso(g?.slotEnd[6] ?? 0)).toBe('2025-01-27T21:00:00.000Z');
  });

  test('Tokyo, 5 minutes: the lunch break 11:30-12:30 is skipped, 66 slots (09:00-15:30 since Nov 2024)', () => {
    const g = gridOn('TSE', '2025-01-27', '5m');
    expect(g?.slots).toBe(66);
    expect(iso(g?.slotStart[29] ?? 0)).toBe('2025-01-27T02:25:00.000Z'); // 11:25 JST, the last morning slot
    expect(iso(g?.slotStart[30] ?? 0)).toBe('2025-01-27T03:30:00.000Z'); // 12:30 JST, the first afternoon slot
    expect(iso(g?.slotStart[65] ?? 0)).toBe('2025-01-27T06:25:00.000Z');
    expect(g?.byMs.has(at('2025-01-27T03:00:00Z'))).toBe(false); // 12:00 JST: in the break, off the grid
  });

  test('Tokyo, 60 minutes: S = ceil(330 / 60) = 6 slots of trading time, one of them spanning the break', () => {
    const g = gridOn('TSE', '2025-01-27', '60m');
    expect(g?.slots).toBe(6);
    expect(g?.slotStart.map(iso)).toEqual([
      '2025-01-27T00:00:00.000Z',
      '2025-01-27T01:00:00.000Z',
      '2025-01-27T02:00:00.000Z', // 11:00-11:30 and 12:30-13:00 JST
      '2025-01-27T04:00:00.000Z',
      '2025-01-27T05:00:00.000Z',
      '2025-01-27T06:00:00.000Z', // 15:00-15:30 JST, 30 minutes
    ]);
    expect(iso(g?.slotEnd[2] ?? 0)).toBe('2025-01-27T04:00:00.000Z');
  });

  test('Hong Kong: lunch 12:00-13:00 skipped, 66 slots of 5 minutes', () => {
    const g = gridOn('HKEX', '2025-01-27', '5m');
    expect(g?.slots).toBe(66);
    expect(iso(g?.slotStart[30] ?? 0)).toBe('2025-01-27T05:00:00.000Z'); // 13:00 HKT
  });

  test('early closes: the day after Thanksgiving and 24 December close at 13:00, 42 slots', () => {
    for (const date of ['2025-11-28', '2025-12-24']) {
      const g = gridOn('US', date, '5m');
      expect(g?.slots).toBe(42);
      expect(iso(g?.slotEnd[41] ?? 0)).toBe(`${date}T18:00:00.000Z`);
    }
    expect(gridOn('US', '2025-11-28', '60m')?.slots).toBe(4);
  });

  test('no grid on a holiday or a weekend', () => {
    expect(gridOn('US', '2025-12-25', '5m')).toBeNull();
    expect(gridOn('US', '2025-01-25', '5m')).toBeNull();
  });
});

describe('event bar (section 2)', () => {
  test('during a session: the slot whose interval contains the instant', () => {
    const e = eventBarOf('US', at('2025-01-27T15:02:00Z'), '5m');
    expect([e.grid.date, e.slot]).toEqual(['2025-01-27', 6]);
    const exact = eventBarOf('US', at('2025-01-27T15:00:00Z'), '5m');
    expect(exact.slot).toBe(6);
  });

  test('before the open: slot 0 of that session; on a weekend: slot 0 of the next', () => {
    expect(eventBarOf('TSE', at('2025-01-26T22:00:00Z'), '5m')).toMatchObject({ grid: { date: '2025-01-27' }, slot: 0 });
    expect(eventBarOf('US', at('2025-01-25T12:00:00Z'), '5m')).toMatchObject({ grid: { date: '2025-01-27' }, slot: 0 });
  });

  test('after the close (or at it): slot 0 of the next session', () => {
    expect(eventBarOf('TSE', at('2025-01-27T07:00:00Z'), '5m')).toMatchObject({ grid: { date: '2025-01-28' }, slot: 0 });
    expect(eventBarOf('US', at('2025-01-27T21:00:00Z'), '5m')).toMatchObject({ grid: { date: '2025-01-28' }, slot: 0 });
  });

  test('in the lunch break: the first afternoon slot of the same session', () => {
    expect(eventBarOf('TSE', at('2025-01-27T03:00:00Z'), '5m')).toMatchObject({ grid: { date: '2025-01-27' }, slot: 30 });
  });

  test('offsets continue into the next session after a close (an early close first), and back across one', () => {
    const e = eventBarOf('US', at('2025-11-28T17:40:00Z'), '5m'); // 12:40 New York, slot 38 of 42
    expect(e.slot).toBe(38);
    const w = windowSlots(e, [-2, 5], '5m').map((r) => `${r.grid.date}#${r.slot}`);
    expect(w).toEqual([
      '2025-11-28#36',
      '2025-11-28#37',
      '2025-11-28#38',
      '2025-11-28#39',
      '2025-11-28#40',
      '2025-11-28#41',
      '2025-12-01#0',
      '2025-12-01#1',
    ]);
    const monday = eventBarOf('US', at('2025-12-01T12:00:00Z'), '5m');
    expect(windowSlots(monday, [-2, 0], '5m').map((r) => `${r.grid.date}#${r.slot}`)).toEqual([
      '2025-11-28#40',
      '2025-11-28#41',
      '2025-12-01#0',
    ]);
  });

  test('the sessions a study reads: estimationDays + spare before the first session the window touches, to its last', () => {
    const range = intradaySessionRange('US', at('2025-12-01T12:00:00Z'), { interval: '5m', window: [-12, 78], estimationDays: 20 }, 0);
    // the window starts on Friday 28 November (left out); 20 sessions before it, Thanksgiving skipped
    expect(range).toEqual({ from: '2025-10-30', to: '2025-12-02' });
  });
});
