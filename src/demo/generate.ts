// The demo generator's public face: a deterministic stream of row batches (catalog tables
// first, then contacts with their enrollments in arrival order) and, once the stream is
// consumed, the ground truth that describes it.

import type { SqlValue } from '../db/adapter.js';
import { buildCatalog, type Catalog } from './catalog.js';
import { LABEL_WINDOWS, MODEL } from './model.js';
import { type DemoOptions, resolveDemoOptions } from './options.js';
import { Simulator } from './simulate.js';
import { DEMO_TABLE_ORDER, DEMO_TABLES, type DemoTableKey, type DemoTableSpec, RowBuffer } from './tables.js';
import { buildTextBank } from './text.js';
import { isoUtc, parseYmd } from './time.js';
import type { DemoTruth, TruthEffect } from './truth.js';

/** Version of the generator: bumped whenever the same seed would give different rows. */
export const DEMO_GENERATOR_VERSION = '1.2.0';

/** Rows of one table in a batch. */
export interface DemoTableRows {
  readonly key: DemoTableKey;
  readonly spec: DemoTableSpec;
  /** Valid until the generator is resumed: row arrays are reused; copy rows to keep them. */
  readonly rows: readonly (readonly SqlValue[])[];
}

/** One batch: rows of every table that has any, in load order. */
export interface DemoBatch {
  readonly tables: readonly DemoTableRows[];
  /** Enrollments generated so far, including this batch. */
  readonly enrollmentsDone: number;
}

/** Default enrollments per batch (~2,700 rows): small batches keep generated strings short-lived. */
export const DEFAULT_BATCH_ENROLLMENTS = 250;

/**
 * A deterministic demo generator. Iterate `batches()` once; then `truth()` describes what
 * was generated. The same options give identical rows whatever the batch size.
 */
export class DemoGenerator {
  readonly options: DemoOptions;
  readonly catalog: Catalog;
  private readonly sim: Simulator;
  private finished = false;

  constructor(options: Partial<DemoOptions> = {}) {
    this.options = resolveDemoOptions(options);
    const bank = buildTextBank();
    this.catalog = buildCatalog(this.options.seed, this.options.orgs, parseYmd(this.options.start), bank);
    this.sim = new Simulator(this.catalog, this.options, bank);
  }

  /** The as-of time of the data (start + days), as epoch milliseconds. */
  get asOf(): number {
    return this.sim.asOf;
  }

  /**
   * Yields the catalog tables, then batches of about `batchEnrollments` enrollments.
   * Rows are reused between batches: consume (or copy) a batch before asking for the next.
   */
  *batches(batchEnrollments: number = DEFAULT_BATCH_ENROLLMENTS): Generator<DemoBatch, void, void> {
    if (this.finished) throw new Error('DemoGenerator.batches() can run only once');
    const sim = this.sim;
    yield { tables: this.catalogRows(), enrollmentsDone: 0 };
    const target = this.options.enrollments;
    let batchStart = 0;
    while (sim.enrollmentsDone < target) {
      sim.nextContact();
      if (sim.enrollmentsDone - batchStart >= batchEnrollments || sim.enrollmentsDone >= target) {
        yield { tables: this.bufferedRows(), enrollmentsDone: sim.enrollmentsDone };
        sim.clearBatch();
        batchStart = sim.enrollmentsDone;
      }
    }
    this.finished = true;
  }

  /** Rows per table (`schema.table` → rows) generated so far, catalog tables included. */
  sizes(): Record<string, number> {
    const out: Record<string, number> = {};
    const c = this.catalog;
    const catalogSizes: Partial<Record<DemoTableKey, number>> = {
      templates: c.templates.length,
      campaigns: c.campaigns.length,
      steps: c.steps.length,
      variants: c.variants.length,
    };
    for (const k of DEMO_TABLE_ORDER) {
      const table = DEMO_TABLES[k].table;
      out[table] = (out[table] ?? 0) + (catalogSizes[k] ?? this.sim.sizes[k]);
    }
    return out;
  }

  /** The ground truth; throws until `batches()` has been consumed. */
  truth(): DemoTruth {
    if (!this.finished) throw new Error('DemoGenerator.truth() needs batches() consumed first');
    return buildTruth(this);
  }

