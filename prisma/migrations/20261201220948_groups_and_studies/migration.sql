-- CreateTable
CREATE TABLE "instrument_groups" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instrument_groups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "instrument_group_members" (
    "group_id" INTEGER NOT NULL,
    "symbol" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "instrument_group_members_pkey" PRIMARY KEY ("group_id","symbol")
);

-- CreateTable
CREATE TABLE "studies" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "selection" JSONB NOT NULL,
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "studies_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "instrument_groups_slug_key" ON "instrument_groups"("slug");

-- CreateIndex
CREATE INDEX "instrument_group_members_symbol_idx" ON "instrument_group_members"("symbol");

-- CreateIndex
CREATE UNIQUE INDEX "studies_slug_key" ON "studies"("slug");

-- AddForeignKey
ALTER TABLE "instrument_group_members" ADD CONSTRAINT "instrument_group_members_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "instrument_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "instrument_group_members" ADD CONSTRAINT "instrument_group_members_symbol_fkey" FOREIGN KEY ("symbol") REFERENCES "instruments"("symbol") ON DELETE CASCADE ON UPDATE CASCADE;
