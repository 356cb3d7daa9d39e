-- Watermarks of the result cache (issue 25): a version per instrument and bar interval, and one per small table,
-- raised by statement triggers in the writing transaction itself, so every write path (stores, imports, raw SQL)
-- moves them and a cached answer is never served after a commit that changed its inputs.

-- CreateTable
CREATE TABLE "bar_versions" (
    "symbol" TEXT NOT NULL,
    "interval" TEXT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT "bar_versions_pkey" PRIMARY KEY ("symbol","interval")
);

-- CreateTable
CREATE TABLE "data_versions" (
    "name" TEXT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT "data_versions_pkey" PRIMARY KEY ("name")
);

-- (the function bodies write their semicolons as \073: the offline schema engine splits a migration at every
-- semicolon, even inside quotes)
-- a version only grows: a sum of versions changes whenever one of them does
CREATE FUNCTION "bump_daily_bar_versions"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "bar_versions" ("symbol", "interval")
  SELECT DISTINCT "symbol", ''1d'' FROM "changed_rows" ORDER BY 1
  ON CONFLICT ("symbol", "interval") DO UPDATE SET "version" = "bar_versions"."version" + 1\073
  RETURN NULL\073
END ';

CREATE FUNCTION "bump_intraday_bar_versions"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "bar_versions" ("symbol", "interval")
  SELECT DISTINCT "symbol", "interval" FROM "changed_rows" ORDER BY 1, 2
  ON CONFLICT ("symbol", "interval") DO UPDATE SET "version" = "bar_versions"."version" + 1\073
  RETURN NULL\073
END ';

-- TRUNCATE has no transition table: every bar version moves (it is rare)
CREATE FUNCTION "bump_all_bar_versions"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "bar_versions" SET "version" = "version" + 1\073
  RETURN NULL\073
END ';

CREATE FUNCTION "bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "data_versions" ("name") VALUES (TG_TABLE_NAME)
  ON CONFLICT ("name") DO UPDATE SET "version" = "data_versions"."version" + 1\073
  RETURN NULL\073
END ';

CREATE TRIGGER "daily_bars_inserted" AFTER INSERT ON "daily_bars" REFERENCING NEW TABLE AS "changed_rows"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_daily_bar_versions"();
CREATE TRIGGER "daily_bars_updated" AFTER UPDATE ON "daily_bars" REFERENCING NEW TABLE AS "changed_rows"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_daily_bar_versions"();
CREATE TRIGGER "daily_bars_deleted" AFTER DELETE ON "daily_bars" REFERENCING OLD TABLE AS "changed_rows"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_daily_bar_versions"();
CREATE TRIGGER "intraday_bars_inserted" AFTER INSERT ON "intraday_bars" REFERENCING NEW TABLE AS "changed_rows"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_intraday_bar_versions"();
CREATE TRIGGER "intraday_bars_updated" AFTER UPDATE ON "intraday_bars" REFERENCING NEW TABLE AS "changed_rows"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_intraday_bar_versions"();
CREATE TRIGGER "intraday_bars_deleted" AFTER DELETE ON "intraday_bars" REFERENCING OLD TABLE AS "changed_rows"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_intraday_bar_versions"();

CREATE TRIGGER "daily_bars_truncated" AFTER TRUNCATE ON "daily_bars"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_all_bar_versions"();
CREATE TRIGGER "intraday_bars_truncated" AFTER TRUNCATE ON "intraday_bars"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_all_bar_versions"();

CREATE TRIGGER "instruments_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "instruments"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "shares_outstanding_history_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "shares_outstanding_history"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "events_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "events"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "instrument_groups_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "instrument_groups"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "factor_returns_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "factor_returns"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "instrument_group_members_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "instrument_group_members"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
