-- leadlift reference schema of the Agent Cory DB, mssql dialect.
-- Generated from src/schema/reference.ts by src/db/ddl.ts: do not edit by hand. Regenerate with
--   leadlift schema --dialect mssql --print > schema/agent-cory.mssql.sql
-- (or LEADLIFT_UPDATE_GENERATED=1 npx vitest run src/db/generated-files.test.ts).
-- Columns and tables marked "extension" are leadlift additions; docs/schema.md says why each exists.

IF SCHEMA_ID(N'education') IS NULL EXEC(N'CREATE SCHEMA [education]');

CREATE TABLE [education].[prompt_templates] (
  [id] BIGINT NOT NULL,
  [org_id] BIGINT NULL,
  [name] NVARCHAR(400) NULL,
  [channel] NVARCHAR(400) NULL,
  [purpose] NVARCHAR(400) NULL,
  [template_text] NVARCHAR(MAX) NULL,
  CONSTRAINT [pk_education_prompt_templates] PRIMARY KEY ([id])
);

CREATE TABLE [education].[campaigns] (
  [id] BIGINT NOT NULL,
  [org_id] BIGINT NULL,
  [name] NVARCHAR(400) NULL,
  [description] NVARCHAR(MAX) NULL,
  [campaign_type] NVARCHAR(400) NULL,
  [goal_prompt] NVARCHAR(MAX) NULL,
  [created_at] DATETIMEOFFSET(3) NULL, -- extension
  CONSTRAINT [pk_education_campaigns] PRIMARY KEY ([id])
);

CREATE TABLE [education].[campaign_steps] (
  [id] BIGINT NOT NULL,
  [campaign_id] BIGINT NULL,
  [order_id] INT NULL,
  [channel] NVARCHAR(400) NULL,
  [wait_before_ms] BIGINT NULL,
  [label] NVARCHAR(400) NULL,
  [metadata] NVARCHAR(MAX) NULL,
  [goal_prompt] NVARCHAR(MAX) NULL,
  [prompt_template_id] BIGINT NULL, -- extension
  [is_decision_point] BIT NULL, -- extension
  [branch_condition] NVARCHAR(400) NULL, -- extension
  [next_step_id_if_true] BIGINT NULL, -- extension
  [next_step_id_if_false] BIGINT NULL, -- extension
  CONSTRAINT [pk_education_campaign_steps] PRIMARY KEY ([id])
);

-- extension table
CREATE TABLE [education].[campaign_step_variants] (
  [id] BIGINT NOT NULL,
  [org_id] BIGINT NULL,
  [step_id] BIGINT NULL,
  [variant_key] NVARCHAR(400) NULL,
  [is_control] BIT NULL,
  [allocation_weight] FLOAT NULL,
  [prompt_template_id] BIGINT NULL,
  [created_at] DATETIMEOFFSET(3) NULL,
  CONSTRAINT [pk_education_campaign_step_variants] PRIMARY KEY ([id])
);

CREATE TABLE [education].[contacts] (
  [id] BIGINT NOT NULL,
  [org_id] BIGINT NULL,
  [first_name] NVARCHAR(400) NULL,
  [last_name] NVARCHAR(400) NULL,
  [full_name] NVARCHAR(400) NULL,
  [email] NVARCHAR(400) NULL,
  [phone] NVARCHAR(400) NULL,
  [ghl_contact_id] NVARCHAR(400) NULL, -- extension
  [lead_source] NVARCHAR(400) NULL, -- extension
  [lead_source_detail] NVARCHAR(400) NULL, -- extension
  [qualification_status] NVARCHAR(400) NULL, -- extension
  [timezone] NVARCHAR(400) NULL, -- extension
  [region] NVARCHAR(400) NULL, -- extension
  [created_at] DATETIMEOFFSET(3) NULL, -- extension
  [updated_at] DATETIMEOFFSET(3) NULL, -- extension
  CONSTRAINT [pk_education_contacts] PRIMARY KEY ([id])
);

CREATE INDEX [ix_education_contacts_ghl_contact_id] ON [education].[contacts] ([ghl_contact_id]);

CREATE TABLE [education].[campaign_enrollments] (
  [id] BIGINT NOT NULL,
  [org_id] BIGINT NULL,
  [contact_id] BIGINT NULL,
  [campaign_id] BIGINT NULL,
  [current_step_id] BIGINT NULL,
  [status] NVARCHAR(400) NULL,
  [started_at] DATETIMEOFFSET(3) NULL,
  [ended_at] DATETIMEOFFSET(3) NULL,
  [created_at] DATETIMEOFFSET(3) NULL,
  [updated_at] DATETIMEOFFSET(3) NULL, -- extension
  CONSTRAINT [pk_education_campaign_enrollments] PRIMARY KEY ([id])
);

CREATE INDEX [ix_education_campaign_enrollments_contact_id] ON [education].[campaign_enrollments] ([contact_id]);

