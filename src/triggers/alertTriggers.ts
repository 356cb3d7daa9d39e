// The alert triggers. Reacts to NOTIFY bars_stored (sent by the bar stores at commit) and sweeps periodically
// as a safety net, so a missed notification delays an alert by one sweep at most and never loses it.
//
// An evaluation looks, per followed instrument, at its newest final daily bar (close_move, close_abnormal) and
// at the newest price of a session after it (intraday bars or a provisional daily bar: intraday_move). Only bars
// stored recently and after the subscription was confirmed count, so backfills and history never alert.
// Alerts of one instant subscription found within ALERT_COALESCE_MS are written together with ONE outbox email
// in one transaction; the unique (subscription, symbol, session, rule) key makes every alert exactly once,
// across sweeps, restarts and app instances. Digest subscriptions get their alerts recorded at once and one
// email per exchange session after its close.
import { DateTime } from 'luxon';
import type pg from 'pg';
import { withTransaction } from '../db/transaction';
import type { DailyBar } from '../analysis';
import type { AppContext } from '../context/appContext';
import type { BackgroundService, ServiceFactory } from '../context/appContext';
import { BARS_STORED_CHANNEL } from '../bars/dailyBarStore';
import { localDate, marketBasics, marketForInstrument, sessionCloseInstant, type MarketCode } from '../markets';
import { CLOSE_EVALUATION_BARS, closeRules, intradayRule, type AlertRule, type TriggeredRule } from '../analysis/alertRules';
import {
  alertKey,
  attachAlertsToEmail,
  existingAlertKeys,
  finalBarsBetween,
  insertAlerts,
  lastFinalBars,
  latestFinalBars,
  latestSessionPrice,
  listActiveSubscriptions,
  listTrackedInstruments,
  lockActiveSubscription,
  pendingDigestAlerts,
  symbolsWithFinalBarOn,
  type ActiveSubscription,
  type AlertInstrument,
  type InsertedAlert,
  type PendingDigestAlert,
} from './alertStore';
import { composeAlertEmail, composeDigestEmail, type MoveForEmail, type SubscriptionTerms } from '../outbox/emailContent';
import { linkSigner, publicBaseUrl, unsubscribeUrl, type LinkSigner } from '../outbox/linkTokens';
import { moveContext, type MoveContext } from './moveContext';
import { enqueueEmail } from '../outbox/outboxStore';
import { PgListener } from '../db/pgListener';

/** Bars stored longer ago than this no longer alert (a restart after a long outage does not send stale news). */
const ALERT_LOOKBACK_MS = 48 * 3600 * 1000;
/** A digest waits for the final bars of everything its subscriber follows on that exchange, this long at most. */
const DIGEST_MAX_WAIT_MS = 3 * 3600 * 1000;

interface Candidate {
  subscription: ActiveSubscription;
  instrument: AlertInstrument;
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

const candidateKey = (c: Candidate) => alertKey({ subscriptionId: c.subscription.id, symbol: c.instrument.symbol, sessionDate: c.sessionDate, rule: c.rule });

const termsOf = (s: Pick<ActiveSubscription, 'symbols' | 'minMovePct' | 'minAbnormalZ' | 'mode'>): SubscriptionTerms => ({
  symbols: s.symbols,
  minMovePct: s.minMovePct,
  minAbnormalZ: s.minAbnormalZ,
  mode: s.mode,
});

function closeInstant(instrument: AlertInstrument, date: string): Date {
  const code = marketForInstrument(instrument);
  return code ? sessionCloseInstant(code, date) : DateTime.fromISO(date, { zone: instrument.timeZone }).endOf('day').toJSDate();
}

export class AlertTriggerService implements BackgroundService {
  readonly name = 'alert-triggers';
  private signer!: LinkSigner;
  private baseUrl = '';
  private listener: PgListener | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  /** symbols named by notifications not yet evaluated; 'all' after a sweep request */
  private requested: Set<string> | 'all' | null = null;
  private running: Promise<void> | null = null;
  private readonly buffers = new Map<number, { candidates: Map<string, Candidate>; timer: NodeJS.Timeout }>();
  private readonly writes = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly ctx: AppContext) {}

  private get pool(): pg.Pool {
    return this.ctx.db.pool;
  }

