// The demo's simulation: one contact at a time, each with its own re-seeded PRNG, walks
// its enrollments through their campaigns' steps and writes the rows an Agent Cory DB
// would hold — activities, communication log, bookings, outcome events — into reusable
// row buffers. Outcomes are drawn from a per-enrollment log-odds (src/demo/model.ts), so
// the planted effects are real in the data; mess is added as rows are written.

import type { SqlValue } from '../db/adapter.js';
import type { CampaignDef, Catalog, OrgDef, StepDef, TemplateDef, VariantDef } from './catalog.js';
import { ID_BASE } from './catalog.js';
import { messyChannels, messyLeadSource, PLACEHOLDERS, MESS_RATES as R } from './messiness.js';
import { LABEL_WINDOWS, MODEL, speedBandIndex } from './model.js';
import type { DemoOptions } from './options.js';
import { Rng, sigmoid } from './rng.js';
import { DEMO_TABLE_ORDER, DEMO_TABLES, type DemoTableKey, RowBuffer } from './tables.js';
import { emptyVars, REPLY_TAGS, type ReplyIntent, render, type TextBank } from './text.js';
import {
  DAY,
  HOUR,
  isoUtc,
  isoWithOffset,
  localHour,
  localWeekdayName,
  MINUTE,
  naiveUtc,
  parseYmd,
  twoSlots,
  type Zone,
  zoneOffset,
} from './time.js';
import { type ArmStats, bump, emptyArm, emptyMessiness, type MessinessTruth } from './truth.js';
import {
  BUSINESS_SUFFIXES,
  BUSINESS_WORDS,
  FIRST_NAMES,
  FREE_EMAIL_DOMAINS,
  LAST_NAMES,
  LEAD_SOURCES,
  REGIONS,
  type Region,
  TEST_EMAILS,
  TEST_NAMES,
  TEST_PHONES,
} from './words.js';

const STREAM_CONTACT = 0x00c0_47ac;
/** The status callbacks' own stream: drawing from it leaves every other row as it was. */
const STREAM_STATUS = 0x57a7_0500;
/** Tie-breaks of the no-effect control A/B tests' balanced assignment: their own stream. */
const STREAM_CONTROL_ARM = 0x0c7a_a2b0;
const SECOND = 1000;
const AGENT_NAME = 'Cory';
const SLOT_HOURS: readonly (readonly [number, number])[] = [
  [10, 14],
  [9.5, 15],
  [11, 16.5],
  [13, 10],
  [14.5, 9],
];
const HOUR_WEIGHTS: readonly number[] = [
  1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.5, 4, 5, 5.5, 5.5, 5, 5, 5, 5, 5, 5, 4.5, 4.5, 4, 3.5, 2.5, 1.6,
];

const CALL_TAGS = {
  connected: 'cory,call,connected',
  voicemail: 'cory,call,voicemail',
  no_answer: 'cory,call,no_answer',
};
const T_ACT = 'education.campaign_activities';
const T_MSG = 'dbo.Education_Cory_Communication_Log';
const T_CONTACTS = 'education.contacts';
const T_EVENTS = 'education.lead_outcome_events';
const T_BOOKINGS = 'education.booking_appointments';
const K_ACT_CHANNEL = `${T_ACT}.channel`;
const K_ACT_COMPLETED_AT = `${T_ACT}.completed_at`;
const K_ACT_END_CALL_REASON = `${T_ACT}.end_call_reason`;
const K_BOOKINGS_ENROLLMENT_ID = `${T_BOOKINGS}.enrollment_id`;
const K_CONTACTS_EMAIL = `${T_CONTACTS}.email`;
const K_CONTACTS_LEAD_SOURCE = `${T_CONTACTS}.lead_source`;
const K_CONTACTS_PHONE = `${T_CONTACTS}.phone`;
const K_CONTACTS_QUALIFICATION_STATUS = `${T_CONTACTS}.qualification_status`;
const K_CONTACTS_REGION = `${T_CONTACTS}.region`;
const K_CONTACTS_TIMEZONE = `${T_CONTACTS}.timezone`;
const K_MSG_CHANNEL = `${T_MSG}.channel`;

/** Observed outcomes per arm of each planted effect (see truth.ts ArmStats). */
export interface ObservedArms {
  readonly all: ArmStats;
  readonly slot: readonly [ArmStats, ArmStats];
  readonly controlFollowUp: readonly [ArmStats, ArmStats];
  readonly controlSubject: readonly [ArmStats, ArmStats];
  readonly order: readonly [ArmStats, ArmStats];
  readonly cadence: readonly [ArmStats, ArmStats];
  readonly speed: readonly ArmStats[];
  readonly voicemail: readonly [ArmStats, ArmStats];
  readonly source: readonly [ArmStats, ArmStats];
}

/** Seconds resolution: every generated instant is a whole second. */
const sec = (ms: number): number => Math.round(ms / SECOND) * SECOND;
const ts = (ms: number): SqlValue => (Number.isNaN(ms) ? null : isoUtc(ms));

type Status = 'active' | 'paused' | 'completed' | 'switched' | 'cancelled';

/**
 * Generates contacts one at a time into row buffers. Call `nextContact()` until
 * `enrollmentsDone` reaches the target, taking the buffers' rows between calls.
 */
export class Simulator {
  readonly buffers: { readonly [K in DemoTableKey]: RowBuffer };
  /** Rows emitted so far, by table key. */
  readonly sizes: Record<DemoTableKey, number>;
  readonly mess: MessinessTruth;
  readonly observed: ObservedArms;
  readonly startMs: number;
  readonly asOf: number;
  readonly completeThrough: number;
  enrollmentsDone = 0;

  private readonly catalog: Catalog;
  private readonly options: DemoOptions;
  private readonly bank: TextBank;
  private readonly rng = new Rng(0);
  private readonly statusRng = new Rng(0);
  private readonly controlRng = new Rng(0);
  /**
   * Arm counts of the no-effect control A/B tests, by `<step id>:<stratum>`: leads that
   * reach a control step are assigned to the arm with fewer leads of their outcome
   * stratum (booked within 7 days or not, eligible or not), so the arms' realized
   * outcomes match by construction and not only in expectation.
   */
  private readonly controlArms = new Map<string, [number, number]>();
  private readonly vars = emptyVars();
  private readonly orgWeights: readonly number[];
  private readonly entryWeights: readonly (readonly number[])[];
  private readonly regionWeights: readonly number[];
  private readonly sourceWeights: readonly number[];
  private readonly freeDomainWeights: readonly number[];
  private readonly speedShares: readonly number[];
  private readonly slotLogOdds = Math.log(MODEL.slotOddsRatio);
  private contactIndex = 0;
  private nextContactId: number = ID_BASE.contact;
  private nextEnrollmentId: number = ID_BASE.enrollment;
  private nextActivityId: number = ID_BASE.activity;
  private nextBookingId: number = ID_BASE.booking;
  private nextEventId: number = ID_BASE.outcomeEvent;
  private nextStatusEventId: number = ID_BASE.statusEvent;

