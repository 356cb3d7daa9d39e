-- CreateEnum
CREATE TYPE "InstrumentKind" AS ENUM ('equity', 'etf', 'index', 'fx');

-- CreateEnum
CREATE TYPE "AlertMode" AS ENUM ('instant', 'digest');

-- CreateTable
CREATE TABLE "instruments" (
    "symbol" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "exchange" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "kind" "InstrumentKind" NOT NULL,
    "benchmark_symbol" TEXT,
    "shares_outstanding" BIGINT,
    "shares_as_of" DATE,
    "shares_source" TEXT,
    "min_move_pct" DOUBLE PRECISION,
    "min_abnormal_z" DOUBLE PRECISION,
    "tracked" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instruments_pkey" PRIMARY KEY ("symbol")
);

-- CreateTable
CREATE TABLE "daily_bars" (
    "symbol" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "open" DOUBLE PRECISION,
    "high" DOUBLE PRECISION,
    "low" DOUBLE PRECISION,
    "close" DOUBLE PRECISION NOT NULL,
    "adj_close" DOUBLE PRECISION,
    "volume" BIGINT,
    "source" TEXT NOT NULL,
    "fetched_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "provisional" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "daily_bars_pkey" PRIMARY KEY ("symbol","date")
);

-- CreateTable
CREATE TABLE "intraday_bars" (
    "symbol" TEXT NOT NULL,
    "interval" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(6) NOT NULL,
    "open" DOUBLE PRECISION,
    "high" DOUBLE PRECISION,
    "low" DOUBLE PRECISION,
    "close" DOUBLE PRECISION NOT NULL,
    "volume" BIGINT,
    "source" TEXT NOT NULL,
    "fetched_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "intraday_bars_pkey" PRIMARY KEY ("symbol","interval","ts")
);

-- CreateTable
CREATE TABLE "news_items" (
    "id" SERIAL NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "publisher" TEXT,
    "published_at" TIMESTAMPTZ(6) NOT NULL,
    "date_only" BOOLEAN NOT NULL DEFAULT false,
    "kind" TEXT,
    "symbols" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "source" TEXT NOT NULL DEFAULT 'manual',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "news_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(6) NOT NULL,
    "date_only" BOOLEAN NOT NULL DEFAULT false,
    "kind" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_news" (
    "event_id" INTEGER NOT NULL,
    "news_id" INTEGER NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'source',

    CONSTRAINT "event_news_pkey" PRIMARY KEY ("event_id","news_id")
);

