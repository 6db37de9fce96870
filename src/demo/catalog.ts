// The demo's static design: organizations, their campaigns, steps, A/B variants and prompt
// templates. Four campaign blueprints carry the planted campaign-level effects (the
// concrete-slots variant, the step-order pair, the wait pair, two superficial control
// pairs); random filler campaigns make each organization look like a real account.

import { messyChannels } from './messiness.js';
import { MODEL } from './model.js';
import { Rng } from './rng.js';
import {
  bankKey,
  type Compiled,
  compile,
  KINDS,
  promptText,
  type StepKind,
  type Style,
  type TextBank,
} from './text.js';
import { DAY, HOUR, MINUTE } from './time.js';
import { ORG_PROFILES, type OrgProfile, REGIONS } from './words.js';

export type Channel = 'sms' | 'email' | 'voice';

export interface TemplateDef {
  readonly id: number;
  readonly orgId: number;
  readonly name: string;
  readonly channel: Channel;
  readonly purpose: string;
  readonly kind: StepKind;
  readonly style: Style;
  readonly text: string;
  readonly compiled: Compiled;
  /** Key of the messages written from this template in the text bank. */
  readonly bankKey: string;
  /** conversation_tags of the messages sent from this template. */
  readonly tags: string;
}

export interface VariantDef {
  readonly id: number;
  readonly orgId: number;
  readonly stepId: number;
  readonly key: string;
  readonly isControl: boolean;
  readonly weight: number;
  readonly template: TemplateDef;
  readonly createdAt: number;
}

export type BranchCondition = 'connected' | 'replied';

export interface StepDef {
  readonly id: number;
  readonly campaignId: number;
  readonly orgId: number;
  /** Position in the campaign's steps array (order_id − 1). */
  readonly index: number;
  readonly kind: StepKind;
  readonly channel: Channel;
  /** The channel as written in campaign_steps (sometimes 'SMS' or ' Email': messiness). */
  readonly channelText: string;
  readonly waitMs: number;
  readonly label: string;
  readonly metadata: string;
  readonly goalPrompt: string;
  readonly template: TemplateDef;
  readonly variants: readonly VariantDef[];
  readonly decision: {
    readonly condition: BranchCondition;
    readonly ifTrue: number;
    readonly ifFalse: number;
  } | null;
  /** Index of the next step when this is not a decision point; null ends the campaign. */
  readonly next: number | null;
  readonly maxAttempts: number;
}

/** What a campaign is for in the demo's design. */
export type CampaignRole =
  | 'slot_test'
  | 'order_sms_first'
  | 'order_call_first'
  | 'cadence_fast'
  | 'cadence_slow'
  | 'reactivation'
  | 'filler';

export interface CampaignDef {
  readonly id: number;
  readonly orgId: number;
  readonly name: string;
  readonly description: string;
  readonly type: string;
  readonly goalPrompt: string;
  readonly createdAt: number;
  readonly role: CampaignRole;
  readonly steps: readonly StepDef[];
  /** Planted log-odds on call_booked of every enrollment in this campaign. */
  readonly bookedLogOdds: number;
}

/** A way new leads enter an organization: one campaign, or siblings assigned at random. */
export interface EntryGroup {
  readonly weight: number;
  readonly campaigns: readonly CampaignDef[];
  /** Contacts entering here were created this many days before enrollment (dormant leads). */
  readonly dormantDays: readonly [number, number] | null;
}

export interface OrgDef {
  readonly id: number;
  readonly profile: OrgProfile;
  readonly phone: string;
  readonly bookingLink: string;
  /** The agent's sender address, and the suffix of its email message ids. */
  readonly agentEmail: string;
  readonly messageIdSuffix: string;
  readonly weight: number;
  readonly campaigns: readonly CampaignDef[];
  readonly entry: readonly EntryGroup[];
  /** Campaigns a lead may be switched into after finishing another without booking. */
  readonly switchTargets: readonly CampaignDef[];
}