  // The current contact.
  private org!: OrgDef;
  private contactId = 0;
  private ghl = '';
  private threadSms = '';
  private threadCall = '';
  private threadEmail = '';
  private zone!: Zone;
  private region!: Region;
  private email = '';
  private phone = '';
  private isTest = false;
  private noise = 0;
  private unreachable = false;
  private emailBounces = false;
  private leadSource = '';
  private contactCreated = 0;
  private everTouched = false;
  private everReplied = false;
  private everBooked = false;
  private everQualified = false;
  private everDisqualified = false;
  private everConverted = false;
  private optedOut = false;
  private wrongPerson = false;
  private contactUpdated = 0;

  // The current enrollment.
  private enrollmentId = 0;
  private campaign!: CampaignDef;
  private enrollmentCreated = 0;
  private bookingAt = Number.POSITIVE_INFINITY;
  private readonly variantChoice = new Int8Array(16);
  private readonly stepReached = new Uint8Array(16);
  private replyTouchNo = 0;
  private replyIntent: ReplyIntent = 'interested';
  private touchCount = 0;
  private replyAt = Number.POSITIVE_INFINITY;
  private cancelAt = Number.POSITIVE_INFINITY;
  private pauseAt = Number.POSITIVE_INFINITY;
  private hadVoice = false;
  private allVoicemail = true;
  private stepConnected = false;
  private lastAttemptFailed = false;
  private lastEvent = 0;

  constructor(catalog: Catalog, options: DemoOptions, bank: TextBank) {
    this.catalog = catalog;
    this.options = options;
    this.bank = bank;
    this.startMs = parseYmd(options.start);
    this.asOf = this.startMs + options.days * DAY;
    this.completeThrough = this.asOf - LABEL_WINDOWS.converted * DAY;
    const buffers = {} as Record<DemoTableKey, RowBuffer>;
    const sizes = {} as Record<DemoTableKey, number>;
    for (const k of DEMO_TABLE_ORDER) {
      buffers[k] = new RowBuffer(DEMO_TABLES[k]);
      sizes[k] = 0;
    }
    this.buffers = buffers;
    this.sizes = sizes;
    this.mess = emptyMessiness(PLACEHOLDERS);
    this.mess.non_canonical_categories['education.campaign_steps.channel'] = catalog.nonCanonicalStepChannels;
    this.orgWeights = catalog.orgs.map((o) => o.weight);
    this.entryWeights = catalog.orgs.map((o) => o.entry.map((g) => g.weight));
    this.regionWeights = REGIONS.map((r) => r.weight);
    this.sourceWeights = LEAD_SOURCES.map((s) => s.weight);
    this.freeDomainWeights = FREE_EMAIL_DOMAINS.map((d) => d[1]);
    this.speedShares = MODEL.speedBands.map((b) => b.share);
    const pair = (a: string, b: string): readonly [ArmStats, ArmStats] => [emptyArm(a), emptyArm(b)];
    this.observed = {
      all: emptyArm('all'),
      slot: pair('control', 'treatment'),
      controlFollowUp: pair('A', 'B'),
      controlSubject: pair('A', 'B'),
      order: pair('sms_first', 'call_first'),
      cadence: pair('fast', 'slow'),
      speed: MODEL.speedBands.map((b) => emptyArm(b.name)),
      voicemail: pair('other_with_voice', 'voicemail_only'),
      source: pair('other', MODEL.betterLeadSource),
    };
  }

  /** Counts the rows of the current batch into `sizes` and clears the buffers. */
  clearBatch(): void {
    for (const k of DEMO_TABLE_ORDER) {
      this.sizes[k] += this.buffers[k].length;
      this.buffers[k].clear();
    }
  }

  /** Generates the next contact and its one or two enrollments. */
  nextContact(): void {
    const k = this.contactIndex++;
    const rng = this.rng.reseed(this.options.seed, STREAM_CONTACT, k);
    this.statusRng.reseed(this.options.seed, STREAM_STATUS, k);
    this.org = this.catalog.orgs[rng.weighted(this.orgWeights)]!;
    const org = this.org;
    const group = org.entry[org.entry.length > 1 ? rng.weighted(this.entryWeights[org.id - 1]!) : 0]!;
    const campaign = rng.pick(group.campaigns);

    this.contactId = this.nextContactId++;
    this.isTest = k % R.testContactEvery === 137;
    this.region = REGIONS[rng.weighted(this.regionWeights)]!;
    this.zone = this.region.zone;
    this.ghl = rng.alnum(20);
    this.threadSms = this.threadSms;
    this.threadCall = this.threadCall;
    this.noise = rng.normal() * MODEL.leadNoiseSd;
    this.unreachable = rng.chance(MODEL.unreachableShare);
    this.emailBounces = rng.chance(MODEL.emailBounceContactShare);
    const source = LEAD_SOURCES[rng.weighted(this.sourceWeights)]!;
    this.leadSource = source.value;
    const sourceDetail = rng.pick(source.details);

    let first = rng.pick(FIRST_NAMES);
    let last = rng.pick(LAST_NAMES);
    const area = rng.pick(this.region.areaCodes);
    const exchange = rng.between(201, 989);
    const line = String(rng.int(10000)).padStart(4, '0');
    if (this.isTest) {
      const [f, l] = rng.pick(TEST_NAMES);
      first = f;
      last = l;
      this.email = rng.pick(TEST_EMAILS);
      this.phone = rng.pick(TEST_PHONES);
    } else {
      this.email = this.makeEmail(first, last);
      const form = rng.next();
      this.phone =
        form < 0.7
          ? `+1${area}${exchange}${line}`
          : form < 0.9
            ? `(${area}) ${exchange}-${line}`
            : `${area}-${exchange}-${line}`;
    }

    // When the lead arrives: spread over the window in enrollment order, busier by day.
    const dayPos = ((this.enrollmentsDone + rng.next()) / this.options.enrollments) * this.options.days;
    const dayStart = this.startMs + Math.floor(dayPos) * DAY;
    const localHourDrawn = rng.weighted(HOUR_WEIGHTS) + rng.next();
    let created = sec(dayStart + localHourDrawn * HOUR - zoneOffset(this.zone, dayStart) * MINUTE);
    created = Math.min(Math.max(created, this.startMs), this.asOf - HOUR);
    this.contactCreated = group.dormantDays
      ? sec(created - rng.between(group.dormantDays[0], group.dormantDays[1]) * DAY - rng.int(DAY))
      : sec(created - rng.between(1, 600) * SECOND);

    const v = this.vars;
    v.first_name = first;
    v.full_name = `${first} ${last}`;
    v.email = this.email;
    v.phone = this.isTest ? this.phone : `${area}-${exchange}-${line}`;
    v.org_name = org.profile.name;
    v.org_phone = `(${org.phone.slice(2, 5)}) ${org.phone.slice(5, 8)}-${org.phone.slice(8)}`;
    v.product = org.profile.product;
    v.call_name = org.profile.callName;
    v.lead_source = this.leadSource.replace('_', ' ');
    v.booking_link = org.bookingLink;
    v.agent_name = AGENT_NAME;

    this.everTouched = false;
    this.everReplied = false;
    this.everBooked = false;
    this.everQualified = false;
    this.everDisqualified = false;
    this.everConverted = false;
    this.optedOut = false;
    this.wrongPerson = false;
    this.contactUpdated = this.contactCreated;

    const { switchAt } = this.runEnrollment(campaign, created);
    if (switchAt > 0) {
      const targets = org.switchTargets.filter((c) => c !== campaign);
      this.runEnrollment(rng.pick(targets), switchAt + rng.between(1, 5) * SECOND);
    }

    this.emitContact(first, last, sourceDetail);
  }

