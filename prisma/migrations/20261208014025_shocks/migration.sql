-- CreateTable
CREATE TABLE "shocks" (
    "id" SERIAL NOT NULL,
    "group_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "session_date" DATE NOT NULL,
    "start_at" TIMESTAMPTZ(6) NOT NULL,
    "end_at" TIMESTAMPTZ(6) NOT NULL,
    "z" DOUBLE PRECISION,
    "p" DOUBLE PRECISION,
    "n" INTEGER NOT NULL,
    "breadth_count" INTEGER NOT NULL,
    "breadth_share" DOUBLE PRECISION NOT NULL,
    "direction" TEXT NOT NULL,
    "aar" DOUBLE PRECISION,
    "value_change_usd" DOUBLE PRECISION,
    "detail" JSONB NOT NULL,
    "news_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "status" TEXT NOT NULL DEFAULT 'candidate',
    "event_id" INTEGER,
    "detected_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shocks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "shocks_start_at_idx" ON "shocks"("start_at");

-- CreateIndex
CREATE UNIQUE INDEX "shocks_group_id_kind_key_key" ON "shocks"("group_id", "kind", "key");

-- AddForeignKey
ALTER TABLE "shocks" ADD CONSTRAINT "shocks_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "instrument_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shocks" ADD CONSTRAINT "shocks_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE SET NULL ON UPDATE CASCADE;
