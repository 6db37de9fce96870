-- leadlift reference schema of the Agent Cory DB, sqlite dialect.
-- Generated from src/schema/reference.ts by src/db/ddl.ts: do not edit by hand. Regenerate with
--   leadlift schema --dialect sqlite --print > schema/agent-cory.sqlite.sql
-- (or LEADLIFT_UPDATE_GENERATED=1 npx vitest run src/db/generated-files.test.ts).
-- Columns and tables marked "extension" are leadlift additions; docs/schema.md says why each exists.

CREATE TABLE "education_prompt_templates" (
  "id" INTEGER NOT NULL,
  "org_id" INTEGER,
  "name" TEXT,
  "channel" TEXT,
  "purpose" TEXT,
  "template_text" TEXT,
  CONSTRAINT "pk_education_prompt_templates" PRIMARY KEY ("id")
);

CREATE TABLE "education_campaigns" (
  "id" INTEGER NOT NULL,
  "org_id" INTEGER,
  "name" TEXT,
  "description" TEXT,
  "campaign_type" TEXT,
  "goal_prompt" TEXT,
  "created_at" TEXT, -- extension
  CONSTRAINT "pk_education_campaigns" PRIMARY KEY ("id")
);

CREATE TABLE "education_campaign_steps" (
  "id" INTEGER NOT NULL,
  "campaign_id" INTEGER,
  "order_id" INTEGER,
  "channel" TEXT,
  "wait_before_ms" INTEGER,
  "label" TEXT,
  "metadata" TEXT,
  "goal_prompt" TEXT,
  "prompt_template_id" INTEGER, -- extension
  "is_decision_point" INTEGER, -- extension
  "branch_condition" TEXT, -- extension
  "next_step_id_if_true" INTEGER, -- extension
  "next_step_id_if_false" INTEGER, -- extension
  CONSTRAINT "pk_education_campaign_steps" PRIMARY KEY ("id")
);

-- extension table
CREATE TABLE "education_campaign_step_variants" (
  "id" INTEGER NOT NULL,
  "org_id" INTEGER,
  "step_id" INTEGER,
  "variant_key" TEXT,
  "is_control" INTEGER,
  "allocation_weight" REAL,
  "prompt_template_id" INTEGER,
  "created_at" TEXT,
  CONSTRAINT "pk_education_campaign_step_variants" PRIMARY KEY ("id")
);

CREATE TABLE "education_contacts" (
  "id" INTEGER NOT NULL,
  "org_id" INTEGER,
  "first_name" TEXT,
  "last_name" TEXT,
  "full_name" TEXT,
  "email" TEXT,
  "phone" TEXT,
  "ghl_contact_id" TEXT, -- extension
  "lead_source" TEXT, -- extension
  "lead_source_detail" TEXT, -- extension
  "qualification_status" TEXT, -- extension
  "timezone" TEXT, -- extension
  "region" TEXT, -- extension
  "created_at" TEXT, -- extension
  "updated_at" TEXT, -- extension
  CONSTRAINT "pk_education_contacts" PRIMARY KEY ("id")
);

CREATE INDEX "ix_education_contacts_ghl_contact_id" ON "education_contacts" ("ghl_contact_id");

CREATE TABLE "education_campaign_enrollments" (
  "id" INTEGER NOT NULL,
  "org_id" INTEGER,
  "contact_id" INTEGER,
  "campaign_id" INTEGER,
  "current_step_id" INTEGER,
  "status" TEXT,
  "started_at" TEXT,
  "ended_at" TEXT,
  "created_at" TEXT,
  "updated_at" TEXT, -- extension
  CONSTRAINT "pk_education_campaign_enrollments" PRIMARY KEY ("id")
);

CREATE INDEX "ix_education_campaign_enrollments_contact_id" ON "education_campaign_enrollments" ("contact_id");

CREATE INDEX "ix_education_campaign_enrollments_created_at" ON "education_campaign_enrollments" ("created_at");

CREATE TABLE "education_campaign_activities" (
  "id" INTEGER NOT NULL,
  "org_id" INTEGER,
  "enrollment_id" INTEGER,
  "campaign_id" INTEGER,
  "step_id" INTEGER,
  "attempt_no" INTEGER,
  "channel" TEXT,
  "status" TEXT,
  "outcome" TEXT,
  "scheduled_at" TEXT,
  "sent_at" TEXT,
  "delivered_at" TEXT,
  "completed_at" TEXT,
  "call_started_at" TEXT,
  "call_duration_sec" INTEGER,
  "end_call_reason" TEXT,
  "prompt_used" TEXT,
  "generated_message" TEXT,
  "created_at" TEXT,
  "variant_id" INTEGER, -- extension
  "updated_at" TEXT, -- extension
  CONSTRAINT "pk_education_campaign_activities" PRIMARY KEY ("id")
);

CREATE INDEX "ix_education_campaign_activities_enrollment_id" ON "education_campaign_activities" ("enrollment_id");

CREATE INDEX "ix_education_campaign_activities_created_at" ON "education_campaign_activities" ("created_at");

CREATE TABLE "dbo_Education_Cory_Communication_Log" (
  "ghl_contact_id" TEXT,
  "channel" TEXT,
  "direction" TEXT,
  "sender" TEXT,
  "recipient" TEXT,
  "subject" TEXT,
  "thread_id" TEXT,
  "message_id" TEXT,
  "timestamp" TEXT,
  "created_at" TEXT,
  "conversation_tags" TEXT,
  "body" TEXT -- extension
);

CREATE INDEX "ix_dbo_Education_Cory_Communication_Log_ghl_contact_id" ON "dbo_Education_Cory_Communication_Log" ("ghl_contact_id");

CREATE INDEX "ix_dbo_Education_Cory_Communication_Log_created_at" ON "dbo_Education_Cory_Communication_Log" ("created_at");

CREATE INDEX "ix_dbo_Education_Cory_Communication_Log_message_id" ON "dbo_Education_Cory_Communication_Log" ("message_id");

CREATE TABLE "education_booking_appointments" (
  "appointment_id" INTEGER NOT NULL,
  "org_id" INTEGER,
  "contact_id" INTEGER,
  "ghl_contact_id" TEXT,
  "status" TEXT,
  "requested_at" TEXT,
  "scheduled_at" TEXT,
  "created_at" TEXT,
  "enrollment_id" INTEGER, -- extension
  CONSTRAINT "pk_education_booking_appointments" PRIMARY KEY ("appointment_id")
);

CREATE INDEX "ix_education_booking_appointments_contact_id" ON "education_booking_appointments" ("contact_id");

CREATE INDEX "ix_education_booking_appointments_enrollment_id" ON "education_booking_appointments" ("enrollment_id");

CREATE INDEX "ix_education_booking_appointments_created_at" ON "education_booking_appointments" ("created_at");

-- extension table
CREATE TABLE "education_lead_outcome_events" (
  "id" INTEGER NOT NULL,
  "org_id" INTEGER,
  "contact_id" INTEGER,
  "enrollment_id" INTEGER,
  "event_type" TEXT,
  "occurred_at" TEXT,
  "created_at" TEXT,
  "amount" REAL,
  "source" TEXT,
  CONSTRAINT "pk_education_lead_outcome_events" PRIMARY KEY ("id")
);

CREATE INDEX "ix_education_lead_outcome_events_contact_id" ON "education_lead_outcome_events" ("contact_id");

CREATE INDEX "ix_education_lead_outcome_events_enrollment_id" ON "education_lead_outcome_events" ("enrollment_id");

CREATE INDEX "ix_education_lead_outcome_events_created_at" ON "education_lead_outcome_events" ("created_at");
