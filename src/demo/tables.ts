// The tables the demo writes, with their columns in the reference schema's order, and the
// row buffers the generator fills: one per table, whose row arrays are reused from batch
// to batch so a 1M-enrollment run allocates few long-lived objects.

import type { SqlValue } from '../db/adapter.js';

/** A table the demo writes: reference name (`schema.table`) and columns. */
export interface DemoTableSpec {
  readonly schema: 'education' | 'dbo';
  readonly name: string;
  /** `schema.name`, as TargetAdapter.insertRows takes it. */
  readonly table: string;
  readonly columns: readonly string[];
}

const spec = (schema: 'education' | 'dbo', name: string, columns: readonly string[]): DemoTableSpec => ({
  schema,
  name,
  table: `${schema}.${name}`,
  columns,
});

/** Every demo table, in load order; columns match src/schema/reference.ts (checked by a test). */
export const DEMO_TABLES = {
  templates: spec('education', 'prompt_templates', [
    'id',
    'org_id',
    'name',
    'channel',
    'purpose',
    'template_text',
  ]),
  campaigns: spec('education', 'campaigns', [
    'id',
    'org_id',
    'name',
    'description',
    'campaign_type',
    'goal_prompt',
    'created_at',
  ]),
  steps: spec('education', 'campaign_steps', [
    'id',
    'campaign_id',
    'order_id',
    'channel',
    'wait_before_ms',
    'label',
    'metadata',
    'goal_prompt',
    'prompt_template_id',
    'is_decision_point',
    'branch_condition',
    'next_step_id_if_true',
    'next_step_id_if_false',
  ]),
  variants: spec('education', 'campaign_step_variants', [
    'id',
    'org_id',
    'step_id',
    'variant_key',
    'is_control',
    'allocation_weight',
    'prompt_template_id',
    'created_at',
  ]),
  contacts: spec('education', 'contacts', [
    'id',
    'org_id',
    'first_name',
    'last_name',
    'full_name',
    'email',
    'phone',
    'ghl_contact_id',
    'lead_source',
    'lead_source_detail',
    'qualification_status',
    'timezone',
    'region',
    'created_at',
    'updated_at',
  ]),
  enrollments: spec('education', 'campaign_enrollments', [
    'id',
    'org_id',
    'contact_id',
    'campaign_id',
    'current_step_id',
    'status',
    'started_at',
    'ended_at',
    'created_at',
    'updated_at',
  ]),
  activities: spec('education', 'campaign_activities', [
    'id',
    'org_id',
    'enrollment_id',
    'campaign_id',
    'step_id',
    'attempt_no',
    'channel',
    'status',
    'outcome',
    'scheduled_at',
    'sent_at',
    'delivered_at',
    'completed_at',
    'call_started_at',
    'call_duration_sec',
    'end_call_reason',
    'prompt_used',
    'generated_message',
    'created_at',
    'variant_id',
    'updated_at',
  ]),
  messages: spec('dbo', 'Education_Cory_Communication_Log', [
    'ghl_contact_id',
    'channel',
    'direction',
    'sender',
    'recipient',
    'subject',
    'thread_id',
    'message_id',
    'timestamp',
    'created_at',
    'conversation_tags',
    'body',
  ]),
  bookings: spec('education', 'booking_appointments', [
    'appointment_id',
    'org_id',
    'contact_id',
    'ghl_contact_id',
    'status',
    'requested_at',
    'scheduled_at',
    'created_at',
    'enrollment_id',
  ]),
  events: spec('education', 'lead_outcome_events', [
    'id',
    'org_id',
    'contact_id',
    'enrollment_id',
    'event_type',
    'occurred_at',
    'created_at',
    'amount',
    'source',
  ]),
  /**
   * Provider status callbacks (queued, sent, delivered, read, opened, clicked, ringing,
   * answered, ...) written to the same table as the outcome events, from their own PRNG
   * stream and id range: adding them changes no other row.
   */
  statusEvents: spec('education', 'lead_outcome_events', [
    'id',
    'org_id',
    'contact_id',
    'enrollment_id',
    'event_type',
    'occurred_at',
    'created_at',
    'amount',
    'source',
  ]),
} as const;

export type DemoTableKey = keyof typeof DEMO_TABLES;

/** Load order of the tables. */
export const DEMO_TABLE_ORDER: readonly DemoTableKey[] = [
  'templates',
  'campaigns',
  'steps',
  'variants',
  'contacts',
  'enrollments',
  'activities',
  'messages',
  'bookings',
  'events',
  'statusEvents',
];

/** Column positions of a table, by name. */
export function columnIndex<K extends DemoTableKey>(key: K): Readonly<Record<string, number>> {
  const out: Record<string, number> = {};
  DEMO_TABLES[key].columns.forEach((c, i) => {
    out[c] = i;
  });
  return out;
}

/** The marker table that tells extract a database is demo data. */
export const DEMO_INFO_TABLE = {
  schema: 'dbo',
  name: 'leadlift_demo_info',
  columns: ['name', 'value'],
} as const;

/**
 * Rows of one table for the current batch. `add()` hands out a row array (all nulls) to
 * fill; arrays are reused after `clear()`, so a consumer that keeps rows must copy them.
 */
export class RowBuffer {
  readonly spec: DemoTableSpec;
  private readonly pool: SqlValue[][] = [];
  private n = 0;

  constructor(spec: DemoTableSpec) {
    this.spec = spec;
  }

  get length(): number {
    return this.n;
  }

  /** A fresh row (every cell null), appended to the batch. */
  add(): SqlValue[] {
    let row = this.pool[this.n];
    if (row === undefined) {
      row = new Array<SqlValue>(this.spec.columns.length).fill(null);
      this.pool.push(row);
    } else {
      row.fill(null);
    }
    this.n++;
    return row;
  }

  /** The row at `i` of the current batch. */
  at(i: number): SqlValue[] {
    return this.pool[i]!;
  }

  /** The rows of the current batch (valid until `clear`). */
  rows(): readonly (readonly SqlValue[])[] {
    return this.n === this.pool.length ? this.pool : this.pool.slice(0, this.n);
  }

  clear(): void {
    this.n = 0;
  }
}
