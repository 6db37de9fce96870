import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { promptEdits, readingGrade, textProfile } from './content.js';
import type { RecCampaign, RecData, RecStep, RecVariant, Reply, Touch } from './load.js';
import { recommendationsMarkdown } from './report.js';

/** mulberry32: a small seeded generator for the synthetic tables. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

interface Design {
  readonly campaign: string;
  readonly channels: readonly string[];
  readonly waits: readonly number[];
  readonly variants?: readonly { step: number; ids: readonly [string, string]; effect: number }[];
  readonly effect: number;
  /** Shift of the lead covariate of this campaign's leads (colder leads when negative). */
  readonly leadShift: number;
  readonly n: number;
}

/**
 * Synthetic RecData: lead covariate x ~ N(shift, 1); P(book) = σ(−1.6 + x + campaign effect
 * + variant effect); expected = σ(−1.6 + x) (the lead-only truth).
 */
function synthetic(designs: readonly Design[], seed = 7) {
  const rand = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
  const steps: RecStep[] = [];
  const variants: RecVariant[] = [];
  const campaigns = new Map<string, RecCampaign>();
  for (const d of designs) {
    const c: RecCampaign = { campaignId: d.campaign, orgId: '1', name: `C${d.campaign}`, steps: [] };
    d.channels.forEach((ch, i) => {
      const s: RecStep = {
        stepId: `${d.campaign}${i + 1}`,
        orgId: '1',
        campaignId: d.campaign,
        orderId: i + 1,
        channel: ch,
        waitBeforeMs: d.waits[i]!,
        label: `${ch} step`,
        promptText: null,
        isDecisionPoint: false,
        branchCondition: null,
        nextIfTrue: null,
        nextIfFalse: null,
      };
      steps.push(s);
      c.steps.push(s);
    });
    for (const v of d.variants ?? []) {
      for (const [k, id] of v.ids.entries()) {
        variants.push({
          variantId: id,
          orgId: '1',
          stepId: `${d.campaign}${v.step}`,
          key: k === 0 ? 'A' : 'B',
          isControl: k === 0,
          weight: 0.5,
          promptText: k === 0 ? 'Ask when they would like a call.' : 'Offer {slot_1} or {slot_2}.',
        });
      }
    }
    campaigns.set(`1\u0000${d.campaign}`, c);
  }
  const stepIndex = new Map(steps.map((s, i) => [`1\u0000${s.stepId}`, i] as const));
  const variantIndex = new Map(variants.map((v, i) => [`1\u0000${v.variantId}`, i] as const));
  const orgId: string[] = [];
  const enrollmentId: string[] = [];
  const campaignId: string[] = [];
  const decision: number[] = [];
  const y: number[] = [];
  const e: number[] = [];
  const touches: Touch[][] = [];
  let id = 1;
  for (const d of designs) {
    for (let i = 0; i < d.n; i++) {
      const x = d.leadShift + normal();
      let lo = -1.6 + x + d.effect;
      const t0 = 1_700_000_000_000 + id * 60_000;
      const list: Touch[] = [];
      d.channels.forEach((_ch, k) => {
        const v = (d.variants ?? []).find((vv) => vv.step === k + 1);
        let vi = -1;
        if (v) {
          const arm = rand() < 0.5 ? 0 : 1;
          vi = variantIndex.get(`1\u0000${v.ids[arm]}`)!;
          if (arm === 1) lo += v.effect;
        }
        list.push({
          step: stepIndex.get(`1\u0000${d.campaign}${k + 1}`)!,
          variant: vi,
          ts: t0 + k * 3_600_000,
        });
      });
      orgId.push('1');
      enrollmentId.push(String(id++));
      campaignId.push(d.campaign);
      decision.push(t0);
      y.push(rand() < sigmoid(lo) ? 1 : 0);
      e.push(sigmoid(-1.6 + x));
      touches.push(list);
    }
  }
  const n = y.length;
  const none = new Int8Array(n).fill(-1);
  const data: RecData = {
    campaigns,
    steps,
    stepIndex,
    variants,
    variantIndex,
    nRows: n,
    orgId,
    enrollmentId,
    campaignId,
    decisionTs: Float64Array.from(decision),
    labels: {
      booked_call_within_7d: Int8Array.from(y),
      qualified_within_14d: none,
      conversion_within_30d: none,
    },
    touches,
    replies: touches.map(() => []),
    variantTexts: variants.map((v) =>
      v.key === 'A'
        ? Array(50).fill(
            'Hi [first_name], thanks for reaching out about implants. When would be a good time for a free consultation with our team this week or next?',
          )
        : Array(50).fill('Hi [first_name]! Are you free Tue 2:00 PM or Wed 10:30 AM? Which one works?'),
    ),
    stepTexts: steps.map(() => []),
    asOf: 1_800_000_000_000,
  };
  const ex = Float64Array.from(e);
  return {
    data,
    expected: { booked_call_within_7d: ex, qualified_within_14d: ex, conversion_within_30d: ex },
    runScore: new Float64Array(n).fill(Number.NaN),
    runTest: new Uint8Array(n),
    runName: 'synthetic',
  };
}

