-- AlterTable
ALTER TABLE "ingest_runs" ADD COLUMN     "range_from" DATE,
ADD COLUMN     "range_to" DATE;