  private makeEmail(first: string, last: string): string {
    const rng = this.rng;
    const f = first.toLowerCase();
    const l = last.toLowerCase();
    if (rng.chance(0.12)) {
      const domain = `${rng.pick(BUSINESS_WORDS)}${rng.chance(0.5) ? '-' : ''}${rng.pick(BUSINESS_SUFFIXES)}.com`;
      return rng.chance(0.5) ? `${f}.${l}@${domain}` : `${f}@${domain}`;
    }
    const domain = FREE_EMAIL_DOMAINS[rng.weighted(this.freeDomainWeights)]![0];
    switch (rng.int(5)) {
      case 0:
        return `${f}.${l}@${domain}`;
      case 1:
        return `${f}${l}${rng.between(1, 99)}@${domain}`;
      case 2:
        return `${f.charAt(0)}${l}@${domain}`;
      case 3:
        return `${f}_${l}@${domain}`;
      default:
        return `${f}${rng.between(60, 99)}@${domain}`;
    }
  }

  /**
   * Runs one enrollment of the current contact. Returns `switchAt` > 0 when the lead is
   * switched into another campaign at that time.
   */
  private runEnrollment(campaign: CampaignDef, created: number): { switchAt: number } {
    const rng = this.rng;
    const steps = campaign.steps;
    this.campaign = campaign;
    this.enrollmentId = this.nextEnrollmentId++;
    this.threadEmail = `th_em_${this.ghl}_${campaign.id}`;
    this.enrollmentsDone++;
    this.enrollmentCreated = created;
    const started = created + rng.between(0, 3) * SECOND;

    // Speed to lead: the first outbound touch happens `minutes` after creation.
    const band = rng.weighted(this.speedShares);
    const b = MODEL.speedBands[band]!;
    const lo = Math.max(b.fromMinutes, 0.5);
    const hi = Math.min(b.toMinutes, MODEL.speedMaxMinutes);
    let delayMs = sec(lo * MINUTE * (hi / lo) ** rng.next());
    if (speedBandIndex(delayMs / MINUTE) !== band) delayMs = sec(lo * MINUTE);
    const firstTouch = created + Math.max(delayMs, 4 * SECOND);

    for (let i = 0; i < steps.length; i++) {
      this.variantChoice[i] =
        steps[i]!.variants.length > 0 && rng.next() >= steps[i]!.variants[0]!.weight ? 1 : 0;
      this.stepReached[i] = 0;
    }
    const plan = this.catalog.plan;
    const treated = campaign === plan.slot.campaign && this.variantChoice[0] === 1;

    // call_booked: one draw from the planted log-odds.
    const logOdds =
      MODEL.bookedIntercept +
      this.noise +
      campaign.bookedLogOdds +
      b.logOdds +
      (treated ? this.slotLogOdds : 0);
    const booked = !this.isTest && rng.next() < sigmoid(logOdds);
    this.bookingAt = booked
      ? sec(
          firstTouch +
            Math.min(
              Math.max(
                rng.lognormal(MODEL.bookingDelayMedianMs, MODEL.bookingDelaySigma),
                MODEL.bookingDelayMinMs,
              ),
              MODEL.bookingDelayMaxMs,
            ),
        )
      : Number.POSITIVE_INFINITY;
    const bookedByAsOf = this.bookingAt <= this.asOf - MINUTE && firstTouch <= this.asOf - HOUR;

    // Replies: after the n-th delivered text or email; never from unreachable leads.
    this.touchCount = 0;
    this.replyTouchNo = 0;
    this.replyAt = Number.POSITIVE_INFINITY;
    this.cancelAt = Number.POSITIVE_INFINITY;
    this.pauseAt = Number.POSITIVE_INFINITY;
    if (!this.unreachable && !this.isTest) {
      const p = booked
        ? MODEL.replyIfBooked
        : MODEL.replyIfNotBookedBase + (this.noise > 0.5 ? MODEL.replyIfNotBookedHighNoise : 0);
      if (rng.chance(p)) {
        const u = rng.next();
        this.replyTouchNo = u < 0.65 ? 1 : u < 0.9 ? 2 : 3;
        this.replyIntent = booked ? this.bookedIntent(treated) : this.unbookedIntent();
      }
    }
    const pauseBefore = rng.chance(MODEL.pauseShare) ? 1 + rng.int(steps.length) : -1;

    this.hadVoice = false;
    this.allVoicemail = true;
    this.lastEvent = started;

    let i: number | null = 0;
    let t = firstTouch;
    let planTime = started;
    let stepEnd = started;
    let current: StepDef = steps[0]!;
    let status: Status = 'completed';
    let endedAt = Number.NaN;
    let ended: 'done' | 'stopped' = 'done';
    let firstTouchAt = Number.NaN;

    while (i !== null) {
      const step: StepDef = steps[i]!;
      if (i > 0) t = this.sendWindow(sec(stepEnd + step.waitMs + rng.int(15 * 60) * SECOND), step);
      if (bookedByAsOf && t >= this.bookingAt) {
        status = 'completed';
        endedAt = Math.min(this.bookingAt + rng.between(60, 600) * SECOND, this.asOf);
        ended = 'stopped';
        break;
      }
      if (t >= this.cancelAt) {
        status = 'cancelled';
        endedAt = this.cancelAt;
        ended = 'stopped';
        break;
      }
      if (t >= this.pauseAt || i === pauseBefore) {
        status = 'paused';
        ended = 'stopped';
        break;
      }
      current = step;
      if (this.isControlStep(campaign, i)) this.variantChoice[i] = this.controlArm(step, t, firstTouchAt);
      const variant = step.variants.length > 0 ? step.variants[this.variantChoice[i]!]! : null;
      const template = variant?.template ?? step.template;
      if (t > this.asOf - HOUR) {
        this.emitPlanned(step, 1, variant, t, planTime);
        status = 'active';
        ended = 'stopped';
        break;
      }
      if (i === 0 && step.kind === 'first_touch_sms') {
        const [ha, hb] = rng.pick(SLOT_HOURS);
        const [s1, s2] = twoSlots(this.zone, t, ha, hb);
        this.vars.slot_1 = s1;
        this.vars.slot_2 = s2;
      }
      this.stepConnected = false;
      let attempt = 1;
      let touchAt = t;
      let stopped = false;
      for (;;) {
        const scheduled = touchAt - rng.between(2, 20) * SECOND;
        const end = this.attempt(
          step,
          attempt,
          variant,
          template,
          Math.max(scheduled, planTime),
          touchAt,
          planTime,
        );
        if (Number.isNaN(firstTouchAt)) firstTouchAt = touchAt;
        this.stepReached[i] = 1;
        stepEnd = end;
        const retry =
          (step.channel === 'voice' &&
            !this.stepConnected &&
            attempt < step.maxAttempts &&
            rng.chance(MODEL.voiceRetryShare)) ||
          (step.channel === 'sms' && this.lastAttemptFailed && attempt < 2);
        if (!retry) break;
        const next = sec(end + (step.channel === 'voice' ? MODEL.voiceRetryGapMs : 30 * MINUTE));
        if ((bookedByAsOf && next >= this.bookingAt) || next >= this.cancelAt) break;
        if (next > this.asOf - HOUR) {
          this.emitPlanned(step, attempt + 1, variant, next, end);
          status = 'active';
          stopped = true;
          break;
        }
        attempt++;
        touchAt = next;
      }
      if (stopped) {
        ended = 'stopped';
        break;
      }
      planTime = stepEnd;
      if (step.decision) {
        const holds =
          step.decision.condition === 'connected' ? this.stepConnected : this.replyAt <= stepEnd + HOUR;
        i = holds ? step.decision.ifTrue : step.decision.ifFalse;
      } else {
        i = step.next;
      }
    }

    let switchAt = 0;
    if (ended === 'done') {
      const doneAt = Math.min(sec(stepEnd + rng.between(10, 120) * MINUTE), this.asOf - MINUTE);
      endedAt = doneAt;
      status = 'completed';
      if (this.cancelAt < doneAt) {
        // Opted out (or wrong person) while the last step was still running.
        status = 'cancelled';
        endedAt = Math.max(this.cancelAt, stepEnd);
      } else if (
        !booked &&
        this.cancelAt === Number.POSITIVE_INFINITY &&
        this.org.switchTargets.some((c) => c !== campaign)
      ) {
        const at = sec(stepEnd + rng.uniform(1, 3) * DAY);
        if (
          at < this.asOf - DAY &&
          this.enrollmentsDone < this.options.enrollments &&
          rng.chance(MODEL.switchShareOfUnbookedCompleted)
        ) {
          status = 'switched';
          endedAt = at;
          switchAt = at;
        }
      }
    }
    // Paused and active enrollments have not ended.
    if (status === 'paused' || status === 'active') endedAt = Number.NaN;

    const labels = this.outcomes(booked && bookedByAsOf, firstTouchAt);
    if (!Number.isNaN(endedAt)) this.lastEvent = Math.max(this.lastEvent, endedAt);
    this.emitEnrollment(campaign, current, status, started, endedAt, created);
    this.observe(campaign, band, treated, firstTouchAt, labels);
    return { switchAt };
  }

