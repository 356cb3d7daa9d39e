// Alerts while it happens (issue 22): subscriptions of kind intraday_move follow a group's intraday abnormal move.
// After new 5-minute bars of a member (the bars bus, bursts merged over ALERT_COALESCE_MS), each such group is
// studied over today's windows: every event with a known time since the previous close of a member's exchange up
// to the close of its current (or latest) session, or without one, an ad hoc window from the session's open. When
// the group's CAAR0 (or its bmpT) reaches a subscription's threshold inside the event session, ONE email goes
// through the outbox, its dedupe key (subscription, group, session, event or window) making it once across
// re-runs, restarts and app instances. Only sessions that are news now, bars fetched recently, and crossings
// seen after the subscription was confirmed alert (the rules of the daily alerts).
import type pg from 'pg';
import type { AppContext } from '../context/appContext';
import type { BarEventsHandler, BarEventsHandlerFactory, BarsStoredReaction } from '../bars/barEventsBus';
import type { BarsStoredEvent } from '../bars/barEvents';
import { intradayGroupCrossing, type IntradayGroupCrossing } from '../analysis/alertRules';
import { DEFAULT_INTRADAY_OPTIONS, type IntradayStudyResult } from '../analysis/intraday/intradayTypes';
import { computeIntradayAnswer } from '../intraday/intradayService';
import { type MarketCode, calendarDayZero, previousTradingDay, recentSessionDates, sessionCloseInstant, sessionOn } from '../markets';
import { marketForInstrument } from '../marketdata/yahooMarkets';
import { latestIntradayBarsFrom, type LatestIntradayBar } from '../bars/intradayBarReads';
import { listTrackedInstruments } from '../instruments/instrumentStore';
import { eventsBetween, type EventRef } from '../news/eventStore';
import { newsOfSymbolsBetween } from '../news/newsStore';
import { composeGroupIntradayEmail } from '../notifications/emailContent';
import { linkSigner, publicBaseUrl } from '../notifications/linkTokens';
import { queuedDedupeKeys } from '../outbox/outboxStore';
import { listActiveSubscriptions, type ActiveSubscription } from '../subscriptions/subscriptionStore';
import { linksOf, queueAlertEmail, termsOf, type AlertLinks } from './alertWriter';

/** Bars fetched longer ago than this no longer alert (a restart after a long outage does not send stale news). */
const LOOKBACK_MS = 48 * 3600 * 1000;
/** News of the members published this long before the study's end are named. */
const NEWS_LOOKBACK_MS = 3 * 24 * 3600 * 1000;
const MAX_NEWS = 5;
/** The interval the intraday study of an alert runs on. */
const INTERVAL = '5m';

/** A group's intraday study now: of an event (by slug; its own instant), or ad hoc from `at`. */
interface GroupStudyRequest {
  group: string;
  event: string | null;
  at: Date;
  now: Date;
}
type GroupIntradayStudy = (req: GroupStudyRequest) => Promise<IntradayStudyResult>;

/** One window a group is studied over today. */
interface StudyWindow {
  /** `event:<slug>` or `open:<ISO instant of the open>` */
  key: string;
  /** the exchange-local date of the session it is about */
  sessionDate: string;
  instant: Date;
  event: EventRef | null;
}

interface MarketSession {
  code: MarketCode;
  date: string;
  open: Date;
  close: Date;
  /** the close of the session before: events from then on are this session's */
  previousClose: Date;
}

/** The session of the market that is news at `now`: the one in progress, else the latest closed. */
function currentSession(code: MarketCode, now: Date): MarketSession {
  const date = recentSessionDates(code, now).at(-1)!;
  const { open, close } = sessionOn(code, date);
  return { code, date, open, close, previousClose: sessionCloseInstant(code, previousTradingDay(code, date)) };
}

/**
 * The windows of a group at `now` (pure): each event with a known time whose event session (on a member's exchange)
 * is that exchange's current or latest session, dated by the first session closing after it among the group's
 * exchanges; without any, one ad hoc window per exchange from its session's open.
 */
