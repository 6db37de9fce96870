-- leadlift reference schema of the Agent Cory DB, postgres dialect.
-- Generated from src/schema/reference.ts by src/db/ddl.ts: do not edit by hand. Regenerate with
--   leadlift schema --dialect postgres --print > schema/agent-cory.postgres.sql
-- (or LEADLIFT_UPDATE_GENERATED=1 npx vitest run src/db/generated-files.test.ts).
-- Columns and tables marked "extension" are leadlift additions; docs/schema.md says why each exists.

CREATE SCHEMA IF NOT EXISTS "education";

CREATE SCHEMA IF NOT EXISTS "dbo";

CREATE TABLE "education"."prompt_templates" (
  "id" bigint NOT NULL,
  "org_id" bigint,
  "name" text,
  "channel" text,
  "purpose" text,
  "template_text" text,
  CONSTRAINT "pk_education_prompt_templates" PRIMARY KEY ("id")
);

CREATE TABLE "education"."campaigns" (
  "id" bigint NOT NULL,
  "org_id" bigint,
  "name" text,
  "description" text,
  "campaign_type" text,
  "goal_prompt" text,
  "created_at" timestamptz, -- extension
  CONSTRAINT "pk_education_campaigns" PRIMARY KEY ("id")
);

CREATE TABLE "education"."campaign_steps" (
  "id" bigint NOT NULL,
  "campaign_id" bigint,
  "order_id" integer,
  "channel" text,
  "wait_before_ms" bigint,
  "label" text,
  "metadata" text,
  "goal_prompt" text,
  "prompt_template_id" bigint, -- extension
  "is_decision_point" boolean, -- extension
  "branch_condition" text, -- extension
  "next_step_id_if_true" bigint, -- extension
  "next_step_id_if_false" bigint, -- extension
  CONSTRAINT "pk_education_campaign_steps" PRIMARY KEY ("id")
);

-- extension table
CREATE TABLE "education"."campaign_step_variants" (
  "id" bigint NOT NULL,
  "org_id" bigint,
  "step_id" bigint,
  "variant_key" text,
  "is_control" boolean,
  "allocation_weight" double precision,
  "prompt_template_id" bigint,
  "created_at" timestamptz,
  CONSTRAINT "pk_education_campaign_step_variants" PRIMARY KEY ("id")
);

CREATE TABLE "education"."contacts" (
  "id" bigint NOT NULL,
  "org_id" bigint,
  "first_name" text,
  "last_name" text,
  "full_name" text,
  "email" text,
  "phone" text,
  "ghl_contact_id" text, -- extension
  "lead_source" text, -- extension
  "lead_source_detail" text, -- extension
  "qualification_status" text, -- extension
  "timezone" text, -- extension
  "region" text, -- extension
  "created_at" timestamptz, -- extension
  "updated_at" timestamptz, -- extension
  CONSTRAINT "pk_education_contacts" PRIMARY KEY ("id")
);

CREATE INDEX "ix_education_contacts_ghl_contact_id" ON "education"."contacts" ("ghl_contact_id");

CREATE TABLE "education"."campaign_enrollments" (
  "id" bigint NOT NULL,
  "org_id" bigint,
  "contact_id" bigint,
  "campaign_id" bigint,
  "current_step_id" bigint,
  "status" text,
  "started_at" timestamptz,
  "ended_at" timestamptz,
  "created_at" timestamptz,
  "updated_at" timestamptz, -- extension
  CONSTRAINT "pk_education_campaign_enrollments" PRIMARY KEY ("id")
);

CREATE INDEX "ix_education_campaign_enrollments_contact_id" ON "education"."campaign_enrollments" ("contact_id");

CREATE INDEX "ix_education_campaign_enrollments_created_at" ON "education"."campaign_enrollments" ("created_at");

CREATE TABLE "education"."campaign_activities" (
  "id" bigint NOT NULL,
  "org_id" bigint,
  "enrollment_id" bigint,
  "campaign_id" bigint,
  "step_id" bigint,
  "attempt_no" integer,
  "channel" text,
  "status" text,
  "outcome" text,
  "scheduled_at" timestamptz,
  "sent_at" timestamptz,
  "delivered_at" timestamptz,
  "completed_at" timestamptz,
  "call_started_at" timestamptz,
  "call_duration_sec" integer,
  "end_call_reason" text,
  "prompt_used" text,
  "generated_message" text,
  "created_at" timestamptz,
  "variant_id" bigint, -- extension
  "updated_at" timestamptz, -- extension
  CONSTRAINT "pk_education_campaign_activities" PRIMARY KEY ("id")
);

CREATE INDEX "ix_education_campaign_activities_enrollment_id" ON "education"."campaign_activities" ("enrollment_id");

CREATE INDEX "ix_education_campaign_activities_created_at" ON "education"."campaign_activities" ("created_at");

CREATE TABLE "dbo"."Education_Cory_Communication_Log" (
  "ghl_contact_id" text,
  "channel" text,
  "direction" text,
  "sender" text,
  "recipient" text,
  "subject" text,
  "thread_id" text,
  "message_id" text,
  "timestamp" timestamptz,
  "created_at" timestamptz,
  "conversation_tags" text,
  "body" text -- extension
);

CREATE INDEX "ix_dbo_Education_Cory_Communication_Log_ghl_contact_id" ON "dbo"."Education_Cory_Communication_Log" ("ghl_contact_id");

CREATE INDEX "ix_dbo_Education_Cory_Communication_Log_created_at" ON "dbo"."Education_Cory_Communication_Log" ("created_at");

CREATE INDEX "ix_dbo_Education_Cory_Communication_Log_message_id" ON "dbo"."Education_Cory_Communication_Log" ("message_id");

CREATE TABLE "education"."booking_appointments" (
  "appointment_id" bigint NOT NULL,
  "org_id" bigint,
  "contact_id" bigint,
  "ghl_contact_id" text,
  "status" text,
  "requested_at" timestamptz,
  "scheduled_at" timestamptz,
  "created_at" timestamptz,
  "enrollment_id" bigint, -- extension
  CONSTRAINT "pk_education_booking_appointments" PRIMARY KEY ("appointment_id")
);

CREATE INDEX "ix_education_booking_appointments_contact_id" ON "education"."booking_appointments" ("contact_id");

CREATE INDEX "ix_education_booking_appointments_enrollment_id" ON "education"."booking_appointments" ("enrollment_id");

CREATE INDEX "ix_education_booking_appointments_created_at" ON "education"."booking_appointments" ("created_at");

-- extension table
CREATE TABLE "education"."lead_outcome_events" (
  "id" bigint NOT NULL,
  "org_id" bigint,
  "contact_id" bigint,
  "enrollment_id" bigint,
  "event_type" text,
  "occurred_at" timestamptz,
  "created_at" timestamptz,
  "amount" double precision,
  "source" text,
  CONSTRAINT "pk_education_lead_outcome_events" PRIMARY KEY ("id")
);

CREATE INDEX "ix_education_lead_outcome_events_contact_id" ON "education"."lead_outcome_events" ("contact_id");

CREATE INDEX "ix_education_lead_outcome_events_enrollment_id" ON "education"."lead_outcome_events" ("enrollment_id");

CREATE INDEX "ix_education_lead_outcome_events_created_at" ON "education"."lead_outcome_events" ("created_at");
