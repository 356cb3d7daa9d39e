// Digests: digest subscriptions get their alerts recorded at once (./alertWriter, without an email) and one
// email per exchange session after its close, written here.
import type pg from 'pg';
import { withTransaction } from '../db/transaction';
import { marketBasics, type MarketCode } from '../markets';
import { marketForInstrument } from '../marketdata/yahooMarkets';
import { attachAlertsToEmail, pendingDigestAlerts, type PendingDigestAlert } from './alertStore';
import { listTrackedInstruments, type TrackedInstrument } from '../instruments/instrumentStore';
import { follows, lockActiveSubscription } from '../subscriptions/subscriptionStore';
import { lastFinalBars, symbolsWithFinalBarOn } from '../bars/dailyBarReads';
import { composeDigestEmail } from '../notifications/emailContent';
import { enqueueEmail } from '../outbox/outboxStore';
import { moveContext } from './moveContext';
import { closeInstant } from './alertCandidates';
import { linksOf, movesForEmail, termsOf, type AlertForEmail, type AlertLinks } from './alertWriter';

/** A digest waits for the final bars of everything its subscriber follows on that exchange, this long at most. */
const DIGEST_MAX_WAIT_MS = 3 * 3600 * 1000;

/**
 * One digest per subscriber and exchange session, once the session has closed and the final bars of what the
 * subscriber follows there are in (or DIGEST_MAX_WAIT_MS after the close). Its dedupe key makes it once.
 */
export async function sendDueDigests(pool: pg.Pool, links: AlertLinks): Promise<void> {
  const pending = await pendingDigestAlerts(pool);
  if (pending.length === 0) return;
  const instruments = await listTrackedInstruments(pool);
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  const groups = new Map<string, { code: MarketCode | null; alerts: PendingDigestAlert[] }>();
  for (const a of pending) {
    const instrument = bySymbol.get(a.symbol);
    if (!instrument) continue;
    const code = marketForInstrument(instrument);
    const key = `${a.subscriptionId}|${code ?? instrument.timeZone}`;
    const group = groups.get(key) ?? { code, alerts: [] };
    group.alerts.push(a);
    groups.set(key, group);
  }
  const now = Date.now();
  for (const [key, { code, alerts }] of groups) {
    const sessionDate = alerts.reduce((max, a) => (a.sessionDate > max ? a.sessionDate : max), alerts[0].sessionDate);
    const sample = bySymbol.get(alerts[0].symbol)!;
    const close = closeInstant(sample, sessionDate).getTime();
    if (now < close) continue;
    const sameMarket = instruments.filter((i) => (code ? marketForInstrument(i) === code : i.timeZone === sample.timeZone));
    const followed = sameMarket.filter((i) => follows(alerts[0].followed, i.symbol)).map((i) => i.symbol);
    const complete = (await symbolsWithFinalBarOn(pool, followed, sessionDate)).size >= followed.length;
    if (!complete && now < close + DIGEST_MAX_WAIT_MS) continue;
    await writeDigest(pool, links, key.split('|')[1], code ? marketBasics(code).name : sample.timeZone, sessionDate, alerts, bySymbol);
  }
}

async function writeDigest(
  pool: pg.Pool,
  links: AlertLinks,
  marketKey: string,
  marketName: string,
  sessionDate: string,
  alerts: PendingDigestAlert[],
  bySymbol: Map<string, TrackedInstrument>,
): Promise<void> {
  const first = alerts[0];
  const moves: AlertForEmail[] = [];
  for (const a of alerts) {
    const instrument = bySymbol.get(a.symbol)!;
    const history = await lastFinalBars(pool, a.symbol, a.sessionDate, 2 * 5 + 2);
    const previousClose = history.filter((b) => b.date < a.sessionDate).at(-1)?.close ?? null;
    const sessionDates = [...new Set([...history.map((b) => b.date), a.sessionDate])];
    const context = await moveContext(pool, instrument, a.sessionDate, sessionDates, closeInstant(instrument, a.sessionDate), a.eventId);
    moves.push({ instrument, sessionDate: a.sessionDate, rule: a.rule, figures: a, price: a.price, previousClose, context });
  }
  await withTransaction(pool, async (client) => {
    const subscriber = await lockActiveSubscription(client, first.subscriptionId);
    if (!subscriber) return;
    const terms = termsOf({ ...first.followed, minMovePct: first.minMovePct, minAbnormalZ: first.minAbnormalZ, mode: 'digest' });
    const email = composeDigestEmail(marketName, sessionDate, movesForEmail(moves), terms, linksOf(links, first.subscriptionId));
    const emailId = await enqueueEmail(client, {
      dedupeKey: `digest:${first.subscriptionId}:${marketKey}:${sessionDate}`,
      kind: 'digest',
      subscriptionId: first.subscriptionId,
      to: subscriber.email,
      ...email,
    });
    if (emailId !== null)
      await attachAlertsToEmail(
        client,
        alerts.map((a) => a.id),
        emailId,
      );
  });
}