  private bookedIntent(treated: boolean): ReplyIntent {
    const u = this.rng.next();
    if (u < 0.35) return 'interested';
    if (u < 0.6) return treated ? 'picks_slot' : 'asks_times';
    if (u < 0.75) return 'question';
    if (u < 0.92) return 'contact_info';
    return 'price_objection';
  }

  private unbookedIntent(): ReplyIntent {
    const u = this.rng.next();
    if (u < 0.28) return 'not_now';
    if (u < 0.46) return 'price_objection';
    if (u < 0.66) return 'stop';
    if (u < 0.73) return 'wrong_person';
    if (u < 0.85) return 'interested';
    if (u < 0.95) return 'question';
    return 'contact_info';
  }

  /** Moves texts and calls outside 08:00–20:00 local to the next morning (the send window). */
  private sendWindow(t: number, step: StepDef): number {
    if (step.channel === 'email') return t;
    const h = localHour(this.zone, t);
    if (h >= 8 && h < 20) return t;
    const hoursToEight = h < 8 ? 8 - h : 32 - h;
    return sec(t + hoursToEight * HOUR - (((t % HOUR) + HOUR) % HOUR) + this.rng.int(40 * 60) * SECOND);
  }

  /** Runs one attempt of a step at `touchAt`; returns when it completed. */
  private attempt(
    step: StepDef,
    attempt: number,
    variant: VariantDef | null,
    template: TemplateDef,
    scheduled: number,
    touchAt: number,
    planned: number,
  ): number {
    const rng = this.rng;
    const prompt = render(template.compiled, this.vars);
    const org = this.org;
    this.lastAttemptFailed = false;
    this.everTouched = true;
    if (step.channel === 'sms') {
      const r = rng.next();
      const texts = this.bank.sms.get(template.bankKey)!;
      const message = render(rng.pick(texts), this.vars);
      let status = 'completed';
      let outcome = 'delivered';
      let delivered = Number.NaN;
      let completed: number;
      if (r < MODEL.smsFailShare) {
        status = 'failed';
        outcome = 'undelivered';
        completed = touchAt + rng.between(5, 60) * SECOND;
        this.lastAttemptFailed = true;
      } else if (r < MODEL.smsFailShare + MODEL.smsNoReceiptShare) {
        outcome = 'sent';
        completed = touchAt + rng.between(1, 5) * SECOND;
      } else {
        delivered = touchAt + rng.between(1, 15) * SECOND;
        completed = delivered;
      }
      this.emitActivity(
        step,
        attempt,
        variant,
        status,
        outcome,
        scheduled,
        touchAt,
        delivered,
        completed,
        Number.NaN,
        Number.NaN,
        null,
        prompt,
        message,
        planned,
      );
      this.smsStatusTrail(touchAt, delivered, completed, outcome);
      if (status !== 'failed') {
        this.emitMessage(
          'sms',
          'outbound',
          org.phone,
          this.phone,
          null,
          this.threadSms,
          rng.hex(32, 'SM'),
          touchAt,
          template.tags,
          message,
        );
        this.afterTouch('sms', touchAt, null);
      }
      this.lastEvent = Math.max(this.lastEvent, completed);
      return completed;
    }
    if (step.channel === 'email') {
      const texts = this.bank.email.get(template.bankKey)!;
      const text = rng.pick(texts);
      const subject = render(text.subject, this.vars);
      const body = render(text.body, this.vars);
      let status = 'completed';
      let outcome = 'delivered';
      let delivered = Number.NaN;
      let completed: number;
      if (this.emailBounces) {
        status = 'failed';
        outcome = 'bounced';
        completed = touchAt + rng.between(2, 90) * SECOND;
      } else if (rng.chance(MODEL.emailNoReceiptShare)) {
        outcome = 'sent';
        completed = touchAt + rng.between(1, 5) * SECOND;
      } else {
        delivered = touchAt + rng.between(1, 30) * SECOND;
        completed = delivered;
      }
      this.emitActivity(
        step,
        attempt,
        variant,
        status,
        outcome,
        scheduled,
        touchAt,
        delivered,
        completed,
        Number.NaN,
        Number.NaN,
        null,
        prompt,
        `Subject: ${subject}\n\n${body}`,
        planned,
      );
      this.emailStatusTrail(delivered, completed, outcome);
      if (status !== 'failed') {
        this.emitMessage(
          'email',
          'outbound',
          org.agentEmail,
          this.email,
          subject,
          this.threadEmail,
          rng.hex(24, '<') + org.messageIdSuffix,
          touchAt,
          template.tags,
          body,
        );
        this.afterTouch('email', touchAt, subject);
      }
      this.lastEvent = Math.max(this.lastEvent, completed);
      return completed;
    }
    // Voice.
    this.hadVoice = true;
    let outcome: 'connected' | 'voicemail' | 'no_answer';
    if (this.unreachable) {
      outcome = 'voicemail';
    } else {
      const p = this.bookingAt < Number.POSITIVE_INFINITY ? MODEL.connectIfBooked : MODEL.connectIfNotBooked;
      outcome = rng.chance(p)
        ? 'connected'
        : rng.chance(MODEL.noAnswerShare / (1 - p))
          ? 'no_answer'
          : 'voicemail';
    }
    let duration = Number.NaN;
    let reason: string;
    let message: string | null = null;
    let completed: number;
    if (outcome === 'connected') {
      const median = this.bookingAt < Number.POSITIVE_INFINITY ? 240 : 140;
      duration = Math.min(Math.max(Math.round(rng.lognormal(median, 0.6)), 20), 3600);
      reason = rng.pick(['customer_hangup', 'customer_hangup', 'agent_hangup', 'agent_hangup', 'completed']);
      message = render(rng.pick(this.bank.callConnected), this.vars);
      completed = touchAt + duration * SECOND;
      this.stepConnected = true;
      this.allVoicemail = false;
    } else if (outcome === 'voicemail') {
      duration = rng.between(15, 40);
      reason = 'voicemail';
      message = render(rng.pick(this.bank.voicemail), this.vars);
      completed = touchAt + duration * SECOND;
    } else {
      reason = 'no_answer';
      completed = touchAt + rng.between(25, 45) * SECOND;
      this.allVoicemail = false;
    }
    this.emitActivity(
      step,
      attempt,
      variant,
      'completed',
      outcome,
      scheduled,
      Number.NaN,
      Number.NaN,
      completed,
      touchAt,
      duration,
      reason,
      prompt,
      message,
      planned,
    );
    this.callStatusTrail(touchAt, completed, outcome);
    this.emitMessage(
      'voice',
      'outbound',
      org.phone,
      this.phone,
      null,
      this.threadCall,
      rng.hex(32, 'CA'),
      touchAt,
      CALL_TAGS[outcome],
      message ?? 'Outbound call: no answer',
    );
    this.lastEvent = Math.max(this.lastEvent, completed);
    return completed;
  }