const DAY = 86_400_000;
const designs: Design[] = [
  // A variant test with a planted effect on step 1 and a null pair on step 2.
  {
    campaign: '10',
    channels: ['sms', 'voice', 'sms'],
    waits: [0, 2 * 3_600_000, DAY],
    variants: [
      { step: 1, ids: ['101', '102'], effect: Math.log(1.8) },
      { step: 3, ids: ['103', '104'], effect: 0 },
    ],
    effect: 0,
    leadShift: 0,
    n: 5000,
  },
  // Sibling order pair: call first is worse.
  {
    campaign: '20',
    channels: ['sms', 'voice', 'email'],
    waits: [0, DAY, DAY],
    effect: 0,
    leadShift: 0,
    n: 3000,
  },
  {
    campaign: '21',
    channels: ['voice', 'sms', 'email'],
    waits: [0, DAY, DAY],
    effect: -0.45,
    leadShift: 0,
    n: 3000,
  },
  // Sibling wait pair with no effect, but the slow one gets colder leads.
  { campaign: '30', channels: ['email', 'voice'], waits: [0, DAY], effect: 0, leadShift: 0, n: 3000 },
  { campaign: '31', channels: ['email', 'voice'], waits: [0, 5 * DAY], effect: 0, leadShift: -0.6, n: 3000 },
];

describe('analyze', () => {
  const input = synthetic(designs);
  const a = analyze(input);
  const find = (kind: string, ids: string[]) =>
    a.comparisons.find(
      (c) =>
        c.kind === kind &&
        ids.every((i) =>
          [c.better.variant_id, c.worse.variant_id, c.better.campaign_id, c.worse.campaign_id].includes(i),
        ),
    )!;

  it('when a variant has a planted uplift then it is flagged with the treatment as the better arm', () => {
    const c = find('prompt_variant', ['101', '102']);
    expect(c.flagged).toBe(true);
    expect(c.better.variant_id).toBe('102');
    expect(c.effect.lower).toBeGreaterThan(0);
    const rec = a.recommendations.find((r) => r.variant_ids.includes('102'))!;
    expect(rec.edits.map((x) => x.feature)).toContain('time_offers');
    expect(rec.plan.control.text).toBe('Ask when they would like a call.');
    expect(rec.plan.treatment.text).toBe('Offer {slot_1} or {slot_2}.');
  });

  it('when a sibling campaign runs the same channels in a worse order then a reorder is recommended for it', () => {
    const c = find('step_order', ['20', '21']);
    expect(c.flagged).toBe(true);
    expect(c.worse.campaign_id).toBe('21');
    const rec = a.recommendations.find((r) => r.kind === 'step_order')!;
    expect(rec.change).toContain('voice → sms → email to sms → voice → email');
  });

  it('when a sibling differs only in lead mix then the adjusted comparison raises nothing though raw rates differ', () => {
    const c = find('step_wait', ['30', '31']);
    expect(c.flagged).toBe(false);
    // The raw rates differ clearly: the slow campaign got colder leads.
    const raw = Math.abs(c.better.rate.point - c.worse.rate.point);
    expect(raw).toBeGreaterThan(0.04);
    expect(c.effect.lower).toBeLessThan(0);
  });

  it('when a variant pair has no effect then it is not flagged', () => {
    expect(find('prompt_variant', ['103', '104']).flagged).toBe(false);
    expect(a.recommendations.some((r) => r.variant_ids.includes('103'))).toBe(false);
  });

  it('when recommendations are ranked then impact = volume × effect × P(real) and ranks follow it', () => {
    for (const r of a.recommendations) {
      expect(r.impact.extra_per_month.point).toBeCloseTo(
        r.impact.affected_per_month * r.evidence.effect.point * r.impact.probability_real,
        9,
      );
    }
    const pts = a.recommendations.map((r) => r.impact.extra_per_month.point);
    expect([...pts].sort((x, y) => y - x)).toEqual(pts);
    expect(a.recommendations.map((r) => r.rank)).toEqual(pts.map((_, i) => i + 1));
  });

  it('when run twice on the same input then the output is identical', () => {
    expect(JSON.stringify(analyze(synthetic(designs)))).toBe(JSON.stringify(a));
  });

  it('when the campaign with the worse order is checked against expected then it is flagged below expected', () => {
    const el = a.elements.find((e) => e.level === 'campaign' && e.campaign_id === '21')!;
    expect(el.flag.underperforming).toBe(true);
    expect(el.observed_expected.upper).toBeLessThan(1);
    const cold = a.elements.find((e) => e.level === 'campaign' && e.campaign_id === '31')!;
    expect(cold.flag.underperforming).toBe(false);
  });
});

