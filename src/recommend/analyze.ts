// The analyses of the recommend stage, pure functions of RecData + expected scores:
// element performance (campaign, step, channel, variant) with intervals and
// observed-vs-expected flags; comparisons of A/B variants within a step and of sibling
// campaigns (same steps in another order, or other waits); the recommendations that
// follow from the comparisons that clear the bar, ranked by expected impact, each with
// its prompt edits and experiment plan; and a descriptive path analysis.

import { createHash } from 'node:crypto';
import { TARGET_DEFS, type TARGETS } from '../features/index.js';
import { type PromptEdit, promptEdits, type ReplyProfile, type TextProfile, textProfile } from './content.js';
import { NEGATIVE_INTENTS, POSITIVE_INTENTS, type RecCampaign, type RecData, type RecStep } from './load.js';
import { type ExperimentPlan, experimentPlan } from './plan.js';
import { benjaminiHochberg, type Interval, normalCdf, twoProportionZ, wilson } from './stats.js';

type TargetName = (typeof TARGETS)[number];

/** The evidence bar. Defaults are documented in docs/recommend.md. */
export interface RecommendBar {
  /** Benjamini–Hochberg false-discovery rate across the comparisons (and, separately, the element flags). Default 0.05. */
  readonly fdr: number;
  /** Posterior probability (flat prior, normal likelihood) that the worse arm is worse. Default 0.95. */
  readonly minProbability: number;
  /** Enrollments with an elapsed window per arm. Default 200. */
  readonly minArm: number;
  /** Positives per arm. Default 10. */
  readonly minEvents: number;
}

export const DEFAULT_BAR: RecommendBar = { fdr: 0.05, minProbability: 0.95, minArm: 200, minEvents: 10 };

/** A count with its Wilson 95% interval. */
export interface RateStat {
  readonly k: number;
  readonly n: number;
  readonly rate: Interval;
}

export type ElementLevel = 'campaign' | 'channel' | 'step' | 'variant' | 'branch';

export interface ElementStats {
  readonly level: ElementLevel;
  readonly key: string;
  readonly org_id: string;
  readonly campaign_id: string;
  readonly campaign_name: string;
  readonly step_id: string | null;
  readonly order_id: number | null;
  readonly channel: string | null;
  readonly variant_id: string | null;
  readonly variant_key: string | null;
  readonly label: string | null;
  /** For a decision branch: which branch ('true', 'false') and the step it leads to (null: the path ends). */
  readonly branch: { readonly taken: 'true' | 'false'; readonly next_step_id: string | null } | null;
  /** Enrollments the element reached. */
  readonly volume: number;
  /** Replies within the 7-day window (credited to this step for step and variant rows). */
  readonly replies: RateStat;
  readonly positive_replies: RateStat;
  readonly negative_replies: RateStat;
  readonly opt_outs: RateStat;
  readonly booked_7d: RateStat;
  readonly qualified_14d: RateStat;
  readonly converted_30d: RateStat;
  /** Share of leads reached that got no later step and did not book within 7 days (steps and variants). */
  readonly drop_off: RateStat | null;
  /** Mean expected booking probability of the leads reached (lead-only model, out-of-fold). */
  readonly expected_booked_7d: number;
  /** Observed ÷ expected booking rate with a 95% interval. */
  readonly observed_expected: Interval;
  /** Mean of the run's scores over the reached rows it scored out of sample (test split); null when none. */
  readonly run_score_mean_test: number | null;
  readonly run_score_n_test: number;
  readonly flag: {
    readonly underperforming: boolean;
    readonly probability_worse: number;
    readonly p_value: number;
    readonly q_value: number;
  };
}

/** One side of a comparison. */
export interface Arm {
  readonly label: string;
  readonly campaign_id: string;
  readonly step_id: string | null;
  readonly variant_id: string | null;
  readonly n: number;
  readonly booked: number;
  readonly rate: Interval;
  readonly expected: number;
  /** Mean of observed − expected. */
  readonly adjusted: number;
  readonly per_day: number;
  readonly opt_out_rate: number;
  readonly negative_reply_rate: number;
}

export type ComparisonKind = 'prompt_variant' | 'step_order' | 'step_wait' | 'step_removal';

export interface Comparison {
  readonly kind: ComparisonKind;
  readonly org_id: string;
  /** The step (variants) or the differing steps (waits); empty for order. */
  readonly step_ids: readonly string[];
  readonly better: Arm;
  readonly worse: Arm;
  /** Adjusted difference better − worse in the 7-day booking rate, with its 95% interval. */
  readonly effect: Interval;
  readonly z: number;
  readonly p_value: number;
  q_value: number;
  /** P(better arm is better): Φ(z). */
  readonly probability: number;
  readonly meets_counts: boolean;
  flagged: boolean;
  readonly detail: Readonly<Record<string, unknown>>;
}

export type RecStatus = 'proposed' | 'approved' | 'rejected' | 'rolled_out' | 'reverted';

export interface Recommendation {
  readonly id: string;
  readonly rank: number;
  readonly kind: ComparisonKind;
  readonly title: string;
  readonly change: string;
  readonly org_id: string;
  readonly campaign_id: string;
  readonly campaign_ids: readonly string[];
  readonly step_ids: readonly string[];
  readonly variant_ids: readonly string[];
  /** The arm the change moves away from, and the arm it moves toward. */
  readonly worse: Arm;
  readonly better: Arm;
  readonly evidence: {
    readonly metric: TargetName;
    readonly effect: Interval;
    readonly relative_lift: number;
    readonly p_value: number;
    readonly q_value: number;
    readonly probability_real: number;
    readonly messages_worse: number | null;
    readonly messages_better: number | null;
  };
  readonly edits: readonly (PromptEdit & { readonly evidence: string })[];
  readonly impact: {
    readonly metric: string;
    readonly affected_per_month: number;
    readonly extra_per_month: Interval;
    readonly probability_real: number;
    readonly formula: string;
  };
  readonly plan: ExperimentPlan;
  readonly status: RecStatus;
}

export interface StepPath {
  readonly step_id: string;
  readonly order_id: number;
  readonly channel: string;
  readonly wait_before_ms: number | null;
  readonly label: string;
  readonly reached: number;
  readonly drop_off: RateStat;
  readonly booked_7d: RateStat;
  readonly decision: {
    readonly condition: string | null;
    readonly if_true: {
      readonly step_id: string | null;
      readonly n: number;
      readonly booked_7d: RateStat;
      readonly observed_expected: number;
    };
    readonly if_false: {
      readonly step_id: string | null;
      readonly n: number;
      readonly booked_7d: RateStat;
      readonly observed_expected: number;
    };
  } | null;
}

