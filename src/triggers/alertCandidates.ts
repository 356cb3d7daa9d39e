// What should alert: the alert rules of the analysis core evaluated over the stored bars, per followed instrument,
// at its newest final daily bar (close_move, close_abnormal) and at the newest price of a session after it
// (intraday bars or a provisional daily bar: intraday_move). Only sessions that are news (the exchange's latest
// closed session, or the one in progress), of bars stored recently and after the subscription was confirmed,
// count, so backfills and history never alert. Candidates of one instant subscription
// wait in a coalescing window (ALERT_COALESCE_MS) so that they are written together, with one email.
import { DateTime } from 'luxon';
import type pg from 'pg';
import type { DailyBar } from '../analysis';
import { localDate, recentSessionDates, sessionCloseInstant } from '../markets';
import { marketForInstrument } from '../marketdata/yahooMarkets';
import { CLOSE_EVALUATION_BARS, closeRules, intradayRule, type AlertRule, type TriggeredRule } from '../analysis/alertRules';
import { alertKey, existingAlertKeys } from './alertStore';
import { listTrackedInstruments, type TrackedInstrument } from '../instruments/instrumentStore';
import { follows, listActiveSubscriptions, type ActiveSubscription } from '../subscriptions/subscriptionStore';
import { finalBarsBetween, lastFinalBars, latestFinalBars, latestSessionPrice } from '../bars/dailyBarReads';

/** Bars stored longer ago than this no longer alert (a restart after a long outage does not send stale news). */
const ALERT_LOOKBACK_MS = 48 * 3600 * 1000;

export interface Candidate {
  subscription: ActiveSubscription;
  instrument: TrackedInstrument;
  sessionDate: string;
  rule: AlertRule;
  figures: TriggeredRule;
  price: number;
  previousClose: number | null;
  /** the instrument's session dates up to sessionDate, for finding the event behind the move */
  sessionDates: string[];
  /** what had happened by this instant can explain the move */
  asOf: Date;
}

export const candidateKey = (c: Candidate) =>
  alertKey({ subscriptionId: c.subscription.id, symbol: c.instrument.symbol, sessionDate: c.sessionDate, rule: c.rule });

export function closeInstant(instrument: TrackedInstrument, date: string): Date {
  const code = marketForInstrument(instrument);
  return code ? sessionCloseInstant(code, date) : DateTime.fromISO(date, { zone: instrument.timeZone }).endOf('day').toJSDate();
}

/** How far back a session of a market the registry does not know still counts as news (weekend and a holiday). */
const UNKNOWN_MARKET_RECENT_DAYS = 4;

/** Whether the session of `date` is still news at `now` (see recentSessionDates). */
function isRecentSession(instrument: TrackedInstrument, date: string, now: Date): boolean {
  const code = marketForInstrument(instrument);
  if (code) return recentSessionDates(code, now).includes(date);
  const earliest = localDate(new Date(now.getTime() - UNKNOWN_MARKET_RECENT_DAYS * 86_400_000), instrument.timeZone);
  return date >= earliest && date <= localDate(now, instrument.timeZone);
}

/**
 * The candidates for these symbols (or all) at `now`, without those already stored as alerts. New benchmark bars count
 * for the instruments measured against that benchmark (they can complete an abnormal return).
 */
