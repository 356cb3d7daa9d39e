// Subscribing with double opt-in: a subscription and its confirmation email are written in one transaction;
// nothing but that confirmation goes to the address until its link is followed. Also what the signed links do:
// confirm, unsubscribe, and change the terms (the manage page).
import { withTransaction, type Queryable } from '../db/transaction';
import type { AppContext } from '../context/appContext';
import { AppError, invalidParameter, notFound, unknownSymbolError } from '../errors/appError';
import { composeConfirmationEmail, composeLinksEmail } from '../notifications/emailContent';
import { confirmUrl, emailLinks, linkSigner, publicBaseUrl, type LinkPurpose } from '../notifications/linkTokens';
import { confirmationSentRecently, enqueueEmail } from '../outbox/outboxStore';
import { groupBySlug } from '../groups/groupStore';
import { knownSymbols } from '../instruments/instrumentStore';
import type { Subscription } from './subscriptionContract';
import {
  activeSubscriptionsOf,
  confirmSubscription,
  deleteSubscription,
  findSameSubscription,
  getSubscription,
  insertSubscription,
  newestPendingSubscription,
  unsubscribeSubscription,
  updateSubscriptionTerms,
  type SubscriptionTerms,
  type SubscriptionRow,
  type SubscriptionKind,
  lockSubscriberEmail,
} from './subscriptionStore';

/** One confirmation email per address in this time at most: the form cannot be used to flood someone's inbox. */
const CONFIRMATION_RESEND_SECONDS = 10 * 60;

type SubscriptionStatus = 'pending_confirmation' | 'active' | 'unsubscribed';

export function subscriptionStatus(s: Pick<SubscriptionRow, 'confirmedAt' | 'unsubscribedAt'>): SubscriptionStatus {
  if (s.unsubscribedAt) return 'unsubscribed';
  return s.confirmedAt ? 'active' : 'pending_confirmation';
}

/** The API shape; the address only for the admin. */
export function presentSubscription(s: SubscriptionRow, withEmail: boolean): Subscription {
  return {
    id: s.id,
    ...(withEmail ? { email: s.email } : {}),
    symbols: s.symbols.length || s.group !== null ? s.symbols : 'all',
    group: s.group,
    minMovePct: s.minMovePct,
    minAbnormalZ: s.minAbnormalZ,
    mode: s.mode,
    kind: s.kind,
    intradayCaarPct: s.intradayCaarPct,
    intradayBmpT: s.intradayBmpT,
    status: subscriptionStatus(s),
    createdAt: s.createdAt.toISOString(),
    confirmedAt: s.confirmedAt?.toISOString() ?? null,
    unsubscribedAt: s.unsubscribedAt?.toISOString() ?? null,
  };
}

/** The terms as asked for: symbols (null = all) or a group slug, thresholds and mode. */
export interface TermsRequest {
  /** null = every tracked instrument (unless a group is given) */
  symbols: string[] | null;
  group: string | null;
  minMovePct: number;
  minAbnormalZ: number | null;
  mode: 'instant' | 'digest';
  kind: SubscriptionKind;
  intradayCaarPct: number | null;
  intradayBmpT: number | null;
}

export interface SubscribeRequest extends TermsRequest {
  email: string;
}

/** The stored form of requested terms: symbols as stored, the group by id. Unknown symbols or group: a 404 naming them. */
async function resolveTerms(db: Queryable, req: TermsRequest): Promise<SubscriptionTerms> {
  if (req.group !== null && req.symbols !== null) throw invalidParameter('group', 'give either symbols or group, not both', 'body');
  let symbols: string[] = [];
  let group: SubscriptionTerms['group'] = null;
  if (req.group !== null) {
    group = await groupBySlug(db, req.group);
    if (!group) throw notFound(`Unknown group: ${req.group}`, [{ param: 'group', message: `unknown group ${req.group}` }]);
  } else if (req.symbols) {
    const known = await knownSymbols(db, req.symbols);
    const unknown = req.symbols.filter((s) => !known.has(s.toUpperCase()));
    if (unknown.length) throw unknownSymbolError(unknown, 'symbols');
    symbols = [...new Set(req.symbols.map((s) => known.get(s.toUpperCase())!))].sort();
  }
  const { minMovePct, minAbnormalZ, mode, kind, intradayCaarPct, intradayBmpT } = req;
  return { symbols, group, minMovePct, minAbnormalZ, mode, kind, intradayCaarPct, intradayBmpT };
}