/**
 * A decision point whose branches were judged against the leads' expectation at the
 * decision. Branches are chosen by the lead's own behaviour (a connected call, a reply),
 * so a gap is evidence about the path, not proof of its cause: a finding is `supported`
 * when the worse branch is itself flagged below expected (same bar and FDR family as every
 * element) and the adjusted gap between branches excludes 0; it then carries an
 * experiment that randomizes the path for leads on that branch. Findings are not ranked
 * recommendations and do not enter the store.
 */
export interface DecisionFinding {
  readonly org_id: string;
  readonly campaign_id: string;
  readonly campaign_name: string;
  readonly step_id: string;
  readonly order_id: number;
  readonly condition: string | null;
  /** Element keys of the two branches (level 'branch'). */
  readonly worse_branch: string;
  readonly better_branch: string;
  /** Adjusted gap (mean observed − expected, better − worse) with its 95% interval. */
  readonly gap: Interval;
  readonly p_value: number;
  readonly supported: boolean;
  readonly plan: ExperimentPlan | null;
}

/**
 * A reply share of the leads a step reached against that of the campaign's other steps.
 * Counted per lead, not per reply: on the step's side the leads with at least one reply
 * credited to the step within 7 days of the first touch, of which how many sent one of the
 * kind; on the other side the campaign's leads with at least one reply credited to another
 * of its steps in the same window, each lead once however many steps it replied to.
 */
interface ShareTest {
  readonly step: RateStat;
  readonly other_steps: RateStat;
  /** One-sided pooled two-proportion z-test that the step's share is higher. */
  readonly z: number;
  readonly p_value: number;
}

/**
 * A later step that may be better left out: it is flagged below what leads at that point
 * in their window book (touch-level expectation, same bar and FDR family as every
 * element), and the leads who replied to it more often sent a negative reply or an opt-out
 * than the leads who replied to the campaign's other steps. Its reply-mix p-value is the
 * smaller of the two one-sided p-values × 2 (Bonferroni over the two shares); the findings
 * of a run are one Benjamini–Hochberg family (`families.step_removal_findings`), and a
 * finding is `supported` when its reply-mix q-value ≤ the bar's FDR. Evidence for a human
 * with an experiment "skip the step for a random half", not a ranked recommendation, not in
 * the store: a step reached late in the window by leads that have not booked is judged
 * against a model, and skipping it also moves the later steps earlier.
 */
export interface StepRemovalFinding {
  readonly org_id: string;
  readonly campaign_id: string;
  readonly campaign_name: string;
  readonly step_id: string;
  readonly order_id: number;
  readonly channel: string;
  readonly label: string;
  /** Element key of the step (level 'step'). */
  readonly element: string;
  readonly observed_expected: Interval;
  /** The step's q-value in the element-flag family. */
  readonly q_value: number;
  readonly negative_replies: ShareTest;
  readonly opt_outs: ShareTest;
  /**
   * Leads counted on both sides (replied to the step and to another step). The test treats
   * the sides as independent; if a lead's replies on the two sides are positively
   * correlated (a lead who replies negatively once tends to do so again), that makes the
   * test conservative, not liberal.
   */
  readonly leads_on_both_sides: number;
  /** min(1, 2 × the smaller one-sided p-value of the two shares). */
  readonly reply_p_value: number;
  /** Benjamini–Hochberg q-value of `reply_p_value` over the run's findings. */
  readonly reply_q_value: number;
  readonly supported: boolean;
  readonly plan: ExperimentPlan | null;
}

export interface CampaignPath {
  readonly org_id: string;
  readonly campaign_id: string;
  readonly name: string;
  readonly channel_order: readonly string[];
  readonly enrollments: number;
  readonly steps: readonly StepPath[];
}

export interface Analysis {
  readonly elements: readonly ElementStats[];
  readonly comparisons: readonly Comparison[];
  readonly recommendations: readonly Recommendation[];
  readonly paths: readonly CampaignPath[];
  readonly decisions: readonly DecisionFinding[];
  /** Later steps flagged below expected, with the reply evidence for skipping them. */
  readonly step_removals: readonly StepRemovalFinding[];
  readonly months: number;
  /** The target comparisons and recommendations are judged on. */
  readonly target: TargetName;
  /** Sizes of the Benjamini–Hochberg families: comparisons, element flags, step-removal findings' reply mix. */
  readonly families: {
    readonly comparisons: number;
    readonly element_flags: number;
    readonly step_removal_findings: number;
  };
}

const T1: TargetName = 'booked_call_within_7d';
const WEEK = 7 * 86_400_000;

function rateStat(k: number, n: number): RateStat {
  return { k, n, rate: wilson(k, n) };
}

/**
 * Residual statistics of rows: observed − expected on the elapsed-window rows. `e` is
 * indexed by row, or, with `at`, `at[i]` is the expected value of `rows[i]` (the
 * expectation at the touch that reached the lead).
 */
function residuals(
  rows: readonly number[],
  y: Int8Array,
  e: Float64Array,
  at?: Float64Array,
): { n: number; k: number; mean: number; variance: number; expected: number } {
  let n = 0;
  let k = 0;
  let s = 0;
  let se = 0;
  const ex = (i: number) => (at ? at[i]! : e[rows[i]!]!);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (y[r]! < 0 || Number.isNaN(ex(i))) continue;
    n++;
    k += y[r]!;
    s += y[r]! - ex(i);
    se += ex(i);
  }
  const mean = n > 0 ? s / n : Number.NaN;
  let ss = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (y[r]! < 0 || Number.isNaN(ex(i))) continue;
    ss += (y[r]! - ex(i) - mean) ** 2;
  }
  return { n, k, mean, variance: n > 1 ? ss / (n - 1) : Number.NaN, expected: n > 0 ? se / n : Number.NaN };
}

export interface AnalyzeInput {
  readonly data: RecData;
  /** Expected probability per target and row (out-of-fold). */
  readonly expected: Readonly<Record<TargetName, Float64Array>>;
  /** The run's score per row (NaN when the run did not score it) and whether it was a test row. */
  readonly runScore: Float64Array;
  readonly runTest: Uint8Array;
  readonly runName: string;
  readonly bar?: RecommendBar;
  /**
   * Expected T1 probability at each touch (flat, row r's touch k at
   * `touchOffsets(data)[r] + k`, out-of-fold): steps, channels and variants are judged
   * against the leads they reached, at the time they reached them. Without it the
   * enrollment-level expectation is used (biased low for later steps).
   */
  readonly touchExpected?: Float64Array;
  /** The target comparisons and recommendations use (the run's target). Default T1. */
  readonly target?: TargetName;
}

