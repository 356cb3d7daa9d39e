// Writing alerts: the alerts of one subscription, and for an instant subscription their ONE outbox email, in one
// transaction. The unique (subscription, symbol, session, rule) key makes every alert exactly once, across
// sweeps, restarts and app instances.
import type pg from 'pg';
import { withTransaction } from '../db/transaction';
import type { Logger } from '../logging/logger';
import type { Metrics } from '../metrics/metrics';
import type { AlertRule, TriggeredRule } from '../analysis/alertRules';
import { alertKey, attachAlertsToEmail, insertAlerts, type InsertedAlert } from './alertStore';
import type { TrackedInstrument } from '../instruments/instrumentStore';
import { lockActiveSubscription, type ActiveSubscription } from '../subscriptions/subscriptionStore';
import { composeAlertEmail, type MoveForEmail, type SubscriptionTerms } from '../notifications/emailContent';
import { emailLinks, type LinkSigner } from '../notifications/linkTokens';
import { enqueueEmail, type QueuedEmail } from '../outbox/outboxStore';
import { moveContext, type MoveContext } from './moveContext';
import { candidateKey, type Candidate } from './alertCandidates';

/** What the links in an alert email are made of. */
export interface AlertLinks {
  baseUrl: string;
  signer: LinkSigner;
}

export interface AlertWriterDeps {
  pool: pg.Pool;
  links: AlertLinks;
  logger: Logger;
  metrics: Pick<Metrics, 'alertsCreated'>;
}

export const linksOf = (links: AlertLinks, subscriptionId: number) => emailLinks(links.baseUrl, links.signer, subscriptionId);

/** The terms an email describes. */
export const termsOf = (
  s: Pick<ActiveSubscription, 'symbols' | 'group' | 'minMovePct' | 'minAbnormalZ' | 'mode'> &
    Partial<Pick<ActiveSubscription, 'kind' | 'intradayCaarPct' | 'intradayBmpT'>>,
): SubscriptionTerms => ({
  // a group is named as the group, not as its members of the moment
  symbols: s.group === null ? s.symbols : [],
  group: s.group,
  minMovePct: s.minMovePct,
  minAbnormalZ: s.minAbnormalZ,
  mode: s.mode,
  kind: s.kind ?? 'moves',
  intradayCaarPct: s.intradayCaarPct ?? null,
  intradayBmpT: s.intradayBmpT ?? null,
});

/** Context per (symbol, session), looked up before the transaction so it stays short. */
async function contexts(pool: pg.Pool, candidates: Candidate[]): Promise<Map<string, MoveContext>> {
  const contexts = new Map<string, MoveContext>();
  for (const c of candidates) {
    const key = `${c.instrument.symbol}|${c.sessionDate}`;
    if (!contexts.has(key)) contexts.set(key, await moveContext(pool, c.instrument, c.sessionDate, c.sessionDates, c.asOf));
  }
  return contexts;
}

/** Insert the alerts, and for an instant subscription their one email, in one transaction. */
export async function writeAlerts(
  deps: AlertWriterDeps,
  subscriptionId: number,
  candidates: Candidate[],
  withEmail: boolean,
): Promise<void> {
  const contextsByKey = await contexts(deps.pool, candidates);
  const contextOf = (c: { instrument: TrackedInstrument; sessionDate: string }) =>
    contextsByKey.get(`${c.instrument.symbol}|${c.sessionDate}`)!;
  const inserted = await withTransaction(deps.pool, async (client) => {
    // FOR SHARE: an unsubscribe committing meanwhile waits for us, or we see it and write nothing
    const subscriber = await lockActiveSubscription(client, subscriptionId);
    if (!subscriber) return [];
    const byKey = new Map(candidates.map((c) => [candidateKey(c), c]));
    const inserted = await insertAlerts(
      client,
      candidates.map((c) => ({
        subscriptionId,
        symbol: c.instrument.symbol,
        sessionDate: c.sessionDate,
        rule: c.rule,
        move: c.figures.move,
        abnormalReturn: c.figures.abnormalReturn,
        z: c.figures.z,
        price: c.price,
        eventId: contextOf(c).event?.id ?? null,
      })),
    );
    if (inserted.length && withEmail) {
      const written = inserted.map((a) => byKey.get(alertKey(a))!);
      const moves = movesForEmail(written.map((c) => ({ ...c, context: contextOf(c) })));
      const email = composeAlertEmail(moves, termsOf(written[0].subscription), linksOf(deps.links, subscriptionId));
      const emailId = await enqueueEmail(client, {
        dedupeKey: `alert:${subscriptionId}:${Math.min(...inserted.map((a) => a.id))}`,
        kind: 'alert',
        subscriptionId,
        to: subscriber.email,
        ...email,
      });
      if (emailId !== null)
        await attachAlertsToEmail(
          client,
          inserted.map((a) => a.id),
          emailId,
        );
    }
    return inserted;
  });
  countCreated(deps, inserted);
}

/**
 * Queue one alert email of a subscription under its dedupe key, in a transaction that holds the subscription
 * (FOR SHARE: an unsubscribe committing meanwhile waits, or is seen and nothing is queued). Null when nothing was
 * queued: the subscription is gone, or an email with this key exists already.
 */
export async function queueAlertEmail(
  pool: pg.Pool,
  subscriptionId: number,
  dedupeKey: string,
  email: Omit<QueuedEmail, 'dedupeKey' | 'kind' | 'subscriptionId' | 'to'>,
): Promise<number | null> {
  return withTransaction(pool, async (client) => {
    const subscriber = await lockActiveSubscription(client, subscriptionId);
    if (!subscriber) return null;
    return enqueueEmail(client, { dedupeKey, kind: 'alert', subscriptionId, to: subscriber.email, ...email });
  });
}

function countCreated(deps: AlertWriterDeps, inserted: InsertedAlert[]): void {
  for (const a of inserted) deps.metrics.alertsCreated.inc({ rule: a.rule });
  if (inserted.length)
    deps.logger.info(
      { alerts: inserted.map((a) => ({ id: a.id, subscriptionId: a.subscriptionId, symbol: a.symbol, rule: a.rule })) },
      'alerts created',
    );
}

export interface AlertForEmail {
  instrument: TrackedInstrument;
  sessionDate: string;
  rule: AlertRule;
  figures: Pick<TriggeredRule, 'move' | 'abnormalReturn' | 'z'>;
  price: number | null;
  previousClose: number | null;
  context: MoveContext;
}

/** One line per (instrument, session, intraday or close), with the rules it crossed. */
export function movesForEmail(alerts: AlertForEmail[]): MoveForEmail[] {
  const moves = new Map<string, MoveForEmail>();
  for (const a of alerts) {
    const key = `${a.instrument.symbol}|${a.sessionDate}|${a.rule === 'intraday_move' ? 'intraday' : 'close'}`;
    const existing = moves.get(key);
    if (existing) {
      existing.rules.push(a.rule);
      continue;
    }
    moves.set(key, {
      symbol: a.instrument.symbol,
      name: a.instrument.name,
      currency: a.instrument.currency,
      sessionDate: a.sessionDate,
      rules: [a.rule],
      move: a.figures.move,
      abnormalReturn: a.figures.abnormalReturn,
      z: a.figures.z,
      price: a.price,
      previousClose: a.previousClose,
      event: a.context.event ? { slug: a.context.event.slug, title: a.context.event.title } : null,
      news: a.context.news.map((n) => ({ title: n.title, url: n.url, publisher: n.publisher })),
    });
  }
  // biggest moves first: the subject names them
  return [...moves.values()].sort((x, y) => Math.abs(y.move) - Math.abs(x.move));
}
