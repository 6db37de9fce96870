-- leadlift score tables (dbo.lead_scores and dbo.lead_scores_history), postgres dialect.
-- Generated from src/scores/tables.ts by src/db/keyed-table.ts: do not edit by hand. Regenerate with
--   leadlift scores-table --print --dialect postgres > schema/lead-scores.postgres.sql
-- (or LEADLIFT_UPDATE_GENERATED=1 npx vitest run src/scores/tables.test.ts).
-- Every statement is safe to re-run: existing tables and indexes are left as they are. See docs/scores.md.

CREATE SCHEMA IF NOT EXISTS "dbo";

CREATE TABLE IF NOT EXISTS "dbo"."lead_scores" (
  "org_id" bigint NOT NULL,
  "enrollment_id" bigint NOT NULL,
  "label_col" text NOT NULL,
  "score" double precision NOT NULL,
  "rank" integer NOT NULL,
  "decile" integer NOT NULL,
  "reasons" text NOT NULL,
  "split" text NOT NULL,
  "model_version" text NOT NULL,
  "run_name" text NOT NULL,
  "model_path" text NOT NULL,
  "scaler_path" text NOT NULL,
  "run_timestamp_utc" timestamptz NOT NULL,
  "created_at_utc" timestamptz NOT NULL,
  "updated_at_utc" timestamptz NOT NULL,
  CONSTRAINT "pk_dbo_lead_scores" PRIMARY KEY ("org_id", "enrollment_id", "label_col")
);

CREATE SCHEMA IF NOT EXISTS "dbo";

CREATE TABLE IF NOT EXISTS "dbo"."lead_scores_history" (
  "history_id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "write_id" text NOT NULL,
  "action" text NOT NULL,
  "org_id" bigint NOT NULL,
  "enrollment_id" bigint NOT NULL,
  "label_col" text NOT NULL,
  "score" double precision NOT NULL,
  "rank" integer NOT NULL,
  "decile" integer NOT NULL,
  "reasons" text NOT NULL,
  "split" text NOT NULL,
  "model_version" text NOT NULL,
  "run_name" text NOT NULL,
  "model_path" text NOT NULL,
  "scaler_path" text NOT NULL,
  "run_timestamp_utc" timestamptz NOT NULL,
  "previous_run_name" text,
  "forced" integer NOT NULL,
  "force_reason" text,
  "written_at_utc" timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS "ix_dbo_lead_scores_history_run_name_action" ON "dbo"."lead_scores_history" ("run_name", "action");
