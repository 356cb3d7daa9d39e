// Shared pieces of the alert tests: a real SMTP server on 127.0.0.1 (smtp-server, parsed with mailparser),
// the real app with the alert services, and small steps (subscribe and confirm, store a bar).
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import type { AddressInfo } from 'node:net';
import { type AlertTriggers, alertTriggers } from '../../src/triggers/alertTriggerService';
import { type BarEventsBus, type BarEventsHandlerFactory, barEventsService } from '../../src/bars/barEventsBus';
import { type OutboxSender, outboxSenderService } from '../../src/outbox/outboxSender';
import { subscriptionWantsEmails } from '../../src/subscriptions/subscriptionStore';
import type { RunningApp } from '../../src/app/server';
import type { ServiceFactory } from '../../src/context/appContext';
import { upsertDailyBars } from '../../src/bars/dailyBarStore';
import type { DailyBarInput } from '../../src/marketdata/types';
import { sessionCloseInstant } from '../../src/markets';
import { startTestApp } from '../support/testApp';
import type { TestDatabase } from '../support/testDb';

export const ADMIN_TOKEN = 'admin-token-for-alert-tests';
export const BASE_URL = 'http://aftershock.test';

export interface ReceivedEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** a header's raw value as sent (unfolded), or undefined */
  header(name: string): string | undefined;
}

export interface TestSmtp {
  url: string;
  port: number;
  /** messages the server accepted (answered 250), in order */
  accepted: ReceivedEmail[];
  /** recipients whose message data the server started to receive, once per attempt */
  dataStarted: string[];
  /** take the message data for this recipient and never answer (a sender killed mid-delivery) */
  stallFor: string | null;
  /** answer with this SMTP code instead of accepting, when it returns one */
  reject: ((mail: ReceivedEmail) => number | null) | null;
  listen(port?: number): Promise<void>;
  close(): Promise<void>;
  to(address: string): ReceivedEmail[];
  waitFor(predicate: (s: TestSmtp) => boolean, what: string, timeoutMs?: number): Promise<void>;
}