function studyWindows(sessions: readonly MarketSession[], events: readonly EventRef[]): StudyWindow[] {
  const windows: StudyWindow[] = [];
  for (const e of events) {
    if (e.dateOnly) continue;
    const t = e.occurredAt.getTime();
    if (!sessions.some((s) => t >= s.previousClose.getTime() && t < s.close.getTime())) continue;
    const sessionDate = sessions
      .map((s) => calendarDayZero(s.code, { instant: e.occurredAt, dateOnly: false }))
      .sort((a, b) => a.close.getTime() - b.close.getTime())[0].date;
    windows.push({ key: `event:${e.slug}`, sessionDate, instant: e.occurredAt, event: e });
  }
  if (windows.length) return windows;
  const opens = new Map<string, MarketSession>();
  for (const s of sessions) opens.set(s.open.toISOString(), s);
  return [...opens.entries()].map(([iso, s]) => ({ key: `open:${iso}`, sessionDate: s.date, instant: s.open, event: null }));
}

/** The outbox key of one alert: one email per (subscription, group, session, event or ad hoc window). */
const intradayAlertKey = (subscriptionId: number, group: string, w: StudyWindow) =>
  `intraday:${subscriptionId}:${group}:${w.sessionDate}:${w.key}`;

interface FollowedGroup {
  slug: string;
  members: string[];
  subscriptions: ActiveSubscription[];
}

class IntradayAlertTriggers implements BarEventsHandler {
  readonly name = 'intraday-alert-triggers';
  readonly barsStored: BarsStoredReaction;
  private links!: AlertLinks;

  constructor(
    private readonly ctx: AppContext,
    private readonly study: GroupIntradayStudy,
    /** what time it is: which sessions are news depends on it (a test sets the clock of the bars it stores) */
    private readonly now: () => Date = () => new Date(),
  ) {
    this.barsStored = {
      intervals: [INTERVAL],
      // the bars of a group's members come in a burst: one study for the burst
      debounceMs: ctx.config.ALERT_COALESCE_MS,
      handle: (event) => this.onBarsStored(event),
      sweepAtStart: true,
      sweepEveryMs: ctx.config.ALERT_SWEEP_SECONDS * 1000,
    };
  }

  private get pool(): pg.Pool {
    return this.ctx.db.pool;
  }

  async start(): Promise<void> {
    this.links = { baseUrl: publicBaseUrl(this.ctx.config), signer: await linkSigner(this.pool, this.ctx.config) };
  }

  private async onBarsStored(event: BarsStoredEvent): Promise<void> {
    try {
      await this.evaluate(event.symbols === null ? 'all' : new Set(event.symbols));
    } catch (err) {
      // the next bar or sweep tries again: the bars are still there and the dedupe key still unused
      this.ctx.logger.warn({ err }, 'intraday alert evaluation failed');
    }
  }

  /** Study every followed group with a member among `requested` and queue the emails of the crossings. */
  async evaluate(requested: Set<string> | 'all'): Promise<void> {
    const subscriptions = await listActiveSubscriptions(this.pool, 'intraday_move');
    const groups = new Map<string, FollowedGroup>();
    for (const s of subscriptions) {
      if (s.group === null || s.symbols.length === 0) continue;
      const g = groups.get(s.group) ?? { slug: s.group, members: s.symbols, subscriptions: [] };
      g.subscriptions.push(s);
      groups.set(s.group, g);
    }
    for (const g of groups.values()) {
      if (requested !== 'all' && !g.members.some((m) => requested.has(m))) continue;
      await this.evaluateGroup(g);
    }
  }

