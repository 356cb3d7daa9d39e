-- CreateTable
CREATE TABLE "shares_outstanding_history" (
    "id" SERIAL NOT NULL,
    "symbol" TEXT NOT NULL,
    "as_of" DATE,
    "shares" BIGINT NOT NULL,
    "source" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shares_outstanding_history_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "shares_outstanding_history_symbol_as_of_idx" ON "shares_outstanding_history"("symbol", "as_of");

-- AddForeignKey
ALTER TABLE "shares_outstanding_history" ADD CONSTRAINT "shares_outstanding_history_symbol_fkey" FOREIGN KEY ("symbol") REFERENCES "instruments"("symbol") ON DELETE CASCADE ON UPDATE CASCADE;

-- Carry over what instruments already knew
INSERT INTO "shares_outstanding_history" ("symbol", "as_of", "shares", "source")
SELECT "symbol", "shares_as_of", "shares_outstanding", COALESCE("shares_source", 'unknown') FROM "instruments" WHERE "shares_outstanding" IS NOT NULL;