CREATE INDEX [ix_education_campaign_enrollments_created_at] ON [education].[campaign_enrollments] ([created_at]);

CREATE TABLE [education].[campaign_activities] (
  [id] BIGINT NOT NULL,
  [org_id] BIGINT NULL,
  [enrollment_id] BIGINT NULL,
  [campaign_id] BIGINT NULL,
  [step_id] BIGINT NULL,
  [attempt_no] INT NULL,
  [channel] NVARCHAR(400) NULL,
  [status] NVARCHAR(400) NULL,
  [outcome] NVARCHAR(400) NULL,
  [scheduled_at] DATETIMEOFFSET(3) NULL,
  [sent_at] DATETIMEOFFSET(3) NULL,
  [delivered_at] DATETIMEOFFSET(3) NULL,
  [completed_at] DATETIMEOFFSET(3) NULL,
  [call_started_at] DATETIMEOFFSET(3) NULL,
  [call_duration_sec] INT NULL,
  [end_call_reason] NVARCHAR(400) NULL,
  [prompt_used] NVARCHAR(MAX) NULL,
  [generated_message] NVARCHAR(MAX) NULL,
  [created_at] DATETIMEOFFSET(3) NULL,
  [variant_id] BIGINT NULL, -- extension
  [updated_at] DATETIMEOFFSET(3) NULL, -- extension
  CONSTRAINT [pk_education_campaign_activities] PRIMARY KEY ([id])
);

CREATE INDEX [ix_education_campaign_activities_enrollment_id] ON [education].[campaign_activities] ([enrollment_id]);

CREATE INDEX [ix_education_campaign_activities_created_at] ON [education].[campaign_activities] ([created_at]);

CREATE TABLE [dbo].[Education_Cory_Communication_Log] (
  [ghl_contact_id] NVARCHAR(400) NULL,
  [channel] NVARCHAR(400) NULL,
  [direction] NVARCHAR(400) NULL,
  [sender] NVARCHAR(400) NULL,
  [recipient] NVARCHAR(400) NULL,
  [subject] NVARCHAR(400) NULL,
  [thread_id] NVARCHAR(400) NULL,
  [message_id] NVARCHAR(400) NULL,
  [timestamp] DATETIMEOFFSET(3) NULL,
  [created_at] DATETIMEOFFSET(3) NULL,
  [conversation_tags] NVARCHAR(400) NULL,
  [body] NVARCHAR(MAX) NULL -- extension
);

CREATE INDEX [ix_dbo_Education_Cory_Communication_Log_ghl_contact_id] ON [dbo].[Education_Cory_Communication_Log] ([ghl_contact_id]);

CREATE INDEX [ix_dbo_Education_Cory_Communication_Log_created_at] ON [dbo].[Education_Cory_Communication_Log] ([created_at]);

CREATE INDEX [ix_dbo_Education_Cory_Communication_Log_message_id] ON [dbo].[Education_Cory_Communication_Log] ([message_id]);

CREATE TABLE [education].[booking_appointments] (
  [appointment_id] BIGINT NOT NULL,
  [org_id] BIGINT NULL,
  [contact_id] BIGINT NULL,
  [ghl_contact_id] NVARCHAR(400) NULL,
  [status] NVARCHAR(400) NULL,
  [requested_at] DATETIMEOFFSET(3) NULL,
  [scheduled_at] DATETIMEOFFSET(3) NULL,
  [created_at] DATETIMEOFFSET(3) NULL,
  [enrollment_id] BIGINT NULL, -- extension
  CONSTRAINT [pk_education_booking_appointments] PRIMARY KEY ([appointment_id])
);

CREATE INDEX [ix_education_booking_appointments_contact_id] ON [education].[booking_appointments] ([contact_id]);

CREATE INDEX [ix_education_booking_appointments_enrollment_id] ON [education].[booking_appointments] ([enrollment_id]);

CREATE INDEX [ix_education_booking_appointments_created_at] ON [education].[booking_appointments] ([created_at]);

-- extension table
CREATE TABLE [education].[lead_outcome_events] (
  [id] BIGINT NOT NULL,
  [org_id] BIGINT NULL,
  [contact_id] BIGINT NULL,
  [enrollment_id] BIGINT NULL,
  [event_type] NVARCHAR(400) NULL,
  [occurred_at] DATETIMEOFFSET(3) NULL,
  [created_at] DATETIMEOFFSET(3) NULL,
  [amount] FLOAT NULL,
  [source] NVARCHAR(400) NULL,
  CONSTRAINT [pk_education_lead_outcome_events] PRIMARY KEY ([id])
);

CREATE INDEX [ix_education_lead_outcome_events_contact_id] ON [education].[lead_outcome_events] ([contact_id]);

CREATE INDEX [ix_education_lead_outcome_events_enrollment_id] ON [education].[lead_outcome_events] ([enrollment_id]);

CREATE INDEX [ix_education_lead_outcome_events_created_at] ON [education].[lead_outcome_events] ([created_at]);