  async start(): Promise<void> {
    this.signer = await linkSigner(this.pool, this.ctx.config);
    this.baseUrl = publicBaseUrl(this.ctx.config);
    if (!this.ctx.config.BASE_URL) this.ctx.logger.warn({ linksTo: this.baseUrl }, 'BASE_URL is not set: links in alert emails point to localhost');
    this.listener = new PgListener({
      connectionString: this.ctx.db.connectionString,
      channels: [BARS_STORED_CHANNEL],
      onNotification: (_channel, payload) => this.onBarsStored(payload),
      onReconnect: () => this.request('all'), // notifications sent while the connection was down are lost: look at everything
      logger: this.ctx.logger.child({ component: 'alert-triggers' }),
    });
    await this.listener.start();
    this.sweepTimer = setInterval(() => this.request('all'), this.ctx.config.ALERT_SWEEP_SECONDS * 1000);
    this.sweepTimer.unref?.();
    this.request('all');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.listener?.stop();
    await this.running;
    // write what is waiting in coalescing windows now rather than leave it to the next start's sweep
    for (const id of [...this.buffers.keys()]) this.flush(id);
    await Promise.all(this.writes);
  }

  /** Resolves once nothing is being evaluated, waiting in a coalescing window, or being written. */
  async settled(): Promise<void> {
    for (;;) {
      if (this.running) await this.running;
      else if (this.writes.size) await Promise.all(this.writes);
      else if (this.buffers.size) await new Promise((r) => setTimeout(r, 10));
      else return;
    }
  }

  private onBarsStored(payload: string | undefined): void {
    try {
      const { symbols } = JSON.parse(payload ?? '') as { symbols?: unknown };
      if (Array.isArray(symbols) && symbols.every((s) => typeof s === 'string')) {
        this.request(symbols as string[]);
        return;
      }
    } catch {
      // fall through: a payload we do not understand still means "bars changed"
    }
    this.request('all');
  }

  /** Evaluate these symbols (or all) soon; requests arriving during an evaluation are merged into the next. */
  request(symbols: string[] | 'all'): void {
    if (this.stopped) return;
    if (symbols === 'all' || this.requested === 'all') this.requested = 'all';
    else {
      this.requested ??= new Set();
      for (const s of symbols) this.requested.add(s);
    }
    this.running ??= this.loop().finally(() => {
      this.running = null;
    });
  }

  private async loop(): Promise<void> {
    while (this.requested && !this.stopped) {
      const batch = this.requested;
      this.requested = null;
      try {
        await this.evaluate(batch);
        await this.sendDueDigests();
      } catch (err) {
        // the next notification or sweep tries again; nothing is lost, the bars are still there
        this.ctx.logger.warn({ err }, 'alert evaluation failed');
      }
    }
  }

  private async evaluate(requested: Set<string> | 'all'): Promise<void> {
    const subscriptions = await listActiveSubscriptions(this.pool);
    if (subscriptions.length === 0) return;
    const instruments = await listTrackedInstruments(this.pool);
    const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
    const followers = (symbol: string) => subscriptions.filter((s) => s.symbols.length === 0 || s.symbols.includes(symbol));

    let symbols: string[];
    if (requested === 'all') symbols = instruments.map((i) => i.symbol);
    else {
      // new benchmark bars can complete an instrument's abnormal return
      const wanted = new Set(requested);
      for (const i of instruments) if (i.benchmarkSymbol && requested.has(i.benchmarkSymbol)) wanted.add(i.symbol);
      symbols = [...wanted].filter((s) => bySymbol.has(s));
    }
    symbols = symbols.filter((s) => followers(s).length > 0);
    if (symbols.length === 0) return;

    const since = Date.now() - ALERT_LOOKBACK_MS;
    const candidates: Candidate[] = [];
    for (const final of await latestFinalBars(this.pool, symbols)) {
      const instrument = bySymbol.get(final.symbol)!;
      const subs = followers(final.symbol);
      let history: DailyBar[] | null = null;

      // at the close: the final bar's move and abnormal return
      const closeSubs = final.fetchedAt.getTime() >= since ? subs.filter((s) => s.confirmedAt <= final.fetchedAt) : [];
      if (closeSubs.length) {
        history = await lastFinalBars(this.pool, final.symbol, final.date, CLOSE_EVALUATION_BARS);
        const benchmark = instrument.benchmarkSymbol ? await finalBarsBetween(this.pool, instrument.benchmarkSymbol, history[0].date, final.date) : null;
        const previousClose = history.length >= 2 ? history[history.length - 2].close : null;
        // subscriptions with the same thresholds get the same answer: ask the analysis core once per pair
        const byThresholds = new Map<string, TriggeredRule[]>();
        for (const subscription of closeSubs) {
          const key = `${subscription.minMovePct}|${subscription.minAbnormalZ}`;
          if (!byThresholds.has(key)) byThresholds.set(key, closeRules(history, benchmark, subscription));
          for (const figures of byThresholds.get(key)!) {
            candidates.push({
              subscription, instrument, sessionDate: final.date, rule: figures.rule, figures, price: final.close, previousClose,
              sessionDates: history.map((b) => b.date), asOf: closeInstant(instrument, final.date),
            });
          }
        }
      }

      // during a session: the newest price against the last final close
      const nextDay = DateTime.fromISO(final.date, { zone: instrument.timeZone }).plus({ days: 1 }).startOf('day').toJSDate();
      const latest = await latestSessionPrice(this.pool, final.symbol, final.date, nextDay);
      if (!latest || latest.fetchedAt.getTime() < since) continue;
      const sessionDate = latest.date ?? localDate(latest.at, instrument.timeZone);
      const intradaySubs = subs.filter((s) => s.confirmedAt <= latest.fetchedAt);
      if (sessionDate <= final.date || intradaySubs.length === 0) continue;
      history ??= await lastFinalBars(this.pool, final.symbol, final.date, 2 * 5 + 2);
      for (const subscription of intradaySubs) {
        const figures = intradayRule({ date: final.date, close: final.close }, { date: sessionDate, close: latest.price }, subscription);
        if (!figures) continue;
        candidates.push({
          subscription, instrument, sessionDate, rule: 'intraday_move', figures, price: latest.price, previousClose: final.close,
          sessionDates: [...history.map((b) => b.date), sessionDate], asOf: latest.at,
        });
      }
    }
    if (candidates.length === 0) return;

    const existing = await existingAlertKeys(
      this.pool,
      [...new Set(candidates.map((c) => c.subscription.id))],
      [...new Set(candidates.map((c) => c.instrument.symbol))],
      [...new Set(candidates.map((c) => c.sessionDate))],
    );
    const fresh = candidates.filter((c) => !existing.has(candidateKey(c)));
    const digestBySubscription = new Map<number, Candidate[]>();
    for (const c of fresh) {
      if (c.subscription.mode === 'digest') digestBySubscription.set(c.subscription.id, [...(digestBySubscription.get(c.subscription.id) ?? []), c]);
      else this.coalesce(c);
    }
    for (const [id, list] of digestBySubscription) await this.writeAlerts(id, list, false);
  }

