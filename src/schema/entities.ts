// The canonical entities: what a query pack must return for each entity, how each
// column is treated for privacy at extraction, and what lands in the snapshot. Every
// stage after extract reads snapshot columns by these names only.

/** Value types in a snapshot. Ids are always strings; timestamps are strings as the source gave them. */
export type ValueType = 'id' | 'string' | 'text' | 'integer' | 'number' | 'boolean' | 'timestamp';

/**
 * What extract does with a column the query returns:
 * - `keep`: written as is.
 * - `hash`: replaced by a keyed hash (HMAC-SHA256), written as `<name>_hash`.
 * - `pseudonym`: an identifier that may embed PII (thread and message ids built from
 *   contact ids or addresses): keyed hash under the same name, so joins and keys still work.
 * - `drop`: used in memory only (to redact free text), never written.
 * - `redact`: free text; the contact's own names and any email address or phone number in it are masked.
 */
export type PiiRule = 'keep' | 'hash' | 'pseudonym' | 'drop' | 'redact';

export interface EntityColumn {
  readonly name: string;
  readonly type: ValueType;
  /** Must be present (non-null) in every row; `check` reports completeness. */
  readonly required?: boolean;
  /** Privacy rule at extraction. Default `keep`. */
  readonly pii?: PiiRule;
  /** Allowed values after clean's case-folding (check warns on others). */
  readonly allowed?: readonly string[];
  readonly doc: string;
}

export type EntityName =
  | 'contacts'
  | 'campaigns'
  | 'campaign_steps'
  | 'step_variants'
  | 'enrollments'
  | 'activities'
  | 'messages'
  | 'outcomes';

export interface EntityDef {
  readonly name: EntityName;
  readonly doc: string;
  /** Columns the query file must return, in order. */
  readonly columns: readonly EntityColumn[];
  /** Columns that identify a row; duplicates on them are removed by clean (latest wins). */
  readonly key: readonly string[];
  /** Column deciding which duplicate is the latest (falls back to file order). */
  readonly updatedColumn?: string;
  /** The event time used for window and ordering checks, when the entity has one. */
  readonly timeColumn?: string;
}

const col = (
  name: string,
  type: ValueType,
  doc: string,
  opts: Omit<EntityColumn, 'name' | 'type' | 'doc'> = {},
) => ({
  name,
  type,
  doc,
  ...opts,
});

export const CHANNELS = ['sms', 'email', 'voice'] as const;
export const ENROLLMENT_STATUSES = ['active', 'paused', 'completed', 'switched', 'cancelled'] as const;
export const ACTIVITY_STATUSES = ['planned', 'completed', 'failed'] as const;
export const DIRECTIONS = ['inbound', 'outbound'] as const;
export const OUTCOME_TYPES = ['call_booked', 'qualified', 'disqualified', 'converted'] as const;
/**
 * Provider status callbacks that a CRM event log keeps beside the outcomes (message
 * delivered/read/opened/clicked, call ringing/answered/completed). Allowed in
 * outcomes.outcome_type; they are engagement, not labels.
 */
export const STATUS_EVENT_TYPES = [
  'sms_sent',
  'sms_delivered',
  'sms_read',
  'sms_failed',
  'email_delivered',
  'email_opened',
  'email_clicked',
  'email_bounced',
  'call_ringing',
  'call_answered',
  'call_machine_detected',
  'call_no_answer',
  'call_completed',
] as const;