export function createSmtp(): TestSmtp {
  let server: SMTPServer | null = null;
  const smtp: TestSmtp = {
    url: '',
    port: 0,
    accepted: [],
    dataStarted: [],
    stallFor: null,
    reject: null,
    async listen(port = 0) {
      server = new SMTPServer({
        disabledCommands: ['STARTTLS', 'AUTH'],
        authOptional: true,
        logger: false,
        closeTimeout: 100,
        onData(stream, session, callback) {
          const rcpt = session.envelope.rcptTo.map((r) => r.address);
          smtp.dataStarted.push(...rcpt);
          if (smtp.stallFor && rcpt.includes(smtp.stallFor)) {
            stream.resume(); // read it all, answer never
            return;
          }
          simpleParser(stream).then(
            (parsed) => {
              const mail: ReceivedEmail = {
                to: session.envelope.rcptTo.map((r) => r.address),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                messageId: parsed.messageId ?? '',
                header: (name) => {
                  const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
                  return line
                    ?.slice(line.indexOf(':') + 1)
                    .replace(/\r?\n\s+/g, ' ')
                    .trim();
                },
              };
              const code = smtp.reject?.(mail) ?? null;
              if (code !== null) {
                callback(Object.assign(new Error(`rejected by the test server (${code})`), { responseCode: code }));
                return;
              }
              smtp.accepted.push(mail);
              callback();
            },
            (err) => callback(err),
          );
        },
      });
      server.on('error', () => {});
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', () => resolve()));
      smtp.port = (server.server.address() as AddressInfo).port;
      smtp.url = `smtp://127.0.0.1:${smtp.port}`;
    },
    async close() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    to(address) {
      return smtp.accepted.filter((m) => m.to.includes(address));
    },
    async waitFor(predicate, what, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (!predicate(smtp)) {
        if (Date.now() > until)
          throw new Error(`timed out waiting for ${what}; accepted: ${JSON.stringify(smtp.accepted.map((m) => [m.to, m.subject]))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
  return smtp;
}

export async function waitUntil<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The clock of the alert tests' trigger services. The tests store the sessions after the bundled data (2025),
 * and only the latest session is news, so storeBars sets the clock to a minute after the US close of the newest
 * session it stored (a session of Tokyo or Europe of that date has closed by then too, the next has not opened).
 */
export const alertClock = {
  at: null as Date | null,
  now(): Date {
    return alertClock.at ?? new Date();
  },
  afterCloseOf(date: string): void {
    alertClock.at = new Date(sessionCloseInstant('US', date).getTime() + 60_000);
  },
};

/** The bar-events bus with the alert triggers (on the test clock) as its one handler. */
export function alertTriggersOnBus() {
  let bus: BarEventsBus | null = null;
  let triggers: AlertTriggers | null = null;
  const onBus = barEventsService((ctx, b) => (triggers = alertTriggers({ now: alertClock.now })(ctx, b) as AlertTriggers | null));
  const service: ServiceFactory = (ctx) => (bus = onBus(ctx) as BarEventsBus | null);
  return {
    service,
    get triggers() {
      return triggers;
    },
    /** evaluate every followed instrument now and wait until the alerts and their emails are written */
    async evaluateNow(): Promise<void> {
      bus?.sweep();
      await bus?.settled();
      await triggers?.settled();
    },
  };
}

export interface AlertApp extends RunningApp {
  triggers: AlertTriggers | null;
  sender: OutboxSender | null;
  /** evaluate every followed instrument now and wait until alerts and emails are written and handed over */
  evaluateNow(): Promise<void>;
}

/** The real app with the alert services (the trigger service and, with an SMTP URL, the sender). */
export async function startAlertApp(db: TestDatabase, env: Record<string, string> = {}): Promise<AlertApp> {
  const onBus = alertTriggersOnBus();
  let sender: OutboxSender | null = null;
  const services: ServiceFactory[] = [
    onBus.service,
    (ctx) => (sender = outboxSenderService(subscriptionWantsEmails)(ctx) as OutboxSender | null),
  ];
  const app = await startTestApp(
    db,
    {
      ADMIN_TOKEN,
      BASE_URL,
      ALERT_COALESCE_MS: '300',
      ALERT_SWEEP_SECONDS: '3600', // the tests drive evaluation through NOTIFY or evaluateNow()
      OUTBOX_RETRY_BASE_MS: '100',
      SUBSCRIBE_RATE_LIMIT: '1000',
      ...env,
    },
    services,
  );
  return Object.assign(app, {
    get triggers() {
      return onBus.triggers;
    },
    get sender() {
      return sender;
    },
    async evaluateNow() {
      await onBus.evaluateNow();
      await sender?.settled();
    },
  }) as AlertApp;
}

/** What the subscribe answer and a stored subscription say of a subscription to moves (the default kind). */
export const MOVES_KIND = { kind: 'moves', intradayCaarPct: null, intradayBmpT: null } as const;

export interface BusApp {
  url: string;
  stop(): Promise<void>;
  /** every handler looks at everything now; wait until they are done and their emails are handed to the SMTP server */
  evaluateNow(): Promise<void>;
}

/** The real app with these bar-events handlers and the outbox sender to `smtp`. */
export async function startBusApp(
  db: TestDatabase,
  smtp: TestSmtp,
  handlers: BarEventsHandlerFactory[],
  env: Record<string, string> = {},
): Promise<BusApp> {
  let bus: BarEventsBus | null = null;
  let sender: OutboxSender | null = null;
  const onBus = barEventsService(...handlers);
  const services: ServiceFactory[] = [
    (ctx) => (bus = onBus(ctx) as BarEventsBus | null),
    (ctx) => (sender = outboxSenderService(subscriptionWantsEmails)(ctx) as OutboxSender | null),
  ];
  const app = await startTestApp(
    db,
    { ADMIN_TOKEN, BASE_URL, SMTP_URL: smtp.url, ALERT_SWEEP_SECONDS: '3600', SUBSCRIBE_RATE_LIMIT: '1000', ...env },
    services,
  );
  return {
    url: app.url,
    stop: () => app.stop(),
    async evaluateNow() {
      bus?.sweep();
      await bus?.settled();
      await sender?.settled();
    },
  };
}

export interface SubscribeBody {
  email: string;
  symbols?: string[] | string;
  group?: string;
  minMovePct?: number;
  minAbnormalZ?: number;
  mode?: 'instant' | 'digest';
  kind?: 'moves' | 'intraday_move' | 'shocks';
  intradayCaarPct?: number;
  intradayBmpT?: number;
}

/** The newest subscription of an address (the API does not tell the subscriber's id before confirmation). */
export async function subscriptionIdOf(db: TestDatabase, email: string): Promise<number> {
  const { rows } = await db.pool.query('SELECT id FROM subscriptions WHERE email = $1 ORDER BY id DESC LIMIT 1', [email]);
  return rows[0].id;
}

export function linkIn(text: string, route: 'confirm' | 'unsubscribe'): string {
  const m = new RegExp(`${BASE_URL}(/api/subscriptions/${route}\\?token=[A-Za-z0-9._-]+)`).exec(text);
  if (!m) throw new Error(`no ${route} link in: ${text}`);
  return m[1];
}

/** The path of the manage link (the dashboard page) in an email's text. */
export function manageLinkIn(text: string): string {
  const m = new RegExp(`${BASE_URL}(/subscriptions/manage\\?token=[A-Za-z0-9._-]+)`).exec(text);
  if (!m) throw new Error(`no manage link in: ${text}`);
  return m[1];
}

/** Subscribe, wait for the confirmation email, follow its link. Returns the subscription id. */
export async function subscribeAndConfirm(app: Pick<RunningApp, 'url'>, smtp: TestSmtp, body: SubscribeBody): Promise<number> {
  const before = smtp.to(body.email).length;
  const res = await request(app.url).post('/api/subscriptions').send(body);
  if (res.status !== 202) throw new Error(`subscribe answered ${res.status}: ${JSON.stringify(res.body)}`);
  await smtp.waitFor((s) => s.to(body.email).length > before, `the confirmation email to ${body.email}`);
  const confirmation = smtp.to(body.email)[before];
  const confirmed = await request(app.url).post(linkIn(confirmation.text, 'confirm'));
  if (confirmed.status !== 200) throw new Error(`confirm answered ${confirmed.status}: ${JSON.stringify(confirmed.body)}`);
  return confirmed.body.subscription.id;
}

/** One final (or provisional) daily bar, the way ingest stores it. */
export async function storeBar(
  db: TestDatabase,
  symbol: string,
  date: string,
  close: number,
  extra: Partial<DailyBarInput> = {},
): Promise<void> {
  await storeBars(db, [{ symbol, date, close, ...extra }]);
}

export async function storeBars(
  db: TestDatabase,
  bars: (Pick<DailyBarInput, 'symbol' | 'date' | 'close'> & Partial<DailyBarInput>)[],
): Promise<void> {
  const newest = bars.map((b) => b.date).sort();
  alertClock.afterCloseOf(newest[newest.length - 1]);
  const full = bars.map((b) => ({ open: b.close, high: b.close, low: b.close, adjClose: null, volume: 1_000_000, ...b }));
  const counts = await upsertDailyBars(db.pool, full, { source: 'test' });
  if (counts.rowsNew + counts.rowsUpdated !== bars.length) throw new Error(`bars not stored as new or changed: ${JSON.stringify(counts)}`);
}

export async function lastClose(db: TestDatabase, symbol: string): Promise<{ date: string; close: number }> {
  const { rows } = await db.pool.query(
    `SELECT date, close FROM daily_bars WHERE symbol = $1 AND NOT provisional ORDER BY date DESC LIMIT 1`,
    [symbol],
  );
  return rows[0];
}