describe('promptEdits', () => {
  it('when the better variant offers two times in shorter texts then the edits say so with both values', () => {
    const worse = textProfile([
      'Hi there, thanks for reaching out about implants. When would be a good time for a free consultation with our team this week or next?',
    ]);
    const better = textProfile(['Free Tue 2:00 PM or Wed 10:30 AM? Which one works?']);
    const none = { reached: 100, positiveShare: 0, negativeShare: 0, objectionShare: 0, optOutShare: 0 };
    const edits = promptEdits(worse, better, none, none);
    const byFeature = Object.fromEntries(edits.map((e) => [e.feature, e]));
    expect(byFeature.time_offers?.better).toBe(2);
    expect(byFeature.time_offers?.worse).toBe(0);
    expect(byFeature.length?.edit).toMatch(/^\d+ characters → under \d+$/);
    expect(promptEdits(worse, worse, none, none)).toEqual([]);
  });
});

describe('readingGrade', () => {
  it('when a text has one sentence of 4 one-syllable words then the grade is 0.39·4 + 11.8·1 − 15.59', () => {
    expect(readingGrade('The cat sat down.')).toBeCloseTo(0.39 * 4 + 11.8 - 15.59, 10);
    expect(readingGrade('')).toBeNaN();
  });
});

/** The analyze input of a one-org synthetic campaign set: bookings, enrollment and touch expectations. */
function touchInput(
  runName: string,
  f: {
    campaigns: RecData['campaigns'];
    steps: RecData['steps'];
    stepIndex: RecData['stepIndex'];
    y: number[];
    e: number[];
    te: number[];
    touches: RecData['touches'][number][];
    campaignId: string[];
    decision: number[];
    replies?: RecData['replies'][number][];
  },
) {
  const { campaigns, steps, stepIndex, y, e, te, touches, campaignId, decision } = f;
  const n = y.length;
  const none = new Int8Array(n).fill(-1);
  const ex = Float64Array.from(e);
  const data: RecData = {
    campaigns,
    steps,
    stepIndex,
    variants: [],
    variantIndex: new Map(),
    nRows: n,
    orgId: y.map(() => '1'),
    enrollmentId: y.map((_, i) => String(i + 1)),
    campaignId,
    decisionTs: Float64Array.from(decision),
    labels: {
      booked_call_within_7d: Int8Array.from(y),
      qualified_within_14d: none,
      conversion_within_30d: none,
    },
    touches,
    replies: f.replies ?? touches.map(() => []),
    variantTexts: [],
    stepTexts: steps.map(() => []),
    asOf: 1_800_000_000_000,
  };
  return {
    data,
    expected: { booked_call_within_7d: ex, qualified_within_14d: ex, conversion_within_30d: ex },
    touchExpected: Float64Array.from(te),
    runScore: new Float64Array(n).fill(Number.NaN),
    runTest: new Uint8Array(n),
    runName: runName,
  };
}

/**
 * Synthetic campaigns with survival: every lead books with probability σ(−1.2 + x) at a
 * uniform time within 6 days of its first touch, and a step is reached only by leads that
 * have not booked by then (steps at 0, 1 and 3 days). In campaign 60 step 2 loses half of
 * the bookings that would have come after it. The touch-level expectation is the null
 * process's P(book within the window | x, not booked by the touch) = p(1 − s/6) / (1 − p·s/6).
 */