  private coalesce(c: Candidate): void {
    const id = c.subscription.id;
    let buffer = this.buffers.get(id);
    if (!buffer) {
      buffer = { candidates: new Map(), timer: setTimeout(() => this.flush(id), this.ctx.config.ALERT_COALESCE_MS) };
      this.buffers.set(id, buffer);
    }
    if (!buffer.candidates.has(candidateKey(c))) buffer.candidates.set(candidateKey(c), c);
  }

  private flush(subscriptionId: number): void {
    const buffer = this.buffers.get(subscriptionId);
    if (!buffer) return;
    this.buffers.delete(subscriptionId);
    clearTimeout(buffer.timer);
    const write: Promise<void> = this.writeAlerts(subscriptionId, [...buffer.candidates.values()], true)
      // the candidates are lost from memory, not from the database: the next sweep finds them again
      .catch((err) => this.ctx.logger.warn({ err, subscriptionId }, 'writing alerts failed; the next sweep retries'))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  /** Context per (symbol, session), looked up before the transaction so it stays short. */
  private async contexts(candidates: Candidate[]): Promise<Map<string, MoveContext>> {
    const contexts = new Map<string, MoveContext>();
    for (const c of candidates) {
      const key = `${c.instrument.symbol}|${c.sessionDate}`;
      if (!contexts.has(key)) contexts.set(key, await moveContext(this.pool, c.instrument, c.sessionDate, c.sessionDates, c.asOf));
    }
    return contexts;
  }

  /** Insert the alerts, and for an instant subscription their one email, in one transaction. */
  private async writeAlerts(subscriptionId: number, candidates: Candidate[], withEmail: boolean): Promise<void> {
    const contexts = await this.contexts(candidates);
    const contextOf = (c: { instrument: AlertInstrument; sessionDate: string }) => contexts.get(`${c.instrument.symbol}|${c.sessionDate}`)!;
    const inserted = await withTransaction(this.pool, async (client) => {
      // FOR SHARE: an unsubscribe committing meanwhile waits for us, or we see it and write nothing
      const subscriber = await lockActiveSubscription(client, subscriptionId);
      if (!subscriber) return [];
      const byKey = new Map(candidates.map((c) => [candidateKey(c), c]));
      const inserted = await insertAlerts(
        client,
        candidates.map((c) => ({
          subscriptionId, symbol: c.instrument.symbol, sessionDate: c.sessionDate, rule: c.rule, move: c.figures.move,
          abnormalReturn: c.figures.abnormalReturn, z: c.figures.z, price: c.price, eventId: contextOf(c).event?.id ?? null,
        })),
      );
      if (inserted.length && withEmail) {
        const written = inserted.map((a) => byKey.get(alertKey(a))!);
        const moves = movesForEmail(written.map((c) => ({ ...c, context: contextOf(c) })));
        const email = composeAlertEmail(moves, termsOf(written[0].subscription), { baseUrl: this.baseUrl, unsubscribeUrl: unsubscribeUrl(this.baseUrl, this.signer, subscriptionId) });
        const emailId = await enqueueEmail(client, {
          dedupeKey: `alert:${subscriptionId}:${Math.min(...inserted.map((a) => a.id))}`,
          kind: 'alert', subscriptionId, to: subscriber.email, ...email,
        });
        if (emailId !== null) await attachAlertsToEmail(client, inserted.map((a) => a.id), emailId);
      }
      return inserted;
    });
    this.countCreated(inserted);
  }

  private countCreated(inserted: InsertedAlert[]): void {
    for (const a of inserted) this.ctx.metrics.alertsCreated.inc({ rule: a.rule });
    if (inserted.length) this.ctx.logger.info({ alerts: inserted.map((a) => ({ id: a.id, subscriptionId: a.subscriptionId, symbol: a.symbol, rule: a.rule })) }, 'alerts created');
  }

  /**
   * One digest per subscriber and exchange session, once the session has closed and the final bars of what the
   * subscriber follows there are in (or DIGEST_MAX_WAIT_MS after the close). Its dedupe key makes it once.
   */
  private async sendDueDigests(): Promise<void> {
    const pending = await pendingDigestAlerts(this.pool);
    if (pending.length === 0) return;
    const instruments = await listTrackedInstruments(this.pool);
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
      const followed = sameMarket.filter((i) => alerts[0].subscriptionSymbols.length === 0 || alerts[0].subscriptionSymbols.includes(i.symbol)).map((i) => i.symbol);
      const complete = (await symbolsWithFinalBarOn(this.pool, followed, sessionDate)).size >= followed.length;
      if (!complete && now < close + DIGEST_MAX_WAIT_MS) continue;
      await this.writeDigest(key.split('|')[1], code ? marketBasics(code).name : sample.timeZone, sessionDate, alerts, bySymbol);
    }
  }