  /** After a delivered text or email: the planned reply, if this is its touch. */
  private afterTouch(channel: 'sms' | 'email', sentAt: number, subject: string | null): void {
    this.touchCount++;
    if (this.replyTouchNo === 0 || this.touchCount !== this.replyTouchNo) return;
    const rng = this.rng;
    const booked = this.bookingAt < Number.POSITIVE_INFINITY;
    let at = sec(sentAt + rng.lognormal(booked ? 25 * MINUTE : 2 * HOUR, 1.2) + 30 * SECOND);
    if (at >= this.bookingAt) {
      if (this.bookingAt <= sentAt + 2 * MINUTE) return;
      at = sec(sentAt + (this.bookingAt - sentAt) * rng.uniform(0.2, 0.8));
    }
    if (at > this.asOf - 10 * MINUTE) return;
    const intent = this.replyIntent;
    this.vars.weekday = localWeekdayName(this.zone, at + 2 * DAY);
    const body = render(rng.pick(this.bank.replies[intent]), this.vars);
    const org = this.org;
    if (channel === 'sms') {
      this.emitMessage(
        'sms',
        'inbound',
        this.phone,
        org.phone,
        null,
        this.threadSms,
        rng.hex(32, 'SM'),
        at,
        REPLY_TAGS[intent],
        body,
      );
    } else {
      const domain = this.email.slice(this.email.indexOf('@') + 1);
      this.emitMessage(
        'email',
        'inbound',
        this.email,
        org.agentEmail,
        `Re: ${subject ?? ''}`,
        this.threadEmail,
        `<${rng.hex(24)}@${domain}>`,
        at,
        REPLY_TAGS[intent],
        body,
      );
    }
    this.replyAt = at;
    this.everReplied = true;
    this.lastEvent = Math.max(this.lastEvent, at);
    if (intent === 'stop' || intent === 'wrong_person') {
      this.cancelAt = at + rng.between(60, 300) * SECOND;
      if (intent === 'stop') this.optedOut = true;
      else this.wrongPerson = true;
      return;
    }
    if (intent === 'not_now') {
      if (rng.chance(0.4)) this.pauseAt = at + HOUR;
      return;
    }
    if (intent === 'price_objection') return;
    const replyAt = at + rng.between(60, 600) * SECOND;
    if (replyAt <= this.asOf - MINUTE && channel === 'sms') {
      const text = render(rng.pick(this.bank.agentReplies), this.vars);
      this.emitMessage(
        'sms',
        'outbound',
        org.phone,
        this.phone,
        null,
        this.threadSms,
        rng.hex(32, 'SM'),
        replyAt,
        'cory,conversation',
        text,
      );
    }
  }

  /**
   * Books, qualifies and converts per the model, writes bookings and outcome events, and
   * returns the enrollment's labels for the observed stats.
   */
  private outcomes(
    recorded: boolean,
    firstTouchAt: number,
  ): { booked: number; qualified: number; converted: number } {
    if (!recorded) return { booked: Number.NaN, qualified: Number.NaN, converted: Number.NaN };
    const rng = this.rng;
    const requested = this.bookingAt;
    // The call: 1–5 days later, on the hour or half hour between 9:00 and 17:00 local.
    const off = zoneOffset(this.zone, requested) * MINUTE;
    const localDay = Math.floor((requested + off) / DAY) + rng.between(1, 5);
    const scheduled = localDay * DAY + (9 + rng.int(16) / 2) * HOUR - off;
    const qualified = rng.next() < sigmoid(MODEL.qualifiedIntercept);
    const vmOnly = this.hadVoice && this.allVoicemail && this.replyAt === Number.POSITIVE_INFINITY;
    const isReferral = this.leadSource === MODEL.betterLeadSource;
    let qualifiedAt = Number.NaN;
    let convertedAt = Number.NaN;
    let bookingStatus: string;
    const callHappened = scheduled <= this.asOf;
    if (qualified) {
      qualifiedAt = sec(scheduled + rng.between(30, MODEL.qualifyLagMaxMs / MINUTE) * MINUTE);
      bookingStatus = callHappened ? 'completed' : rng.chance(0.6) ? 'confirmed' : 'booked';
      const logOdds =
        MODEL.convertedIntercept +
        (vmOnly ? MODEL.voicemailOnlyLogOdds : 0) +
        (isReferral ? MODEL.betterLeadSourceLogOdds : 0);
      if (rng.next() < sigmoid(logOdds)) {
        convertedAt = sec(qualifiedAt + rng.lognormal(MODEL.convertDelayMedianMs, MODEL.convertDelaySigma));
      }
    } else {
      const u = rng.next();
      const split = MODEL.notQualifiedSplit;
      if (!callHappened) bookingStatus = rng.chance(0.6) ? 'confirmed' : 'booked';
      else if (u < split.noShow) bookingStatus = 'no_show';
      else if (u < split.noShow + split.cancelled) bookingStatus = 'cancelled';
      else {
        bookingStatus = 'completed';
        const dqAt = sec(scheduled + rng.between(30, MODEL.qualifyLagMaxMs / MINUTE) * MINUTE);
        if (dqAt <= this.asOf - MINUTE) {
          this.emitEvent('disqualified', dqAt, null);
          this.everDisqualified = true;
        }
      }
    }
    this.emitBooking(bookingStatus, requested, scheduled);
    this.everBooked = true;
    this.lastEvent = Math.max(this.lastEvent, requested);
    if (!Number.isNaN(qualifiedAt) && qualifiedAt <= this.asOf - MINUTE) {
      this.emitEvent('qualified', qualifiedAt, null);
      this.everQualified = true;
    } else {
      qualifiedAt = Number.NaN;
      convertedAt = Number.NaN;
    }
    if (!Number.isNaN(convertedAt) && convertedAt <= this.asOf - MINUTE) {
      const amount = Math.round(rng.lognormal(this.org.profile.dealMedian, 0.5) * 100) / 100;
      this.emitEvent('converted', convertedAt, amount);
      this.everConverted = true;
    } else {
      convertedAt = Number.NaN;
    }
    return {
      booked: requested - firstTouchAt,
      qualified: qualifiedAt - firstTouchAt,
      converted: convertedAt - firstTouchAt,
    };
  }

