// Signed links in emails (confirm, unsubscribe, manage): an HMAC-SHA256 over purpose, subscription and issue time, so a
// link can neither be forged nor pointed at another subscription. The key is LINK_SECRET, or else a random key
// generated once per database and kept in app_secrets: every instance on that database then signs alike, and
// no default secret lives in the code.
import crypto from 'node:crypto';
import type pg from 'pg';
import { databaseSecret, installationId } from '../outbox/appSecretStore';
import type { Config } from '../config/config';
import type { EmailLinks } from './emailContent';

export type LinkPurpose = 'confirm' | 'unsubscribe' | 'manage';

/** A confirmation link older than this is refused (subscribe again); unsubscribe and manage links never expire. */
export const CONFIRM_LINK_TTL_SECONDS = 7 * 24 * 3600;

const PURPOSE_CODE: Record<LinkPurpose, string> = { confirm: 'c', unsubscribe: 'u', manage: 'm' };

export interface LinkSigner {
  sign(purpose: LinkPurpose, subscriptionId: number, issuedAt?: Date): string;
  /** the subscription id, or null for a forged, malformed or expired token */
  verify(token: string, purpose: LinkPurpose, now?: Date): number | null;
  /** random per database: makes Message-IDs unique across installations */
  installationId: string;
}

export function createLinkSigner(key: string, installationId: string): LinkSigner {
  const mac = (body: string) => crypto.createHmac('sha256', key).update(body).digest('base64url');
  return {
    installationId,
    sign(purpose, subscriptionId, issuedAt = new Date()) {
      const body = `${PURPOSE_CODE[purpose]}.${subscriptionId}.${Math.floor(issuedAt.getTime() / 1000).toString(36)}`;
      return `${body}.${mac(body)}`;
    },
    verify(token, purpose, now = new Date()) {
      const m = /^([cum])\.(\d{1,10})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!m || m[1] !== PURPOSE_CODE[purpose]) return null;
      const expected = Buffer.from(mac(`${m[1]}.${m[2]}.${m[3]}`));
      const given = Buffer.from(m[4]);
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
      const ageSeconds = now.getTime() / 1000 - parseInt(m[3], 36);
      if (purpose === 'confirm' && ageSeconds > CONFIRM_LINK_TTL_SECONDS) return null;
      return Number(m[2]);
    },
  };
}

const signers = new WeakMap<pg.Pool, Map<string, Promise<LinkSigner>>>();

/** The signer of this database and configuration (loaded once, then shared by routes and services). */
export function linkSigner(pool: pg.Pool, config: Pick<Config, 'LINK_SECRET'>): Promise<LinkSigner> {
  let byKey = signers.get(pool);
  if (!byKey) signers.set(pool, (byKey = new Map()));
  const cacheKey = config.LINK_SECRET ?? '';
  let signer = byKey.get(cacheKey);
  if (!signer) {
    signer = (async () => {
      const key = config.LINK_SECRET ?? (await databaseSecret(pool, 'link_secret', () => crypto.randomBytes(32).toString('base64url')));
      return createLinkSigner(key, await installationId(pool));
    })();
    signer.catch(() => byKey!.delete(cacheKey)); // a database hiccup must not poison the cache
    byKey.set(cacheKey, signer);
  }
  return signer;
}

/** Where links in emails point: BASE_URL, or this server on localhost when it is unset. */
export function publicBaseUrl(config: Pick<Config, 'BASE_URL' | 'PORT'>): string {
  return (config.BASE_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

export function confirmUrl(baseUrl: string, signer: LinkSigner, subscriptionId: number): string {
  return `${baseUrl}/api/subscriptions/confirm?token=${signer.sign('confirm', subscriptionId)}`;
}

function unsubscribeUrl(baseUrl: string, signer: LinkSigner, subscriptionId: number): string {
  return `${baseUrl}/api/subscriptions/unsubscribe?token=${signer.sign('unsubscribe', subscriptionId)}`;
}

/** The dashboard page where the subscriber changes the terms or unsubscribes (its GET changes nothing). */
export function manageUrl(baseUrl: string, signer: LinkSigner, subscriptionId: number): string {
  return `${baseUrl}/subscriptions/manage?token=${signer.sign('manage', subscriptionId)}`;
}

/** The links every email about a subscription carries: the manage page and one-click unsubscribe. */
export function emailLinks(baseUrl: string, signer: LinkSigner, subscriptionId: number): EmailLinks {
  return {
    baseUrl,
    unsubscribeUrl: unsubscribeUrl(baseUrl, signer, subscriptionId),
    manageUrl: manageUrl(baseUrl, signer, subscriptionId),
  };
}