  private async writeDigest(marketKey: string, marketName: string, sessionDate: string, alerts: PendingDigestAlert[], bySymbol: Map<string, AlertInstrument>): Promise<void> {
    const first = alerts[0];
    const moves: AlertForEmail[] = [];
    for (const a of alerts) {
      const instrument = bySymbol.get(a.symbol)!;
      const history = await lastFinalBars(this.pool, a.symbol, a.sessionDate, 2 * 5 + 2);
      const previousClose = history.filter((b) => b.date < a.sessionDate).at(-1)?.close ?? null;
      const sessionDates = [...new Set([...history.map((b) => b.date), a.sessionDate])];
      const context = await moveContext(this.pool, instrument, a.sessionDate, sessionDates, closeInstant(instrument, a.sessionDate), a.eventId);
      moves.push({ instrument, sessionDate: a.sessionDate, rule: a.rule, figures: a, price: a.price, previousClose, context });
    }
    await withTransaction(this.pool, async (client) => {
      const subscriber = await lockActiveSubscription(client, first.subscriptionId);
      if (!subscriber) return;
      const terms: SubscriptionTerms = { symbols: first.subscriptionSymbols, minMovePct: first.minMovePct, minAbnormalZ: first.minAbnormalZ, mode: 'digest' };
      const email = composeDigestEmail(marketName, sessionDate, movesForEmail(moves), terms, {
        baseUrl: this.baseUrl,
        unsubscribeUrl: unsubscribeUrl(this.baseUrl, this.signer, first.subscriptionId),
      });
      const emailId = await enqueueEmail(client, {
        dedupeKey: `digest:${first.subscriptionId}:${marketKey}:${sessionDate}`,
        kind: 'digest', subscriptionId: first.subscriptionId, to: subscriber.email, ...email,
      });
      if (emailId !== null) await attachAlertsToEmail(client, alerts.map((a) => a.id), emailId);
    });
  }
}

interface AlertForEmail {
  instrument: AlertInstrument;
  sessionDate: string;
  rule: AlertRule;
  figures: Pick<TriggeredRule, 'move' | 'abnormalReturn' | 'z'>;
  price: number | null;
  previousClose: number | null;
  context: MoveContext;
}

/** One line per (instrument, session, intraday or close), with the rules it crossed. */
function movesForEmail(alerts: AlertForEmail[]): MoveForEmail[] {
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

/** The alert triggers of this app, or null when JOB_ALERTS_ENABLED is off. */
export function alertTriggerService(): ServiceFactory {
  return (ctx) => (ctx.config.JOB_ALERTS_ENABLED ? new AlertTriggerService(ctx) : null);
}