  /** Whether step `i` of `campaign` carries one of the no-effect control A/B tests. */
  private isControlStep(campaign: CampaignDef, i: number): boolean {
    const plan = this.catalog.plan;
    return (
      (campaign === plan.controlFollowUp.campaign && i === plan.controlFollowUp.step.index) ||
      (campaign === plan.controlSubject.campaign && i === plan.controlSubject.step.index)
    );
  }

  /**
   * The arm of a lead reaching a control step at `t`: the arm with fewer leads of the
   * lead's outcome stratum so far (ties: a draw from the control stream, so no other row
   * changes). The stratum is what the truth file and the labels count: booked within
   * 7 days of the first touch, among enrollments whose windows elapse.
   */
  private controlArm(step: StepDef, t: number, firstTouchAt: number): number {
    const first = Number.isNaN(firstTouchAt) ? t : firstTouchAt;
    const eligible = !this.isTest && first <= this.completeThrough;
    const bookedByAsOf = this.bookingAt <= this.asOf - MINUTE && first <= this.asOf - HOUR;
    const booked7d = bookedByAsOf && this.bookingAt - first <= LABEL_WINDOWS.call_booked * DAY;
    const key = `${step.id}:${eligible ? (booked7d ? 'booked' : 'not_booked') : 'ineligible'}`;
    const counts = this.controlArms.get(key) ?? this.controlArms.set(key, [0, 0]).get(key)!;
    const arm =
      counts[0] === counts[1]
        ? this.controlRng.reseed(this.options.seed, STREAM_CONTROL_ARM, this.enrollmentId).next() < 0.5
          ? 0
          : 1
        : counts[0] < counts[1]
          ? 0
          : 1;
    counts[arm]++;
    return arm;
  }

  /** Adds an eligible enrollment's labels to the arms it belongs to. */
  private observe(
    campaign: CampaignDef,
    band: number,
    treated: boolean,
    firstTouchAt: number,
    labels: { booked: number; qualified: number; converted: number },
  ): void {
    if (this.isTest || Number.isNaN(firstTouchAt) || firstTouchAt > this.completeThrough) return;
    const add = (a: ArmStats) => {
      a.enrollments++;
      if (!Number.isNaN(labels.booked)) {
        a.call_booked_ever++;
        if (labels.booked <= LABEL_WINDOWS.call_booked * DAY) a.call_booked_7d++;
      }
      if (!Number.isNaN(labels.qualified)) {
        a.qualified_ever++;
        if (labels.qualified <= LABEL_WINDOWS.qualified * DAY) a.qualified_14d++;
      }
      if (!Number.isNaN(labels.converted)) {
        a.converted_ever++;
        if (labels.converted <= LABEL_WINDOWS.converted * DAY) a.converted_30d++;
      }
    };
    const o = this.observed;
    const plan = this.catalog.plan;
    add(o.all);
    add(o.speed[band]!);
    add(o.source[this.leadSource === MODEL.betterLeadSource ? 1 : 0]);
    if (this.hadVoice)
      add(o.voicemail[this.allVoicemail && this.replyAt === Number.POSITIVE_INFINITY ? 1 : 0]);
    if (campaign === plan.slot.campaign) {
      if (this.stepReached[plan.slot.step.index]) add(o.slot[treated ? 1 : 0]);
      const s = plan.controlFollowUp.step.index;
      if (this.stepReached[s]) add(o.controlFollowUp[this.variantChoice[s]!]!);
    }
    if (campaign === plan.controlSubject.campaign) {
      const s = plan.controlSubject.step.index;
      if (this.stepReached[s]) add(o.controlSubject[this.variantChoice[s]!]!);
    }
    if (campaign === plan.order.smsFirst) add(o.order[0]);
    if (campaign === plan.order.callFirst) add(o.order[1]);
    if (campaign === plan.cadence.fast) add(o.cadence[0]);
    if (campaign === plan.cadence.slow) add(o.cadence[1]);
  }

  // ---- Provider status callbacks (their own PRNG stream; no other row depends on them) ---

  /** SMS provider callbacks: sent, then delivered (and sometimes read) or failed. */
  private smsStatusTrail(touchAt: number, delivered: number, completed: number, outcome: string): void {
    const s = this.statusRng;
    if (outcome === 'undelivered') {
      this.emitStatus('sms_sent', touchAt + s.between(1, 3) * SECOND, 'sms_provider');
      this.emitStatus('sms_failed', completed, 'sms_provider');
      return;
    }
    this.emitStatus('sms_sent', touchAt + s.between(0, 2) * SECOND, 'sms_provider');
    if (Number.isNaN(delivered)) return;
    this.emitStatus('sms_delivered', delivered, 'sms_provider');
    if (s.chance(0.4))
      this.emitStatus('sms_read', sec(delivered + s.lognormal(8 * MINUTE, 1.5)), 'sms_provider');
  }

  /** Email provider webhooks: delivered, opened (often more than once), clicked; or bounced. */
  private emailStatusTrail(delivered: number, completed: number, outcome: string): void {
    const s = this.statusRng;
    if (outcome === 'bounced') {
      this.emitStatus('email_bounced', completed, 'email_provider');
      return;
    }
    if (Number.isNaN(delivered)) return;
    this.emitStatus('email_delivered', delivered, 'email_provider');
    if (!s.chance(0.5)) return;
    let at = sec(delivered + s.lognormal(2 * HOUR, 1.3));
    this.emitStatus('email_opened', at, 'email_provider');
    for (let more = s.int(3); more > 0; more--) {
      at = sec(at + s.lognormal(6 * HOUR, 1.2));
      this.emitStatus('email_opened', at, 'email_provider');
    }
    if (s.chance(0.15))
      this.emitStatus('email_clicked', sec(at + s.between(5, 300) * SECOND), 'email_provider');
  }

