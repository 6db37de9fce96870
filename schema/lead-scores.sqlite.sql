-- leadlift score tables (dbo.lead_scores and dbo.lead_scores_history), sqlite dialect.
-- Generated from src/scores/tables.ts by src/db/keyed-table.ts: do not edit by hand. Regenerate with
--   leadlift scores-table --print --dialect sqlite > schema/lead-scores.sqlite.sql
-- (or LEADLIFT_UPDATE_GENERATED=1 npx vitest run src/scores/tables.test.ts).
-- Every statement is safe to re-run: existing tables and indexes are left as they are. See docs/scores.md.

CREATE TABLE IF NOT EXISTS "dbo_lead_scores" (
  "org_id" INTEGER NOT NULL,
  "enrollment_id" INTEGER NOT NULL,
  "label_col" TEXT NOT NULL,
  "score" REAL NOT NULL,
  "rank" INTEGER NOT NULL,
  "decile" INTEGER NOT NULL,
  "reasons" TEXT NOT NULL,
  "split" TEXT NOT NULL,
  "model_version" TEXT NOT NULL,
  "run_name" TEXT NOT NULL,
  "model_path" TEXT NOT NULL,
  "scaler_path" TEXT NOT NULL,
  "run_timestamp_utc" TEXT NOT NULL,
  "created_at_utc" TEXT NOT NULL,
  "updated_at_utc" TEXT NOT NULL,
  CONSTRAINT "pk_dbo_lead_scores" PRIMARY KEY ("org_id", "enrollment_id", "label_col")
);

CREATE TABLE IF NOT EXISTS "dbo_lead_scores_history" (
  "history_id" INTEGER PRIMARY KEY,
  "write_id" TEXT NOT NULL,
  "action" TEXT NOT NULL,
  "org_id" INTEGER NOT NULL,
  "enrollment_id" INTEGER NOT NULL,
  "label_col" TEXT NOT NULL,
  "score" REAL NOT NULL,
  "rank" INTEGER NOT NULL,
  "decile" INTEGER NOT NULL,
  "reasons" TEXT NOT NULL,
  "split" TEXT NOT NULL,
  "model_version" TEXT NOT NULL,
  "run_name" TEXT NOT NULL,
  "model_path" TEXT NOT NULL,
  "scaler_path" TEXT NOT NULL,
  "run_timestamp_utc" TEXT NOT NULL,
  "previous_run_name" TEXT,
  "forced" INTEGER NOT NULL,
  "force_reason" TEXT,
  "written_at_utc" TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS "ix_dbo_lead_scores_history_run_name_action" ON "dbo_lead_scores_history" ("run_name", "action");