/** Queue the confirmation email of a pending subscription, unless one went to its address within the window. */
async function queueConfirmation(ctx: AppContext, client: Queryable, subscription: SubscriptionRow): Promise<void> {
  if (subscription.confirmedAt || (await confirmationSentRecently(client, subscription.email, CONFIRMATION_RESEND_SECONDS))) return;
  const signer = await linkSigner(ctx.db.pool, ctx.config);
  const baseUrl = publicBaseUrl(ctx.config);
  const email = composeConfirmationEmail(subscription, {
    ...emailLinks(baseUrl, signer, subscription.id),
    confirmUrl: confirmUrl(baseUrl, signer, subscription.id),
  });
  await enqueueEmail(client, {
    dedupeKey: `confirm:${subscription.id}:${Date.now()}`,
    kind: 'confirmation',
    subscriptionId: subscription.id,
    to: subscription.email,
    ...email,
  });
}

/**
 * Create a subscription (or find the identical one already asked for) and queue its confirmation email.
 * Unknown symbols or an unknown group are a 400 naming them.
 */
export async function subscribe(ctx: AppContext, req: SubscribeRequest): Promise<SubscriptionRow> {
  const { pool } = ctx.db;
  const input = { email: req.email, ...(await resolveTerms(pool, req)) };
  await linkSigner(pool, ctx.config); // loaded before the transaction: it may write the generated key
  return withTransaction(pool, async (client) => {
    // one address at a time: two identical requests at once must not create two subscriptions
    await lockSubscriberEmail(client, req.email);
    const existing = await findSameSubscription(client, input);
    const subscription = existing ?? (await insertSubscription(client, input));
    // the limit is per address, whatever the terms: new terms within the window wait, pending, for the next request
    await queueConfirmation(ctx, client, subscription);
    return subscription;
  });
}

/**
 * A new confirmation email for the newest pending subscription of this address; with none pending, an email
 * with the manage and unsubscribe links of its active subscriptions. Both count against the per-address limit.
 */
export async function resendConfirmation(ctx: AppContext, email: string): Promise<void> {
  const signer = await linkSigner(ctx.db.pool, ctx.config);
  await withTransaction(ctx.db.pool, async (client) => {
    await lockSubscriberEmail(client, email);
    const pending = await newestPendingSubscription(client, email);
    if (pending) return queueConfirmation(ctx, client, pending);
    const active = await activeSubscriptionsOf(client, email);
    if (active.length === 0 || (await confirmationSentRecently(client, email, CONFIRMATION_RESEND_SECONDS))) return;
    const baseUrl = publicBaseUrl(ctx.config);
    const composed = composeLinksEmail(active.map((terms) => ({ terms, links: emailLinks(baseUrl, signer, terms.id) })));
    // kind confirmation: the per-address limit counts it, and it goes out however the subscriptions' alerts do
    await enqueueEmail(client, {
      dedupeKey: `links:${active[0].id}:${Date.now()}`,
      kind: 'confirmation',
      subscriptionId: active[0].id,
      to: active[0].email,
      ...composed,
    });
  });
}

/** The subscription a signed link names; a forged, malformed or expired token is a 400 with `badLink` as its message. */
export async function subscriptionIdOfLink(ctx: AppContext, token: string, purpose: LinkPurpose, badLink: string): Promise<number> {
  const id = (await linkSigner(ctx.db.pool, ctx.config)).verify(token, purpose);
  if (id === null) throw new AppError(400, 'invalid_token', badLink);
  return id;
}

/** The subscription, or a 404 when it was deleted. */
export async function existingSubscription(ctx: AppContext, id: number): Promise<SubscriptionRow> {
  const row = await getSubscription(ctx.db.pool, id);
  if (!row) throw notFound('This subscription no longer exists');
  return row;
}

export const cancelledSubscription = () =>
  new AppError(409, 'unsubscribed', 'This subscription was cancelled: subscribe again to get alerts');

/** Why a change to a subscription found nothing to change: it was deleted (404) or cancelled (409). */
export async function goneOrCancelled(ctx: AppContext, id: number): Promise<never> {
  await existingSubscription(ctx, id);
  throw cancelledSubscription();
}

export async function confirm(ctx: AppContext, id: number): Promise<SubscriptionRow | null> {
  return confirmSubscription(ctx.db.pool, id);
}

/** New terms from the manage page; null when the subscription is gone or unsubscribed. */
export async function changeTerms(ctx: AppContext, id: number, req: TermsRequest): Promise<SubscriptionRow | null> {
  return updateSubscriptionTerms(ctx.db.pool, id, await resolveTerms(ctx.db.pool, req));
}

export async function unsubscribe(ctx: AppContext, id: number): Promise<SubscriptionRow | null> {
  return withTransaction(ctx.db.pool, async (client) => {
    const row = await unsubscribeSubscription(client, id);
    return row;
  });
}

/** Delete a subscription with its alerts and queued emails, in one transaction. False when there is none. */
export async function removeSubscription(ctx: AppContext, id: number): Promise<boolean> {
  return withTransaction(ctx.db.pool, async (client) => {
    const deleted = await deleteSubscription(client, id);
    return deleted;
  });
}