/** Runs every analysis. Deterministic. */
export function analyze(input: AnalyzeInput): Analysis {
  const bar = input.bar ?? DEFAULT_BAR;
  const d = input.data;
  const y1 = d.labels[T1];
  const e1 = input.expected[T1];
  const target = input.target ?? T1;
  const yT = d.labels[target];
  const eT = input.expected[target];
  // Expected T1 at each touch (row r's touch k at off[r] + k), else the row's own.
  const off = new Int32Array(d.nRows + 1);
  for (let r = 0; r < d.nRows; r++) off[r + 1] = off[r]! + d.touches[r]!.length;
  const te = input.touchExpected;
  const eAt = (r: number, k: number) => (te ? te[off[r]! + k]! : e1[r]!);
  let minTs = Number.POSITIVE_INFINITY;
  let maxTs = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < d.nRows; r++) {
    if (y1[r]! < 0) continue;
    minTs = Math.min(minTs, d.decisionTs[r]!);
    maxTs = Math.max(maxTs, d.decisionTs[r]!);
  }
  const days = Number.isFinite(minTs) ? Math.max(1, (maxTs - minTs) / 86_400_000) : 1;
  const months = days / 30;

  // Rows reached by each element, and the expected T1 at the touch that reached each row
  // (for a channel: its first touch in that channel).
  const byCampaign = new Map<string, number[]>();
  const byStep: number[][] = d.steps.map(() => []);
  const byStepAt: number[][] = d.steps.map(() => []);
  const byVariant: number[][] = d.variants.map(() => []);
  const byVariantAt: number[][] = d.variants.map(() => []);
  const byChannel = new Map<string, number[]>();
  const byChannelAt = new Map<string, number[]>();
  for (let r = 0; r < d.nRows; r++) {
    const ck = `${d.orgId[r]}\u0000${d.campaignId[r]}`;
    (byCampaign.get(ck) ?? byCampaign.set(ck, []).get(ck)!).push(r);
    const seenCh = new Map<string, number>();
    d.touches[r]!.forEach((t, k) => {
      byStep[t.step]!.push(r);
      byStepAt[t.step]!.push(eAt(r, k));
      if (t.variant >= 0) {
        byVariant[t.variant]!.push(r);
        byVariantAt[t.variant]!.push(eAt(r, k));
      }
      const ch = d.steps[t.step]!.channel;
      if (!seenCh.has(ch)) seenCh.set(ch, eAt(r, k));
    });
    for (const ch of [...seenCh.keys()].sort()) {
      const k = `${ck}\u0000${ch}`;
      (byChannel.get(k) ?? byChannel.set(k, []).get(k)!).push(r);
      (byChannelAt.get(k) ?? byChannelAt.set(k, []).get(k)!).push(seenCh.get(ch)!);
    }
  }

  const replyCounts = (rows: readonly number[], step: number | null) => {
    let any = 0;
    let pos = 0;
    let neg = 0;
    let opt = 0;
    let objection = 0;
    for (const r of rows) {
      const limit = d.decisionTs[r]! + WEEK;
      let a = false;
      let p = false;
      let ng = false;
      let o = false;
      let ob = false;
      for (const rep of d.replies[r]!) {
        if (rep.ts >= limit) continue;
        if (step !== null && rep.step !== step) continue;
        a = true;
        if (POSITIVE_INTENTS.has(rep.intent)) p = true;
        if (NEGATIVE_INTENTS.has(rep.intent)) ng = true;
        if (rep.intent === 'opt_out') o = true;
        if (rep.intent === 'objection') ob = true;
      }
      any += a ? 1 : 0;
      pos += p ? 1 : 0;
      neg += ng ? 1 : 0;
      opt += o ? 1 : 0;
      objection += ob ? 1 : 0;
    }
    return { any, pos, neg, opt, objection, n: rows.length };
  };
  const labelStat = (rows: readonly number[], t: TargetName): RateStat => {
    const l = d.labels[t];
    let k = 0;
    let n = 0;
    for (const r of rows) {
      if (l[r]! < 0) continue;
      n++;
      k += l[r]!;
    }
    return rateStat(k, n);
  };
  const dropOff = (rows: readonly number[], step: number): RateStat => {
    let k = 0;
    let n = 0;
    for (const r of rows) {
      if (y1[r]! < 0) continue;
      n++;
      const list = d.touches[r]!;
      const at = list.find((t) => t.step === step)!;
      const later = list.some((t) => t.ts > at.ts && t.step !== step);
      if (!later && y1[r] === 0) k++;
    }
    return rateStat(k, n);
  };

  const elements: ElementStats[] = [];
  const branchRes = new Map<string, ReturnType<typeof residuals>>();
  const pushElement = (
    level: ElementLevel,
    key: string,
    rows: readonly number[],
    meta: {
      org: string;
      campaign: string;
      step?: RecStep;
      stepIdx?: number;
      channel?: string;
      variantId?: string;
      variantKey?: string;
      branch?: ElementStats['branch'];
      /** Expected T1 of each row where the element reached it (aligned with rows). */
      at?: readonly number[];
    },
  ) => {
    const c = d.campaigns.get(`${meta.org}\u0000${meta.campaign}`);
    const res = residuals(rows, y1, e1, meta.at ? Float64Array.from(meta.at) : undefined);
    const z = res.n > 1 ? res.mean / Math.sqrt(res.variance / res.n) : Number.NaN;
    const half = res.n > 1 ? 1.96 * Math.sqrt(res.variance / res.n) : Number.NaN;
    const oe =
      res.expected > 0
        ? {
            point: (res.expected + res.mean) / res.expected,
            lower: (res.expected + res.mean - half) / res.expected,
            upper: (res.expected + res.mean + half) / res.expected,
          }
        : { point: Number.NaN, lower: Number.NaN, upper: Number.NaN };
    const rc = replyCounts(rows, level === 'step' || level === 'variant' ? (meta.stepIdx ?? null) : null);
    let sScore = 0;
    let nScore = 0;
    for (const r of rows) {
      if (input.runTest[r] !== 1 || Number.isNaN(input.runScore[r]!)) continue;
      sScore += input.runScore[r]!;
      nScore++;
    }
    elements.push({
      level,
      key,
      org_id: meta.org,
      campaign_id: meta.campaign,
      campaign_name: c?.name ?? meta.campaign,
      step_id: meta.step?.stepId ?? null,
      order_id: meta.step?.orderId ?? null,
      channel: meta.channel ?? meta.step?.channel ?? null,
      variant_id: meta.variantId ?? null,
      variant_key: meta.variantKey ?? null,
      label: meta.step?.label ?? null,
      branch: meta.branch ?? null,
      volume: rows.length,
      replies: rateStat(rc.any, rc.n),
      positive_replies: rateStat(rc.pos, rc.n),
      negative_replies: rateStat(rc.neg, rc.n),
      opt_outs: rateStat(rc.opt, rc.n),
      booked_7d: labelStat(rows, T1),
      qualified_14d: labelStat(rows, 'qualified_within_14d'),
      converted_30d: labelStat(rows, 'conversion_within_30d'),
      drop_off: meta.stepIdx !== undefined ? dropOff(rows, meta.stepIdx) : null,
      expected_booked_7d: res.expected,
      observed_expected: oe,
      run_score_mean_test: nScore > 0 ? sScore / nScore : null,
      run_score_n_test: nScore,
      flag: {
        underperforming: false,
        probability_worse: Number.isNaN(z) ? Number.NaN : normalCdf(-z),
        p_value: Number.isNaN(z) ? Number.NaN : 2 * normalCdf(-Math.abs(z)),
        q_value: Number.NaN,
      },
    });
    return res;
  };

  const stepRes = new Map<string, ReturnType<typeof residuals>>();
  for (const c of [...d.campaigns.values()]) {
    const ck = `${c.orgId}\u0000${c.campaignId}`;
    pushElement('campaign', `campaign:${c.orgId}:${c.campaignId}`, byCampaign.get(ck) ?? [], {
      org: c.orgId,
      campaign: c.campaignId,
    });
    for (const ch of ['email', 'sms', 'voice']) {
      const rows = byChannel.get(`${ck}\u0000${ch}`);
      if (rows)
        pushElement('channel', `channel:${c.orgId}:${c.campaignId}:${ch}`, rows, {
          org: c.orgId,
          campaign: c.campaignId,
          channel: ch,
          at: byChannelAt.get(`${ck}\u0000${ch}`)!,
        });
    }
    for (const s of c.steps) {
      const si = d.stepIndex.get(`${s.orgId}\u0000${s.stepId}`)!;
      const sres = pushElement('step', `step:${s.orgId}:${s.stepId}`, byStep[si]!, {
        org: c.orgId,
        campaign: c.campaignId,
        step: s,
        stepIdx: si,
        at: byStepAt[si]!,
      });
      stepRes.set(`step:${s.orgId}:${s.stepId}`, sres);
      if (s.isDecisionPoint) {
        // Each branch: the leads the decision step reached whose next step was the branch's
        // target, judged at the touch of that next step (a path that ends: at the decision).
        for (const [taken, next] of [
          ['true', s.nextIfTrue],
          ['false', s.nextIfFalse],
        ] as const) {
          const ti = next === null ? undefined : d.stepIndex.get(`${s.orgId}\u0000${next}`);
          const rows: number[] = [];
          const at: number[] = [];
          for (const r of byStep[si]!) {
            const list = d.touches[r]!;
            const k = list.findIndex((t) => t.step === si);
            const nk = list.findIndex((t) => t.ts > list[k]!.ts && t.step !== si);
            if (ti === undefined ? nk < 0 : nk >= 0 && list[nk]!.step === ti) {
              rows.push(r);
              at.push(eAt(r, nk >= 0 ? nk : k));
            }
          }
          if (next === null && rows.length === 0) continue;
          const bkey = `branch:${s.orgId}:${s.stepId}:${taken}`;
          const res = pushElement('branch', bkey, rows, {
            org: c.orgId,
            campaign: c.campaignId,
            step: s,
            stepIdx: si,
            branch: { taken, next_step_id: next },
            at,
          });
          branchRes.set(bkey, res);
        }
      }
      d.variants.forEach((v, vi) => {
        if (v.orgId !== s.orgId || v.stepId !== s.stepId) return;
        pushElement('variant', `variant:${v.orgId}:${v.variantId}`, byVariant[vi]!, {
          org: c.orgId,
          campaign: c.campaignId,
          step: s,
          stepIdx: si,
          variantId: v.variantId,
          variantKey: v.key,
          at: byVariantAt[vi]!,
        });
      });
    }
  }
  // Underperformer flags: BH over every element's two-sided p-value (campaigns, channels,
  // steps, variants, decision branches: one family), then the bar. Steps, channels and
  // variants are judged against the expectation at the touch that reached each lead, so a
  // later step is not held to what its leads could have done at their first touch. Without
  // touch-level expectations only campaigns and first steps are fair, so only they are
  // flagged.
  const firstOrder = (e: ElementStats) =>
    Math.min(
      ...(d.campaigns.get(`${e.org_id}\u0000${e.campaign_id}`)?.steps.map((s) => s.orderId) ?? [Number.NaN]),
    );
  const flaggable = (e: ElementStats) =>
    te !== undefined ||
    e.level === 'campaign' ||
    ((e.level === 'step' || e.level === 'variant') && e.order_id === firstOrder(e));
  const eq = benjaminiHochberg(elements.map((e) => (flaggable(e) ? e.flag.p_value : Number.NaN)));
  elements.forEach((e, i) => {
    const q = eq[i]!;
    const under =
      flaggable(e) &&
      q <= bar.fdr &&
      e.flag.probability_worse >= bar.minProbability &&
      e.booked_7d.n >= bar.minArm &&
      e.expected_booked_7d * e.booked_7d.n >= bar.minEvents;
    (elements[i] as { flag: ElementStats['flag'] }).flag = { ...e.flag, q_value: q, underperforming: under };
  });

  // Decision points: the two branches' adjusted gap; supported when the worse branch is flagged.
  const decisions: DecisionFinding[] = [];
  for (const s of d.steps) {
    if (!s.isDecisionPoint) continue;
    const kt = `branch:${s.orgId}:${s.stepId}:true`;
    const kf = `branch:${s.orgId}:${s.stepId}:false`;
    const rt = branchRes.get(kt);
    const rf = branchRes.get(kf);
    if (!rt || !rf || rt.n < 2 || rf.n < 2) continue;
    const se = Math.sqrt(rt.variance / rt.n + rf.variance / rf.n);
    if (!(se > 0)) continue;
    const [better, worse, rb, rw] = rt.mean >= rf.mean ? [kt, kf, rt, rf] : [kf, kt, rf, rt];
    const gap = rb.mean - rw.mean;
    const we = elements.find((e) => e.key === worse)!;
    const be = elements.find((e) => e.key === better)!;
    const supported = we.flag.underperforming && gap - 1.96 * se > 0;
    const c = d.campaigns.get(`${s.orgId}\u0000${s.campaignId}`);
    const nextOf = (e: ElementStats) => {
      const id = e.branch?.next_step_id ?? null;
      const st = id === null ? undefined : d.steps[d.stepIndex.get(`${s.orgId}\u0000${id}`) ?? -1];
      return st ? `step ${st.orderId} (${st.channel}, "${st.label}")` : 'the end of the campaign';
    };
    const cond = `${s.branchCondition ?? 'condition'} = ${we.branch?.taken}`;
    decisions.push({
      org_id: s.orgId,
      campaign_id: s.campaignId,
      campaign_name: c?.name ?? s.campaignId,
      step_id: s.stepId,
      order_id: s.orderId,
      condition: s.branchCondition,
      worse_branch: worse,
      better_branch: better,
      gap: { point: gap, lower: gap - 1.96 * se, upper: gap + 1.96 * se },
      p_value: 2 * normalCdf(-gap / se),
      supported,
      plan: supported
        ? experimentPlan({
            hypothesis: `Leads with ${cond} at step ${s.orderId} of "${c?.name ?? s.campaignId}" book ${(-rw.mean * 100).toFixed(1)} points below what their lead facts predict when sent to ${nextOf(we)}; sending them to ${nextOf(be)} instead books more.`,
            control: { description: `current: ${cond} → ${nextOf(we)}`, text: null },
            treatment: { description: `proposed: ${cond} → ${nextOf(be)}`, text: null },
            metric: T1,
            windowDays: TARGET_DEFS[T1].days,
            baselineRate: we.booked_7d.rate.point,
            uplift: Math.min(-rw.mean, gap),
            perDay: we.volume / days,
            optOutRate: we.opt_outs.rate.point,
            negativeReplyRate: we.negative_replies.rate.point,
          })
        : null,
    });
  }

  // Step-removal findings: a later step flagged below expected at its touch whose leads'
  // replies are more often negative or opt-outs than those of the campaign's other steps.
  const elementByKey = new Map(elements.map((e) => [e.key, e] as const));
  const shareTest = (k1: number, n1: number, k2: number, n2: number): ShareTest => {
    const z = twoProportionZ(k1, n1, k2, n2);
    return { step: rateStat(k1, n1), other_steps: rateStat(k2, n2), z, p_value: normalCdf(-z) };
  };
  const pending: (Omit<StepRemovalFinding, 'reply_q_value' | 'supported' | 'plan'> & {
    campaign: RecCampaign;
    step: RecStep;
    shortfall: number;
    el: ElementStats;
  })[] = [];
  for (const c of d.campaigns.values()) {
    if (c.steps.length < 2) continue;
    const first = Math.min(...c.steps.map((s) => s.orderId));
    const own = new Set(c.steps.map((s) => d.stepIndex.get(`${s.orgId}\u0000${s.stepId}`)!));
    const rows = byCampaign.get(`${c.orgId}\u0000${c.campaignId}`) ?? [];
    for (const s of c.steps) {
      if (s.orderId === first) continue;
      const key = `step:${s.orgId}:${s.stepId}`;
      const el = elementByKey.get(key);
      const res = stepRes.get(key);
      if (!el || !res || !el.flag.underperforming) continue;
      // Shares of the leads who replied, not rates per lead reached: a text step draws more
      // replies of every kind than a call, so the mix tells a step that annoys. The step's
      // side is the element's own reply counts; the other side counts each lead once.
      const si = d.stepIndex.get(`${s.orgId}\u0000${s.stepId}`)!;
      let any = 0;
      let neg = 0;
      let opt = 0;
      let both = 0;
      for (const r of rows) {
        const limit = d.decisionTs[r]! + WEEK;
        let a = false;
        let ng = false;
        let o = false;
        let mine = false;
        for (const rep of d.replies[r]!) {
          if (rep.ts >= limit || !own.has(rep.step)) continue;
          if (rep.step === si) {
            mine = true;
            continue;
          }
          a = true;
          if (NEGATIVE_INTENTS.has(rep.intent)) ng = true;
          if (rep.intent === 'opt_out') o = true;
        }
        any += a ? 1 : 0;
        neg += ng ? 1 : 0;
        opt += o ? 1 : 0;
        both += a && mine ? 1 : 0;
      }
      const negative = shareTest(el.negative_replies.k, el.replies.k, neg, any);
      const optOuts = shareTest(el.opt_outs.k, el.replies.k, opt, any);
      pending.push({
        org_id: s.orgId,
        campaign_id: c.campaignId,
        campaign_name: c.name,
        step_id: s.stepId,
        order_id: s.orderId,
        channel: s.channel,
        label: s.label,
        element: key,
        observed_expected: el.observed_expected,
        q_value: el.flag.q_value,
        negative_replies: negative,
        opt_outs: optOuts,
        leads_on_both_sides: both,
        reply_p_value: Math.min(1, 2 * Math.min(negative.p_value, optOuts.p_value)),
        campaign: c,
        step: s,
        shortfall: -res.mean,
        el,
      });
    }
  }
  const rq = benjaminiHochberg(pending.map((f) => f.reply_p_value));
  const stepRemovals: StepRemovalFinding[] = pending.map(
    ({ campaign: c, step: s, shortfall, el, ...f }, i) => {
      const supported = rq[i]! <= bar.fdr;
      const where = `step ${s.orderId} (${s.channel}, "${s.label}")`;
      const { negative_replies: negative, opt_outs: optOuts } = f;
      return {
        ...f,
        reply_q_value: rq[i]!,
        supported,
        plan: supported
          ? experimentPlan({
              hypothesis: `Leads reaching ${where} of "${c.name}" book ${(shortfall * 100).toFixed(1)} points below what leads at that point in their window predict, and the leads who reply to it more often reply negatively (${pct(negative.step.rate.point)} vs ${pct(negative.other_steps.rate.point)} of the leads who reply to the other steps) or opt out (${pct(optOuts.step.rate.point)} vs ${pct(optOuts.other_steps.rate.point)}); skipping it books at least as many.`,
              control: {
                description: `current: sequence ${sequenceText(c)}`,
                text: `sequence ${sequenceText(c)}`,
              },
              treatment: {
                description: `proposed: skip ${where} for a random half of the leads that reach it (later steps keep their waits)`,
                text: `sequence ${sequenceText(c, s)}`,
              },
              metric: T1,
              windowDays: TARGET_DEFS[T1].days,
              baselineRate: el.booked_7d.rate.point,
              uplift: shortfall,
              perDay: el.volume / days,
              optOutRate: el.opt_outs.rate.point,
              negativeReplyRate: el.negative_replies.rate.point,
            })
          : null,
      };
    },
  );

  // Comparisons.
  const arm = (
    label: string,
    rows: readonly number[],
    campaign: string,
    step: string | null,
    variant: string | null,
  ): Arm & { variance: number } => {
    const res = residuals(rows, yT, eT);
    const rc = replyCounts(rows, null);
    return {
      label,
      campaign_id: campaign,
      step_id: step,
      variant_id: variant,
      n: res.n,
      booked: res.k,
      rate: wilson(res.k, res.n),
      expected: res.expected,
      adjusted: res.mean,
      per_day: rows.length / days,
      opt_out_rate: rc.n > 0 ? rc.opt / rc.n : 0,
      negative_reply_rate: rc.n > 0 ? rc.neg / rc.n : 0,
      variance: res.variance,
    };
  };
  const comparisons: Comparison[] = [];
  const compare = (
    kind: ComparisonKind,
    org: string,
    stepIds: readonly string[],
    a: Arm & { variance: number },
    b: Arm & { variance: number },
    detail: Record<string, unknown>,
  ) => {
    if (a.n < 2 || b.n < 2) return;
    const diff = a.adjusted - b.adjusted;
    const se = Math.sqrt(a.variance / a.n + b.variance / b.n);
    if (!(se > 0)) return;
    const [better, worse] = diff >= 0 ? [a, b] : [b, a];
    const eff = Math.abs(diff);
    const z = eff / se;
    const strip = ({ variance: _v, ...x }: Arm & { variance: number }): Arm => x;
    comparisons.push({
      kind,
      org_id: org,
      step_ids: stepIds,
      better: strip(better),
      worse: strip(worse),
      effect: { point: eff, lower: eff - 1.96 * se, upper: eff + 1.96 * se },
      z,
      p_value: 2 * normalCdf(-z),
      q_value: Number.NaN,
      probability: normalCdf(z),
      meets_counts:
        worse.n >= bar.minArm &&
        better.n >= bar.minArm &&
        worse.booked >= bar.minEvents &&
        better.booked >= bar.minEvents,
      flagged: false,
      detail,
    });
  };

  // (1) Variants of a step: each variant against the control (or the first by key).
  for (const s of d.steps) {
    const vs = d.variants
      .map((v, i) => ({ v, i }))
      .filter(
        ({ v }) =>
          v.orgId === s.orgId &&
          v.stepId === s.stepId &&
          byVariant[d.variantIndex.get(`${v.orgId}\u0000${v.variantId}`)!]!.length > 0,
      );
    if (vs.length < 2) continue;
    const ref = vs.find(({ v }) => v.isControl) ?? [...vs].sort((x, y) => (x.v.key < y.v.key ? -1 : 1))[0]!;
    for (const other of vs) {
      if (other === ref) continue;
      compare(
        'prompt_variant',
        s.orgId,
        [s.stepId],
        arm(
          `variant ${ref.v.key || ref.v.variantId}`,
          byVariant[ref.i]!,
          s.campaignId,
          s.stepId,
          ref.v.variantId,
        ),
        arm(
          `variant ${other.v.key || other.v.variantId}`,
          byVariant[other.i]!,
          s.campaignId,
          s.stepId,
          other.v.variantId,
        ),
        { control_variant_id: ref.v.variantId },
      );
    }
  }
  // (2) Sibling campaigns of an org: the same channels in another order, or the same order with other waits.
  const camps = [...d.campaigns.values()].filter((c) => c.steps.length >= 2);
  for (let i = 0; i < camps.length; i++) {
    for (let j = i + 1; j < camps.length; j++) {
      const a = camps[i]!;
      const b = camps[j]!;
      if (a.orgId !== b.orgId || a.steps.length !== b.steps.length) continue;
      const ca = a.steps.map((s) => s.channel);
      const cb = b.steps.map((s) => s.channel);
      if ([...ca].sort().join() !== [...cb].sort().join()) continue;
      const rowsA = byCampaign.get(`${a.orgId}\u0000${a.campaignId}`) ?? [];
      const rowsB = byCampaign.get(`${b.orgId}\u0000${b.campaignId}`) ?? [];
      const armA = arm(`campaign ${a.name}`, rowsA, a.campaignId, null, null);
      const armB = arm(`campaign ${b.name}`, rowsB, b.campaignId, null, null);
      if (ca.join() !== cb.join()) {
        compare('step_order', a.orgId, [], armA, armB, {
          orders: { [a.campaignId]: ca, [b.campaignId]: cb },
        });
      } else {
        const differ = a.steps
          .map((s, k) => ({ s, t: b.steps[k]! }))
          .filter(({ s, t }) => (s.waitBeforeMs ?? -1) !== (t.waitBeforeMs ?? -1));
        if (differ.length === 0) continue;
        compare(
          'step_wait',
          a.orgId,
          differ.flatMap(({ s, t }) => [s.stepId, t.stepId]),
          armA,
          armB,
          {
            waits: differ.map(({ s, t }) => ({
              order_id: s.orderId,
              channel: s.channel,
              [a.campaignId]: { step_id: s.stepId, wait_before_ms: s.waitBeforeMs },
              [b.campaignId]: { step_id: t.stepId, wait_before_ms: t.waitBeforeMs },
            })),
          },
        );
      }
    }
  }
  // (3) Sibling campaigns of an org one step apart: the longer one's step sequence without
  // one step is the shorter one's (same channels in the same order). The waits must say
  // the same thing, so the comparison is about the step alone, in one of two ways:
  // 'waits' — every remaining step keeps its wait (the later steps run earlier), preferred;
  // 'times' — the step after the removed one waits the removed step's wait plus its own
  // (every later step keeps its time). A pair whose waits differ otherwise is not compared:
  // its effect would mix removing the step with changing a wait.
  const removal = (long: RecCampaign, short: RecCampaign): { x: number; kept: 'waits' | 'times' } | null => {
    for (const kept of ['waits', 'times'] as const) {
      for (let x = 0; x < long.steps.length; x++) {
        const rest = long.steps.filter((_, k) => k !== x);
        const same = rest.every((s, k) => {
          const t = short.steps[k]!;
          if (s.channel !== t.channel) return false;
          if (kept === 'times' && k === x) {
            return (t.waitBeforeMs ?? 0) === (long.steps[x]!.waitBeforeMs ?? 0) + (s.waitBeforeMs ?? 0);
          }
          return (s.waitBeforeMs ?? -1) === (t.waitBeforeMs ?? -1);
        });
        if (same) return { x, kept };
      }
    }
    return null;
  };
  const all = [...d.campaigns.values()].filter((c) => c.steps.length >= 1);
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      if (a.orgId !== b.orgId || Math.abs(a.steps.length - b.steps.length) !== 1) continue;
      const [long, short] = a.steps.length > b.steps.length ? [a, b] : [b, a];
      const found = removal(long, short);
      if (!found) continue;
      const s = long.steps[found.x]!;
      const rowsL = byCampaign.get(`${long.orgId}\u0000${long.campaignId}`) ?? [];
      const rowsS = byCampaign.get(`${short.orgId}\u0000${short.campaignId}`) ?? [];
      compare(
        'step_removal',
        a.orgId,
        [s.stepId],
        arm(`campaign ${long.name} (with step ${s.orderId})`, rowsL, long.campaignId, null, null),
        arm(`campaign ${short.name} (without it)`, rowsS, short.campaignId, null, null),
        {
          with_step: long.campaignId,
          without_step: short.campaignId,
          removed: {
            step_id: s.stepId,
            order_id: s.orderId,
            channel: s.channel,
            label: s.label,
            wait_before_ms: s.waitBeforeMs,
          },
          sequences: {
            [long.campaignId]: long.steps.map((t) => t.channel),
            [short.campaignId]: short.steps.map((t) => t.channel),
          },
          waits: {
            [long.campaignId]: long.steps.map((t) => t.waitBeforeMs),
            [short.campaignId]: short.steps.map((t) => t.waitBeforeMs),
          },
          kept: found.kept,
        },
      );
    }
  }
  const cq = benjaminiHochberg(comparisons.map((c) => c.p_value));
  comparisons.forEach((c, i) => {
    c.q_value = cq[i]!;
    c.flagged = c.q_value <= bar.fdr && c.probability >= bar.minProbability && c.meets_counts;
  });

  const recommendations = comparisons
    .filter((c) => c.flagged)
    .map((c) => recommendationOf(c, d, input.runName, target))
    .sort((a, b) => b.impact.extra_per_month.point - a.impact.extra_per_month.point || (a.id < b.id ? -1 : 1))
    .map((r, i) => ({ ...r, rank: i + 1 }));

  return {
    elements,
    comparisons,
    recommendations,
    paths: pathsOf(d, byCampaign, byStep, y1, e1),
    decisions,
    step_removals: stepRemovals,
    months,
    target,
    families: {
      comparisons: cq.filter((q) => !Number.isNaN(q)).length,
      element_flags: eq.filter((q) => !Number.isNaN(q)).length,
      step_removal_findings: rq.filter((q) => !Number.isNaN(q)).length,
    },
  };
}