function survival(
  seed = 11,
  negatives?: { readonly angry: readonly string[]; readonly optOutsOnly?: readonly string[] },
) {
  const rand = rng(seed);
  // Replies (own stream, so the bookings are those of the default): 10% of touches draw
  // one; 30% of them are negative, 60% after the steps listed as angry; half of the
  // negative ones are opt-outs, all of them after the steps listed as opt-outs only.
  const replyRand = rng(seed + 1000);
  const replies: Reply[][] = [];
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
  const steps: RecStep[] = [];
  const campaigns = new Map<string, RecCampaign>();
  const at = [0, 1, 3];
  for (const cid of ['50', '60']) {
    const c: RecCampaign = { campaignId: cid, orgId: '1', name: `C${cid}`, steps: [] };
    ['sms', 'email', 'voice'].forEach((ch, i) => {
      const s: RecStep = {
        stepId: `${cid}${i + 1}`,
        orgId: '1',
        campaignId: cid,
        orderId: i + 1,
        channel: ch,
        waitBeforeMs: i === 0 ? 0 : (at[i]! - at[i - 1]!) * DAY,
        label: `${ch} step`,
        promptText: null,
        isDecisionPoint: false,
        branchCondition: null,
        nextIfTrue: null,
        nextIfFalse: null,
      };
      steps.push(s);
      c.steps.push(s);
    });
    campaigns.set(`1\u0000${cid}`, c);
  }
  const stepIndex = new Map(steps.map((s, i) => [`1\u0000${s.stepId}`, i] as const));
  const y: number[] = [];
  const e: number[] = [];
  const te: number[] = [];
  const touches: Touch[][] = [];
  const campaignId: string[] = [];
  const decision: number[] = [];
  for (const cid of ['50', '60']) {
    for (let i = 0; i < 6000; i++) {
      const p = sigmoid(-1.2 + normal());
      const t0 = 1_700_000_000_000 + y.length * 60_000;
      let booked = rand() < p;
      const when = rand() * 6;
      if (booked && cid === '60' && when > at[1]! && rand() < 0.5) booked = false;
      const list: Touch[] = [];
      const got: Reply[] = [];
      at.forEach((s, k) => {
        if (booked && when <= s) return;
        const step = stepIndex.get(`1\u0000${cid}${k + 1}`)!;
        list.push({ step, variant: -1, ts: t0 + s * DAY });
        te.push((p * (1 - s / 6)) / (1 - (p * s) / 6));
        const neg = negatives?.angry.includes(`${cid}${k + 1}`) ? 0.6 : 0.3;
        if (negatives && replyRand() < 0.1) {
          const u = replyRand();
          const optShare = negatives.optOutsOnly?.includes(`${cid}${k + 1}`) ? neg : neg / 2;
          const intent = u < optShare ? 'opt_out' : u < neg ? 'not_now' : 'positive';
          got.push({ ts: t0 + s * DAY + 3_600_000, intent, step });
        }
      });
      replies.push(got);
      y.push(booked ? 1 : 0);
      e.push(p);
      touches.push(list);
      campaignId.push(cid);
      decision.push(t0);
    }
  }
  return touchInput('survival', {
    campaigns,
    steps,
    stepIndex,
    y,
    e,
    te,
    touches,
    campaignId,
    decision,
    ...(negatives ? { replies } : {}),
  });
}

describe('analyze (element flags for every step, channel and variant)', () => {
  const input = survival();
  const withTouch = analyze(input);
  const { touchExpected: _te, ...enrollmentOnly } = input;
  const without = analyze(enrollmentOnly);
  const el = (a: ReturnType<typeof analyze>, level: string, key: string) =>
    a.elements.find((x) => x.level === level && x.key === key)!;

  it('when later steps reach only leads that have not booked then the enrollment-level O/E is biased low', () => {
    // Campaign 50 has no effect anywhere, yet its last step looks far below expected.
    expect(el(without, 'step', 'step:1:503').observed_expected.upper).toBeLessThan(0.8);
    expect(el(without, 'step', 'step:1:503').flag.underperforming).toBe(false);
  });

  it('when judged at the touch that reached the lead then no step of the no-effect campaign is flagged', () => {
    for (const key of ['step:1:501', 'step:1:502', 'step:1:503']) {
      const x = el(withTouch, 'step', key);
      expect(x.flag.underperforming, key).toBe(false);
      expect(x.observed_expected.lower, key).toBeLessThan(1);
      expect(x.observed_expected.upper, key).toBeGreaterThan(1);
    }
    for (const ch of ['sms', 'email', 'voice']) {
      expect(el(withTouch, 'channel', `channel:1:50:${ch}`).flag.underperforming, ch).toBe(false);
    }
  });

  it('when a later step loses bookings then that step and its channel are flagged, near the planted size', () => {
    const s2 = el(withTouch, 'step', 'step:1:602');
    expect(s2.flag.underperforming).toBe(true);
    // Half of the bookings after step 2 are lost: O/E ≈ 0.5 among the leads it reached.
    expect(s2.observed_expected.lower).toBeLessThan(0.5);
    expect(s2.observed_expected.upper).toBeGreaterThan(0.5);
    expect(el(withTouch, 'channel', 'channel:1:60:email').flag.underperforming).toBe(true);
    // The first step's leads lose those bookings too: the whole enrollment is below expected.
    expect(el(withTouch, 'step', 'step:1:601').observed_expected.upper).toBeLessThan(1);
  });

  it('when every element is flaggable then the FDR family holds every element with a p-value', () => {
    const withP = withTouch.elements.filter((x) => !Number.isNaN(x.flag.p_value)).length;
    expect(withTouch.families.element_flags).toBe(withP);
    // 2 campaigns + 6 channels + 6 steps.
    expect(withP).toBe(14);
    // Without touch-level expectations only campaigns and first steps are in it.
    expect(without.families.element_flags).toBe(4);
    for (const x of withTouch.elements) expect(Number.isNaN(x.flag.q_value), x.key).toBe(false);
  });
});

