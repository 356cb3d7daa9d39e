// Alert latency: from a daily bar being stored (upsertDailyBars has committed, NOTIFY bars_stored is out) to
// the SMTP server accepting the alert email, through the real app (alert triggers, outbox, sender) on an
// embedded Postgres and an in-process SMTP server. 200 instruments with one subscriber each get a bar of the
// latest US session (only the latest session is news), a bar every BENCH_SPACING_MS, so each subscriber's
// coalescing window holds one alert. The floor measured in the same run: the coalescing window plus a direct nodemailer send
// to the same SMTP server.
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { alertTriggers } from '../src/triggers/alertTriggerService';
import { barEventsService } from '../src/bars/barEventsBus';
import { outboxSenderService } from '../src/outbox/outboxSender';
import { subscriptionWantsEmails } from '../src/subscriptions/subscriptionStore';
import { startApp } from '../src/app/server';
import { loadConfig } from '../src/config/config';
import { upsertDailyBars } from '../src/bars/dailyBarStore';
import { createLogger } from '../src/logging/logger';
import { previousTradingDay, recentSessionDates } from '../src/markets';
import { benchDatabase, report } from './benchSupport';

const ALERTS = Number(process.env.BENCH_ALERTS ?? 200);
const SPACING_MS = Number(process.env.BENCH_SPACING_MS ?? 300);
const COALESCE_MS = process.env.ALERT_COALESCE_MS ?? '1000'; // the app's default
const DIRECT_SENDS = 30;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const { db, cleanup } = await benchDatabase();
  const accepted = new Map<string, number>(); // Message-ID -> when the server answered 250
  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 16_384) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '';
        accepted.set(messageId, performance.now());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

  try {
    // the floor's SMTP part: direct sends over a pooled connection, as the sender does
    const direct = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: 2 } as SMTPPool.Options);
    const directMs: number[] = [];
    for (let i = 0; i < DIRECT_SENDS; i++) {
      const t0 = performance.now();
      await direct.sendMail({
        from: 'bench@aftershock.local',
        to: 'direct@example.com',
        subject: `direct ${i}`,
        text: 'x'.repeat(2000),
        messageId: `<direct-${i}@bench>`,
      });
      if (i >= 5) directMs.push(performance.now() - t0); // the first ones open the connection
    }
    direct.close();
    const directP50 = percentile(
      directMs.sort((a, b) => a - b),
      50,
    );

    const symbols = Array.from({ length: ALERTS }, (_, i) => `BENCH${i}`);
    await db.pool.query(
      `INSERT INTO instruments (symbol, name, exchange, currency, time_zone, kind) SELECT s, 'bench ' || s, 'US', 'USD', 'America/New_York', 'equity' FROM unnest($1::text[]) s`,
      [symbols],
    );
    // the latest US session that has closed, and the one before it as the previous close
    const [session] = recentSessionDates('US', new Date());
    await upsertDailyBars(
      db.pool,
      symbols.map((symbol) => ({
        symbol,
        date: previousTradingDay('US', session),
        open: 100,
        high: 100,
        low: 100,
        close: 100,
        adjClose: null,
        volume: 1,
      })),
      { source: 'bench' },
    );
    // confirmed subscribers, one per instrument (the confirmation flow is not what is measured)
    await db.pool.query(
      `INSERT INTO subscriptions (email, symbols, min_move_pct, confirmed_at) SELECT 'sub-' || s || '@example.com', ARRAY[s], 5, now() FROM unnest($1::text[]) s`,
      [symbols],
    );

    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: db.connectionString,
      IMPORT_BUNDLED_DATA: 'false',
      SCHEDULER_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      SMTP_URL: smtpUrl,
      BASE_URL: 'http://aftershock.bench',
      ALERT_COALESCE_MS: COALESCE_MS,
    });
    const app = await startApp({
      config,
      db,
      logger: createLogger('warn'),
      services: [barEventsService(alertTriggers()), outboxSenderService(subscriptionWantsEmails)],
    });

    const storedAt = new Map<string, number>(); // symbol|date -> when the store committed
    const closes = new Map(symbols.map((s) => [s, 100]));
    const t0 = performance.now();
    for (let i = 0; i < ALERTS; i++) {
      const symbol = symbols[i];
      const date = session;
      const close = closes.get(symbol)! * (i % 2 ? 1.1 : 0.9); // +-10%: every bar alerts
      closes.set(symbol, close);
      const due = t0 + i * SPACING_MS;
      if (performance.now() < due) await new Promise((r) => setTimeout(r, due - performance.now()));
      await upsertDailyBars(db.pool, [{ symbol, date, open: close, high: close, low: close, close, adjClose: null, volume: 1 }], {
        source: 'bench',
      });
      storedAt.set(`${symbol}|${date}`, performance.now());
    }
    const until = performance.now() + 60_000;
    const alertEmailsAccepted = () => [...accepted.keys()].filter((id) => id.startsWith('<outbox-')).length;
    while (alertEmailsAccepted() < ALERTS && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
    if (alertEmailsAccepted() < ALERTS) {
      const { rows: stuck } = await db.pool.query(
        `SELECT id, status, attempts, last_error, locked_by, locked_at, next_attempt_at, created_at FROM outbox_emails WHERE status <> 'sent'`,
      );
      console.error('not sent:', stuck);
    }
    await app.stop();

    // which bar each accepted email was about: the outbox row's Message-ID -> its alerts
    const { rows } = await db.pool.query<{ messageId: string; symbol: string; date: string; n: number }>(
      `SELECT o.message_id AS "messageId", a.symbol, a.session_date AS date, count(*) OVER (PARTITION BY o.id)::int AS n
         FROM outbox_emails o JOIN alerts a ON a.email_id = o.id WHERE o.kind = 'alert'`,
    );
    const latencies: number[] = [];
    for (const r of rows) {
      const at = accepted.get(r.messageId);
      const stored = storedAt.get(`${r.symbol}|${r.date}`);
      if (at !== undefined && stored !== undefined) latencies.push(at - stored);
    }
    const { rows: counts } = await db.pool.query<{ alerts: number; emails: number; sent: number }>(
      `SELECT (SELECT count(*)::int FROM alerts) AS alerts, (SELECT count(*)::int FROM outbox_emails WHERE kind = 'alert') AS emails,
              (SELECT count(*)::int FROM outbox_emails WHERE kind = 'alert' AND status = 'sent') AS sent`,
    );
    if (counts[0].alerts !== ALERTS || latencies.length !== ALERTS || alertEmailsAccepted() !== ALERTS || rows.some((r) => r.n !== 1)) {
      throw new Error(
        `expected ${ALERTS} alerts, each in its own email, accepted once: ${JSON.stringify({ ...counts[0], accepted: alertEmailsAccepted(), measured: latencies.length })}`,
      );
    }

    latencies.sort((a, b) => a - b);
    const floor = Number(COALESCE_MS) + directP50;
    const figure = (name: string, value: number, goal?: string) => ({
      name,
      value,
      unit: 'ms',
      limit: { name: 'floor', value: floor, ratio: value / floor },
      goal,
    });
    report(
      'alerts',
      [
        { name: `direct SMTP send over a pooled connection, p50`, value: directP50, unit: 'ms' },
        { name: `floor: coalescing window ${COALESCE_MS} ms + direct send`, value: floor, unit: 'ms' },
        figure('bar stored -> SMTP accepted, p50', percentile(latencies, 50), 'p50 < 2,000 ms'),
        figure('bar stored -> SMTP accepted, p99', percentile(latencies, 99)),
        figure('bar stored -> SMTP accepted, max', latencies[latencies.length - 1]),
      ],
      {
        alerts: ALERTS,
        instruments: ALERTS,
        subscriptions: ALERTS,
        spacingMs: SPACING_MS,
        coalesceMs: Number(COALESCE_MS),
        emails: counts[0].emails,
        duplicates: 0,
      },
    );
    console.log(
      `  ${ALERTS} alerts, ${counts[0].emails} emails, all accepted once; coalescing window ${COALESCE_MS} ms, a bar every ${SPACING_MS} ms`,
    );
  } finally {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
