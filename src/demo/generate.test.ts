import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlValue } from '../db/adapter.js';
import { isLeadliftError } from '../errors.js';
import { STATUS_EVENT_TYPES } from '../schema/entities.js';
import { referenceTable } from '../schema/reference.js';
import { ID_BASE } from './catalog.js';
import { DEMO_GENERATOR_VERSION, DemoGenerator, generateDemoInMemory } from './generate.js';
import { PLACEHOLDERS } from './messiness.js';
import { columnIndex, DEMO_TABLE_ORDER, DEMO_TABLES, type DemoTableKey } from './tables.js';
import type { DemoTruth, TruthEffect } from './truth.js';

type Tables = Readonly<Record<DemoTableKey, SqlValue[][]>>;

/**
 * sha256 of every row the generator yields, buffer by buffer in order (outcome events and
 * status callbacks share a table but not a buffer), plus the truth.
 */
function digest(options: ConstructorParameters<typeof DemoGenerator>[0], batch?: number): string {
  const perTable = new Map<string, ReturnType<typeof createHash>>();
  const g = new DemoGenerator(options);
  for (const b of g.batches(batch)) {
    for (const t of b.tables) {
      let h = perTable.get(t.key);
      if (!h) {
        h = createHash('sha256');
        perTable.set(t.key, h);
      }
      for (const r of t.rows) h.update(JSON.stringify(r));
    }
  }
  const all = createHash('sha256');
  for (const k of [...perTable.keys()].sort()) all.update(`${k}:${perTable.get(k)!.digest('hex')}`);
  all.update(JSON.stringify(g.truth()));
  return all.digest('hex');
}

const col = (key: DemoTableKey) => columnIndex(key);
const A = col('activities');
const C = col('contacts');
const E = col('enrollments');
const M = col('messages');
const B = col('bookings');
const V = col('events');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t = (v: SqlValue): number => (v === null ? Number.NaN : Date.parse(String(v)));
const canon = (v: SqlValue): string => String(v).trim().toLowerCase();

function effect(truth: DemoTruth, id: string): TruthEffect {
  const e = truth.effects.find((x) => x.id === id);
  if (!e) throw new Error(`no effect ${id}`);
  return e;
}

/** A two-proportion z statistic (b − a). */
function z(a: { n: number; k: number }, b: { n: number; k: number }): number {
  const pa = a.k / a.n;
  const pb = b.k / b.n;
  const p = (a.k + b.k) / (a.n + b.n);
  return (pb - pa) / Math.sqrt(p * (1 - p) * (1 / a.n + 1 / b.n));
}

/** What a downstream stage would compute from the rows: per enrollment facts. */
interface EnrollmentFacts {
  id: number;
  contactId: number;
  campaignId: number;
  created: number;
  firstTouch: number;
  booked: boolean;
  qualified: boolean;
  converted: boolean;
  voice: number;
  voicemails: number;
  variantByStep: Map<number, number>;
}

function facts(tables: Tables): Map<number, EnrollmentFacts> {
  const out = new Map<number, EnrollmentFacts>();
  for (const r of tables.enrollments) {
    out.set(r[E.id!] as number, {
      id: r[E.id!] as number,
      contactId: r[E.contact_id!] as number,
      campaignId: r[E.campaign_id!] as number,
      created: t(r[E.created_at!]!),
      firstTouch: Number.POSITIVE_INFINITY,
      booked: false,
      qualified: false,
      converted: false,
      voice: 0,
      voicemails: 0,
      variantByStep: new Map(),
    });
  }
  for (const r of tables.activities) {
    const f = out.get(r[A.enrollment_id!] as number)!;
    if (r[A.status!] === 'planned') continue;
    const touch = t(r[A.sent_at!] ?? r[A.call_started_at!] ?? null);
    if (touch < f.firstTouch) f.firstTouch = touch;
    if (r[A.variant_id!] !== null) f.variantByStep.set(r[A.step_id!] as number, r[A.variant_id!] as number);
    if (canon(r[A.channel!]!) === 'voice') {
      f.voice++;
      if (r[A.outcome!] === 'voicemail') f.voicemails++;
    }
  }
  for (const r of tables.bookings) {
    const e = r[B.enrollment_id!];
    if (e !== null) out.get(e as number)!.booked = true;
  }
  for (const r of tables.events) {
    const f = out.get(r[V.enrollment_id!] as number)!;
    if (r[V.event_type!] === 'qualified') f.qualified = true;
    if (r[V.event_type!] === 'converted') f.converted = true;
  }
  return out;
}