/** The campaigns, steps and variants that carry the planted campaign-level effects. */
export interface EffectPlan {
  readonly slot: {
    readonly campaign: CampaignDef;
    readonly step: StepDef;
    readonly control: VariantDef;
    readonly treatment: VariantDef;
  };
  readonly controlFollowUp: {
    readonly campaign: CampaignDef;
    readonly step: StepDef;
    readonly a: VariantDef;
    readonly b: VariantDef;
  };
  readonly controlSubject: {
    readonly campaign: CampaignDef;
    readonly step: StepDef;
    readonly a: VariantDef;
    readonly b: VariantDef;
  };
  readonly order: { readonly smsFirst: CampaignDef; readonly callFirst: CampaignDef };
  readonly cadence: {
    readonly fast: CampaignDef;
    readonly slow: CampaignDef;
    readonly fastStep: StepDef;
    readonly slowStep: StepDef;
  };
}

export interface Catalog {
  readonly orgs: readonly OrgDef[];
  readonly templates: readonly TemplateDef[];
  readonly campaigns: readonly CampaignDef[];
  readonly steps: readonly StepDef[];
  readonly variants: readonly VariantDef[];
  readonly plan: EffectPlan;
  /** campaign_steps rows whose channel text is not canonical (messiness). */
  readonly nonCanonicalStepChannels: number;
}

/** First ids of each table: distinct ranges so a join on the wrong id finds nothing. */
export const ID_BASE = {
  template: 101,
  campaign: 1001,
  step: 2001,
  variant: 3001,
  contact: 10_000_001,
  enrollment: 30_000_001,
  booking: 50_000_001,
  outcomeEvent: 70_000_001,
  activity: 100_000_001,
  /** Status callbacks in lead_outcome_events: far above the outcome events' range. */
  statusEvent: 500_000_001,
} as const;

interface StepSpec {
  readonly kind: StepKind;
  readonly waitMs: number;
  readonly variants?: readonly [Style, Style];
  readonly style?: Style;
  readonly decision?: {
    readonly condition: BranchCondition;
    readonly ifTrue: number;
    readonly ifFalse: number;
  };
  readonly end?: boolean;
  readonly label?: string;
  readonly abTest?: string;
}

const CAMPAIGN_TYPES_FILLER = [
  'nurture',
  'event_follow_up',
  'quote_follow_up',
  'referral_follow_up',
] as const;

