-- AlterTable
ALTER TABLE "subscriptions" ADD COLUMN     "group_id" INTEGER,
ADD COLUMN     "group_slug" TEXT;

-- AddForeignKey
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "instrument_groups"("id") ON DELETE SET NULL ON UPDATE CASCADE;