describe('analyze (step removal findings)', () => {
  // Campaign 60's step 2 loses half of the later bookings (flagged below expected); 50 has no effect.
  const angry = analyze(survival(11, { angry: ['602', '502'] }));
  const calm = analyze(survival(11, { angry: [] }));
  const of = (a: ReturnType<typeof analyze>, step: string) => a.step_removals.find((x) => x.step_id === step);

  it('when the replies to a flagged later step are more often negative then skipping it is a supported finding with a plan', () => {
    const f = of(angry, '602')!;
    expect(f.supported).toBe(true);
    expect(f.observed_expected.upper).toBeLessThan(1);
    expect(f.negative_replies.step.rate.point).toBeGreaterThan(f.negative_replies.other_steps.rate.point);
    expect(f.negative_replies.p_value).toBeLessThanOrEqual(0.025);
    expect(f.reply_p_value).toBe(Math.min(1, 2 * Math.min(f.negative_replies.p_value, f.opt_outs.p_value)));
    expect(f.reply_q_value).toBeLessThanOrEqual(0.05);
    expect(f.reply_q_value).toBeGreaterThanOrEqual(f.reply_p_value);
    expect(f.plan?.treatment.text).toBe('sequence sms → voice');
    expect(f.plan?.control.text).toBe('sequence sms → email → voice');
    expect(f.plan?.treatment.description).toContain('skip step 2 (email');
    expect(f.plan?.sample_size.per_arm).toBeGreaterThanOrEqual(200);
  });

  it("when the replies to the flagged step are no more negative than the other steps' then the finding is not supported", () => {
    const f = of(calm, '602')!;
    expect(f.supported).toBe(false);
    expect(f.plan).toBeNull();
  });

  it('when a campaign has no effect then no step of it is a finding, however negative its replies', () => {
    expect(angry.step_removals.filter((x) => x.campaign_id === '50')).toEqual([]);
    expect(calm.step_removals.filter((x) => x.campaign_id === '50')).toEqual([]);
    // Findings never become ranked recommendations.
    expect(angry.recommendations.filter((r) => r.kind === 'step_removal')).toEqual([]);
  });

  it('when only the opt-out share is higher then the finding is supported by opt-outs alone', () => {
    const a = analyze(survival(11, { angry: [], optOutsOnly: ['602'] }));
    const f = of(a, '602')!;
    // Same negative share as the other steps (30%), but every negative reply is an opt-out.
    expect(f.negative_replies.p_value).toBeGreaterThan(0.05);
    expect(f.opt_outs.p_value).toBeLessThan(1e-4);
    expect(f.opt_outs.step.rate.point).toBeGreaterThan(f.opt_outs.other_steps.rate.point);
    expect(f.supported).toBe(true);
    expect(f.plan).not.toBeNull();
  });

  it('when findings are tested then they are their own BH family and each lead counts once per side', () => {
    const input = survival(11, { angry: ['602', '502'] });
    expect(angry.families.step_removal_findings).toBe(angry.step_removals.length);
    expect(calm.families.step_removal_findings).toBe(calm.step_removals.length);
    const f = of(angry, '602')!;
    // The other side by hand: leads of campaign 60 with a reply to step 1 or 3 within 7 days.
    const { data } = input;
    const other = new Set(['601', '603'].map((x) => data.stepIndex.get(`1\u0000${x}`)!));
    const step2 = data.stepIndex.get('1\u0000602')!;
    let leads = 0;
    let both = 0;
    for (let r = 0; r < data.nRows; r++) {
      if (data.campaignId[r] !== '60') continue;
      const within = data.replies[r]!.filter((x) => x.ts < data.decisionTs[r]! + 7 * DAY);
      const o = within.some((x) => other.has(x.step));
      leads += o ? 1 : 0;
      both += o && within.some((x) => x.step === step2) ? 1 : 0;
    }
    expect(f.negative_replies.other_steps.n).toBe(leads);
    expect(f.opt_outs.other_steps.n).toBe(leads);
    expect(f.leads_on_both_sides).toBe(both);
    expect(both).toBeGreaterThan(0);
    // The step's side is the element's own count of leads who replied to the step.
    const el = angry.elements.find((x) => x.key === 'step:1:602')!;
    expect(f.negative_replies.step.n).toBe(el.replies.k);
    expect(f.negative_replies.step.k).toBe(el.negative_replies.k);
  });

  it('when written as Markdown then the supported step is listed with its test and the unsupported one without', () => {
    const md = recommendationsMarkdown({ run_name: 'survival' }, angry);
    const rows = md.split('\n').filter((l) => l.startsWith('| C60 (60) |'));
    expect(rows.find((l) => l.includes('| 2 email "email step" |'))).toMatch(
      /yes: test skipping it \(\d+ per arm\) \|$/,
    );
    expect(rows.filter((l) => l.includes('yes: test skipping'))).toHaveLength(1);
  });
});

