import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanConfigSchema, cleanSnapshot } from '../clean/index.js';
import { openCleanTables } from '../clean/tables.js';
import { isLeadliftError } from '../errors.js';
import { validateFrame } from '../numeric/frame.js';
import { type TestRows, tempDir, writeTestSnapshot } from '../test-support/snapshot.js';
import { parseCsv } from '../train/csv.js';
import { examplesTableOf } from '../train/training-set.js';
import { buildTrainingSet, type TrainingSet, writeTrainingExamplesCsv } from './index.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('leadlift-features-'));
});
afterEach(async () => {
  await cleanup();
});

const contact = (id: string, extra: Record<string, unknown> = {}) => ({
  org_id: '1',
  contact_id: id,
  lead_source: 'referral',
  timezone: 'America/New_York',
  region: 'ny',
  email_domain_type: 'free',
  has_email: true,
  has_phone: true,
  is_test_hint: false,
  created_at: '2026-01-01T00:00:00.000Z',
  qualification_status: 'customer',
  ...extra,
});
const enrollment = (id: string, contactId: string, created: string) => ({
  org_id: '1',
  enrollment_id: id,
  contact_id: contactId,
  campaign_id: 'k1',
  status: 'active',
  created_at: created,
});
let nextActivity = 0;
const activity = (enr: string, channel: string, at: string, extra: Record<string, unknown> = {}) => ({
  org_id: '1',
  activity_id: `a${++nextActivity}`,
  enrollment_id: enr,
  campaign_id: 'k1',
  step_id: channel === 'voice' ? 's2' : 's1',
  attempt_no: nextActivity,
  channel,
  status: 'completed',
  ...(channel === 'voice' ? { call_started_at: at } : { sent_at: at }),
  completed_at: at,
  created_at: at,
  ...extra,
});
const outcome = (id: string, contactId: string, enr: string | null, type: string, at: string) => ({
  org_id: '1',
  outcome_id: id,
  contact_id: contactId,
  enrollment_id: enr,
  outcome_type: type,
  occurred_at: at,
  recorded_at: at,
});

/**
 * The tiny case (TEST_WINDOW: as of 2026-03-01):
 * - e1 (c1): SMS 01-05 10:00Z (decision), voicemail call 15:00Z, connected call 01-07 (after
 *   the cutoff); booked 01-08 (T1 = 1), qualified 01-25 (day 20: T2 = 0).
 * - e2 (c2): SMS 01-10 12:00Z; booked 20:00Z (before the cutoff: excluded from T1); qualified
 *   01-15 (T2 = 1, eligible).
 * - e3 (c3): SMS 02-25: no window has elapsed by 03-01.
 * - e4 (c3): no outbound touch.
 * - e5 (c4): only a logged outbound SMS 01-20 15:00Z, an inbound reply 15:30Z; a booking
 *   without enrollment_id 01-22 (credited by contact: T1 = 1).
 */
