// The A/B test that would prove a recommendation: sample size per arm for a two-sided
// two-proportion test, duration from the element's current volume, a staged rollout with
// stop criteria, guardrails and the analysis rule.

import { twoProportionSampleSize } from './stats.js';

/** Defaults of every plan. */
export const PLAN_DEFAULTS = {
  alpha: 0.05,
  power: 0.8,
  /** Rollout stages: share of new enrollments given the treatment. */
  stages: [0.1, 0.5, 1] as const,
  /** SRM alarm: chi-square p-value below this stops the test. */
  srmAlpha: 0.001,
  /** Minimum enrollments per arm before any decision, even when the plan's n is smaller. */
  minPerArm: 200,
} as const;

export interface ExperimentPlan {
  readonly hypothesis: string;
  readonly control: { readonly description: string; readonly text: string | null };
  readonly treatment: { readonly description: string; readonly text: string | null };
  readonly primary_metric: {
    readonly name: string;
    readonly window_days: number;
    readonly baseline_rate: number;
  };
  readonly guardrails: readonly {
    readonly metric: string;
    readonly baseline_rate: number;
    readonly stop_if: string;
  }[];
  readonly mde: { readonly absolute: number; readonly relative: number; readonly treatment_rate: number };
  readonly sample_size: {
    readonly per_arm: number;
    readonly total: number;
    readonly alpha: number;
    readonly power: number;
    readonly method: string;
    readonly arcsine_per_arm: number;
    readonly pooled_per_arm: number;
  };
  readonly duration: {
    readonly enrollments_per_day: number;
    readonly days_to_enroll: number | null;
    readonly days_total: number | null;
    readonly note: string;
  };
  readonly allocation: string;
  readonly rollout: readonly {
    readonly stage: number;
    readonly treatment_share: number;
    readonly until: string;
    readonly stop_if: string;
  }[];
  readonly analysis_rule: string;
}

export interface PlanInput {
  readonly hypothesis: string;
  readonly control: { readonly description: string; readonly text: string | null };
  readonly treatment: { readonly description: string; readonly text: string | null };
  readonly metric: string;
  readonly windowDays: number;
  /** Current rate of the control (the worse arm). */
  readonly baselineRate: number;
  /** The absolute uplift to detect (the estimated effect). */
  readonly uplift: number;
  /** Enrollments per day currently reaching the element (both arms together after the change). */
  readonly perDay: number;
  readonly optOutRate: number;
  readonly negativeReplyRate: number;
}

/** Builds the plan; sample size = the larger of the arcsine and pooled-variance forms, rounded up. */
export function experimentPlan(p: PlanInput): ExperimentPlan {
  const alpha = PLAN_DEFAULTS.alpha;
  const power = PLAN_DEFAULTS.power;
  const uplift = Math.max(p.uplift, 1e-4);
  const p1 = Math.min(0.999, p.baselineRate + uplift);
  const ss = twoProportionSampleSize(p1, p.baselineRate, alpha, power);
  const perArm = Math.max(PLAN_DEFAULTS.minPerArm, Math.ceil(Math.max(ss.arcsine, ss.pooled)));
  const total = 2 * perArm;
  const days = p.perDay > 0 ? Math.ceil(total / p.perDay) : null;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const stageUntil = (share: number) =>
    share === 0.1
      ? `${Math.max(PLAN_DEFAULTS.minPerArm, Math.ceil(perArm * 0.1))} enrollments in the treatment arm, plus ${p.windowDays} days for their outcomes`
      : share === 0.5
        ? `${perArm} enrollments per arm, plus ${p.windowDays} days for their outcomes; then the analysis rule decides`
        : 'the change is applied by the campaign owner; keep monitoring the guardrails';
  const stop = `SRM chi-square p < ${PLAN_DEFAULTS.srmAlpha}; or opt-out rate above ${pct(p.optOutRate + 0.01)}; or negative replies above ${pct(p.negativeReplyRate + 0.02)} in the treatment arm (one-sided p < 0.01 against control)`;
  return {
    hypothesis: p.hypothesis,
    control: p.control,
    treatment: p.treatment,
    primary_metric: { name: p.metric, window_days: p.windowDays, baseline_rate: p.baselineRate },
    guardrails: [
      {
        metric: 'opt_out_rate',
        baseline_rate: p.optOutRate,
        stop_if: `treatment above ${pct(p.optOutRate + 0.01)} (one-sided p < 0.01)`,
      },
      {
        metric: 'negative_reply_rate',
        baseline_rate: p.negativeReplyRate,
        stop_if: `treatment above ${pct(p.negativeReplyRate + 0.02)} (one-sided p < 0.01)`,
      },
    ],
    mde: {
      absolute: uplift,
      relative: p.baselineRate > 0 ? uplift / p.baselineRate : Number.NaN,
      treatment_rate: p1,
    },
    sample_size: {
      per_arm: perArm,
      total,
      alpha,
      power,
      method:
        'two-sided two-proportion test; max of the arcsine form (statsmodels NormalIndPower with proportion_effectsize) and the pooled-variance normal formula, rounded up, at least 200 per arm',
      arcsine_per_arm: ss.arcsine,
      pooled_per_arm: ss.pooled,
    },
    duration: {
      enrollments_per_day: p.perDay,
      days_to_enroll: days,
      days_total: days === null ? null : days + p.windowDays,
      note: 'at the 50% stage, with every enrollment that reaches the element split between the arms; the label window is added',
    },
    allocation:
      '50/50 by enrollment, assigned at random when the enrollment reaches the element (sticky per lead)',
    rollout: PLAN_DEFAULTS.stages.map((share, i) => ({
      stage: i + 1,
      treatment_share: share,
      until: stageUntil(share),
      stop_if: stop,
    })),
    analysis_rule: `Before reading the metric: SRM check (chi-square of enrollments per arm against the planned shares; stop when p < ${PLAN_DEFAULTS.srmAlpha}); at least ${perArm} enrollments per arm whose ${p.windowDays}-day window has elapsed and at least 10 events per arm. Then a two-sided two-proportion z-test at α = ${alpha}: roll out when the treatment is better with p < ${alpha} and no guardrail fired; otherwise keep the control.`,
  };
}