  /** Voice provider callbacks: ringing, answered by a person or a machine or not at all, completed. */
  private callStatusTrail(touchAt: number, completed: number, outcome: string): void {
    const s = this.statusRng;
    this.emitStatus('call_ringing', touchAt - s.between(1, 4) * SECOND, 'voice_provider');
    if (outcome === 'connected') {
      this.emitStatus('call_answered', touchAt, 'voice_provider');
    } else if (outcome === 'voicemail') {
      this.emitStatus('call_answered', touchAt, 'voice_provider');
      this.emitStatus('call_machine_detected', touchAt + s.between(2, 6) * SECOND, 'voice_provider');
    } else {
      this.emitStatus('call_no_answer', completed, 'voice_provider');
    }
    this.emitStatus('call_completed', completed, 'voice_provider');
  }

  /** One status callback row, unless it would land after the as-of time. */
  private emitStatus(type: string, at: number, source: string): void {
    if (at > this.asOf - MINUTE) return;
    const row = this.buffers.statusEvents.add();
    row[0] = this.nextStatusEventId++;
    row[1] = this.org.id;
    row[2] = this.contactId;
    row[3] = this.enrollmentId;
    row[4] = type;
    row[5] = isoUtc(at);
    row[6] = isoUtc(Math.min(at + this.statusRng.between(1, 20) * SECOND, this.asOf));
    row[8] = source;
  }

  // ---- Row writers (mess is added here) -------------------------------------------------

  private emitPlanned(
    step: StepDef,
    attempt: number,
    variant: VariantDef | null,
    at: number,
    planned: number,
  ): void {
    this.emitActivity(
      step,
      attempt,
      variant,
      'planned',
      null,
      at,
      Number.NaN,
      Number.NaN,
      Number.NaN,
      Number.NaN,
      Number.NaN,
      null,
      null,
      null,
      planned,
    );
  }

  private emitActivity(
    step: StepDef,
    attempt: number,
    variant: VariantDef | null,
    status: string,
    outcome: string | null,
    scheduled: number,
    sent: number,
    delivered: number,
    completed: number,
    callStarted: number,
    duration: number,
    reason: string | null,
    prompt: string | null,
    message: string | null,
    planned: number,
  ): void {
    const rng = this.rng;
    const asOf = this.asOf;
    const buf = this.buffers.activities;
    const row = buf.add();
    const event = !Number.isNaN(sent) ? sent : !Number.isNaN(callStarted) ? callStarted : scheduled;
    let created = Math.min(planned, scheduled);
    let updated = status === 'planned' ? created : Math.min(completed + rng.between(1, 30) * SECOND, asOf);
    let shift = 0;
    let kind = 0;
    if (status !== 'planned') {
      const u = rng.next();
      if (u < R.duplicateActivity) kind = updated + 31 * MINUTE <= asOf ? 1 : 0;
      else if (u < R.duplicateActivity + R.lateActivity) kind = 2;
      else if (u < R.duplicateActivity + R.lateActivity + R.activityBeforeEnrollment) kind = 3;
      else if (u < R.duplicateActivity + R.lateActivity + R.activityBeforeEnrollment + R.futureActivity)
        kind = 4;
    }
    if (kind === 2) {
      created = Math.min(sec(event + rng.uniform(1.5, 5) * DAY), asOf - MINUTE);
      updated = created;
      if (created - event > DAY) bump(this.mess.late_arriving, T_ACT);
    } else if (kind === 3) {
      shift = -sec(scheduled - this.enrollmentCreated + rng.uniform(1, 48) * HOUR);
      this.mess.activities_before_enrollment++;
    } else if (kind === 4) {
      shift = sec(asOf - created + rng.uniform(30, 400) * DAY);
      bump(this.mess.future_timestamps, T_ACT);
    }
    const sh = (x: number): SqlValue => (Number.isNaN(x) ? null : isoUtc(x + shift));
    // A duplicate repeats the row's mess, so every count covers both copies.
    const copies = kind === 1 ? 2 : 1;
    let channel: string = step.channel;
    if (rng.chance(R.messyActivityChannel)) {
      channel = rng.pick(messyChannels(step.channel));
      bump(this.mess.non_canonical_categories, K_ACT_CHANNEL, copies);
    }
    let dur: SqlValue = Number.isNaN(duration) ? null : duration;
    if (outcome === 'connected') {
      const u = rng.next();
      if (u < R.negativeDuration) {
        dur = -duration;
        this.mess.negative_call_durations += copies;
      } else if (u < R.negativeDuration + R.overlongCall) {
        dur = 86_400 + rng.between(600, 250_000);
        this.mess.calls_over_one_day += copies;
      }
    }
    let endReason: SqlValue = reason;
    if (reason !== null && rng.chance(R.endCallReasonPlaceholder)) {
      endReason = rng.pick(PLACEHOLDERS);
      bump(this.mess.placeholders, K_ACT_END_CALL_REASON, copies);
    }
    let completedText = sh(completed);
    if (status === 'completed' && rng.chance(R.missingCompletedAt)) {
      completedText = null;
      bump(this.mess.missing_values, K_ACT_COMPLETED_AT, copies);
    }
    row[0] = this.nextActivityId++;
    row[1] = this.org.id;
    row[2] = this.enrollmentId;
    row[3] = this.campaign.id;
    row[4] = step.id;
    row[5] = attempt;
    row[6] = channel;
    row[7] = status;
    row[8] = outcome;
    row[9] = sh(scheduled);
    row[10] = sh(sent);
    row[11] = sh(delivered);
    row[12] = completedText;
    row[13] = sh(callStarted);
    row[14] = dur;
    row[15] = endReason;
    row[16] = prompt;
    row[17] = message;
    row[18] = sh(created);
    row[19] = variant === null ? null : variant.id;
    row[20] = sh(updated);
    if (kind === 1) {
      const copy = buf.add();
      for (let c = 0; c < row.length; c++) copy[c] = row[c]!;
      const again = sec(updated + rng.between(60, 30 * 60) * SECOND);
      copy[0] = this.nextActivityId++;
      copy[18] = isoUtc(again);
      copy[20] = isoUtc(again);
      this.mess.duplicate_activities++;
    }
  }