function tinyRows(): TestRows {
  nextActivity = 0;
  return {
    contacts: [
      contact('c1'),
      contact('c2', { lead_source: 'google_ads', has_phone: false }),
      contact('c3'),
      contact('c4'),
    ],
    campaigns: [{ org_id: '1', campaign_id: 'k1', name: 'K1' }],
    campaign_steps: [
      { org_id: '1', step_id: 's1', campaign_id: 'k1', order_id: 1, channel: 'sms' },
      { org_id: '1', step_id: 's2', campaign_id: 'k1', order_id: 2, channel: 'voice' },
    ],
    enrollments: [
      enrollment('e1', 'c1', '2026-01-05T09:00:00.000Z'),
      enrollment('e2', 'c2', '2026-01-10T11:00:00.000Z'),
      enrollment('e3', 'c3', '2026-02-24T00:00:00.000Z'),
      enrollment('e4', 'c3', '2026-02-26T00:00:00.000Z'),
      enrollment('e5', 'c4', '2026-01-20T14:00:00.000Z'),
    ],
    activities: [
      activity('e1', 'sms', '2026-01-05T10:00:00.000Z', {
        generated_message:
          'Hi [first_name]! I have Tue 1/6 at 2:00 PM or Wed 1/7 at 10:30 AM. Which one works?',
        prompt_used: 'Offer two times.',
      }),
      activity('e1', 'voice', '2026-01-05T15:00:00.000Z', { outcome: 'voicemail' }),
      activity('e1', 'voice', '2026-01-07T15:00:00.000Z', { outcome: 'connected', call_duration_sec: 300 }),
      activity('e2', 'sms', '2026-01-10T12:00:00.000Z', { generated_message: 'Hello there' }),
      activity('e3', 'sms', '2026-02-25T00:00:00.000Z'),
    ],
    messages: [
      {
        org_id: '1',
        contact_id: 'c4',
        message_id: 'm1',
        channel: 'sms',
        direction: 'outbound',
        body: 'Hi [first_name], want to book a call? https://book.example',
        message_ts: '2026-01-20T15:00:00.000Z',
        created_at: '2026-01-20T15:00:01.000Z',
      },
      {
        org_id: '1',
        contact_id: 'c4',
        message_id: 'm2',
        channel: 'sms',
        direction: 'inbound',
        body: 'Yes! What times do you have tomorrow?',
        message_ts: '2026-01-20T15:30:00.000Z',
        created_at: '2026-01-20T15:30:01.000Z',
      },
    ],
    outcomes: [
      outcome('o1', 'c1', 'e1', 'call_booked', '2026-01-08T00:00:00.000Z'),
      outcome('o2', 'c1', 'e1', 'qualified', '2026-01-25T10:00:00.000Z'),
      outcome('o3', 'c2', 'e2', 'call_booked', '2026-01-10T20:00:00.000Z'),
      outcome('o4', 'c2', 'e2', 'qualified', '2026-01-15T00:00:00.000Z'),
      outcome('o5', 'c4', null, 'call_booked', '2026-01-22T00:00:00.000Z'),
    ],
  };
}

async function build(rows: TestRows, options = {}): Promise<TrainingSet> {
  const snapshot = await writeTestSnapshot(join(dir, 'snap'), rows);
  await cleanSnapshot(snapshot, cleanConfigSchema.parse({}), join(dir, 'clean'));
  return buildTrainingSet(await openCleanTables(join(dir, 'clean')), options);
}

function feature(set: TrainingSet, enrollmentId: string, name: string): number {
  const r = set.keys.enrollmentId.indexOf(enrollmentId);
  const j = set.features.names.indexOf(name);
  if (r < 0 || j < 0) throw new Error(`no ${enrollmentId}/${name}`);
  return set.features.columns[j]![r]!;
}

