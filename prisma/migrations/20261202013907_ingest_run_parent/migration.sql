-- AlterTable
ALTER TABLE "ingest_runs" ADD COLUMN     "parent_run_id" INTEGER;

-- CreateIndex
CREATE INDEX "ingest_runs_parent_run_id_idx" ON "ingest_runs"("parent_run_id");

-- AddForeignKey
ALTER TABLE "ingest_runs" ADD CONSTRAINT "ingest_runs_parent_run_id_fkey" FOREIGN KEY ("parent_run_id") REFERENCES "ingest_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