/** Builds the catalog for `orgs` organizations; deterministic in `seed`. */
export function buildCatalog(seed: number, orgCount: number, startMs: number, bank: TextBank): Catalog {
  const rng = new Rng(seed, 0x0ca7a106);
  const templates: TemplateDef[] = [];
  const campaigns: CampaignDef[] = [];
  const steps: StepDef[] = [];
  const variants: VariantDef[] = [];
  let nextTemplate: number = ID_BASE.template;
  let nextCampaign: number = ID_BASE.campaign;
  let nextStep: number = ID_BASE.step;
  let nextVariant: number = ID_BASE.variant;
  let nonCanonicalStepChannels = 0;

  const orgs: OrgDef[] = [];
  const templateCache = new Map<string, TemplateDef>();

  const template = (orgId: number, profile: OrgProfile, kind: StepKind, style: Style): TemplateDef => {
    const key = `${orgId}:${kind}:${style}`;
    const cached = templateCache.get(key);
    if (cached) return cached;
    const info = KINDS[kind];
    const text = promptText(kind, style);
    const t: TemplateDef = {
      id: nextTemplate++,
      orgId,
      name: `${info.label} (${style === 'default' ? 'v1' : style.replace('_', ' ')}) · ${profile.name}`,
      channel: info.channel,
      purpose: info.purpose,
      kind,
      style,
      text,
      compiled: compile(text),
      bankKey: bankKey(bank, kind, style),
      tags: `cory,campaign,${info.purpose}`,
    };
    templateCache.set(key, t);
    templates.push(t);
    return t;
  };

  const campaign = (
    org: { id: number; profile: OrgProfile },
    role: CampaignRole,
    name: string,
    type: string,
    specs: readonly StepSpec[],
    bookedLogOdds: number,
  ): CampaignDef => {
    const id = nextCampaign++;
    const createdAt = startMs - rng.between(30, 240) * DAY - rng.int(DAY);
    const stepIds = specs.map(() => nextStep++);
    const built: StepDef[] = specs.map((s, index) => {
      const info = KINDS[s.kind];
      const stepId = stepIds[index]!;
      const base = template(org.id, org.profile, s.kind, s.style ?? s.variants?.[0] ?? 'default');
      const vs: VariantDef[] = (s.variants ?? []).map((style, vi) => {
        const v: VariantDef = {
          id: nextVariant++,
          orgId: org.id,
          stepId,
          key: vi === 0 ? 'A' : 'B',
          isControl: vi === 0,
          weight: 0.5,
          template: template(org.id, org.profile, s.kind, style),
          createdAt: startMs - rng.between(5, 20) * DAY - rng.int(DAY),
        };
        variants.push(v);
        return v;
      });
      let channelText: string = info.channel;
      if (rng.chance(0.12)) {
        channelText = rng.pick(messyChannels(info.channel));
        nonCanonicalStepChannels++;
      }
      const maxAttempts = info.channel === 'voice' ? 2 : 1;
      const metadata: Record<string, unknown> = {
        max_attempts: maxAttempts,
        send_window: { start: '08:00', end: '20:00', timezone: 'contact' },
        tone: rng.pick(['friendly', 'professional', 'warm']),
      };
      if (s.abTest) metadata.ab_test = s.abTest;
      if (info.channel === 'voice') metadata.voicemail = 'leave_message';
      const step: StepDef = {
        id: stepId,
        campaignId: id,
        orgId: org.id,
        index,
        kind: s.kind,
        channel: info.channel,
        channelText,
        waitMs: s.waitMs,
        label: s.label ?? info.label,
        metadata: JSON.stringify(metadata),
        goalPrompt: stepGoal(s.kind, org.profile),
        template: base,
        variants: vs,
        decision: s.decision ?? null,
        next: s.decision || s.end || index === specs.length - 1 ? null : index + 1,
        maxAttempts,
      };
      steps.push(step);
      return step;
    });
    const c: CampaignDef = {
      id,
      orgId: org.id,
      name,
      description: campaignDescription(role, org.profile),
      type,
      goalPrompt: `Book a ${org.profile.callName} with every lead interested in ${org.profile.product}. Be helpful and brief, never pushy; stop when the lead opts out.`,
      createdAt,
      role,
      steps: built,
      bookedLogOdds,
    };
    campaigns.push(c);
    return c;
  };

  const profiles = shuffled(rng, ORG_PROFILES).slice(0, Math.min(orgCount, ORG_PROFILES.length));
  const orgFacts = Array.from({ length: orgCount }, (_, i) => {
    const base = profiles[i % profiles.length]!;
    const profile: OrgProfile =
      i < profiles.length
        ? base
        : {
            ...base,
            name: `${base.name} ${romanSuffix(i)}`,
            domain: `${romanSuffix(i).toLowerCase()}.${base.domain}`,
          };
    return { id: i + 1, profile };
  });
  const orgCampaigns: CampaignDef[][] = orgFacts.map(() => []);
  const orgEntry: EntryGroup[][] = orgFacts.map(() => []);

  // The blueprints, placed round-robin over the organizations.
  const at = (k: number) => ({
    org: orgFacts[k % orgCount]!,
    list: orgCampaigns[k % orgCount]!,
    entry: orgEntry[k % orgCount]!,
  });

  const s0 = at(0);
  const slot = campaign(
    s0.org,
    'slot_test',
    'Speed to Lead: Web Leads',
    'speed_to_lead',
    [
      {
        kind: 'first_touch_sms',
        waitMs: 0,
        variants: ['open_question', 'two_slots'],
        abTest: 'first_touch_slots_v1',
      },
      { kind: 'call', waitMs: 2 * HOUR, decision: { condition: 'connected', ifTrue: 5, ifFalse: 2 } },
      { kind: 'follow_up_sms', waitMs: 1 * DAY, variants: ['hi', 'hey'], abTest: 'follow_up_greeting_v1' },
      { kind: 'follow_up_email', waitMs: 2 * DAY },
      { kind: 'breakup_email', waitMs: 3 * DAY, end: true },
      { kind: 'recap_email', waitMs: 30 * MINUTE, end: true },
    ],
    0,
  );
  s0.list.push(slot);
  s0.entry.push({ weight: 1, campaigns: [slot], dormantDays: null });

  const s1 = at(1);
  const orderSpecs = (first: StepKind, second: StepKind): StepSpec[] => [
    { kind: first, waitMs: 0 },
    { kind: second, waitMs: 4 * HOUR },
    { kind: 'follow_up_email', waitMs: 1 * DAY },
    { kind: 'breakup_email', waitMs: 3 * DAY },
  ];
  const smsFirst = campaign(
    s1.org,
    'order_sms_first',
    'New Lead Nurture: Text First',
    'nurture',
    orderSpecs('first_touch_sms', 'call'),
    0,
  );
  const callFirst = campaign(
    s1.org,
    'order_call_first',
    'New Lead Nurture: Call First',
    'nurture',
    orderSpecs('call', 'first_touch_sms'),
    MODEL.callFirstLogOdds,
  );
  s1.list.push(smsFirst, callFirst);
  s1.entry.push({ weight: 1, campaigns: [smsFirst, callFirst], dormantDays: null });

  const s2 = at(2);
  const cadenceSpecs = (wait: number): StepSpec[] => [
    { kind: 'first_touch_email', waitMs: 0 },
    { kind: 'follow_up_sms', waitMs: 1 * DAY },
    {
      kind: 'call',
      waitMs: wait,
      label: wait > MODEL.longWaitThresholdMs ? 'Discovery call (after a pause)' : 'Discovery call',
    },
    { kind: 'breakup_email', waitMs: 2 * DAY },
  ];
  const fast = campaign(
    s2.org,
    'cadence_fast',
    'Webinar Follow-up: Quick Cadence',
    'event_follow_up',
    cadenceSpecs(MODEL.shortWaitMs),
    0,
  );
  const slow = campaign(
    s2.org,
    'cadence_slow',
    'Webinar Follow-up: Relaxed Cadence',
    'event_follow_up',
    cadenceSpecs(MODEL.longWaitMs),
    MODEL.longWaitLogOdds,
  );
  s2.list.push(fast, slow);
  s2.entry.push({ weight: 0.6, campaigns: [fast, slow], dormantDays: null });

  const s3 = at(3);
  const react = campaign(
    s3.org,
    'reactivation',
    'Reactivation: Dormant Leads',
    'reactivation',
    [
      {
        kind: 'reengage_email',
        waitMs: 0,
        variants: ['subject_plain', 'subject_emoji'],
        abTest: 'reengage_subject_v2',
      },
      { kind: 'nudge_sms', waitMs: 2 * DAY, decision: { condition: 'replied', ifTrue: 3, ifFalse: 2 } },
      { kind: 'breakup_email', waitMs: 4 * DAY, end: true },
      { kind: 'call', waitMs: 1 * HOUR, end: true },
    ],
    0,
  );
  s3.list.push(react);
  s3.entry.push({ weight: 0.35, campaigns: [react], dormantDays: [45, 400] });

  // Fillers: every organization gets 2–4 campaigns in all (more when it holds several blueprints).
  for (let i = 0; i < orgCount; i++) {
    const org = orgFacts[i]!;
    const list = orgCampaigns[i]!;
    const target = Math.max(
      rng.between(2, 4),
      list.length === 0 ? 2 : list.length + (rng.chance(0.5) ? 1 : 0),
    );
    let n = 1;
    while (list.length < target) {
      const type = rng.pick(CAMPAIGN_TYPES_FILLER);
      const c = campaign(org, 'filler', fillerName(type, n++), type, fillerSpecs(rng), 0);
      list.push(c);
      orgEntry[i]!.push({ weight: rng.uniform(0.25, 0.6), campaigns: [c], dormantDays: null });
    }
  }

  for (let i = 0; i < orgCount; i++) {
    const f = orgFacts[i]!;
    const region = rng.pick(REGIONS);
    const list = orgCampaigns[i]!;
    orgs.push({
      id: f.id,
      profile: f.profile,
      phone: `+1${rng.pick(region.areaCodes)}${rng.between(201, 989)}${String(rng.int(10000)).padStart(4, '0')}`,
      bookingLink: `https://book.${f.profile.domain}/cory/15min`,
      agentEmail: `cory@${f.profile.domain}`,
      messageIdSuffix: `@mail.${f.profile.domain}>`,
      weight: rng.uniform(0.7, 1.3),
      campaigns: list,
      entry: orgEntry[i]!,
      switchTargets: list.filter((c) => c.role === 'reactivation' || c.role === 'filler'),
    });
  }

  const plan: EffectPlan = {
    slot: {
      campaign: slot,
      step: slot.steps[0]!,
      control: slot.steps[0]!.variants[0]!,
      treatment: slot.steps[0]!.variants[1]!,
    },
    controlFollowUp: {
      campaign: slot,
      step: slot.steps[2]!,
      a: slot.steps[2]!.variants[0]!,
      b: slot.steps[2]!.variants[1]!,
    },
    controlSubject: {
      campaign: react,
      step: react.steps[0]!,
      a: react.steps[0]!.variants[0]!,
      b: react.steps[0]!.variants[1]!,
    },
    order: { smsFirst, callFirst },
    cadence: { fast, slow, fastStep: fast.steps[2]!, slowStep: slow.steps[2]! },
  };
  return { orgs, templates, campaigns, steps, variants, plan, nonCanonicalStepChannels };
}

