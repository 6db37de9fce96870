// A small, consistent data set that passes every check: tests copy it and break one
// thing. Times fall inside TEST_WINDOW ([2026-01-01, 2026-03-01)).

import type { EntityName } from '../schema/entities.js';

/** Fresh copies of the sample rows (tests may mutate them). */
export function sampleRows(): Record<EntityName, Record<string, unknown>[]> {
  return {
    contacts: [
      {
        org_id: '1',
        contact_id: 'c1',
        email_hash: 'h-email-1',
        lead_source: 'Facebook',
        timezone: 'America/New_York',
        created_at: '2026-01-02T10:00:00.000Z',
        updated_at: '2026-01-02T10:00:00.000Z',
        email_domain_type: 'free',
        has_email: true,
        has_phone: true,
        is_test_hint: false,
      },
      {
        org_id: '1',
        contact_id: 'c2',
        lead_source: 'google',
        timezone: 'America/Chicago',
        created_at: '2026-01-03T10:00:00.000Z',
        updated_at: '2026-01-03T10:00:00.000Z',
        has_email: false,
        has_phone: true,
        is_test_hint: false,
      },
    ],
    campaigns: [
      {
        org_id: '1',
        campaign_id: 'k1',
        name: 'Spring',
        campaign_type: 'nurture',
        created_at: '2025-12-01T00:00:00.000Z',
      },
    ],
    campaign_steps: [
      { org_id: '1', step_id: 's1', campaign_id: 'k1', order_id: 1, channel: 'sms', wait_before_ms: 0 },
      {
        org_id: '1',
        step_id: 's2',
        campaign_id: 'k1',
        order_id: 2,
        channel: 'voice',
        wait_before_ms: 86_400_000,
      },
    ],
    step_variants: [
      {
        org_id: '1',
        variant_id: 'v1',
        step_id: 's1',
        variant_key: 'a',
        is_control: true,
        allocation_weight: 1,
      },
    ],
    enrollments: [
      {
        org_id: '1',
        enrollment_id: 'e1',
        contact_id: 'c1',
        campaign_id: 'k1',
        status: 'active',
        created_at: '2026-01-05T09:00:00.000Z',
        updated_at: '2026-01-05T09:00:00.000Z',
      },
      {
        org_id: '1',
        enrollment_id: 'e2',
        contact_id: 'c2',
        campaign_id: 'k1',
        status: 'completed',
        created_at: '2026-01-06T09:00:00.000Z',
        updated_at: '2026-01-06T09:00:00.000Z',
      },
    ],
    activities: [
      {
        org_id: '1',
        activity_id: 'a1',
        enrollment_id: 'e1',
        campaign_id: 'k1',
        step_id: 's1',
        attempt_no: 1,
        channel: 'sms',
        status: 'completed',
        sent_at: '2026-01-05T09:05:00.000Z',
        created_at: '2026-01-05T09:05:00.000Z',
        updated_at: '2026-01-05T09:05:00.000Z',
      },
      {
        org_id: '1',
        activity_id: 'a2',
        enrollment_id: 'e1',
        campaign_id: 'k1',
        step_id: 's2',
        attempt_no: 1,
        channel: 'voice',
        status: 'completed',
        call_duration_sec: 120,
        sent_at: '2026-01-06T09:05:00.000Z',
        created_at: '2026-01-06T09:05:00.000Z',
        updated_at: '2026-01-06T09:05:00.000Z',
      },
      {
        org_id: '1',
        activity_id: 'a3',
        enrollment_id: 'e2',
        campaign_id: 'k1',
        step_id: 's1',
        attempt_no: 1,
        channel: 'sms',
        status: 'completed',
        sent_at: '2026-01-06T09:10:00.000Z',
        created_at: '2026-01-06T09:10:00.000Z',
        updated_at: '2026-01-06T09:10:00.000Z',
      },
    ],
    messages: [
      {
        org_id: '1',
        contact_id: 'c1',
        message_id: 'm1',
        channel: 'sms',
        direction: 'outbound',
        body: 'Hi there',
        created_at: '2026-01-05T09:05:00.000Z',
      },
      {
        org_id: '1',
        contact_id: 'c1',
        message_id: 'm2',
        channel: 'sms',
        direction: 'inbound',
        body: 'Call me',
        created_at: '2026-01-05T10:00:00.000Z',
      },
    ],
    outcomes: [
      {
        org_id: '1',
        outcome_id: 'booking:1',
        contact_id: 'c1',
        enrollment_id: 'e1',
        outcome_type: 'call_booked',
        occurred_at: '2026-01-05T10:30:00.000Z',
        recorded_at: '2026-01-05T10:30:00.000Z',
      },
    ],
  };
}