const fmtMs = (ms: number | null): string => {
  if (ms === null) return 'unset';
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return `${Math.round(ms / 60_000)} min`;
};
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** A campaign's channels in step order ("sms → voice → email"), without `skip` if given. */
export function sequenceText(campaign: RecCampaign, skip?: RecStep): string {
  return campaign.steps
    .filter((t) => t !== skip)
    .map((t) => t.channel)
    .join(' → ');
}

/** A campaign's waits before each step in order ("0 d, 4 h, 3 d"), without `skip` if given. */
function waitsText(steps: readonly RecStep[]): string {
  return steps.map((t) => fmtMs(t.waitBeforeMs)).join(', ');
}

/** What a target counts, in words and as the unit of impact. */
const TARGET_WORDS: Readonly<Record<TargetName, { readonly what: string; readonly unit: string }>> = {
  booked_call_within_7d: {
    what: 'bookings within 7 days',
    unit: 'extra calls booked within 7 days per month',
  },
  qualified_within_14d: {
    what: 'qualified leads within 14 days',
    unit: 'extra leads qualified within 14 days per month',
  },
  conversion_within_30d: {
    what: 'conversions within 30 days',
    unit: 'extra conversions within 30 days per month',
  },
};

function recommendationOf(
  c: Comparison,
  d: RecData,
  runName: string,
  target: TargetName = T1,
): Omit<Recommendation, 'rank'> {
  const words = TARGET_WORDS[target];
  const worseC = d.campaigns.get(`${c.org_id}\u0000${c.worse.campaign_id}`)!;
  const betterC = d.campaigns.get(`${c.org_id}\u0000${c.better.campaign_id}`)!;
  let title: string;
  let change: string;
  let edits: (PromptEdit & { evidence: string })[] = [];
  let controlText: string | null = null;
  let treatmentText: string | null = null;
  let messagesWorse: number | null = null;
  let messagesBetter: number | null = null;
  const p100 = (x: number) => (x * 100).toFixed(1);
  const effectText = `+${p100(c.effect.point)} points of ${words.what} (95% CI ${p100(c.effect.lower)} to ${p100(c.effect.upper)}), adjusted for lead mix`;
  if (c.kind === 'prompt_variant') {
    const step = d.steps[d.stepIndex.get(`${c.org_id}\u0000${c.step_ids[0]}`)!]!;
    const wi = d.variantIndex.get(`${c.org_id}\u0000${c.worse.variant_id}`)!;
    const bi = d.variantIndex.get(`${c.org_id}\u0000${c.better.variant_id}`)!;
    const wv = d.variants[wi]!;
    const bv = d.variants[bi]!;
    const wt: TextProfile = textProfile(d.variantTexts[wi]!);
    const bt: TextProfile = textProfile(d.variantTexts[bi]!);
    messagesWorse = wt.messages;
    messagesBetter = bt.messages;
    const rp = (a: Arm): ReplyProfile => ({
      reached: a.n,
      positiveShare: 0,
      negativeShare: a.negative_reply_rate,
      objectionShare: 0,
      optOutShare: a.opt_out_rate,
    });
    const ev = `${effectText}; ${wt.messages} vs ${bt.messages} messages`;
    edits = promptEdits(wt, bt, rp(c.worse), rp(c.better)).map((e) => ({ ...e, evidence: ev }));
    controlText = wv.promptText;
    treatmentText = bv.promptText;
    const where = `step ${step.orderId} ${step.channel.toUpperCase()} of "${worseC.name}"`;
    title = `${where}, variant ${wv.key}: rewrite toward variant ${bv.key}`;
    change =
      edits.length > 0
        ? `${where}, variant ${wv.key}: ${edits.map((e) => e.edit).join('; ')}`
        : `${where}: replace variant ${wv.key}'s prompt with variant ${bv.key}'s`;
  } else if (c.kind === 'step_order') {
    const wo = sequenceText(worseC);
    const bo = sequenceText(betterC);
    title = `Reorder "${worseC.name}" to ${bo}`;
    change = `Campaign "${worseC.name}" (${worseC.campaignId}): reorder ${wo} to ${bo}, the order of "${betterC.name}" (${betterC.campaignId})`;
    controlText = `sequence ${wo}`;
    treatmentText = `sequence ${bo}`;
  } else if (c.kind === 'step_removal') {
    const longC = d.campaigns.get(`${c.org_id}\u0000${String(c.detail.with_step)}`)!;
    const shortC = d.campaigns.get(`${c.org_id}\u0000${String(c.detail.without_step)}`)!;
    const s = d.steps[d.stepIndex.get(`${c.org_id}\u0000${c.step_ids[0]}`)!]!;
    const where = `step ${s.orderId} (${s.channel}, "${s.label}")`;
    const lo = `${sequenceText(longC)} (waits ${waitsText(longC.steps)})`;
    const so = `${sequenceText(shortC)} (waits ${waitsText(shortC.steps)})`;
    const next = longC.steps[longC.steps.indexOf(s) + 1];
    const how =
      c.detail.kept === 'times' && next
        ? `step ${next.orderId} waits ${fmtMs(s.waitBeforeMs)} + ${fmtMs(next.waitBeforeMs)}, so every later step keeps its time`
        : 'every other step keeps its wait';
    if (worseC === longC) {
      title = `Remove ${where} from "${longC.name}"`;
      change = `Campaign "${longC.name}" (${longC.campaignId}): remove ${where}, ${lo} to ${so}; ${how}; as in "${shortC.name}" (${shortC.campaignId})`;
    } else {
      title = `Add ${where} to "${shortC.name}"`;
      change = `Campaign "${shortC.name}" (${shortC.campaignId}): add ${where} of "${longC.name}" (${longC.campaignId}), ${so} to ${lo}; ${how}`;
    }
    controlText = `sequence ${worseC === longC ? lo : so}`;
    treatmentText = `sequence ${worseC === longC ? so : lo}`;
  } else {
    const diffs = worseC.steps
      .map((s, k) => ({ s, t: betterC.steps[k]! }))
      .filter(({ s, t }) => (s.waitBeforeMs ?? -1) !== (t.waitBeforeMs ?? -1));
    const parts = diffs.map(
      ({ s, t }) =>
        `step ${s.orderId} (${s.channel}, "${s.label}") wait_before_ms ${fmtMs(s.waitBeforeMs)} → ${fmtMs(t.waitBeforeMs)}`,
    );
    title = `Change waits in "${worseC.name}": ${parts.join('; ')}`;
    change = `Campaign "${worseC.name}" (${worseC.campaignId}): ${parts.join('; ')}, as in "${betterC.name}" (${betterC.campaignId})`;
    controlText = `waits ${worseC.steps.map((s) => fmtMs(s.waitBeforeMs)).join(', ')}`;
    treatmentText = `waits ${betterC.steps.map((s) => fmtMs(s.waitBeforeMs)).join(', ')}`;
  }
  const monthly = c.worse.per_day * 30;
  const pReal = c.probability;
  const extra = {
    point: monthly * c.effect.point * pReal,
    lower: monthly * Math.max(0, c.effect.lower) * pReal,
    upper: monthly * c.effect.upper * pReal,
  };
  const campaignIds = [...new Set([c.worse.campaign_id, c.better.campaign_id])];
  const variantIds = [c.worse.variant_id, c.better.variant_id].filter((v): v is string => v !== null);
  const id = `rec-${createHash('sha256')
    .update(
      [
        runName,
        c.kind,
        c.org_id,
        ...campaignIds,
        ...c.step_ids,
        ...variantIds,
        ...(target === T1 ? [] : [target]),
      ].join('\u0000'),
    )
    .digest('hex')
    .slice(0, 10)}`;
  const plan = experimentPlan({
    hypothesis: `${c.better.label} gives more ${words.what} than ${c.worse.label} (observed +${(c.effect.point * 100).toFixed(1)} points adjusted, ${pct(c.worse.rate.point)} → ${pct(c.better.rate.point)} raw).`,
    control: { description: `current: ${c.worse.label}`, text: controlText },
    treatment: {
      description: `proposed: ${c.better.label}${edits.length > 0 ? ' (with the edits)' : ''}`,
      text: treatmentText,
    },
    metric: target,
    windowDays: TARGET_DEFS[target].days,
    baselineRate: c.worse.rate.point,
    uplift: c.effect.point,
    perDay: c.worse.per_day + c.better.per_day,
    optOutRate: c.worse.opt_out_rate,
    negativeReplyRate: c.worse.negative_reply_rate,
  });
  return {
    id,
    kind: c.kind,
    title,
    change,
    org_id: c.org_id,
    campaign_id: c.worse.campaign_id,
    campaign_ids: campaignIds,
    step_ids: c.step_ids,
    variant_ids: variantIds,
    worse: c.worse,
    better: c.better,
    evidence: {
      metric: target,
      effect: c.effect,
      relative_lift: c.worse.rate.point > 0 ? c.effect.point / c.worse.rate.point : Number.NaN,
      p_value: c.p_value,
      q_value: c.q_value,
      probability_real: pReal,
      messages_worse: messagesWorse,
      messages_better: messagesBetter,
    },
    edits,
    impact: {
      metric: words.unit,
      affected_per_month: monthly,
      extra_per_month: extra,
      probability_real: pReal,
      formula:
        'affected enrollments per month × adjusted effect × P(effect > 0); interval from the effect interval (lower bound floored at 0)',
    },
    plan,
    status: 'proposed',
  };
}