  /** @internal */
  get simulator(): Simulator {
    return this.sim;
  }

  private bufferedRows(): DemoTableRows[] {
    const out: DemoTableRows[] = [];
    for (const k of DEMO_TABLE_ORDER) {
      const b = this.sim.buffers[k];
      if (b.length > 0) out.push({ key: k, spec: b.spec, rows: b.rows() });
    }
    return out;
  }

  private catalogRows(): DemoTableRows[] {
    const c = this.catalog;
    const t = (key: DemoTableKey, fill: (b: RowBuffer) => void): DemoTableRows => {
      const b = new RowBuffer(DEMO_TABLES[key]);
      fill(b);
      return { key, spec: b.spec, rows: b.rows() };
    };
    return [
      t('templates', (b) => {
        for (const x of c.templates)
          b.add().splice(0, 6, x.id, x.orgId, x.name, x.channel, x.purpose, x.text);
      }),
      t('campaigns', (b) => {
        for (const x of c.campaigns) {
          b.add().splice(
            0,
            7,
            x.id,
            x.orgId,
            x.name,
            x.description,
            x.type,
            x.goalPrompt,
            isoUtc(x.createdAt),
          );
        }
      }),
      t('steps', (b) => {
        for (const x of c.steps) {
          const steps = c.campaigns.find((k) => k.id === x.campaignId)!.steps;
          const d = x.decision;
          b.add().splice(
            0,
            13,
            x.id,
            x.campaignId,
            x.index + 1,
            x.channelText,
            x.waitMs,
            x.label,
            x.metadata,
            x.goalPrompt,
            x.template.id,
            d !== null,
            d?.condition ?? null,
            d ? steps[d.ifTrue]!.id : null,
            d ? steps[d.ifFalse]!.id : null,
          );
        }
      }),
      t('variants', (b) => {
        for (const x of c.variants) {
          b.add().splice(
            0,
            8,
            x.id,
            x.orgId,
            x.stepId,
            x.key,
            x.isControl,
            x.weight,
            x.template.id,
            isoUtc(x.createdAt),
          );
        }
      }),
    ];
  }
}

/** Generates the whole demo in memory, copying rows: for tests and small sizes only. */
export function generateDemoInMemory(options: Partial<DemoOptions> = {}): {
  readonly tables: Readonly<Record<DemoTableKey, SqlValue[][]>>;
  readonly truth: DemoTruth;
  readonly catalog: Catalog;
} {
  const g = new DemoGenerator(options);
  const tables = {} as Record<DemoTableKey, SqlValue[][]>;
  for (const k of DEMO_TABLE_ORDER) tables[k] = [];
  for (const batch of g.batches()) {
    for (const t of batch.tables) for (const r of t.rows) tables[t.key].push([...r]);
  }
  return { tables, truth: g.truth(), catalog: g.catalog };
}