describe('buildTrainingSet', () => {
  it('when the tiny case is labelled then labels, eligibility and exclusions match the hand count', async () => {
    const set = await build(tinyRows());
    expect(set.keys.enrollmentId).toEqual(['e1', 'e2', 'e5', 'e3']); // decision order; e4 has no touch
    expect(set.asOf).toBe(Date.parse('2026-03-01T00:00:00.000Z'));
    const t1 = set.labels.booked_call_within_7d!;
    expect(Array.from(t1.y)).toEqual([1, 1, 1, 0]);
    expect(Array.from(t1.eligible)).toEqual([1, 0, 1, 0]);
    expect(t1.exclusions).toEqual({ no_outbound_touch: 1, window_not_elapsed: 1, outcome_before_cutoff: 1 });
    expect(Array.from(t1.scorable)).toEqual([1, 0, 1, 1]);
    const t2 = set.labels.qualified_within_14d!;
    expect(Array.from(t2.y)).toEqual([0, 1, 0, 0]);
    expect(Array.from(t2.eligible)).toEqual([1, 1, 1, 0]);
    expect(t2.exclusions).toEqual({ no_outbound_touch: 1, window_not_elapsed: 1, outcome_before_cutoff: 0 });
    const t3 = set.labels.conversion_within_30d!;
    expect(t3.nEligible).toBe(3);
    expect(t3.nPositive).toBe(0);
    expect(set.decisionTs[2]).toBe(Date.parse('2026-01-20T15:00:00.000Z')); // from the logged outbound message
  });

  it('when the feature window is 4 hours then the booking 8 hours after the decision no longer excludes e2', async () => {
    const set = await build(tinyRows(), { featureWindowHours: 4, targets: ['booked_call_within_7d'] });
    const t1 = set.labels.booked_call_within_7d!;
    expect(set.targets).toEqual(['booked_call_within_7d']);
    expect(set.labels.qualified_within_14d).toBeUndefined();
    expect(t1.eligible[1]).toBe(1);
    expect(t1.exclusions.outcome_before_cutoff).toBe(0);
    // The 15:00 voicemail is 5 h after e1's decision: outside a 4-hour window.
    expect(feature(set, 'e1', 'int_attempts_voice')).toBe(0);
  });

  it('when the tiny case is featurized then the hand-computed features match and later events are ignored', async () => {
    const set = await build(tinyRows());
    expect(feature(set, 'e1', 'int_attempts_sms')).toBe(1);
    expect(feature(set, 'e1', 'int_attempts_voice')).toBe(1); // the 01-07 call is after the cutoff
    expect(feature(set, 'e1', 'int_calls_connected')).toBe(0);
    expect(feature(set, 'e1', 'int_voicemail_only')).toBe(1);
    expect(feature(set, 'e1', 'int_steps_reached')).toBe(2);
    expect(feature(set, 'e1', 'int_max_step_order')).toBe(2);
    expect(feature(set, 'e1', 'tim_speed_to_lead_min')).toBe(60);
    expect(feature(set, 'e1', 'tim_first_touch_local_hour')).toBe(5); // 10:00Z = 05:00 EST
    expect(feature(set, 'e1', 'tim_first_touch_local_weekday')).toBe(0); // Monday
    expect(feature(set, 'e1', 'tim_touch_gap_mean_min')).toBe(300);
    expect(feature(set, 'e1', 'con_first_msg_time_offers')).toBe(2);
    expect(feature(set, 'e1', 'con_first_msg_personalization')).toBe(1);
    expect(feature(set, 'e1', 'con_first_msg_questions')).toBe(1);
    expect(feature(set, 'e1', 'con_first_msg_cta')).toBe(1);
    expect(feature(set, 'e2', 'con_first_msg_cta')).toBe(0);
    expect(feature(set, 'e5', 'int_attempts_total')).toBe(0);
    expect(feature(set, 'e5', 'int_outbound_logged')).toBe(1);
    expect(feature(set, 'e5', 'int_inbound_replies')).toBe(1);
    expect(feature(set, 'e5', 'int_reply_latency_min')).toBe(30);
    expect(feature(set, 'e5', 'tim_since_last_inbound_min')).toBe(24 * 60 - 30);
    expect(feature(set, 'e5', 'con_first_msg_links')).toBe(1);
    expect(feature(set, 'e5', 'con_reply_scheduling')).toBe(1);
    expect(feature(set, 'e5', 'eng_score')).toBe(3 + 1);
    const intent = set.categories.con_last_reply_intent!;
    expect(intent[feature(set, 'e5', 'con_last_reply_intent')]).toBe('scheduling');
    expect(Number.isNaN(feature(set, 'e1', 'con_last_reply_intent'))).toBe(true);
    const src = set.categories.ctc_lead_source!;
    expect(src).toEqual(['google_ads', 'referral']);
    expect(src[feature(set, 'e2', 'ctc_lead_source')]).toBe('google_ads');
    expect(feature(set, 'e2', 'ctc_has_phone')).toBe(0);
    expect(set.features.names.some((n) => n.includes('qualification'))).toBe(false);
    expect(() => validateFrame(set.features, 'test')).not.toThrow();
    expect(set.featureDefs.map((d) => d.name)).toEqual(set.features.names);
  });

  it('when the first rows of a campaign are scored then the rate is the prior and never their own outcome', async () => {
    const set = await build(tinyRows());
    // e1 and e2 decide before any window closes: prior (0 + 1) / (0 + 2) = 0.5, no evidence.
    for (const e of ['e1', 'e2']) {
      expect(feature(set, e, 'cmp_campaign_book_rate')).toBe(0.5);
      expect(feature(set, e, 'cmp_campaign_history_n')).toBe(0);
    }
    // e5 (01-20) sees e1 (closed 01-12) and e2 (closed 01-17), both booked: prior 3/4.
    expect(feature(set, 'e5', 'cmp_campaign_history_n')).toBe(2);
    expect(feature(set, 'e5', 'cmp_campaign_book_rate')).toBeCloseTo((2 + 20 * 0.75) / 22, 12);
    // e3 (02-25) sees e1, e2 and e5, all booked within 7 days: prior 4/5, rate (3 + 20·0.8)/(3 + 20).
    expect(feature(set, 'e3', 'cmp_campaign_history_n')).toBe(3);
    expect(feature(set, 'e3', 'cmp_campaign_book_rate')).toBeCloseTo((3 + 20 * 0.8) / 23, 12);
  });

  it('when the training set is written then the CSV is RFC 4180 with empty labels for ineligible rows', async () => {
    const rows = tinyRows();
    rows.contacts = rows.contacts!.map((c) =>
      c.contact_id === 'c1' ? { ...c, lead_source: 'word "of" mouth, friend' } : c,
    );
    const set = await build(rows);
    const path = join(dir, 'training_examples.csv');
    await writeTrainingExamplesCsv(path, set);
    const lines = (await readFile(path, 'utf8')).split('\r\n');
    expect(lines).toHaveLength(set.nRows + 2);
    expect(lines[0]!.startsWith('org_id,enrollment_id,decision_ts_utc,int_attempts_sms,')).toBe(true);
    expect(lines[0]!.endsWith(',booked_call_within_7d,qualified_within_14d,conversion_within_30d')).toBe(
      true,
    );
    expect(lines[1]!.startsWith('1,e1,2026-01-05T10:00:00.000Z,1,')).toBe(true);
    expect(lines[1]).toContain(',"word ""of"" mouth, friend",');
    expect(lines[1]!.endsWith(',1,0,0')).toBe(true);
    expect(lines[2]!.endsWith(',,1,0')).toBe(true); // e2: T1 excluded (booked before the cutoff)
    expect(lines[4]!.endsWith(',,,')).toBe(true); // e3: no window elapsed
  });

  it('when a category needs quoting then the in-memory examples hold its text as the CSV read back does', async () => {
    const rows = tinyRows();
    rows.contacts = rows.contacts!.map((c) =>
      c.contact_id === 'c1' ? { ...c, lead_source: 'word "of" mouth, friend' } : c,
    );
    const set = await build(rows);
    const path = join(dir, 'examples.csv');
    const eligible = set.labels.qualified_within_14d!.eligible;
    await writeTrainingExamplesCsv(path, set, { only: (r) => eligible[r] === 1 });
    const parsed = parseCsv(await readFile(path, 'utf8'), path);
    const table = examplesTableOf(set, 'qualified_within_14d');
    expect(table.columns).toEqual(parsed.columns);
    expect(table.header).toEqual(parsed.header);
    expect(table.columns[set.features.names.indexOf('ctc_lead_source') + 3]).toContain(
      'word "of" mouth, friend',
    );
  });

  it('when options are invalid then every problem is reported in one features.badOption error', async () => {
    const err = await build(tinyRows(), {
      featureWindowHours: -1,
      targets: ['booked_call_within_7days'],
      asOf: 'yesterday',
      readThreads: 3,
    }).catch((e: unknown) => e);
    expect(isLeadliftError(err, 'features.badOption')).toBe(true);
    const msg = (err as Error).message;
    expect(msg).toContain('featureWindowHours');
    expect(msg).toContain('did you mean "booked_call_within_7d"');
    expect(msg).toContain('asOf');
    expect(msg).toContain('readThreads is 3');
  });

  it('when a cleaned file lacks a column then features.missingColumn names it', async () => {
    const snapshot = await writeTestSnapshot(join(dir, 'snap'), tinyRows());
    await cleanSnapshot(snapshot, cleanConfigSchema.parse({}), join(dir, 'clean'));
    const file = join(dir, 'clean', 'activities.jsonl');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"sent_at"', '"sent_time"'));
    const err = await buildTrainingSet(await openCleanTables(join(dir, 'clean'))).catch((e: unknown) => e);
    expect(isLeadliftError(err, 'features.missingColumn')).toBe(true);
    expect((err as Error).message).toContain('"sent_at"');
  });

  it('when there are no enrollments then the set is empty and labelled', async () => {
    const set = await build({});
    expect(set.nRows).toBe(0);
    expect(set.features.columns.every((c) => c.length === 0)).toBe(true);
    expect(set.labels.booked_call_within_7d!.nEligible).toBe(0);
  });
});
