// Staleness in trading sessions, worked by hand from the exchange calendars.
import { hoursSince, sessionsMissed } from '../../src/status/staleness';

describe('sessionsMissed', () => {
  test.each([
    // last final bar Fri 24 Jan 2025; New York closes 16:00 EST = 21:00 UTC
    ['US', '2025-01-24', '2025-01-27T20:59:00Z', 0], // Monday, before the close
    ['US', '2025-01-24', '2025-01-27T21:00:00Z', 1], // Monday's session has closed
    ['US', '2025-01-24', '2025-01-28T22:00:00Z', 2],
    ['US', '2025-01-24', '2025-01-25T12:00:00Z', 0], // the weekend has no sessions
    // Tokyo closes 15:30 JST = 06:30 UTC
    ['TSE', '2025-01-24', '2025-01-28T05:00:00Z', 1], // Mon 27 closed, Tue 28 still open
    ['TSE', '2025-01-10', '2025-01-14T07:00:00Z', 1], // Mon 13 Jan is a holiday: only Tue 14
    ['US', '2025-07-03', '2025-07-07T21:00:00Z', 1], // Fri 4 Jul is a holiday: only Mon 7
  ] as const)('%s, last final bar %s, at %s: %i', (exchange, last, now, expected) => {
    expect(sessionsMissed(exchange, last, new Date(now))).toBe(expected);
  });

  test('a grace period after the close', () => {
    expect(sessionsMissed('US', '2025-01-24', new Date('2025-01-27T22:00:00Z'), 2 * 3_600_000)).toBe(0);
    expect(sessionsMissed('US', '2025-01-24', new Date('2025-01-27T23:00:00Z'), 2 * 3_600_000)).toBe(1);
  });

  test('no final bar at all: unknown', () => {
    expect(sessionsMissed('US', null, new Date('2025-01-27T22:00:00Z'))).toBeNull();
  });

  test('hoursSince', () => {
    expect(hoursSince(new Date('2025-01-27T10:00:00Z'), new Date('2025-01-27T13:30:00Z'))).toBe(3.5);
    expect(hoursSince(null, new Date())).toBeNull();
  });
});