function rate(
  xs: Iterable<EnrollmentFacts>,
  pick: (f: EnrollmentFacts) => boolean,
): { n: number; k: number } {
  let n = 0;
  let k = 0;
  for (const f of xs) {
    n++;
    if (pick(f)) k++;
  }
  return { n, k };
}

describe('DemoGenerator', () => {
  it('when run twice with the same seed then every row and the truth are identical', () => {
    expect(digest({ enrollments: 1500, seed: 7 })).toBe(digest({ enrollments: 1500, seed: 7 }));
  });

  it('when the batch size changes then the rows are the same', () => {
    expect(digest({ enrollments: 1500, seed: 7 }, 37)).toBe(digest({ enrollments: 1500, seed: 7 }, 5000));
  });

  it('when the seed differs then the rows differ', () => {
    expect(digest({ enrollments: 1500, seed: 7 })).not.toBe(digest({ enrollments: 1500, seed: 8 }));
  });

  it('when asked for N enrollments then exactly N are written', () => {
    const { tables, truth } = generateDemoInMemory({ enrollments: 1234, seed: 3 });
    expect(tables.enrollments).toHaveLength(1234);
    expect(truth.sizes['education.campaign_enrollments']).toBe(1234);
    const perTable = new Map<string, number>();
    for (const k of DEMO_TABLE_ORDER) {
      const t = DEMO_TABLES[k].table;
      perTable.set(t, (perTable.get(t) ?? 0) + tables[k].length);
    }
    for (const [t, n] of perTable) expect(n, t).toBe(truth.sizes[t]);
  });

  // Digests of every table, from the generator before status callbacks were added
  // (commit 4ebbed8, DEMO_GENERATOR_VERSION 1.0.0): the callbacks come from their own PRNG
  // stream and id range, so every other row and every truth number must stay as it was.
  // Since 1.2.0 the no-effect controls' arms are balanced by outcome stratum, which changes
  // only the control steps' variant, prompt and message texts: those columns are left out
  // of the digests (activities prompt_used, generated_message, variant_id; messages subject,
  // body) and the controls' observed arms out of the truth digest. Goldens: the 1.1.0 build
  // with the same columns left out, which also gave 3c9646ee250261d2 for the full truth.
  it('when status callbacks and balanced controls are generated then every other row and the truth are unchanged', () => {
    const drop: Partial<Record<string, readonly number[]>> = { activities: [16, 17, 19], messages: [5, 11] };
    const before = {
      templates: '98482b3d98c24f48',
      campaigns: 'bc5fd8d59f545123',
      steps: 'e2d0058b87c8f189',
      variants: 'cb7330775aea1514',
      contacts: '9111bbd10c745fca',
      enrollments: '97d4124335262232',
      activities: '9fbdcee0f40ee904',
      messages: '50b28b44d061ee04',
      bookings: '1ef0d3737264684e',
      events: '75723abf29ce501f',
    };
    const g = new DemoGenerator({ enrollments: 1500, seed: 7 });
    const hashes = new Map<string, ReturnType<typeof createHash>>();
    let status = 0;
    for (const b of g.batches()) {
      for (const t of b.tables) {
        if (t.key === 'statusEvents') {
          status += t.rows.length;
          continue;
        }
        let h = hashes.get(t.key);
        if (!h) {
          h = createHash('sha256');
          hashes.set(t.key, h);
        }
        const d = drop[t.key] ?? [];
        for (const r of t.rows)
          h.update(JSON.stringify(d.length > 0 ? r.filter((_, j) => !d.includes(j)) : r));
      }
    }
    const now = Object.fromEntries([...hashes].map(([k, h]) => [k, h.digest('hex').slice(0, 16)]));
    expect(now).toEqual(before);
    const truth = g.truth();
    const { 'education.lead_outcome_events': events, ...otherSizes } = truth.sizes;
    const { version, ...rest } = {
      ...truth,
      sizes: otherSizes,
      effects: truth.effects.map((e) => (e.kind === 'control' ? { ...e, observed: [] } : e)),
    };
    expect(version).toBe(DEMO_GENERATOR_VERSION);
    const restHash = createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
    // The 1.0.0 truth without its version, its lead_outcome_events size and the controls' arms.
    expect(restHash).toBe('604d1258ca7da5dc');
    expect(status).toBeGreaterThan(1500 * 8);
    expect(events).toBe(status + g.simulator.sizes.events);
  });

  it('when status callbacks are generated then they are well-formed, linked and not after the as-of time', () => {
    const { tables, truth } = generateDemoInMemory({ enrollments: 800, seed: 5 });
    const S = col('statusEvents');
    const enrollments = new Map(tables.enrollments.map((r) => [r[E.id!], r[E.contact_id!]]));
    const allowed = new Set<string>(STATUS_EVENT_TYPES);
    const asOf = truth.window.as_of;
    const ids = new Set<SqlValue>();
    for (const r of tables.statusEvents) {
      expect(allowed.has(r[S.event_type!] as string), String(r[S.event_type!])).toBe(true);
      expect(enrollments.get(r[S.enrollment_id!]!)).toBe(r[S.contact_id!]);
      expect(String(r[S.occurred_at!]) < asOf).toBe(true);
      expect(String(r[S.created_at!]) >= String(r[S.occurred_at!])).toBe(true);
      expect(r[S.id!] as number).toBeGreaterThanOrEqual(ID_BASE.statusEvent);
      ids.add(r[S.id!]!);
    }
    expect(ids.size).toBe(tables.statusEvents.length);
    const types = new Set(tables.statusEvents.map((r) => r[S.event_type!]));
    for (const t of ['sms_delivered', 'email_opened', 'call_ringing', 'call_completed'])
      expect(types.has(t), t).toBe(true);
  });

  it('when options are out of range then it throws demo.badFlag', () => {
    let err: unknown;
    try {
      new DemoGenerator({ enrollments: 0 });
    } catch (e) {
      err = e;
    }
    expect(isLeadliftError(err, 'demo.badFlag')).toBe(true);
  });

  it('when there is one organization or many then every effect still has its campaigns', () => {
    for (const orgs of [1, 2, 12]) {
      const { tables, truth } = generateDemoInMemory({ enrollments: 600, orgs });
      const campaignIds = new Set(tables.campaigns.map((r) => String(r[0])));
      expect(new Set(tables.campaigns.map((r) => r[1])).size, `orgs ${orgs}`).toBe(orgs);
      expect(truth.orgs).toHaveLength(orgs);
      for (const e of truth.effects) {
        for (const c of [e.ids.campaign_id, ...(e.ids.campaign_ids ?? [])])
          if (c) expect(campaignIds.has(c)).toBe(true);
      }
    }
  });

  // Before 1.2.0 seed 1 × 20,000 gave the follow-up greeting control 137/920 vs 83/945
  // booked within 7 days (z = 4.09) by the luck of a coin-flip assignment.
  it('when controls are generated then their arms book within one lead of each other, for several seeds', () => {
    for (const seed of [1, 2, 3]) {
      const { truth } = generateDemoInMemory({ enrollments: 6000, seed });
      for (const e of truth.effects.filter((x) => x.kind === 'control')) {
        const [a, b] = e.observed;
        const at = `seed ${seed} ${e.id}`;
        expect(a!.enrollments, at).toBeGreaterThan(150);
        expect(Math.abs(a!.call_booked_7d - b!.call_booked_7d), at).toBeLessThanOrEqual(1);
        expect(Math.abs(a!.enrollments - b!.enrollments), at).toBeLessThanOrEqual(2);
        expect(a!.call_booked_7d, at).toBeGreaterThan(10);
      }
    }
  });

  it('when truth() is called before the batches are consumed then it throws', () => {
    expect(() => new DemoGenerator({ enrollments: 10 }).truth()).toThrow(/batches/);
  });
});

