-- AlterTable
ALTER TABLE "subscriptions" ADD COLUMN     "intraday_bmp_t" DOUBLE PRECISION,
ADD COLUMN     "intraday_caar_pct" DOUBLE PRECISION,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'moves';