-- CreateTable
CREATE TABLE "price_moves" (
    "id" SERIAL NOT NULL,
    "symbol" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "move" DOUBLE PRECISION NOT NULL,
    "return" DOUBLE PRECISION,
    "abnormal_return" DOUBLE PRECISION,
    "z" DOUBLE PRECISION,
    "rule" TEXT NOT NULL,
    "detected_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "price_moves_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "move_event_links" (
    "move_id" INTEGER NOT NULL,
    "event_id" INTEGER NOT NULL,
    "offset" INTEGER NOT NULL,
    "origin" TEXT NOT NULL DEFAULT 'auto',
    "linked" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "move_event_links_pkey" PRIMARY KEY ("move_id","event_id")
);

-- CreateTable
CREATE TABLE "ingest_runs" (
    "id" SERIAL NOT NULL,
    "job" TEXT NOT NULL,
    "symbol" TEXT,
    "interval" TEXT,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(6),
    "status" TEXT NOT NULL DEFAULT 'running',
    "rows_new" INTEGER NOT NULL DEFAULT 0,
    "rows_updated" INTEGER NOT NULL DEFAULT 0,
    "rows_unchanged" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "ingest_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_runs" (
    "id" SERIAL NOT NULL,
    "job" TEXT NOT NULL,
    "slot" TIMESTAMPTZ(6) NOT NULL,
    "instance" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(6),
    "status" TEXT NOT NULL DEFAULT 'running',
    "detail" TEXT,

    CONSTRAINT "job_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subscriptions" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "symbols" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "min_move_pct" DOUBLE PRECISION NOT NULL DEFAULT 5,
    "min_abnormal_z" DOUBLE PRECISION,
    "mode" "AlertMode" NOT NULL DEFAULT 'instant',
    "confirmed_at" TIMESTAMPTZ(6),
    "unsubscribed_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" SERIAL NOT NULL,
    "subscription_id" INTEGER NOT NULL,
    "symbol" TEXT NOT NULL,
    "session_date" DATE NOT NULL,
    "rule" TEXT NOT NULL,
    "move" DOUBLE PRECISION NOT NULL,
    "abnormal_return" DOUBLE PRECISION,
    "z" DOUBLE PRECISION,
    "price" DOUBLE PRECISION,
    "event_id" INTEGER,
    "email_id" INTEGER,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_emails" (
    "id" SERIAL NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subscription_id" INTEGER,
    "to_address" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_by" TEXT,
    "locked_at" TIMESTAMPTZ(6),
    "last_error" TEXT,
    "message_id" TEXT,
    "sent_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_emails_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "news_items_url_key" ON "news_items"("url");

-- CreateIndex
CREATE INDEX "news_items_published_at_idx" ON "news_items"("published_at");

-- CreateIndex
CREATE UNIQUE INDEX "events_slug_key" ON "events"("slug");

-- CreateIndex
CREATE INDEX "price_moves_date_idx" ON "price_moves"("date");

-- CreateIndex
CREATE UNIQUE INDEX "price_moves_symbol_date_key" ON "price_moves"("symbol", "date");

-- CreateIndex
CREATE INDEX "ingest_runs_symbol_started_at_idx" ON "ingest_runs"("symbol", "started_at");

-- CreateIndex
CREATE INDEX "ingest_runs_job_started_at_idx" ON "ingest_runs"("job", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "job_runs_job_slot_key" ON "job_runs"("job", "slot");

-- CreateIndex
CREATE INDEX "subscriptions_email_idx" ON "subscriptions"("email");

-- CreateIndex
CREATE INDEX "alerts_email_id_idx" ON "alerts"("email_id");

-- CreateIndex
CREATE UNIQUE INDEX "alerts_subscription_id_symbol_session_date_rule_key" ON "alerts"("subscription_id", "symbol", "session_date", "rule");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_emails_dedupe_key_key" ON "outbox_emails"("dedupe_key");

-- CreateIndex
CREATE INDEX "outbox_emails_status_next_attempt_at_idx" ON "outbox_emails"("status", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "daily_bars" ADD CONSTRAINT "daily_bars_symbol_fkey" FOREIGN KEY ("symbol") REFERENCES "instruments"("symbol") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "intraday_bars" ADD CONSTRAINT "intraday_bars_symbol_fkey" FOREIGN KEY ("symbol") REFERENCES "instruments"("symbol") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_news" ADD CONSTRAINT "event_news_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_news" ADD CONSTRAINT "event_news_news_id_fkey" FOREIGN KEY ("news_id") REFERENCES "news_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "price_moves" ADD CONSTRAINT "price_moves_symbol_fkey" FOREIGN KEY ("symbol") REFERENCES "instruments"("symbol") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "move_event_links" ADD CONSTRAINT "move_event_links_move_id_fkey" FOREIGN KEY ("move_id") REFERENCES "price_moves"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "move_event_links" ADD CONSTRAINT "move_event_links_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_symbol_fkey" FOREIGN KEY ("symbol") REFERENCES "instruments"("symbol") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_email_id_fkey" FOREIGN KEY ("email_id") REFERENCES "outbox_emails"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbox_emails" ADD CONSTRAINT "outbox_emails_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id") ON DELETE SET NULL ON UPDATE CASCADE;
