-- AlterTable
ALTER TABLE "events" ADD COLUMN     "occurred_until" TIMESTAMPTZ(6),
ADD COLUMN     "precision" TEXT NOT NULL DEFAULT 'instant',
ADD COLUMN     "time_zone" TEXT;

-- date-only events keep their meaning: the date alone is known
UPDATE "events" SET "precision" = 'date' WHERE "date_only";