describe('DEMO_TABLES', () => {
  it('when compared with the reference schema then every table has exactly its columns in order', () => {
    for (const k of DEMO_TABLE_ORDER) {
      const spec = DEMO_TABLES[k];
      expect(spec.columns, spec.table).toEqual(referenceTable(spec.table).columns.map((c) => c.name));
    }
  });
});

describe('generateDemoInMemory (20k enrollments)', () => {
  let tables: Tables;
  let truth: DemoTruth;
  let byEnrollment: Map<number, EnrollmentFacts>;
  let all: EnrollmentFacts[];

  beforeAll(() => {
    const r = generateDemoInMemory({ enrollments: 20_000, seed: 42 });
    tables = r.tables;
    truth = r.truth;
    byEnrollment = facts(tables);
    // Only enrollments whose windows have elapsed, as a trainer would use.
    const through = Date.parse(truth.window.complete_windows_through);
    all = [...byEnrollment.values()].filter((f) => f.firstTouch <= through);
  });

  describe('base rates', () => {
    it('when counted from the rows then booked, qualified and converted rates are realistic', () => {
      const booked = rate(all, (f) => f.booked);
      const qualified = rate(
        all.filter((f) => f.booked),
        (f) => f.qualified,
      );
      const converted = rate(
        all.filter((f) => f.qualified),
        (f) => f.converted,
      );
      expect(booked.k / booked.n).toBeGreaterThan(0.12);
      expect(booked.k / booked.n).toBeLessThan(0.22);
      expect(qualified.k / qualified.n).toBeGreaterThan(0.4);
      expect(qualified.k / qualified.n).toBeLessThan(0.62);
      expect(converted.k / converted.n).toBeGreaterThan(0.25);
      expect(converted.k / converted.n).toBeLessThan(0.42);
    });

    it('when labels use windows then some outcomes fall outside them', () => {
      const o = truth.model.observed;
      expect(o.call_booked_7d).toBeLessThan(o.call_booked_ever);
      expect(o.qualified_14d).toBeLessThan(o.qualified_ever);
      expect(o.converted_30d).toBeLessThan(o.converted_ever);
      expect(o.call_booked_7d / o.call_booked_ever).toBeGreaterThan(0.75);
    });
  });

  describe('planted effects', () => {
    it('when the time-slot variant is compared with its sibling then it books clearly more', () => {
      const e = effect(truth, 'slot_offer_first_touch');
      const step = Number(e.ids.step_id);
      const [control, treatment] = e.ids.variant_ids!.map(Number);
      const inStep = all.filter((f) => f.variantByStep.has(step));
      const c = rate(
        inStep.filter((f) => f.variantByStep.get(step) === control),
        (f) => f.booked,
      );
      const tr = rate(
        inStep.filter((f) => f.variantByStep.get(step) === treatment),
        (f) => f.booked,
      );
      expect(c.n).toBeGreaterThan(500);
      expect(tr.k / tr.n - c.k / c.n).toBeGreaterThan(0.05);
      expect(z(c, tr)).toBeGreaterThan(3);
      expect(e.odds_ratio).toBeCloseTo(1.8, 5);
    });

    it('when the control pairs are compared then their booking rates are within noise', () => {
      for (const id of ['control_follow_up_greeting', 'control_reengage_subject']) {
        const e = effect(truth, id);
        const step = Number(e.ids.step_id);
        const [a, b] = e.ids.variant_ids!.map(Number);
        const inStep = all.filter((f) => f.variantByStep.has(step));
        const ra = rate(
          inStep.filter((f) => f.variantByStep.get(step) === a),
          (f) => f.booked,
        );
        const rb = rate(
          inStep.filter((f) => f.variantByStep.get(step) === b),
          (f) => f.booked,
        );
        expect(ra.n, id).toBeGreaterThan(200);
        expect(Math.abs(z(ra, rb)), id).toBeLessThan(2.5);
        expect(e.direction).toBe('none');
      }
    });

    it('when speed to lead is slower then fewer calls are booked', () => {
      const band = (lo: number, hi: number) =>
        rate(
          all.filter((f) => f.firstTouch - f.created >= lo && f.firstTouch - f.created < hi),
          (f) => f.booked,
        );
      const fast = band(0, 5 * 60_000);
      const slow = band(DAY, 10 * DAY);
      expect(fast.n).toBeGreaterThan(5000);
      expect(slow.n).toBeGreaterThan(1000);
      expect(z(fast, slow)).toBeLessThan(-8);
    });

    it('when every call went to voicemail and the lead never replied then qualified leads convert less', () => {
      const inbound = new Set<string>();
      for (const r of tables.messages)
        if (r[M.direction!] === 'inbound') inbound.add(String(r[M.ghl_contact_id!]));
      const ghlOf = new Map<number, string>();
      for (const r of tables.contacts) ghlOf.set(r[C.id!] as number, String(r[C.ghl_contact_id!]));
      const withVoice = all.filter((f) => f.voice > 0 && f.qualified);
      const vmOnly = (f: EnrollmentFacts) =>
        f.voicemails === f.voice && !inbound.has(ghlOf.get(f.contactId)!);
      const vm = rate(withVoice.filter(vmOnly), (f) => f.converted);
      const other = rate(
        withVoice.filter((f) => !vmOnly(f)),
        (f) => f.converted,
      );
      expect(vm.n).toBeGreaterThan(100);
      expect(z(other, vm)).toBeLessThan(-4);
    });

    it('when two sibling campaigns differ only in step order then the call-first one books less', () => {
      const e = effect(truth, 'step_order_call_first');
      const [better, worse] = e.ids.campaign_ids!.map(Number);
      const b = rate(
        all.filter((f) => f.campaignId === better),
        (f) => f.booked,
      );
      const w = rate(
        all.filter((f) => f.campaignId === worse),
        (f) => f.booked,
      );
      expect(z(b, w)).toBeLessThan(-4);
    });

    it('when two sibling campaigns differ only in one wait then the long wait books less', () => {
      const e = effect(truth, 'long_wait_before_call');
      const [fast, slow] = e.ids.campaign_ids!.map(Number);
      const f = rate(
        all.filter((x) => x.campaignId === fast),
        (x) => x.booked,
      );
      const s = rate(
        all.filter((x) => x.campaignId === slow),
        (x) => x.booked,
      );
      expect(z(f, s)).toBeLessThan(-2.5);
      const stepRows = tables.steps.filter((r) => String(r[0]) === e.ids.step_id);
      expect(stepRows[0]![col('steps').wait_before_ms!]).toBeGreaterThan(e.ids.threshold!.value);
    });

    it('when leads come from the better source then qualified ones convert more', () => {
      const source = new Map<number, string>();
      for (const r of tables.contacts) {
        const v = r[C.lead_source!]!;
        if (v !== null && !PLACEHOLDERS.includes(String(v))) source.set(r[C.id!] as number, canon(v));
      }
      const q = all.filter((f) => f.qualified && source.has(f.contactId));
      const ref = rate(
        q.filter((f) => source.get(f.contactId) === 'referral'),
        (f) => f.converted,
      );
      const other = rate(
        q.filter((f) => source.get(f.contactId) !== 'referral'),
        (f) => f.converted,
      );
      expect(z(other, ref)).toBeGreaterThan(4);
      expect(effect(truth, 'lead_source_referral').ids.lead_source).toBe('referral');
    });

    it('when a lead later books then it replies more often and more positively', () => {
      const ghlOf = new Map<number, string>();
      for (const r of tables.contacts) ghlOf.set(r[C.id!] as number, String(r[C.ghl_contact_id!]));
      const tags = new Map<string, string[]>();
      for (const r of tables.messages) {
        if (r[M.direction!] !== 'inbound') continue;
        const g = String(r[M.ghl_contact_id!]);
        tags.set(g, [...(tags.get(g) ?? []), String(r[M.conversation_tags!])]);
      }
      const replied = (f: EnrollmentFacts) => tags.has(ghlOf.get(f.contactId)!);
      const negative = (f: EnrollmentFacts) =>
        (tags.get(ghlOf.get(f.contactId)!) ?? []).some((x) => /opt-out|not-now|wrong-person/.test(x));
      const booked = all.filter((f) => f.booked);
      const notBooked = all.filter((f) => !f.booked);
      expect(rate(booked, replied).k / booked.length).toBeGreaterThan(
        2 * (rate(notBooked, replied).k / notBooked.length),
      );
      expect(rate(booked, negative).k / booked.length).toBeLessThan(
        rate(notBooked, negative).k / notBooked.length,
      );
    });

    it('when the truth lists its effects then every required kind is there with ids', () => {
      const kinds = new Set(truth.effects.map((e) => e.kind));
      for (const k of [
        'prompt_variant',
        'speed_to_lead',
        'voicemail_only',
        'step_order',
        'lead_source',
        'step_wait',
        'control',
      ]) {
        expect(kinds.has(k as TruthEffect['kind']), k).toBe(true);
      }
      expect(truth.effects.filter((e) => e.kind === 'control').length).toBeGreaterThanOrEqual(2);
      const campaignIds = new Set(tables.campaigns.map((r) => String(r[0])));
      const stepIds = new Set(tables.steps.map((r) => String(r[0])));
      const variantIds = new Set(tables.variants.map((r) => String(r[0])));
      for (const e of truth.effects) {
        for (const c of [e.ids.campaign_id, ...(e.ids.campaign_ids ?? [])])
          if (c) expect(campaignIds.has(c)).toBe(true);
        for (const s of [e.ids.step_id, ...(e.ids.step_ids ?? [])]) if (s) expect(stepIds.has(s)).toBe(true);
        for (const v of [e.ids.variant_id, ...(e.ids.variant_ids ?? [])])
          if (v) expect(variantIds.has(v)).toBe(true);
        expect(e.odds_ratio).toBeCloseTo(Math.exp(e.log_odds), 3);
      }
    });
  });

  describe('messiness', () => {
    it('when duplicates are counted in the rows then they equal the truth', () => {
      const keys = new Set<string>();
      let dupActivities = 0;
      for (const r of tables.activities) {
        const k = `${r[A.enrollment_id!]}|${r[A.step_id!]}|${r[A.attempt_no!]}|${canon(r[A.channel!]!)}`;
        if (keys.has(k)) dupActivities++;
        keys.add(k);
      }
      const ids = new Set(tables.messages.map((r) => r[M.message_id!]));
      expect(dupActivities).toBe(truth.messiness.duplicate_activities);
      expect(dupActivities).toBeGreaterThan(0);
      expect(tables.messages.length - ids.size).toBe(truth.messiness.duplicate_messages);
      expect(truth.messiness.duplicate_messages).toBeGreaterThan(0);
    });

    it('when missing values, placeholders and odd categories are counted then they equal the truth', () => {
      const m = truth.messiness;
      const count = (key: DemoTableKey, pred: (r: SqlValue[]) => boolean) => tables[key].filter(pred).length;
      for (const c of ['email', 'phone', 'timezone', 'region', 'lead_source']) {
        expect(
          count('contacts', (r) => r[C[c]!] === null),
          c,
        ).toBe(m.missing_values[`education.contacts.${c}`] ?? 0);
      }
      expect(count('activities', (r) => r[A.status!] === 'completed' && r[A.completed_at!] === null)).toBe(
        m.missing_values['education.campaign_activities.completed_at'],
      );
      expect(count('bookings', (r) => r[B.enrollment_id!] === null)).toBe(
        m.missing_values['education.booking_appointments.enrollment_id'],
      );
      const isPlaceholder = (v: SqlValue) => v !== null && PLACEHOLDERS.includes(String(v));
      for (const c of ['lead_source', 'region', 'qualification_status']) {
        expect(
          count('contacts', (r) => isPlaceholder(r[C[c]!]!)),
          c,
        ).toBe(m.placeholders[`education.contacts.${c}`]);
      }
      expect(count('activities', (r) => isPlaceholder(r[A.end_call_reason!]!))).toBe(
        m.placeholders['education.campaign_activities.end_call_reason'],
      );
      const odd = (v: SqlValue) => v !== null && !isPlaceholder(v) && String(v) !== canon(v);
      expect(count('activities', (r) => odd(r[A.channel!]!))).toBe(
        m.non_canonical_categories['education.campaign_activities.channel'],
      );
      expect(count('messages', (r) => odd(r[M.channel!]!))).toBe(
        m.non_canonical_categories['dbo.Education_Cory_Communication_Log.channel'],
      );
      expect(count('contacts', (r) => odd(r[C.lead_source!]!))).toBe(
        m.non_canonical_categories['education.contacts.lead_source'],
      );
      expect(count('steps', (r) => odd(r[col('steps').channel!]!))).toBe(
        m.non_canonical_categories['education.campaign_steps.channel'],
      );
      for (const [k, v] of Object.entries({
        ...m.missing_values,
        ...m.placeholders,
        ...m.non_canonical_categories,
      })) {
        if (k !== 'education.campaign_steps.channel') expect(v, k).toBeGreaterThan(0);
      }
    });

    it('when communication-log timestamps are classified then the three forms match the truth and parse', () => {
      const forms = { utc_z: 0, local_offset: 0, naive_utc: 0 };
      for (const r of tables.messages) {
        const s = String(r[M.timestamp!]);
        if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(s)) forms.utc_z++;
        else if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/.test(s)) forms.local_offset++;
        else if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(s)) forms.naive_utc++;
        else throw new Error(`unexpected timestamp ${s}`);
      }
      expect(forms).toEqual(truth.messiness.message_timestamp_forms);
      expect(forms.local_offset).toBeGreaterThan(0);
      expect(forms.naive_utc).toBeGreaterThan(0);
      // The offset and naive-UTC forms name the same instant as the row's created_at, give or take seconds.
      for (const r of tables.messages.slice(0, 2000)) {
        const s = String(r[M.timestamp!]);
        const at = Date.parse(s.includes('T') ? s : `${s.replace(' ', 'T')}Z`);
        const created = t(r[M.created_at!]!);
        expect(created - at).toBeGreaterThanOrEqual(0);
        expect(created - at).toBeLessThan(5 * 60_000);
      }
    });

    it('when other timestamps are read then they are ISO-8601 UTC with milliseconds', () => {
      const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
      for (const r of tables.activities.slice(0, 5000)) {
        for (const c of [
          'scheduled_at',
          'sent_at',
          'delivered_at',
          'completed_at',
          'call_started_at',
          'created_at',
          'updated_at',
        ]) {
          const v = r[A[c]!];
          if (v !== null) expect(String(v)).toMatch(iso);
        }
      }
      for (const r of tables.events) expect(String(r[V.occurred_at!])).toMatch(iso);
    });

    it('when late, early and future rows are counted then they equal the truth', () => {
      const m = truth.messiness;
      const asOf = truth.window.as_of;
      const late = tables.activities.filter((r) => {
        const event = t(r[A.sent_at!] ?? r[A.call_started_at!] ?? r[A.scheduled_at!]!);
        return t(r[A.created_at!]!) - event > DAY;
      }).length;
      expect(late).toBe(m.late_arriving['education.campaign_activities']);
      const lateEvents = tables.events.filter(
        (r) => t(r[V.created_at!]!) - t(r[V.occurred_at!]!) > DAY,
      ).length;
      expect(lateEvents).toBe(m.late_arriving['education.lead_outcome_events']);
      expect(lateEvents).toBeGreaterThan(0);
      const created = new Map(tables.enrollments.map((r) => [r[E.id!], String(r[E.created_at!])]));
      const before = tables.activities.filter(
        (r) => String(r[A.scheduled_at!]) < created.get(r[A.enrollment_id!]!)!,
      ).length;
      expect(before).toBe(m.activities_before_enrollment);
      expect(before).toBeGreaterThan(0);
      expect(tables.activities.filter((r) => String(r[A.created_at!]) > asOf).length).toBe(
        m.future_timestamps['education.campaign_activities'],
      );
      expect(tables.messages.filter((r) => String(r[M.created_at!]) > asOf).length).toBe(
        m.future_timestamps['dbo.Education_Cory_Communication_Log'],
      );
      for (const k of ['contacts', 'enrollments', 'bookings', 'events'] as const) {
        const ci = col(k).created_at!;
        expect(tables[k].filter((r) => String(r[ci]) > asOf).length, k).toBe(0);
      }
    });

    it('when call durations and test contacts are counted then they equal the truth', () => {
      const m = truth.messiness;
      expect(
        tables.activities.filter(
          (r) =>
            (r[A.call_duration_sec!] as number | null) !== null && (r[A.call_duration_sec!] as number) < 0,
        ).length,
      ).toBe(m.negative_call_durations);
      expect(
        tables.activities.filter((r) => ((r[A.call_duration_sec!] as number | null) ?? 0) > 86_400).length,
      ).toBe(m.calls_over_one_day);
      const testIds = tables.contacts
        .filter(
          (r) =>
            /@(example|test)\.com$/.test(String(r[C.email!])) ||
            /555-?0100$|5555550100$/.test(String(r[C.phone!])),
        )
        .map((r) => String(r[C.id!]));
      expect(testIds).toEqual(m.test_contacts.contact_ids);
      expect(m.test_contacts.count).toBe(testIds.length);
      expect(testIds.length).toBeGreaterThan(3);
    });
  });

  describe('text and PII', () => {
    it('when the agent writes a message then it greets the contact by first name', () => {
      const firstName = new Map(tables.contacts.map((r) => [r[C.id!], String(r[C.first_name!])]));
      const contactOf = new Map(tables.enrollments.map((r) => [r[E.id!], r[E.contact_id!]]));
      let checked = 0;
      for (const r of tables.activities) {
        if (canon(r[A.channel!]!) !== 'sms' || r[A.generated_message!] === null) continue;
        const name = firstName.get(contactOf.get(r[A.enrollment_id!]!)!)!;
        expect(String(r[A.generated_message!])).toContain(name);
        checked++;
      }
      expect(checked).toBeGreaterThan(10_000);
    });

    it('when the concrete-slots variant writes then the text offers two time slots', () => {
      const e = effect(truth, 'slot_offer_first_touch');
      const slot = /(Mon|Tue|Wed|Thu|Fri) \d{1,2}\/\d{1,2} at \d{1,2}:\d\d (AM|PM)/g;
      const texts = tables.activities
        .filter((r) => String(r[A.variant_id!]) === e.ids.variant_id && r[A.generated_message!] !== null)
        .map((r) => String(r[A.generated_message!]));
      expect(texts.length).toBeGreaterThan(500);
      for (const s of texts) expect(s.match(slot)).toHaveLength(2);
    });

    it('when inbound replies are read then some carry an email address or a phone number', () => {
      const inbound = tables.messages
        .filter((r) => r[M.direction!] === 'inbound')
        .map((r) => String(r[M.body!]));
      expect(inbound.filter((b) => /[\w.+-]+@[\w-]+\.[\w.]+/.test(b)).length).toBeGreaterThan(10);
      expect(inbound.filter((b) => /\d{3}-\d{3}-\d{4}/.test(b)).length).toBeGreaterThan(10);
      expect(inbound.some((b) => /^(STOP|Stop|UNSUBSCRIBE)$/.test(b))).toBe(true);
    });

    it('when prompts are personalized then prompt_used carries the full name', () => {
      const full = new Map(tables.contacts.map((r) => [r[C.id!], String(r[C.full_name!])]));
      const contactOf = new Map(tables.enrollments.map((r) => [r[E.id!], r[E.contact_id!]]));
      const withName = tables.activities.filter(
        (r) =>
          r[A.prompt_used!] !== null &&
          String(r[A.prompt_used!]).includes(full.get(contactOf.get(r[A.enrollment_id!]!)!)!),
      );
      expect(withName.length).toBeGreaterThan(tables.activities.length / 3);
    });
  });

  describe('catalog', () => {
    it('when built for 3 orgs then each has 2–4 campaigns of 3–6 steps over all channels, with a decision point', () => {
      const S = col('steps');
      const byCampaign = new Map<SqlValue, SqlValue[][]>();
      for (const r of tables.steps)
        byCampaign.set(r[S.campaign_id!]!, [...(byCampaign.get(r[S.campaign_id!]!) ?? []), r]);
      const perOrg = new Map<SqlValue, number>();
      for (const r of tables.campaigns) perOrg.set(r[1]!, (perOrg.get(r[1]!) ?? 0) + 1);
      expect([...perOrg.values()].every((n) => n >= 2 && n <= 4)).toBe(true);
      for (const steps of byCampaign.values()) {
        expect(steps.length).toBeGreaterThanOrEqual(3);
        expect(steps.length).toBeLessThanOrEqual(6);
      }
      expect(new Set(tables.steps.map((r) => canon(r[S.channel!]!)))).toEqual(
        new Set(['sms', 'email', 'voice']),
      );
      expect(
        tables.steps.some((r) => r[S.is_decision_point!] === true && r[S.next_step_id_if_true!] !== null),
      ).toBe(true);
      for (const r of tables.steps) expect(() => JSON.parse(String(r[S.metadata!]))).not.toThrow();
      expect(tables.variants.length).toBeGreaterThanOrEqual(6);
    });

    it('when enrollments are counted by status then every status occurs', () => {
      const statuses = new Set(tables.enrollments.map((r) => r[E.status!]));
      expect(statuses).toEqual(new Set(['active', 'paused', 'completed', 'switched', 'cancelled']));
    });
  });
});
