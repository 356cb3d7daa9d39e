// Shock alerts (issue 23): subscriptions of kind `shocks` follow a group's shocks, one email per shock when it is
// first detected, with its news. The shock detector records each shock once (its table's unique key); this
// looks at the shocks recorded recently, after bars are stored, after a shock is first recorded (shockRecorded,
// called by the detector of this process) and on the safety-net sweep, so a shock recorded by another app
// instance or just before a restart is still emailed. The outbox dedupe key (subscription, shock) makes the email
// once across instances and re-runs. Shocks of old sessions (a backtest scan of history) never alert.
import type { AppContext } from '../context/appContext';
import type { BarEventsHandler, BarEventsHandlerFactory, BarsStoredReaction } from '../bars/barEventsBus';
import { composeShockEmail, type ShockForEmail } from '../notifications/emailContent';
import { linkSigner, publicBaseUrl } from '../notifications/linkTokens';
import { queuedDedupeKeys } from '../outbox/outboxStore';
import { listActiveSubscriptions, type ActiveSubscription } from '../subscriptions/subscriptionStore';
import type { Shock } from '../shocks/shockContract';
import { shocksMatching } from '../shocks/shockService';
import { createShockDetection, type ShockDetectionOptions } from '../shocks/shockDetectorService';
import { linksOf, queueAlertEmail, termsOf, type AlertLinks } from './alertWriter';

/** A shock whose end is longer ago than this does not alert (a scan of history records old shocks); the detector announces 3 days back. */
const LOOKBACK_MS = 72 * 3600 * 1000;
/** Bars stored: the detector records what they show; look a little later (and again at the sweep). */
const AFTER_BARS_MS = 2_000;

/** What the email says of a shock as the shocks API shows it. */
function shockForEmail(s: Shock, url: string): ShockForEmail {
  return {
    group: s.group.slug,
    groupName: s.group.name,
    kind: s.kind,
    sessionDate: s.sessionDate,
    start: s.start,
    z: s.statistic.z,
    p: s.statistic.p,
    n: s.statistic.n,
    breadth: s.breadth,
    direction: s.direction,
    aar: s.size.aar,
    firstBarByExchange: s.firstBarByExchange,
    news: s.news.map((n) => ({ title: n.title, url: n.url, source: n.source, membersNamed: n.membersNamed })),
    url,
  };
}

const shockAlertKey = (subscriptionId: number, shockId: number) => `shock:${subscriptionId}:${shockId}`;

class ShockAlertTriggers implements BarEventsHandler {
  readonly name = 'shock-alert-triggers';
  readonly barsStored: BarsStoredReaction;
  private links!: AlertLinks;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: AppContext,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.barsStored = {
      debounceMs: Math.max(AFTER_BARS_MS, ctx.config.ALERT_COALESCE_MS),
      handle: () => this.evaluateLogged(),
      sweepAtStart: true,
      sweepEveryMs: ctx.config.ALERT_SWEEP_SECONDS * 1000,
    };
  }

  async start(): Promise<void> {
    this.links = { baseUrl: publicBaseUrl(this.ctx.config), signer: await linkSigner(this.ctx.db.pool, this.ctx.config) };
  }

  /** The detector of this process first recorded a shock: email its followers now (one evaluation at a time). */
  shockRecorded(): Promise<void> {
    this.running = this.running.then(() => this.evaluateLogged());
    return this.running;
  }

  private async evaluateLogged(): Promise<void> {
    try {
      await this.evaluate();
    } catch (err) {
      this.ctx.logger.warn({ err }, 'shock alert evaluation failed; the next sweep retries');
    }
  }

  /** Queue the email of every recent shock of a followed group that its subscriber has not had. */
  async evaluate(): Promise<void> {
    const pool = this.ctx.db.pool;
    const subscriptions = (await listActiveSubscriptions(pool, 'shocks')).filter((s) => s.group !== null);
    if (subscriptions.length === 0) return;
    const now = this.now().getTime();
    // a shock starts before it ends: its start lies within the lookback and the longest shock (a day) before it
    const shocks = (await shocksMatching(pool, { from: new Date(now - LOOKBACK_MS - 86_400_000) })).filter(
      (s) => s.status !== 'dismissed' && Date.parse(s.end) >= now - LOOKBACK_MS,
    );
    const pairs = subscriptions.flatMap((sub) =>
      shocks
        .filter((s) => s.group.slug === sub.group && Date.parse(s.detectedAt) >= sub.confirmedAt.getTime())
        .map((shock) => ({ sub, shock })),
    );
    const done = await queuedDedupeKeys(
      pool,
      pairs.map((p) => shockAlertKey(p.sub.id, p.shock.id)),
    );
    for (const { sub, shock } of pairs) if (!done.has(shockAlertKey(sub.id, shock.id))) await this.queueEmail(sub, shock);
  }

  private async queueEmail(sub: ActiveSubscription, shock: Shock): Promise<void> {
    const url = `${this.links.baseUrl}/shocks/${shock.id}`;
    const email = composeShockEmail(shockForEmail(shock, url), termsOf(sub), linksOf(this.links, sub.id));
    const queued = await queueAlertEmail(this.ctx.db.pool, sub.id, shockAlertKey(sub.id, shock.id), email);
    if (queued !== null) {
      this.ctx.metrics.alertsCreated.inc({ rule: 'group_shock' });
      this.ctx.logger.info({ subscriptionId: sub.id, shockId: shock.id, group: shock.group.slug }, 'shock alert queued');
    }
  }
}

/** The shock alerts of this app, or null when JOB_ALERTS_ENABLED is off. */
function shockAlertTriggers(opts: { now?: () => Date } = {}): BarEventsHandlerFactory {
  return (ctx) => (ctx.config.JOB_ALERTS_ENABLED ? new ShockAlertTriggers(ctx, opts.now) : null);
}

/**
 * The shock detector and the shock alerts of an app, as two bar-events handlers: the detector's first-detected hook
 * has the same app's alerts look at once (their own look after bars and on the sweep covers the other instances).
 */
export function shockDetectionWithAlerts(
  opts: { detection?: ShockDetectionOptions; now?: () => Date } = {},
): [BarEventsHandlerFactory, BarEventsHandlerFactory] {
  const alertsOf = new WeakMap<AppContext, ShockAlertTriggers>();
  const hook = (ctx: AppContext) => () => alertsOf.get(ctx)?.shockRecorded();
  const detector: BarEventsHandlerFactory = (ctx, bus) =>
    createShockDetection({ ...opts.detection, onShockDetected: [...(opts.detection?.onShockDetected ?? []), hook(ctx)] })(ctx, bus);
  const alerts: BarEventsHandlerFactory = (ctx, bus) => {
    const handler = shockAlertTriggers(opts)(ctx, bus) as ShockAlertTriggers | null;
    if (handler) alertsOf.set(ctx, handler);
    return handler;
  };
  return [detector, alerts];
}