  private async evaluateGroup(g: FollowedGroup): Promise<void> {
    const now = this.now();
    const instruments = (await listTrackedInstruments(this.pool)).filter((i) => g.members.includes(i.symbol));
    const codes = [...new Set(instruments.map(marketForInstrument).filter((c): c is MarketCode => c !== null))].sort();
    if (codes.length === 0) return;
    const sessions = codes.map((c) => currentSession(c, now));
    // only sessions whose members have bars, fetched recently: history stored late never alerts
    const earliestOpen = new Date(Math.min(...sessions.map((s) => s.open.getTime())));
    const latest = await latestIntradayBarsFrom(this.pool, g.members, INTERVAL, earliestOpen);
    const fresh = [...latest.values()].filter((b) => b.fetchedAt.getTime() >= Date.now() - LOOKBACK_MS && b.ts <= now);
    if (fresh.length === 0) return;
    const lastFetch = Math.max(...fresh.map((b) => b.fetchedAt.getTime()));
    const subscribers = g.subscriptions.filter((s) => s.confirmedAt.getTime() <= lastFetch);
    if (subscribers.length === 0) return;

    const from = new Date(Math.min(...sessions.map((s) => s.previousClose.getTime())));
    const to = new Date(Math.max(...sessions.map((s) => s.close.getTime())));
    const events = (await eventsBetween(this.pool, from, to)).filter((e) => e.occurredAt <= now);
    for (const w of studyWindows(sessions, events)) {
      const keyOf = (s: ActiveSubscription) => intradayAlertKey(s.id, g.slug, w);
      const done = await queuedDedupeKeys(this.pool, subscribers.map(keyOf));
      const open = subscribers.filter((s) => !done.has(keyOf(s)));
      if (open.length === 0) continue;
      const study = await this.study({ group: g.slug, event: w.event?.slug ?? null, at: w.instant, now });
      for (const s of open) {
        const crossing = intradayGroupCrossing(study, { caarPct: s.intradayCaarPct, bmpT: s.intradayBmpT });
        if (crossing) await this.queueEmail(s, g, w, study, crossing, latest);
      }
    }
  }

  private async queueEmail(
    s: ActiveSubscription,
    g: FollowedGroup,
    w: StudyWindow,
    study: IntradayStudyResult,
    crossing: IntradayGroupCrossing,
    latest: Map<string, LatestIntradayBar>,
  ): Promise<void> {
    const end = study.asOf ? new Date(study.asOf) : this.now();
    const news = await newsOfSymbolsBetween(
      this.pool,
      g.members,
      w.event?.id ?? null,
      new Date(end.getTime() - NEWS_LOOKBACK_MS),
      end,
      MAX_NEWS,
    );
    const base = this.links.baseUrl;
    const liveUrl = w.event
      ? `${base}/events/${encodeURIComponent(w.event.slug)}?group=${encodeURIComponent(g.slug)}#intraday`
      : `${base}/api/intraday?at=${encodeURIComponent(w.instant.toISOString())}&group=${encodeURIComponent(g.slug)}`;
    const email = composeGroupIntradayEmail(
      {
        group: g.slug,
        sessionDate: w.sessionDate,
        event: w.event ? { slug: w.event.slug, title: w.event.title } : null,
        instant: w.instant.toISOString(),
        crossing,
        latest: crossing.latest,
        asOf: study.asOf,
        liveUrl,
        news: news.map((n) => ({ title: n.title, url: n.url, publisher: n.publisher, symbols: n.symbols })),
        synthetic: [...latest.values()].some((b) => /synthetic/i.test(b.source)),
      },
      termsOf(s),
      linksOf(this.links, s.id),
    );
    const queued = await queueAlertEmail(this.pool, s.id, intradayAlertKey(s.id, g.slug, w), email);
    if (queued !== null) {
      this.ctx.metrics.alertsCreated.inc({ rule: 'intraday_group' });
      this.ctx.logger.info(
        { subscriptionId: s.id, group: g.slug, window: w.key, caar0: crossing.caar0, k: crossing.k },
        'intraday group alert queued',
      );
    }
  }
}

/** The study of the intraday service (src/intraday) over the stored bars, in a compute worker, with the default options. */
const storedGroupStudy =
  (ctx: AppContext): GroupIntradayStudy =>
  (req) =>
    computeIntradayAnswer(
      { pool: ctx.db.pool, compute: ctx.compute },
      { slug: req.event },
      {
        selection: { symbols: null, group: req.group },
        how: { options: { ...DEFAULT_INTRADAY_OPTIONS }, benchmark: null },
        at: req.event === null ? req.at : null,
      },
      req.now,
    );

/** The intraday group alerts of this app, or null when JOB_ALERTS_ENABLED is off. */
export function intradayAlertTriggers(opts: { now?: () => Date } = {}): BarEventsHandlerFactory {
  return (ctx) => (ctx.config.JOB_ALERTS_ENABLED ? new IntradayAlertTriggers(ctx, storedGroupStudy(ctx), opts.now) : null);
}