/** The canonical entities, in extraction order (contacts first: their PII redacts later text). */
export const ENTITIES: readonly EntityDef[] = [
  {
    name: 'contacts',
    doc: 'Leads, with PII hashed or dropped and non-identifying facts derived first.',
    key: ['org_id', 'contact_id'],
    updatedColumn: 'updated_at',
    timeColumn: 'created_at',
    columns: [
      col('org_id', 'id', 'Organization.', { required: true }),
      col('contact_id', 'id', 'Contact id.', { required: true }),
      col('ghl_contact_id', 'string', 'CRM contact id.', { pii: 'hash' }),
      col('first_name', 'string', 'PII: redaction only.', { pii: 'drop' }),
      col('last_name', 'string', 'PII: redaction only.', { pii: 'drop' }),
      col('full_name', 'string', 'PII: redaction only.', { pii: 'drop' }),
      col('email', 'string', 'PII: hashed; email_domain_type derived.', { pii: 'hash' }),
      col('phone', 'string', 'PII: hashed; has_phone and phone_area_code derived.', { pii: 'hash' }),
      col('lead_source', 'string', 'Lead source attribution.'),
      col('lead_source_detail', 'string', 'Finer attribution.'),
      col(
        'qualification_status',
        'string',
        'Current qualification status (a snapshot value: not a feature).',
      ),
      col('timezone', 'string', 'IANA time zone.'),
      col('region', 'string', 'State or region.'),
      col('created_at', 'timestamp', 'When the lead entered the CRM.'),
      col('updated_at', 'timestamp', 'Last update.'),
    ],
  },
  {
    name: 'campaigns',
    doc: 'Campaigns.',
    key: ['org_id', 'campaign_id'],
    columns: [
      col('org_id', 'id', 'Organization.', { required: true }),
      col('campaign_id', 'id', 'Campaign id.', { required: true }),
      col('name', 'string', 'Campaign name.'),
      col('description', 'text', 'Description.'),
      col('campaign_type', 'string', 'Campaign type.'),
      col('goal_prompt', 'text', 'Campaign goal prompt.'),
      col('created_at', 'timestamp', 'Created.'),
    ],
  },
  {
    name: 'campaign_steps',
    doc: 'Steps with their default prompt text and decision points.',
    key: ['org_id', 'step_id'],
    columns: [
      col('org_id', 'id', 'Organization (from the campaign).', { required: true }),
      col('step_id', 'id', 'Step id.', { required: true }),
      col('campaign_id', 'id', 'Campaign.', { required: true }),
      col('order_id', 'integer', 'Position in the campaign.'),
      col('channel', 'string', 'Channel.', { allowed: CHANNELS }),
      col('wait_before_ms', 'number', 'Wait before the step, ms.'),
      col('label', 'string', 'Label.'),
      col('metadata', 'text', 'JSON metadata.'),
      col('goal_prompt', 'text', 'Step goal prompt.'),
      col('prompt_template_id', 'id', 'Default template.'),
      col('prompt_text', 'text', 'Default template text.'),
      col('is_decision_point', 'boolean', 'Branches on branch_condition.'),
      col('branch_condition', 'string', 'Condition at a decision point.'),
      col('next_step_id_if_true', 'id', 'Next step when the condition holds.'),
      col('next_step_id_if_false', 'id', 'Next step otherwise.'),
    ],
  },
  {
    name: 'step_variants',
    doc: 'A/B variants of steps, each with its prompt text.',
    key: ['org_id', 'variant_id'],
    columns: [
      col('org_id', 'id', 'Organization.', { required: true }),
      col('variant_id', 'id', 'Variant id.', { required: true }),
      col('step_id', 'id', 'Step.', { required: true }),
      col('variant_key', 'string', 'A, B, ...'),
      col('is_control', 'boolean', 'Control arm.'),
      col('allocation_weight', 'number', 'Share assigned.'),
      col('prompt_template_id', 'id', 'Template.'),
      col('prompt_text', 'text', 'Template text.'),
      col('created_at', 'timestamp', 'Created.'),
    ],
  },
  {
    name: 'enrollments',
    doc: 'Campaign enrollments: the unit of prediction.',
    key: ['org_id', 'enrollment_id'],
    updatedColumn: 'updated_at',
    timeColumn: 'created_at',
    columns: [
      col('org_id', 'id', 'Organization.', { required: true }),
      col('enrollment_id', 'id', 'Enrollment id.', { required: true }),
      col('contact_id', 'id', 'Contact.', { required: true }),
      col('campaign_id', 'id', 'Campaign.', { required: true }),
      col('current_step_id', 'id', 'Current step.'),
      col('status', 'string', 'Status.', { allowed: ENROLLMENT_STATUSES }),
      col('started_at', 'timestamp', 'Started.'),
      col('ended_at', 'timestamp', 'Ended.'),
      col('created_at', 'timestamp', 'Created.', { required: true }),
      col('updated_at', 'timestamp', 'Last update.'),
    ],
  },
  {
    name: 'activities',
    doc: 'Outbound engagement by the agent: messages sent and calls made, per step attempt.',
    key: ['org_id', 'enrollment_id', 'step_id', 'attempt_no', 'channel'],
    updatedColumn: 'updated_at',
    timeColumn: 'created_at',
    columns: [
      col('org_id', 'id', 'Organization.', { required: true }),
      col('activity_id', 'id', 'Activity id.', { required: true }),
      col('enrollment_id', 'id', 'Enrollment.', { required: true }),
      col('campaign_id', 'id', 'Campaign.'),
      col('step_id', 'id', 'Step.'),
      col('variant_id', 'id', 'Step variant.'),
      col('attempt_no', 'integer', 'Attempt at the step.'),
      col('channel', 'string', 'Channel.', { allowed: CHANNELS }),
      col('status', 'string', 'Status.', { allowed: ACTIVITY_STATUSES }),
      col('outcome', 'string', 'Outcome (voicemail, connected, delivered, ...).'),
      col('scheduled_at', 'timestamp', 'Scheduled.'),
      col('sent_at', 'timestamp', 'Sent.'),
      col('delivered_at', 'timestamp', 'Delivered.'),
      col('completed_at', 'timestamp', 'Completed.'),
      col('call_started_at', 'timestamp', 'Call started.'),
      col('call_duration_sec', 'number', 'Call duration, s.'),
      col('end_call_reason', 'string', 'End-of-call reason.'),
      col('prompt_used', 'text', 'Prompt used, PII redacted.', { pii: 'redact' }),
      col('generated_message', 'text', 'Message written, PII redacted.', { pii: 'redact' }),
      col('created_at', 'timestamp', 'Row written.', { required: true }),
      col('updated_at', 'timestamp', 'Last update.'),
    ],
  },
  {
    name: 'messages',
    doc: 'Messages in both directions from the communication log, joined to contacts.',
    key: ['org_id', 'message_id'],
    updatedColumn: 'created_at',
    timeColumn: 'created_at',
    columns: [
      col('org_id', 'id', 'Organization (via the contact).', { required: true }),
      col('contact_id', 'id', 'Contact (via ghl_contact_id).', { required: true }),
      col('message_id', 'string', 'Message id; hashed, since ids often embed addresses.', {
        required: true,
        pii: 'pseudonym',
      }),
      col('thread_id', 'string', 'Thread; hashed, since CRMs build thread ids from contact ids.', {
        pii: 'pseudonym',
      }),
      col('channel', 'string', 'Channel.', { allowed: CHANNELS }),
      col('direction', 'string', 'inbound or outbound.', { required: true, allowed: DIRECTIONS }),
      col('sender', 'string', 'PII: dropped.', { pii: 'drop' }),
      col('recipient', 'string', 'PII: dropped.', { pii: 'drop' }),
      col('subject', 'text', 'Subject, PII redacted.', { pii: 'redact' }),
      col('body', 'text', 'Text, PII redacted.', { pii: 'redact' }),
      col('message_ts', 'timestamp', 'Message time as the channel reported it.'),
      col('created_at', 'timestamp', 'Row written.', { required: true }),
      col('conversation_tags', 'string', 'Tags.'),
    ],
  },
  {
    name: 'outcomes',
    doc: 'call_booked (bookings), qualified, disqualified and converted events, each with its time.',
    key: ['org_id', 'outcome_id'],
    updatedColumn: 'recorded_at',
    timeColumn: 'occurred_at',
    columns: [
      col('org_id', 'id', 'Organization.', { required: true }),
      col('outcome_id', 'string', 'Outcome id (booking:<id> or event:<id>).', { required: true }),
      col('contact_id', 'id', 'Contact.', { required: true }),
      col('enrollment_id', 'id', 'Enrollment credited, when known.'),
      col('outcome_type', 'string', 'Outcome type, or a provider status callback (STATUS_EVENT_TYPES).', {
        required: true,
        allowed: [...OUTCOME_TYPES, ...STATUS_EVENT_TYPES],
      }),
      col('status', 'string', 'Booking status or event source status.'),
      col('occurred_at', 'timestamp', 'When it happened.', { required: true }),
      col('scheduled_at', 'timestamp', 'For bookings: when the call is.'),
      col('recorded_at', 'timestamp', 'When the row was written.'),
      col('amount', 'number', 'Deal value.'),
      col('source', 'string', 'Recording system.'),
    ],
  },
];

export const ENTITY_NAMES: readonly EntityName[] = ENTITIES.map((e) => e.name);

/** Looks up an entity definition by name. */
export function entityDef(name: EntityName): EntityDef {
  const e = ENTITIES.find((x) => x.name === name);
  if (!e) throw new Error(`unknown entity ${name}`);
  return e;
}

/**
 * Columns an entity has in a snapshot, after the privacy rules: dropped columns are
 * gone, hashed ones are renamed `<name>_hash`, and the derived contact facts are added.
 */
export function snapshotColumns(def: EntityDef): string[] {
  const out: string[] = [];
  for (const c of def.columns) {
    if (c.pii === 'drop') continue;
    out.push(c.pii === 'hash' ? `${c.name}_hash` : c.name);
  }
  if (def.name === 'contacts') out.push(...CONTACT_DERIVED_COLUMNS);
  return out;
}

/** Non-identifying facts derived from contact PII before it is hashed. */
export const CONTACT_DERIVED_COLUMNS = [
  'email_domain_type',
  'has_email',
  'has_phone',
  'phone_area_code',
  'is_test_hint',
] as const;
