// A live study's computation in a compute worker keeps what it decoded and the sessions it read from one update
// to the next (computeIntraday with a liveKey): each answer must be the one computed afresh from the same bars,
// whatever changed in between (a new bar, an earlier bar corrected, the daily closes, a symbol's bars gone).
// The bars are SYNTHETIC (a made-up deterministic walk), not market data.
import { DEFAULT_INTRADAY_OPTIONS } from '../../src/analysis/intraday';
import { computeIntraday } from '../../src/intraday/intradayCompute';
import type { IntradayJob, IntradaySeriesColumns } from '../../src/intraday/intradayInputs';
import { nextTradingDays } from '../../src/markets';

const DAYS = nextTradingDays('US', '2024-12-31', 25);
const EVENT_DAY = DAYS[DAYS.length - 1];
const SYMBOLS = ['^SYNTH', 'SYN1', 'SYN2', 'SYN3'];

/** SYNTHETIC 5-minute bars of every session, the event session's first `slots` only, and the daily closes. */
function columns(i: number, slots: number): IntradaySeriesColumns {
  const t: number[] = [];
  const close: number[] = [];
  const volume: number[] = [];
  const closeDays: number[] = [];
  const dailyClose: number[] = [];
  DAYS.forEach((day, d) => {
    const last = day === EVENT_DAY ? slots : 78;
    for (let s = 0; s < last; s++) {
      const n = d * 78 + s;
      t.push(Date.parse(`${day}T14:30:00Z`) + s * 300_000);
      close.push((50 + i) * Math.exp(0.01 * Math.sin(n / 7) + 0.004 * Math.sin(n * (i + 7) * 0.37)));
      volume.push(1000 + ((n * (i + 3)) % 97));
    }
    if (day !== EVENT_DAY) {
      closeDays.push(Date.parse(day) / 86_400_000);
      dailyClose.push(close[close.length - 1]);
    }
  });
  return {
    t: Float64Array.from(t),
    close: Float64Array.from(close),
    volume: Float64Array.from(volume),
    closeDays: Int32Array.from(closeDays),
    dailyClose: Float64Array.from(dailyClose),
  };
}

function job(series: Map<string, IntradaySeriesColumns>, now: number, liveKey?: string): IntradayJob {
  return {
    event: null,
    instant: Date.parse(`${EVENT_DAY}T15:00:00Z`),
    dateOnly: false,
    now,
    options: { ...DEFAULT_INTRADAY_OPTIONS, window: [-6, 30] },
    benchmark: '^SYNTH',
    members: SYMBOLS.slice(1).map((symbol) => ({ symbol, market: 'US' as const, benchmark: '^SYNTH' })),
    series,
    liveKey,
  };
}

/** The series as the hub hands them over (each job its own copies: a worker owns what it is sent). */
const copies = (series: Map<string, IntradaySeriesColumns>) =>
  new Map(
    [...series].map(([s, c]) => [
      s,
      {
        t: c.t.slice(),
        close: c.close.slice(),
        volume: c.volume.slice(),
        closeDays: c.closeDays.slice(),
        dailyClose: c.dailyClose.slice(),
      },
    ]),
  );

describe('a live study computed update after update', () => {
  it('answers as a fresh computation after new bars, a corrected bar, changed daily closes and bars gone', () => {
    const key = 'live-compute-test#1';
    let slots = 10;
    const series = new Map(SYMBOLS.map((s, i) => [s, columns(i, slots)]));
    const nowOf = (n: number) => Date.parse(`${EVENT_DAY}T14:30:00Z`) + n * 300_000;
    const check = () => {
      const now = nowOf(slots);
      const live = computeIntraday(job(copies(series), now, key));
      const fresh = computeIntraday(job(copies(series), now));
      expect(live).toEqual(fresh);
      return live;
    };
    const first = check();
    expect(first.members.every((m) => m.status === 'ok')).toBe(true);
    // a new bar for every symbol, twice
    for (let r = 0; r < 2; r++) {
      slots++;
      for (const [s, i] of SYMBOLS.map((x, k) => [x, k] as const)) series.set(s, columns(i, slots));
      const next = check();
      expect(next.asOf).not.toBe(first.asOf);
    }
    // a bar of an estimation session corrected (one symbol), and the benchmark's daily closes changed
    const before = computeIntraday(job(copies(series), nowOf(slots)));
    series.get('SYN2')!.close[78 * 15 + 5] *= 1.05; // a bar of an estimation session
    expect(check().members[1].model).not.toEqual(before.members[1].model);
    const bench = series.get('^SYNTH')!;
    bench.dailyClose[bench.dailyClose.length - 1] *= 0.98;
    check();
    // a member's bars gone, then back
    const gone = series.get('SYN3')!;
    series.delete('SYN3');
    expect(check().members[2].status).toBe('no_intraday_bars');
    series.set('SYN3', gone);
    expect(check().members[2].status).toBe('ok');
  });
});
