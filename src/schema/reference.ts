// leadlift's reference Agent Cory schema: the tables DESIGN.md lists, with the columns
// known from the earlier pipeline, plus a documented extension (columns and tables
// marked `extension`) for facts the contract needs and those columns don't show.
// One description, three dialects: DDL is generated from it (src/db/ddl.ts) so the
// SQLite, PostgreSQL and SQL Server schemas can't drift apart.

/** Logical column types; each dialect maps them to its own (see src/db/ddl.ts). */
export type RefType =
  | 'id' // integer key (INTEGER / BIGINT / BIGINT)
  | 'int'
  | 'bigint'
  | 'float'
  | 'bool'
  | 'text' // short text, up to 400 characters
  | 'longtext' // unbounded text (NVARCHAR(MAX))
  | 'timestamp'; // a point in time; stored as written by the source (see docs/schema.md)

export interface RefColumn {
  readonly name: string;
  readonly type: RefType;
  /** NOT NULL in the DDL. Default false: real data is messy and leadlift checks instead. */
  readonly notNull?: boolean;
  /** Part of the table's primary key. */
  readonly primaryKey?: boolean;
  /** Added by leadlift's extension; not among the columns known from the seed pipeline. */
  readonly extension?: boolean;
  readonly doc: string;
}

export interface RefTable {
  /** Schema name on SQL Server and PostgreSQL (`education` or `dbo`). */
  readonly schema: 'education' | 'dbo';
  readonly name: string;
  /** The whole table is part of leadlift's extension. */
  readonly extension?: boolean;
  readonly doc: string;
  readonly columns: readonly RefColumn[];
  /** Secondary indexes (column lists), as a real deployment would have them. */
  readonly indexes?: readonly (readonly string[])[];
}

const c = (
  name: string,
  type: RefType,
  doc: string,
  opts: Omit<RefColumn, 'name' | 'type' | 'doc'> = {},
): RefColumn => ({ name, type, doc, ...opts });
const ext = (name: string, type: RefType, doc: string): RefColumn => c(name, type, doc, { extension: true });