describe('analyze (step removal comparisons)', () => {
  // 40 is 41 with an extra email step at position 2; 50 is 51 with a second SMS a day later.
  const pairs = (hurt: number, help: number): Design[] => [
    {
      campaign: '40',
      channels: ['sms', 'email', 'voice'],
      waits: [0, DAY, DAY],
      effect: hurt,
      leadShift: 0,
      n: 3000,
    },
    { campaign: '41', channels: ['sms', 'voice'], waits: [0, DAY], effect: 0, leadShift: 0, n: 3000 },
    { campaign: '50', channels: ['sms', 'sms'], waits: [2 * DAY, DAY], effect: help, leadShift: 0, n: 3000 },
    { campaign: '51', channels: ['sms'], waits: [2 * DAY], effect: 0, leadShift: 0, n: 3000 },
  ];
  const a = analyze(synthetic(pairs(-0.45, 0.45)));
  // The twin: the same leads and random draws, no effect of either extra step.
  const twin = analyze(synthetic(pairs(0, 0)));
  const pair = (an: ReturnType<typeof analyze>, x: string, y: string) =>
    an.comparisons.find(
      (c) =>
        c.kind === 'step_removal' &&
        [c.better.campaign_id, c.worse.campaign_id].sort().join() === [x, y].join(),
    )!;

  it('when campaigns are one step apart then exactly those pairs are compared, on the extra step', () => {
    expect(a.comparisons.filter((c) => c.kind === 'step_removal')).toHaveLength(2);
    expect(pair(a, '40', '41').step_ids).toEqual(['402']);
    expect(pair(a, '50', '51').step_ids).toEqual(['502']);
    expect(a.families.comparisons).toBe(a.comparisons.length);
  });

  it('when the extra step hurts then removing it is recommended, with the shorter sequence as treatment', () => {
    const c = pair(a, '40', '41');
    expect(c.flagged).toBe(true);
    expect(c.worse.campaign_id).toBe('40');
    expect(c.effect.lower).toBeGreaterThan(0);
    const rec = a.recommendations.find((r) => r.kind === 'step_removal' && r.campaign_id === '40')!;
    expect(rec.title).toBe('Remove step 2 (email, "email step") from "C40"');
    expect(rec.change).toContain(
      'sms → email → voice (waits 0 d, 1 d, 1 d) to sms → voice (waits 0 d, 1 d); every other step keeps its wait',
    );
    expect(rec.plan.control.text).toBe('sequence sms → email → voice (waits 0 d, 1 d, 1 d)');
    expect(rec.plan.treatment.text).toBe('sequence sms → voice (waits 0 d, 1 d)');
    expect(rec.impact.extra_per_month.point).toBeGreaterThan(0);
  });

  it('when the extra step helps then adding it to the shorter campaign is recommended', () => {
    const c = pair(a, '50', '51');
    expect(c.flagged).toBe(true);
    expect(c.worse.campaign_id).toBe('51');
    const rec = a.recommendations.find((r) => r.kind === 'step_removal' && r.campaign_id === '51')!;
    expect(rec.title).toBe('Add step 2 (sms, "sms step") to "C51"');
    expect(rec.plan.treatment.text).toBe('sequence sms → sms (waits 2 d, 1 d)');
  });

  it('when the step after the removed one waits differently then the pair is compared only if every later step keeps its time', () => {
    const H = 3_600_000;
    const b = analyze(
      synthetic([
        // The demo's seed-2 pair: 4 h + 3 d ≠ 2 d, so removing the SMS would also change a wait.
        {
          campaign: '60',
          channels: ['sms', 'sms', 'email', 'email'],
          waits: [0, 4 * H, 3 * DAY, DAY],
          effect: 0,
          leadShift: 0,
          n: 1000,
        },
        {
          campaign: '61',
          channels: ['sms', 'email', 'email'],
          waits: [0, 2 * DAY, DAY],
          effect: 0,
          leadShift: 0,
          n: 1000,
        },
        // 1 d + 2 d = 3 d: the email keeps its time; the step costs bookings.
        {
          campaign: '70',
          channels: ['voice', 'sms', 'email'],
          waits: [0, DAY, 2 * DAY],
          effect: -0.6,
          leadShift: 0,
          n: 3000,
        },
        {
          campaign: '71',
          channels: ['voice', 'email'],
          waits: [0, 3 * DAY],
          effect: 0,
          leadShift: 0,
          n: 3000,
        },
        // A near miss: the last wait differs (2 d vs 3 d), away from the removed step.
        {
          campaign: '80',
          channels: ['email', 'voice', 'sms', 'email'],
          waits: [0, DAY, DAY, 2 * DAY],
          effect: 0,
          leadShift: 0,
          n: 1000,
        },
        {
          campaign: '81',
          channels: ['email', 'sms', 'email'],
          waits: [0, DAY, 3 * DAY],
          effect: 0,
          leadShift: 0,
          n: 1000,
        },
      ]),
    );
    const removals = b.comparisons.filter((c) => c.kind === 'step_removal');
    expect(removals).toHaveLength(1);
    const c = pair(b, '70', '71');
    expect(c.step_ids).toEqual(['702']);
    expect(c.detail.kept).toBe('times');
    expect(c.detail.waits).toEqual({ '70': [0, DAY, 2 * DAY], '71': [0, 3 * DAY] });
    expect(c.flagged).toBe(true);
    const rec = b.recommendations.find((r) => r.kind === 'step_removal')!;
    expect(rec.title).toBe('Remove step 2 (sms, "sms step") from "C70"');
    expect(rec.change).toContain(
      'voice → sms → email (waits 0 d, 1 d, 2 d) to voice → email (waits 0 d, 3 d)',
    );
    expect(rec.change).toContain('step 3 waits 1 d + 2 d, so every later step keeps its time');
    expect(rec.plan.treatment.text).toBe('sequence voice → email (waits 0 d, 3 d)');
  });

  it('when the extra steps have no effect then the same pairs are compared and nothing is raised', () => {
    expect(twin.comparisons.filter((c) => c.kind === 'step_removal')).toHaveLength(2);
    expect(pair(twin, '40', '41').flagged).toBe(false);
    expect(pair(twin, '50', '51').flagged).toBe(false);
    expect(twin.recommendations).toEqual([]);
  });
});