function pathsOf(
  d: RecData,
  byCampaign: ReadonlyMap<string, number[]>,
  byStep: readonly number[][],
  y1: Int8Array,
  e1: Float64Array,
): CampaignPath[] {
  const out: CampaignPath[] = [];
  for (const c of d.campaigns.values()) {
    const rows = byCampaign.get(`${c.orgId}\u0000${c.campaignId}`) ?? [];
    const steps: StepPath[] = c.steps.map((s) => {
      const si = d.stepIndex.get(`${s.orgId}\u0000${s.stepId}`)!;
      const reached = byStep[si]!;
      let dk = 0;
      let dn = 0;
      let bk = 0;
      for (const r of reached) {
        if (y1[r]! < 0) continue;
        dn++;
        bk += y1[r]!;
        const list = d.touches[r]!;
        const at = list.find((t) => t.step === si)!;
        if (!list.some((t) => t.ts > at.ts && t.step !== si) && y1[r] === 0) dk++;
      }
      let decision: StepPath['decision'] = null;
      if (s.isDecisionPoint) {
        const branch = (target: string | null) => {
          const ti = target === null ? undefined : d.stepIndex.get(`${s.orgId}\u0000${target}`);
          let n = 0;
          let k = 0;
          let ex = 0;
          for (const r of reached) {
            if (y1[r]! < 0) continue;
            const list = d.touches[r]!;
            const at = list.find((t) => t.step === si)!;
            const next = list.find((t) => t.ts > at.ts && t.step !== si);
            if (ti === undefined ? next === undefined : next?.step === ti) {
              n++;
              k += y1[r]!;
              ex += e1[r]!;
            }
          }
          return {
            step_id: target,
            n,
            booked_7d: rateStat(k, n),
            observed_expected: ex > 0 ? k / ex : Number.NaN,
          };
        };
        decision = {
          condition: s.branchCondition,
          if_true: branch(s.nextIfTrue),
          if_false: branch(s.nextIfFalse),
        };
      }
      return {
        step_id: s.stepId,
        order_id: s.orderId,
        channel: s.channel,
        wait_before_ms: s.waitBeforeMs,
        label: s.label,
        reached: reached.length,
        drop_off: rateStat(dk, dn),
        booked_7d: rateStat(bk, dn),
        decision,
      };
    });
    out.push({
      org_id: c.orgId,
      campaign_id: c.campaignId,
      name: c.name,
      channel_order: c.steps.map((s) => s.channel),
      enrollments: rows.length,
      steps,
    });
  }
  return out;
}