/** The reference schema, in load order (parents before children). */
export const REFERENCE_TABLES: readonly RefTable[] = [
  {
    schema: 'education',
    name: 'prompt_templates',
    doc: 'Prompt templates the agent writes messages or runs calls from.',
    columns: [
      c('id', 'id', 'Template id.', { primaryKey: true, notNull: true }),
      c('org_id', 'id', 'Owning organization.'),
      c('name', 'text', 'Template name.'),
      c('channel', 'text', 'voice, sms or email.'),
      c('purpose', 'text', 'What the template is for (first_touch, follow_up, ...).'),
      c('template_text', 'longtext', 'The prompt text; may contain {first_name}-style placeholders.'),
    ],
  },
  {
    schema: 'education',
    name: 'campaigns',
    doc: 'Campaigns: ordered steps the agent runs for each enrolled lead.',
    columns: [
      c('id', 'id', 'Campaign id.', { primaryKey: true, notNull: true }),
      c('org_id', 'id', 'Owning organization.'),
      c('name', 'text', 'Campaign name.'),
      c('description', 'longtext', 'Free-text description.'),
      c('campaign_type', 'text', 'Campaign type (e.g. nurture, speed_to_lead, reactivation).'),
      c('goal_prompt', 'longtext', 'Campaign-level goal given to the agent.'),
      ext('created_at', 'timestamp', 'When the campaign was created.'),
    ],
  },
  {
    schema: 'education',
    name: 'campaign_steps',
    doc: 'Steps of a campaign, run in order_id order unless a decision point branches.',
    columns: [
      c('id', 'id', 'Step id.', { primaryKey: true, notNull: true }),
      c('campaign_id', 'id', 'Campaign of the step.'),
      c('order_id', 'int', 'Position in the campaign, from 1.'),
      c('channel', 'text', 'voice, sms or email.'),
      c('wait_before_ms', 'bigint', 'Wait after the previous step before this one runs, in milliseconds.'),
      c('label', 'text', 'Human label of the step.'),
      c('metadata', 'longtext', 'JSON metadata.'),
      c('goal_prompt', 'longtext', 'Step-level goal prompt.'),
      ext('prompt_template_id', 'id', 'Default prompt template of the step (variants may override).'),
      ext('is_decision_point', 'bool', 'The next step depends on branch_condition.'),
      ext(
        'branch_condition',
        'text',
        'Condition tested at a decision point: replied, no_reply, connected, not_connected, voicemail.',
      ),
      ext('next_step_id_if_true', 'id', 'Next step when branch_condition holds.'),
      ext('next_step_id_if_false', 'id', 'Next step when branch_condition does not hold.'),
    ],
  },
  {
    schema: 'education',
    name: 'campaign_step_variants',
    extension: true,
    doc: 'A/B variants of a step: each enrollment reaching the step is assigned one variant.',
    columns: [
      c('id', 'id', 'Variant id.', { primaryKey: true, notNull: true }),
      c('org_id', 'id', 'Owning organization.'),
      c('step_id', 'id', 'The step this variant belongs to.'),
      c('variant_key', 'text', 'Variant label, e.g. A or B.'),
      c('is_control', 'bool', 'The control arm of the step.'),
      c('allocation_weight', 'float', 'Share of enrollments assigned to the variant (0..1).'),
      c('prompt_template_id', 'id', 'Prompt template the variant uses.'),
      c('created_at', 'timestamp', 'When the variant was created.'),
    ],
  },
  {
    schema: 'education',
    name: 'contacts',
    doc: 'Leads. Names, email and phone are PII: leadlift hashes or drops them at extraction.',
    columns: [
      c('id', 'id', 'Contact id.', { primaryKey: true, notNull: true }),
      c('org_id', 'id', 'Owning organization.'),
      c('first_name', 'text', 'PII.'),
      c('last_name', 'text', 'PII.'),
      c('full_name', 'text', 'PII.'),
      c('email', 'text', 'PII.'),
      c('phone', 'text', 'PII.'),
      ext('ghl_contact_id', 'text', 'The CRM contact id used by the communication log and bookings.'),
      ext('lead_source', 'text', 'Lead source attribution (e.g. facebook_ads, referral, webinar).'),
      ext('lead_source_detail', 'text', 'Finer attribution (ad set, referrer type).'),
      ext(
        'qualification_status',
        'text',
        'Current qualification status (new, qualified, disqualified, ...).',
      ),
      ext(
        'timezone',
        'text',
        'IANA time zone of the contact (e.g. America/Chicago), for local-time features.',
      ),
      ext('region', 'text', 'State or region.'),
      ext('created_at', 'timestamp', 'When the lead entered the CRM.'),
      ext('updated_at', 'timestamp', 'Last update of the row.'),
    ],
    indexes: [['ghl_contact_id']],
  },
  {
    schema: 'education',
    name: 'campaign_enrollments',
    doc: 'One contact enrolled in one campaign: the unit of prediction.',
    columns: [
      c('id', 'id', 'Enrollment id.', { primaryKey: true, notNull: true }),
      c('org_id', 'id', 'Owning organization.'),
      c('contact_id', 'id', 'Enrolled contact.'),
      c('campaign_id', 'id', 'Campaign.'),
      c('current_step_id', 'id', 'Step the enrollment is at now.'),
      c('status', 'text', 'active, paused, completed, switched or cancelled.'),
      c('started_at', 'timestamp', 'When the campaign started for this contact.'),
      c('ended_at', 'timestamp', 'When it ended, if it has.'),
      c('created_at', 'timestamp', 'When the row was created.'),
      ext('updated_at', 'timestamp', 'Last update of the row.'),
    ],
    indexes: [['contact_id'], ['created_at']],
  },
  {
    schema: 'education',
    name: 'campaign_activities',
    doc: 'What the agent did or planned for an enrollment at a step: a message sent or a call made.',
    columns: [
      c('id', 'id', 'Activity id.', { primaryKey: true, notNull: true }),
      c('org_id', 'id', 'Owning organization.'),
      c('enrollment_id', 'id', 'Enrollment.'),
      c('campaign_id', 'id', 'Campaign.'),
      c('step_id', 'id', 'Step.'),
      c('attempt_no', 'int', 'Attempt number at this step, from 1.'),
      c('channel', 'text', 'voice, sms or email.'),
      c('status', 'text', 'planned, completed or failed.'),
      c('outcome', 'text', 'e.g. delivered, voicemail, connected, no_answer, bounced.'),
      c('scheduled_at', 'timestamp', 'When the activity was scheduled to run.'),
      c('sent_at', 'timestamp', 'When a message was sent.'),
      c('delivered_at', 'timestamp', 'When a message was delivered.'),
      c('completed_at', 'timestamp', 'When the activity completed.'),
      c('call_started_at', 'timestamp', 'When a call started.'),
      c('call_duration_sec', 'int', 'Connected call duration in seconds.'),
      c('end_call_reason', 'text', 'Why a call ended.'),
      c('prompt_used', 'longtext', 'The prompt the agent used (may be personalized: PII).'),
      c('generated_message', 'longtext', 'The message the agent wrote (may contain PII).'),
      c('created_at', 'timestamp', 'When the row was written; later than the event for late-arriving rows.'),
      ext('variant_id', 'id', 'The step variant used (campaign_step_variants.id).'),
      ext('updated_at', 'timestamp', 'Last update of the row.'),
    ],
    indexes: [['enrollment_id'], ['created_at']],
  },
  {
    schema: 'dbo',
    name: 'Education_Cory_Communication_Log',
    doc: 'Messages in both directions as the CRM logged them. Sender and recipient are PII.',
    columns: [
      c('ghl_contact_id', 'text', 'CRM contact id (contacts.ghl_contact_id).'),
      c('channel', 'text', 'sms, email or voice.'),
      c('direction', 'text', 'inbound or outbound.'),
      c('sender', 'text', 'PII.'),
      c('recipient', 'text', 'PII.'),
      c('subject', 'text', 'Email subject.'),
      c('thread_id', 'text', 'Conversation thread.'),
      c('message_id', 'text', 'Message id; the same message may be logged more than once.'),
      c('timestamp', 'timestamp', 'When the message was sent or received, as the channel reported it.'),
      c('created_at', 'timestamp', 'When the row was written.'),
      c('conversation_tags', 'text', 'Comma-separated tags.'),
      ext('body', 'longtext', 'Message text (inbound replies included); may contain PII.'),
    ],
    indexes: [['ghl_contact_id'], ['created_at'], ['message_id']],
  },
  {
    schema: 'education',
    name: 'booking_appointments',
    doc: 'Calls booked with a contact: the call_booked outcome.',
    columns: [
      c('appointment_id', 'id', 'Appointment id.', { primaryKey: true, notNull: true }),
      c('org_id', 'id', 'Owning organization.'),
      c('contact_id', 'id', 'Contact.'),
      c('ghl_contact_id', 'text', 'CRM contact id.'),
      c('status', 'text', 'booked, confirmed, cancelled, no_show, completed.'),
      c('requested_at', 'timestamp', 'When the booking was made (the outcome time).'),
      c('scheduled_at', 'timestamp', 'When the call is scheduled to happen.'),
      c('created_at', 'timestamp', 'When the row was written.'),
      ext('enrollment_id', 'id', 'Enrollment credited with the booking, when known.'),
    ],
    indexes: [['contact_id'], ['enrollment_id'], ['created_at']],
  },
  {
    schema: 'education',
    name: 'lead_outcome_events',
    extension: true,
    doc: 'Qualification and conversion events with their timestamps.',
    columns: [
      c('id', 'id', 'Event id.', { primaryKey: true, notNull: true }),
      c('org_id', 'id', 'Owning organization.'),
      c('contact_id', 'id', 'Contact.'),
      c('enrollment_id', 'id', 'Enrollment credited, when known.'),
      c(
        'event_type',
        'text',
        'qualified, disqualified or converted; also provider status callbacks (sms_sent, sms_delivered, email_opened, call_answered, …), which carry no outcome.',
      ),
      c('occurred_at', 'timestamp', 'When it happened (the outcome time).'),
      c('created_at', 'timestamp', 'When the row was written; may be days later.'),
      c('amount', 'float', 'Deal value for conversions.'),
      c('source', 'text', 'System that recorded the event.'),
    ],
    indexes: [['contact_id'], ['enrollment_id'], ['created_at']],
  },
];

/** Finds a reference table by `schema.name`. */
export function referenceTable(qualified: string): RefTable {
  const t = REFERENCE_TABLES.find((x) => `${x.schema}.${x.name}` === qualified);
  if (!t) throw new Error(`unknown reference table ${qualified}`);
  return t;
}