/**
 * Decision points: step 1 (voice) branches on a connected call — true → step 3 (recap
 * email), false → step 2 (SMS) → step 3 — at day 1. Whether the call connects is a coin
 * flip (40%), so the branches differ only by what the campaign does. In campaign 70 the
 * connected branch loses half of the bookings after the decision; campaign 80 loses none.
 */
function decisionData(seed = 5) {
  const rand = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
  const steps: RecStep[] = [];
  const campaigns = new Map<string, RecCampaign>();
  for (const cid of ['70', '80']) {
    const c: RecCampaign = { campaignId: cid, orgId: '1', name: `C${cid}`, steps: [] };
    const mk = (i: number, ch: string, decision: boolean): RecStep => ({
      stepId: `${cid}${i}`,
      orgId: '1',
      campaignId: cid,
      orderId: i,
      channel: ch,
      waitBeforeMs: i === 1 ? 0 : DAY,
      label: `${ch} step`,
      promptText: null,
      isDecisionPoint: decision,
      branchCondition: decision ? 'connected' : null,
      nextIfTrue: decision ? `${cid}3` : null,
      nextIfFalse: decision ? `${cid}2` : null,
    });
    for (const s of [mk(1, 'voice', true), mk(2, 'sms', false), mk(3, 'email', false)]) {
      steps.push(s);
      c.steps.push(s);
    }
    campaigns.set(`1\u0000${cid}`, c);
  }
  const stepIndex = new Map(steps.map((s, i) => [`1\u0000${s.stepId}`, i] as const));
  const y: number[] = [];
  const e: number[] = [];
  const te: number[] = [];
  const touches: Touch[][] = [];
  const campaignId: string[] = [];
  const decision: number[] = [];
  const cond = (p: number, s: number) => (p * (1 - s / 6)) / (1 - (p * s) / 6);
  for (const cid of ['70', '80']) {
    for (let i = 0; i < 8000; i++) {
      const p = sigmoid(-1.2 + normal());
      const t0 = 1_700_000_000_000 + y.length * 60_000;
      const connected = rand() < 0.4;
      let booked = rand() < p;
      const when = rand() * 6;
      if (booked && cid === '70' && connected && when > 1 && rand() < 0.5) booked = false;
      const at = (k: number) => stepIndex.get(`1\u0000${cid}${k}`)!;
      const list: Touch[] = [{ step: at(1), variant: -1, ts: t0 }];
      te.push(p);
      for (const [k, s] of (connected
        ? [[3, 1]]
        : [
            [2, 1],
            [3, 2],
          ]) as [number, number][]) {
        if (booked && when <= s) break;
        list.push({ step: at(k), variant: -1, ts: t0 + s * DAY });
        te.push(cond(p, s));
      }
      y.push(booked ? 1 : 0);
      e.push(p);
      touches.push(list);
      campaignId.push(cid);
      decision.push(t0);
    }
  }
  return touchInput('decisions', { campaigns, steps, stepIndex, y, e, te, touches, campaignId, decision });
}