  private emitMessage(
    channel: 'sms' | 'email' | 'voice',
    direction: 'inbound' | 'outbound',
    sender: string,
    recipient: string,
    subject: string | null,
    thread: string,
    messageId: string,
    at: number,
    tags: string,
    body: string,
  ): void {
    const rng = this.rng;
    const asOf = this.asOf;
    const buf = this.buffers.messages;
    const row = buf.add();
    const u = rng.next();
    let shift = 0;
    let dup = false;
    let created = Math.min(at + rng.between(1, 30) * SECOND, asOf);
    if (u < R.duplicateMessage) dup = created + 3 * MINUTE <= asOf;
    else if (u < R.duplicateMessage + R.futureMessage) {
      shift = sec(asOf - at + rng.uniform(30, 400) * DAY);
      created = at + shift + rng.between(1, 30) * SECOND;
      bump(this.mess.future_timestamps, T_MSG);
    }
    const when = at + shift;
    const form = rng.next();
    let stamp: string;
    const forms = this.mess.message_timestamp_forms;
    if (form < R.timestampZ) {
      stamp = isoUtc(when);
      forms.utc_z += dup ? 2 : 1;
    } else if (form < R.timestampZ + R.timestampOffset) {
      stamp = isoWithOffset(when, zoneOffset(this.zone, when));
      forms.local_offset += dup ? 2 : 1;
    } else {
      stamp = naiveUtc(when);
      forms.naive_utc += dup ? 2 : 1;
    }
    let channelText: string = channel;
    if (rng.chance(R.messyMessageChannel)) {
      channelText = rng.pick(messyChannels(channel));
      bump(this.mess.non_canonical_categories, K_MSG_CHANNEL, dup ? 2 : 1);
    }
    row[0] = this.ghl;
    row[1] = channelText;
    row[2] = direction;
    row[3] = sender;
    row[4] = recipient;
    row[5] = subject;
    row[6] = thread;
    row[7] = messageId;
    row[8] = stamp;
    row[9] = isoUtc(created);
    row[10] = tags;
    row[11] = body;
    if (dup) {
      const copy = buf.add();
      for (let c = 0; c < row.length; c++) copy[c] = row[c]!;
      copy[9] = isoUtc(created + rng.between(5, 120) * SECOND);
      this.mess.duplicate_messages++;
    }
  }

  private emitBooking(status: string, requested: number, scheduled: number): void {
    const row = this.buffers.bookings.add();
    row[0] = this.nextBookingId++;
    row[1] = this.org.id;
    row[2] = this.contactId;
    row[3] = this.ghl;
    row[4] = status;
    row[5] = ts(requested);
    row[6] = ts(scheduled);
    row[7] = ts(Math.min(requested + this.rng.between(1, 60) * SECOND, this.asOf));
    if (this.rng.chance(R.missingBookingEnrollment)) {
      bump(this.mess.missing_values, K_BOOKINGS_ENROLLMENT_ID);
    } else {
      row[8] = this.enrollmentId;
    }
  }

  private emitEvent(
    type: 'qualified' | 'disqualified' | 'converted',
    at: number,
    amount: number | null,
  ): void {
    const rng = this.rng;
    const row = this.buffers.events.add();
    let created = at + rng.between(5, 600) * SECOND;
    let source = rng.pick(['crm_pipeline', 'sales_rep']);
    if (rng.chance(R.lateOutcomeEvent)) {
      created = sec(at + rng.uniform(1.5, 10) * DAY);
      source = 'nightly_sync';
    }
    created = Math.min(created, this.asOf);
    if (created - at > DAY) bump(this.mess.late_arriving, T_EVENTS);
    row[0] = this.nextEventId++;
    row[1] = this.org.id;
    row[2] = this.contactId;
    row[3] = this.enrollmentId;
    row[4] = type;
    row[5] = ts(at);
    row[6] = ts(created);
    row[7] = amount;
    row[8] = source;
    this.lastEvent = Math.max(this.lastEvent, at);
  }

  private emitEnrollment(
    campaign: CampaignDef,
    current: StepDef,
    status: Status,
    started: number,
    ended: number,
    created: number,
  ): void {
    const row = this.buffers.enrollments.add();
    row[0] = this.enrollmentId;
    row[1] = this.org.id;
    row[2] = this.contactId;
    row[3] = campaign.id;
    row[4] = current.id;
    row[5] = status;
    row[6] = ts(started);
    row[7] = ts(ended);
    row[8] = ts(created);
    row[9] = ts(Math.min(Math.max(this.lastEvent, created), this.asOf));
    this.contactUpdated = Math.max(this.contactUpdated, Math.min(this.lastEvent, this.asOf));
  }

  private emitContact(first: string, last: string, sourceDetail: string): void {
    const rng = this.rng;
    const m = this.mess;
    const row = this.buffers.contacts.add();
    row[0] = this.contactId;
    row[1] = this.org.id;
    row[2] = first;
    row[3] = last;
    row[4] = `${first} ${last}`;
    row[5] = this.email;
    row[6] = this.phone;
    row[7] = this.ghl;
    row[8] = this.leadSource;
    row[9] = sourceDetail;
    row[10] = this.everConverted
      ? 'customer'
      : this.everQualified
        ? 'qualified'
        : this.everDisqualified || this.wrongPerson
          ? 'disqualified'
          : this.optedOut
            ? 'unsubscribed'
            : this.everBooked
              ? 'booked'
              : this.everReplied
                ? 'engaged'
                : this.everTouched
                  ? 'contacted'
                  : 'new';
    row[11] = this.zone.name;
    row[12] = this.region.code;
    row[13] = ts(this.contactCreated);
    row[14] = ts(Math.max(this.contactUpdated, this.contactCreated));
    if (this.isTest) {
      m.test_contacts.count++;
      m.test_contacts.contact_ids.push(String(this.contactId));
      return;
    }
    if (rng.chance(R.missingEmail)) {
      row[5] = null;
      bump(m.missing_values, K_CONTACTS_EMAIL);
    }
    if (rng.chance(R.missingPhone)) {
      row[6] = null;
      bump(m.missing_values, K_CONTACTS_PHONE);
    }
    const sourceDraw = rng.next();
    if (sourceDraw < R.missingLeadSource) {
      row[8] = null;
      bump(m.missing_values, K_CONTACTS_LEAD_SOURCE);
    } else if (sourceDraw < R.missingLeadSource + R.placeholderLeadSource) {
      row[8] = rng.pick(PLACEHOLDERS);
      bump(m.placeholders, K_CONTACTS_LEAD_SOURCE);
    } else if (sourceDraw < R.missingLeadSource + R.placeholderLeadSource + R.messyLeadSource) {
      row[8] = messyLeadSource(this.leadSource, rng.int(3));
      bump(m.non_canonical_categories, K_CONTACTS_LEAD_SOURCE);
    }
    if (rng.chance(R.placeholderQualificationStatus)) {
      row[10] = rng.pick(PLACEHOLDERS);
      bump(m.placeholders, K_CONTACTS_QUALIFICATION_STATUS);
    }
    if (rng.chance(R.missingTimezone)) {
      row[11] = null;
      bump(m.missing_values, K_CONTACTS_TIMEZONE);
    }
    const u = rng.next();
    if (u < R.missingRegion) {
      row[12] = null;
      bump(m.missing_values, K_CONTACTS_REGION);
    } else if (u < R.missingRegion + R.placeholderRegion) {
      row[12] = rng.pick(PLACEHOLDERS);
      bump(m.placeholders, K_CONTACTS_REGION);
    }
  }
}
