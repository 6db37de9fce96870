-- leadlift score tables (dbo.lead_scores and dbo.lead_scores_history), mssql dialect.
-- Generated from src/scores/tables.ts by src/db/keyed-table.ts: do not edit by hand. Regenerate with
--   leadlift scores-table --print --dialect mssql > schema/lead-scores.mssql.sql
-- (or LEADLIFT_UPDATE_GENERATED=1 npx vitest run src/scores/tables.test.ts).
-- Every statement is safe to re-run: existing tables and indexes are left as they are. See docs/scores.md.

IF OBJECT_ID(N'[dbo].[lead_scores]', N'U') IS NULL CREATE TABLE [dbo].[lead_scores] (
  [org_id] BIGINT NOT NULL,
  [enrollment_id] BIGINT NOT NULL,
  [label_col] NVARCHAR(400) NOT NULL,
  [score] FLOAT NOT NULL,
  [rank] INT NOT NULL,
  [decile] INT NOT NULL,
  [reasons] NVARCHAR(MAX) NOT NULL,
  [split] NVARCHAR(400) NOT NULL,
  [model_version] NVARCHAR(400) NOT NULL,
  [run_name] NVARCHAR(400) NOT NULL,
  [model_path] NVARCHAR(MAX) NOT NULL,
  [scaler_path] NVARCHAR(MAX) NOT NULL,
  [run_timestamp_utc] DATETIMEOFFSET(3) NOT NULL,
  [created_at_utc] DATETIMEOFFSET(3) NOT NULL,
  [updated_at_utc] DATETIMEOFFSET(3) NOT NULL,
  CONSTRAINT [pk_dbo_lead_scores] PRIMARY KEY ([org_id], [enrollment_id], [label_col])
);

IF OBJECT_ID(N'[dbo].[lead_scores_history]', N'U') IS NULL CREATE TABLE [dbo].[lead_scores_history] (
  [history_id] BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
  [write_id] NVARCHAR(400) NOT NULL,
  [action] NVARCHAR(400) NOT NULL,
  [org_id] BIGINT NOT NULL,
  [enrollment_id] BIGINT NOT NULL,
  [label_col] NVARCHAR(400) NOT NULL,
  [score] FLOAT NOT NULL,
  [rank] INT NOT NULL,
  [decile] INT NOT NULL,
  [reasons] NVARCHAR(MAX) NOT NULL,
  [split] NVARCHAR(400) NOT NULL,
  [model_version] NVARCHAR(400) NOT NULL,
  [run_name] NVARCHAR(400) NOT NULL,
  [model_path] NVARCHAR(MAX) NOT NULL,
  [scaler_path] NVARCHAR(MAX) NOT NULL,
  [run_timestamp_utc] DATETIMEOFFSET(3) NOT NULL,
  [previous_run_name] NVARCHAR(400) NULL,
  [forced] INT NOT NULL,
  [force_reason] NVARCHAR(MAX) NULL,
  [written_at_utc] DATETIMEOFFSET(3) NOT NULL
);

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_dbo_lead_scores_history_run_name_action' AND object_id = OBJECT_ID(N'[dbo].[lead_scores_history]')) CREATE INDEX [ix_dbo_lead_scores_history_run_name_action] ON [dbo].[lead_scores_history] ([run_name], [action]);