describe('analyze (decision points)', () => {
  const a = analyze(decisionData());
  const at = (cid: string) => a.decisions.find((x) => x.campaign_id === cid)!;

  it('when a branch sends leads down a path that loses bookings then the finding is supported, with a plan', () => {
    const f = at('70');
    expect(f.worse_branch).toBe('branch:1:701:true');
    expect(f.supported).toBe(true);
    expect(f.gap.lower).toBeGreaterThan(0);
    expect(f.plan?.treatment.description).toContain('step 2 (sms');
    expect(f.plan?.sample_size.per_arm).toBeGreaterThanOrEqual(200);
    const el = a.elements.find((x) => x.key === 'branch:1:701:true')!;
    expect(el.flag.underperforming).toBe(true);
    expect(el.branch).toEqual({ taken: 'true', next_step_id: '703' });
  });

  it('when neither branch loses bookings then nothing is supported and no branch is flagged', () => {
    expect(at('80').supported).toBe(false);
    expect(at('80').plan).toBeNull();
    for (const k of ['branch:1:801:true', 'branch:1:801:false']) {
      expect(a.elements.find((x) => x.key === k)!.flag.underperforming, k).toBe(false);
    }
  });

  it('when branches are judged then they are in the one element-flag family', () => {
    expect(a.families.element_flags).toBe(a.elements.filter((x) => !Number.isNaN(x.flag.p_value)).length);
    expect(a.elements.filter((x) => x.level === 'branch')).toHaveLength(4);
  });
});

describe('analyze (target)', () => {
  // The planted variant and order effects moved to qualification; bookings shuffled across
  // rows (no effect left on them).
  const base = synthetic(designs);
  const y = base.data.labels.booked_call_within_7d;
  const rand = rng(3);
  const shuffled = Int8Array.from(y);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const data: RecData = {
    ...base.data,
    labels: { ...base.data.labels, booked_call_within_7d: shuffled, qualified_within_14d: y },
  };
  // Shuffled bookings no longer depend on the lead: their expectation is the overall rate.
  const flat = new Float64Array(y.length).fill(y.reduce((s, v) => s + v, 0) / y.length);
  const expected = { ...base.expected, booked_call_within_7d: flat };
  const onT2 = analyze({ ...base, data, expected, target: 'qualified_within_14d' });
  const onT1 = analyze({ ...base, data, expected });

  it('when the run is trained on qualification then comparisons and impact use it', () => {
    expect(onT2.target).toBe('qualified_within_14d');
    const rec = onT2.recommendations.find((r) => r.variant_ids.includes('102'))!;
    expect(rec.better.variant_id).toBe('102');
    expect(rec.evidence.metric).toBe('qualified_within_14d');
    expect(rec.impact.metric).toBe('extra leads qualified within 14 days per month');
    expect(rec.plan.primary_metric).toMatchObject({ name: 'qualified_within_14d', window_days: 14 });
    expect(onT2.recommendations.some((r) => r.kind === 'step_order')).toBe(true);
  });

  it('when the same data are judged on bookings, which carry no effect, then nothing is recommended', () => {
    expect(onT1.target).toBe('booked_call_within_7d');
    expect(onT1.recommendations).toEqual([]);
  });

  it('when the target differs then recommendation ids differ', () => {
    const t1 = analyze(base).recommendations.find((r) => r.variant_ids.includes('102'))!;
    const t2 = onT2.recommendations.find((r) => r.variant_ids.includes('102'))!;
    expect(t1.id).not.toBe(t2.id);
  });
});
