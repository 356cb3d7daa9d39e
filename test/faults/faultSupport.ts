// Pieces the fault tests share: made-up US tickers served by FakeYahoo and tracked in a database, the JSON log
// lines of an app process, and the alert emails a test SMTP server accepted, told apart by Message-ID.
import type pg from 'pg';
import { upsertDailyBars } from '../../src/bars/dailyBarStore';
import { saveInstrument } from '../../src/instruments/instrumentStore';
import { nextTradingDays, previousTradingDay, recentSessionDates } from '../../src/markets';
import type { FakeBar, FakeSymbolMeta, FakeYahoo } from '../support/fakeYahoo';
import type { ReceivedEmail } from '../alerts/alertTestSupport';
import { FAKE_US_META, madeUpBars } from '../scheduler/helpers';

/**
 * Made-up daily bars of `symbol` (US sessions) ending the session before the latest US session that has closed,
 * so that nextBar() of them is that latest session: the news an alert is about (older sessions never alert).
 */
export function pastBars(symbol: string, count: number, start = 100): FakeBar[] {
  const [latestClosed] = recentSessionDates('US', new Date());
  let first = latestClosed;
  for (let i = 0; i < count; i++) first = previousTradingDay('US', first);
  return madeUpBars(symbol, 'US', first, count, start);
}

/** The US session after the last of `bars`, with a close `pct` percent away from the last close. */
export function nextBar(bars: readonly FakeBar[], pct: number): FakeBar {
  const last = bars[bars.length - 1];
  const [date] = nextTradingDays('US', last.date, 1);
  const close = Math.round((last.close as number) * (1 + pct / 100) * 100) / 100;
  return {
    symbol: last.symbol,
    date,
    open: last.close,
    high: Math.max(close, last.close as number),
    low: Math.min(close, last.close as number),
    close,
    adjClose: close,
    volume: 2_000_000,
  };
}

/** Yahoo's description of a made-up US ticker. */
export function fakeUsMeta(symbol: string): FakeSymbolMeta {
  return { ...FAKE_US_META, longName: `${symbol} (test ticker)`, shortName: symbol };
}

/**
 * Serve each symbol's bars from the fake and track it in the database as a US equity without a benchmark;
 * `stored`: the bars are in the database already (as an earlier ingest left them). Every other instrument is
 * untracked, so the jobs work on these alone.
 */
export async function trackFakeUsInstruments(
  pool: pg.Pool,
  fake: FakeYahoo,
  bars: ReadonlyMap<string, FakeBar[]>,
  opts: { stored?: boolean } = {},
): Promise<void> {
  await pool.query('UPDATE instruments SET tracked = false');
  for (const [symbol, list] of bars) {
    fake.addSymbol(symbol, list, fakeUsMeta(symbol));
    await saveInstrument(pool, {
      symbol,
      name: `${symbol} (test ticker)`,
      exchange: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      benchmarkSymbol: null,
    });
    if (opts.stored)
      await upsertDailyBars(
        pool,
        list.map((b) => ({ ...b, close: b.close as number })),
        { source: 'yahoo' },
      );
  }
}

/** What the database holds of these symbols, in the shape FakeYahoo serves them. */
export async function storedBars(pool: pg.Pool, symbol: string): Promise<FakeBar[]> {
  const { rows } = await pool.query(
    `SELECT symbol, date, open, high, low, close, adj_close AS "adjClose", volume FROM daily_bars WHERE symbol = $1 ORDER BY date`,
    [symbol],
  );
  return rows;
}

/** The pino JSON lines in a process's output (other lines are skipped). */
export function jsonLines(output: string): Array<Record<string, unknown> & { msg?: string }> {
  return output.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}

/** The alert emails (not confirmations) among `accepted`: those whose Message-ID an alert row of the outbox carries. */
export async function acceptedAlertEmails(pool: pg.Pool, accepted: readonly ReceivedEmail[]): Promise<ReceivedEmail[]> {
  const { rows } = await pool.query<{ messageId: string }>(
    `SELECT message_id AS "messageId" FROM outbox_emails WHERE kind = 'alert' AND message_id IS NOT NULL`,
  );
  const ids = new Set(rows.map((r) => r.messageId));
  return accepted.filter((m) => ids.has(m.messageId));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