export async function freshCandidates(pool: pg.Pool, requested: Set<string> | 'all', now: Date): Promise<Candidate[]> {
  const subscriptions = await listActiveSubscriptions(pool);
  if (subscriptions.length === 0) return [];
  const instruments = await listTrackedInstruments(pool);
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  const followers = (symbol: string) => subscriptions.filter((s) => follows(s, symbol));

  let symbols: string[];
  if (requested === 'all') symbols = instruments.map((i) => i.symbol);
  else {
    // new benchmark bars can complete an instrument's abnormal return
    const wanted = new Set(requested);
    for (const i of instruments) if (i.benchmarkSymbol && requested.has(i.benchmarkSymbol)) wanted.add(i.symbol);
    symbols = [...wanted].filter((s) => bySymbol.has(s));
  }
  symbols = symbols.filter((s) => followers(s).length > 0);
  if (symbols.length === 0) return [];

  const since = Date.now() - ALERT_LOOKBACK_MS;
  const candidates: Candidate[] = [];
  for (const final of await latestFinalBars(pool, symbols)) {
    const instrument = bySymbol.get(final.symbol)!;
    const subs = followers(final.symbol);
    let history: DailyBar[] | null = null;

    // at the close: the final bar's move and abnormal return
    const closeSubs =
      final.fetchedAt.getTime() >= since && isRecentSession(instrument, final.date, now)
        ? subs.filter((s) => s.confirmedAt <= final.fetchedAt)
        : [];
    if (closeSubs.length) {
      history = await lastFinalBars(pool, final.symbol, final.date, CLOSE_EVALUATION_BARS);
      const benchmark = instrument.benchmarkSymbol
        ? await finalBarsBetween(pool, instrument.benchmarkSymbol, history[0].date, final.date)
        : null;
      const previousClose = history.length >= 2 ? history[history.length - 2].close : null;
      // subscriptions with the same thresholds get the same answer: ask the analysis core once per pair
      const byThresholds = new Map<string, TriggeredRule[]>();
      for (const subscription of closeSubs) {
        const key = `${subscription.minMovePct}|${subscription.minAbnormalZ}`;
        if (!byThresholds.has(key)) byThresholds.set(key, closeRules(history, benchmark, subscription));
        for (const figures of byThresholds.get(key)!) {
          candidates.push({
            subscription,
            instrument,
            sessionDate: final.date,
            rule: figures.rule,
            figures,
            price: final.close,
            previousClose,
            sessionDates: history.map((b) => b.date),
            asOf: closeInstant(instrument, final.date),
          });
        }
      }
    }

    // during a session: the newest price against the last final close
    const nextDay = DateTime.fromISO(final.date, { zone: instrument.timeZone }).plus({ days: 1 }).startOf('day').toJSDate();
    const latest = await latestSessionPrice(pool, final.symbol, final.date, nextDay);
    if (!latest || latest.fetchedAt.getTime() < since) continue;
    const sessionDate = latest.date ?? localDate(latest.at, instrument.timeZone);
    const intradaySubs = subs.filter((s) => s.confirmedAt <= latest.fetchedAt);
    if (sessionDate <= final.date || intradaySubs.length === 0 || !isRecentSession(instrument, sessionDate, now)) continue;
    history ??= await lastFinalBars(pool, final.symbol, final.date, 2 * 5 + 2);
    for (const subscription of intradaySubs) {
      const figures = intradayRule({ date: final.date, close: final.close }, { date: sessionDate, close: latest.price }, subscription);
      if (!figures) continue;
      candidates.push({
        subscription,
        instrument,
        sessionDate,
        rule: 'intraday_move',
        figures,
        price: latest.price,
        previousClose: final.close,
        sessionDates: [...history.map((b) => b.date), sessionDate],
        asOf: latest.at,
      });
    }
  }
  if (candidates.length === 0) return [];

  const existing = await existingAlertKeys(
    pool,
    [...new Set(candidates.map((c) => c.subscription.id))],
    [...new Set(candidates.map((c) => c.instrument.symbol))],
    [...new Set(candidates.map((c) => c.sessionDate))],
  );
  return candidates.filter((c) => !existing.has(candidateKey(c)));
}

/**
 * One coalescing window per instant subscription: opened by its first candidate, closed `windowMs` later (or
 * earlier by close/closeAll), handing everything it gathered, each alert key once, to `onClose`.
 */
export class CoalescingWindows {
  private readonly windows = new Map<number, { candidates: Map<string, Candidate>; timer: NodeJS.Timeout }>();

  constructor(
    private readonly windowMs: number,
    private readonly onClose: (subscriptionId: number, candidates: Candidate[]) => void,
  ) {}

  /** how many windows are open */
  get size(): number {
    return this.windows.size;
  }

  add(c: Candidate): void {
    const id = c.subscription.id;
    let window = this.windows.get(id);
    if (!window) {
      window = { candidates: new Map(), timer: setTimeout(() => this.close(id), this.windowMs) };
      this.windows.set(id, window);
    }
    if (!window.candidates.has(candidateKey(c))) window.candidates.set(candidateKey(c), c);
  }

  close(subscriptionId: number): void {
    const window = this.windows.get(subscriptionId);
    if (!window) return;
    this.windows.delete(subscriptionId);
    clearTimeout(window.timer);
    this.onClose(subscriptionId, [...window.candidates.values()]);
  }

  closeAll(): void {
    for (const id of [...this.windows.keys()]) this.close(id);
  }
}