function fillerSpecs(rng: Rng): StepSpec[] {
  const n = rng.between(3, 6);
  const specs: StepSpec[] = [{ kind: rng.chance(0.6) ? 'first_touch_sms' : 'first_touch_email', waitMs: 0 }];
  const middle: StepKind[] = ['call', 'follow_up_sms', 'follow_up_email'];
  const waits = [1 * HOUR, 4 * HOUR, 1 * DAY, 2 * DAY, 3 * DAY];
  while (specs.length < n - 1) specs.push({ kind: rng.pick(middle), waitMs: rng.pick(waits) });
  specs.push({ kind: 'breakup_email', waitMs: rng.pick(waits.slice(2)) });
  // Sometimes a connected call skips straight to the last step.
  const callAt = specs.findIndex((s, i) => s.kind === 'call' && i < n - 2);
  if (callAt >= 0 && rng.chance(0.5)) {
    specs[callAt] = {
      ...specs[callAt]!,
      decision: { condition: 'connected', ifTrue: n - 1, ifFalse: callAt + 1 },
    };
  }
  return specs;
}

function fillerName(type: string, n: number): string {
  const names: Record<string, string> = {
    nurture: 'Long-term Nurture',
    event_follow_up: 'Open House Follow-up',
    quote_follow_up: 'Quote Follow-up',
    referral_follow_up: 'Referral Thank-you',
  };
  return n === 1 ? (names[type] ?? type) : `${names[type] ?? type} ${n}`;
}