function buildTruth(g: DemoGenerator): DemoTruth {
  const sim = g.simulator;
  const o = sim.observed;
  const plan = g.catalog.plan;
  const opts = g.options;
  const id = (n: number) => String(n);
  const lor = (x: number) => Math.round(x * 10_000) / 10_000;
  // Keys in reading order: what, how much, then ids and observations.
  const effect = (e: Omit<TruthEffect, 'odds_ratio' | 'log_odds'> & { log_odds: number }): TruthEffect => {
    const { id, kind, level, target, direction, log_odds, ...rest } = e;
    return {
      id,
      kind,
      level,
      target,
      direction,
      log_odds: lor(log_odds),
      odds_ratio: lor(Math.exp(log_odds)),
      ...rest,
    };
  };
  const bands = MODEL.speedBands;
  const last = bands[bands.length - 1]!;
  const effects: TruthEffect[] = [
    effect({
      id: 'slot_offer_first_touch',
      kind: 'prompt_variant',
      level: 'campaign',
      target: 'call_booked',
      direction: 'up',
      log_odds: Math.log(MODEL.slotOddsRatio),
      description:
        'The first-touch SMS variant that offers two concrete time slots books more calls than the open-question control (enrollments assigned 50/50 at random).',
      treatment_arm: 'treatment',
      reference_arm: 'control',
      ids: {
        org_id: id(plan.slot.campaign.orgId),
        campaign_id: id(plan.slot.campaign.id),
        step_id: id(plan.slot.step.id),
        variant_id: id(plan.slot.treatment.id),
        variant_ids: [id(plan.slot.control.id), id(plan.slot.treatment.id)],
      },
      detail: {
        treatment_variant_id: id(plan.slot.treatment.id),
        control_variant_id: id(plan.slot.control.id),
        treatment_template_id: id(plan.slot.treatment.template.id),
        control_template_id: id(plan.slot.control.template.id),
      },
      observed: o.slot,
    }),
    effect({
      id: 'speed_to_lead',
      kind: 'speed_to_lead',
      level: 'lead',
      target: 'call_booked',
      direction: 'down',
      log_odds: last.logOdds,
      description:
        'Slow first touch books fewer calls. Speed to lead = first outbound activity time (sent_at, or call_started_at for calls) minus campaign_enrollments.created_at; drawn at random per enrollment. log_odds is the slowest band (over 24 h) against under 5 minutes; see detail.bands.',
      treatment_arm: last.name,
      reference_arm: bands[0]!.name,
      ids: { threshold: { field: 'speed_to_lead_minutes', value: last.fromMinutes, unit: 'minutes' } },
      detail: {
        bands: bands.map((b) => ({
          name: b.name,
          from_minutes: b.fromMinutes,
          to_minutes: Number.isFinite(b.toMinutes) ? b.toMinutes : null,
          share: b.share,
          log_odds: b.logOdds,
        })),
        max_minutes: MODEL.speedMaxMinutes,
      },
      observed: o.speed,
    }),
    effect({
      id: 'voicemail_only',
      kind: 'voicemail_only',
      level: 'lead',
      target: 'converted',
      direction: 'down',
      log_odds: MODEL.voicemailOnlyLogOdds,
      description:
        'Voicemail-only enrollments convert less once qualified. Voicemail-only: at least one voice activity that ran (status not planned), every such voice activity has outcome voicemail (so never connected), and no inbound message from the contact during the enrollment. Compared with other enrollments that had a voice activity.',
      treatment_arm: 'voicemail_only',
      reference_arm: 'other_with_voice',
      ids: {},
      detail: { unreachable_share: MODEL.unreachableShare, stage: 'P(converted | qualified)' },
      observed: o.voicemail,
    }),
    effect({
      id: 'step_order_call_first',
      kind: 'step_order',
      level: 'campaign',
      target: 'call_booked',
      direction: 'down',
      log_odds: MODEL.callFirstLogOdds,
      description:
        'Two sibling campaigns with the same four steps: text → call → email → email (better) and call → text → email → email (worse). New leads are split between them at random.',
      treatment_arm: 'call_first',
      reference_arm: 'sms_first',
      ids: {
        org_id: id(plan.order.smsFirst.orgId),
        campaign_id: id(plan.order.callFirst.id),
        campaign_ids: [id(plan.order.smsFirst.id), id(plan.order.callFirst.id)],
      },
      detail: {
        better_campaign_id: id(plan.order.smsFirst.id),
        worse_campaign_id: id(plan.order.callFirst.id),
        better_order: plan.order.smsFirst.steps.map((s) => s.channel),
        worse_order: plan.order.callFirst.steps.map((s) => s.channel),
      },
      observed: o.order,
    }),
    effect({
      id: 'lead_source_referral',
      kind: 'lead_source',
      level: 'lead',
      target: 'converted',
      direction: 'up',
      log_odds: MODEL.betterLeadSourceLogOdds,
      description: `Leads from ${MODEL.betterLeadSource} convert more once qualified; every other lead source is the same. (Placeholders, missing values and case variants in contacts.lead_source hide the source of some of them; observed arms use the true source.)`,
      treatment_arm: MODEL.betterLeadSource,
      reference_arm: 'other',
      ids: { lead_source: MODEL.betterLeadSource },
      detail: { stage: 'P(converted | qualified)' },
      observed: o.source,
    }),
    effect({
      id: 'long_wait_before_call',
      kind: 'step_wait',
      level: 'campaign',
      target: 'call_booked',
      direction: 'down',
      log_odds: MODEL.longWaitLogOdds,
      description: `Two sibling campaigns identical except the wait before the call step: ${MODEL.shortWaitMs / 86_400_000} day vs ${MODEL.longWaitMs / 86_400_000} days. The long wait books fewer calls. Leads are split at random.`,
      treatment_arm: 'slow',
      reference_arm: 'fast',
      ids: {
        org_id: id(plan.cadence.slow.orgId),
        campaign_id: id(plan.cadence.slow.id),
        campaign_ids: [id(plan.cadence.fast.id), id(plan.cadence.slow.id)],
        step_id: id(plan.cadence.slowStep.id),
        step_ids: [id(plan.cadence.fastStep.id), id(plan.cadence.slowStep.id)],
        threshold: { field: 'wait_before_ms', value: MODEL.longWaitThresholdMs, unit: 'ms' },
      },
      detail: { fast_wait_before_ms: MODEL.shortWaitMs, slow_wait_before_ms: MODEL.longWaitMs },
      observed: o.cadence,
    }),
    effect({
      id: 'control_follow_up_greeting',
      kind: 'control',
      level: 'campaign',
      target: 'call_booked',
      direction: 'none',
      log_odds: 0,
      description: 'A/B pair on the follow-up SMS: "Hi {first_name}," vs "Hey {first_name}!". No effect.',
      treatment_arm: 'B',
      reference_arm: 'A',
      ids: {
        org_id: id(plan.controlFollowUp.campaign.orgId),
        campaign_id: id(plan.controlFollowUp.campaign.id),
        step_id: id(plan.controlFollowUp.step.id),
        variant_ids: [id(plan.controlFollowUp.a.id), id(plan.controlFollowUp.b.id)],
      },
      observed: o.controlFollowUp,
    }),
    effect({
      id: 'control_reengage_subject',
      kind: 'control',
      level: 'campaign',
      target: 'call_booked',
      direction: 'none',
      log_odds: 0,
      description: 'A/B pair on the re-engagement email subject: plain vs a leading 👋 emoji. No effect.',
      treatment_arm: 'B',
      reference_arm: 'A',
      ids: {
        org_id: id(plan.controlSubject.campaign.orgId),
        campaign_id: id(plan.controlSubject.campaign.id),
        step_id: id(plan.controlSubject.step.id),
        variant_ids: [id(plan.controlSubject.a.id), id(plan.controlSubject.b.id)],
      },
      observed: o.controlSubject,
    }),
  ];
  return {
    generator: 'leadlift-demo',
    version: DEMO_GENERATOR_VERSION,
    seed: opts.seed,
    options: { enrollments: opts.enrollments, orgs: opts.orgs, start: opts.start, days: opts.days },
    window: {
      start: isoUtc(sim.startMs),
      as_of: isoUtc(sim.asOf),
      label_windows_days: LABEL_WINDOWS,
      complete_windows_through: isoUtc(sim.completeThrough),
    },
    sizes: g.sizes(),
    orgs: g.catalog.orgs.map((org) => ({
      org_id: id(org.id),
      name: org.profile.name,
      campaign_ids: org.campaigns.map((c) => id(c.id)),
    })),
    model: {
      call_booked_intercept_log_odds: lor(MODEL.bookedIntercept),
      qualified_intercept_log_odds: lor(MODEL.qualifiedIntercept),
      converted_intercept_log_odds: lor(MODEL.convertedIntercept),
      lead_noise_sd: MODEL.leadNoiseSd,
      unreachable_share: MODEL.unreachableShare,
      observed: o.all,
    },
    effects,
    messiness: sim.mess,
    notes: [
      'Every effect shifts the log-odds of one stage: P(call booked during the enrollment), P(qualified | booked) or P(converted | qualified); effects on an earlier stage also move later unconditional rates.',
      'Lead quality varies beyond the planted effects: a per-contact normal noise (sd model.lead_noise_sd) on the call_booked log-odds; booked leads reply more often and more positively.',
      'Observed arms count non-test enrollments whose first outbound touch is at or before window.complete_windows_through, from the simulation (before mess is added): a pipeline that removes duplicates, test contacts and shifted clocks should reproduce them closely.',
      'Label windows count from the first outbound activity: call_booked within 7 days (bookings.requested_at), qualified within 14 and converted within 30 (lead_outcome_events.occurred_at).',
      'Ids are strings, as in snapshots.',
    ],
  };
}