function stepGoal(kind: StepKind, p: OrgProfile): string {
  switch (kind) {
    case 'first_touch_sms':
    case 'first_touch_email':
      return `Make a warm first contact and move toward a ${p.callName}.`;
    case 'call':
      return `Reach the lead by phone, qualify interest in ${p.product}, and book a ${p.callName}.`;
    case 'follow_up_sms':
    case 'follow_up_email':
    case 'nudge_sms':
      return 'Re-engage a lead who has not replied; one clear ask.';
    case 'breakup_email':
      return 'Close the loop politely; leave the door open.';
    case 'recap_email':
      return `Confirm what was discussed and get the ${p.callName} on the calendar.`;
    case 'reengage_email':
      return `Revive an old lead's interest in ${p.product}.`;
  }
}

function campaignDescription(role: CampaignRole, p: OrgProfile): string {
  switch (role) {
    case 'slot_test':
      return `New web leads for ${p.product}: text within minutes, call, then follow up by text and email. A/B test on the first text.`;
    case 'order_sms_first':
      return 'New leads: text first, then call, then email. Sibling of the call-first campaign; leads are split at random.';
    case 'order_call_first':
      return 'New leads: call first, then text, then email. Sibling of the text-first campaign; leads are split at random.';
    case 'cadence_fast':
      return 'Webinar attendees: email, text, call the next day, then a last email.';
    case 'cadence_slow':
      return 'Webinar attendees: email, text, call after a pause of several days, then a last email.';
    case 'reactivation':
      return `Old leads who never booked: a fresh email about ${p.product}, a text nudge, then a call if they reply.`;
    case 'filler':
      return `Follow-up sequence for ${p.product} leads.`;
  }
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function romanSuffix(i: number): string {
  return `West${Math.floor(i / ORG_PROFILES.length) + 1}`;
}
