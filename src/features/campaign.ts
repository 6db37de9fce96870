// Campaign performance, time-aware: the booking rate (T1) of the campaign, the first-touch
// step and its variant over OTHER enrollments whose 7-day label window closed before this
// enrollment's decision time, smoothed toward the global rate known at that time. A row
// never sees its own outcome (its window closes after its decision) nor a later one.

import type { FeatureContext } from './context.js';
import { FamilyColumns } from './context.js';
import { KIND_ACTIVITY } from './load.js';
import { TARGET_DEFS } from './types.js';

/** Pseudo-count of the prior in the smoothed rates. */
export const RATE_PRIOR_WEIGHT = 20;
const WEEK_MS = 7 * 86_400_000;

/** Smoothed rate: (positives + m·prior) / (n + m), prior = (all positives + 1) / (all + 2). */
export function smoothedRate(
  pos: number,
  n: number,
  allPos: number,
  all: number,
  m = RATE_PRIOR_WEIGHT,
): number {
  const prior = (allPos + 1) / (all + 2);
  return (pos + m * prior) / (n + m);
}

const DAY_MS = 86_400_000;

/** Rate columns of T2 and T3 (T1's are the cmp_*_book_rate columns): name key, target, wording. */
export const OTHER_TARGET_RATES = [
  { key: 'qualified', target: 'qualified_within_14d', what: 'qualified within 14 days' },
  { key: 'converted', target: 'conversion_within_30d', what: 'converted within 30 days' },
] as const;

interface Rates {
  readonly campaign: Float64Array;
  readonly campaignN: Float64Array;
  readonly step: Float64Array;
  readonly variant: Float64Array;
}

/**
 * Smoothed rates of outcome `y` by campaign, step and variant over the enrollments whose
 * window (decision + windowMs) closed before each row's decision time and by the as-of
 * time. Rows are in decision order, so window closings come in the same order.
 */
function fillRates(
  ctx: FeatureContext,
  campaign: Int32Array,
  stepOf: Int32Array,
  variantOf: Int32Array,
  y: Uint8Array,
  windowMs: number,
): Rates {
  const n = ctx.nRows;
  const out: Rates = {
    campaign: new Float64Array(n),
    campaignN: new Float64Array(n),
    step: new Float64Array(n).fill(Number.NaN),
    variant: new Float64Array(n).fill(Number.NaN),
  };
  const counts = (size: number) => ({ n: new Float64Array(size), pos: new Float64Array(size) });
  const byC = counts(ctx.data.campaigns.size);
  const byS = counts(ctx.data.steps.size);
  const byV = counts(ctx.data.variants.size);
  let all = 0;
  let allPos = 0;
  let p = 0;
  for (let r = 0; r < n; r++) {
    const d = ctx.decision[r]!;
    while (p < n && ctx.decision[p]! + windowMs < d && ctx.decision[p]! + windowMs <= ctx.asOf) {
      const yp = y[p]!;
      all++;
      allPos += yp;
      byC.n[campaign[p]!]!++;
      byC.pos[campaign[p]!]! += yp;
      if (stepOf[p]! >= 0) {
        byS.n[stepOf[p]!]!++;
        byS.pos[stepOf[p]!]! += yp;
      }
      if (variantOf[p]! >= 0) {
        byV.n[variantOf[p]!]!++;
        byV.pos[variantOf[p]!]! += yp;
      }
      p++;
    }
    const c = campaign[r]!;
    out.campaign[r] = smoothedRate(byC.pos[c]!, byC.n[c]!, allPos, all);
    out.campaignN[r] = byC.n[c]!;
    const s = stepOf[r]!;
    if (s >= 0) out.step[r] = smoothedRate(byS.pos[s]!, byS.n[s]!, allPos, all);
    const v = variantOf[r]!;
    if (v >= 0) out.variant[r] = smoothedRate(byV.pos[v]!, byV.n[v]!, allPos, all);
  }
  return out;
}

export function campaignFeatures(ctx: FeatureContext): FamilyColumns {
  const f = new FamilyColumns('campaign', ctx.nRows);
  const ev = ctx.data.events;
  const how = `over other enrollments whose 7-day label window closed before this decision time, smoothed: (booked + ${RATE_PRIOR_WEIGHT}·prior)/(n + ${RATE_PRIOR_WEIGHT}), prior = the global rate so far`;
  const cRate = f.num(
    'cmp_campaign_book_rate',
    `Share of the campaign's enrollments booked within 7 days ${how}.`,
  );
  const cN = f.num(
    'cmp_campaign_history_n',
    "Enrollments of the campaign whose label window had closed at this decision time (the rate's evidence).",
  );
  const sRate = f.num(
    'cmp_step_book_rate',
    `The same rate for enrollments whose first touch was the same step ${how}; missing when the step is unknown.`,
    Number.NaN,
  );
  const vRate = f.num(
    'cmp_variant_book_rate',
    `The same rate for enrollments that got the same step variant first (first activity with a variant before the cutoff) ${how}; missing without a variant.`,
    Number.NaN,
  );
  const vCtl = f.num(
    'cmp_variant_is_control',
    'is_control of that first variant (1 control, 0 treatment); missing without a variant.',
    Number.NaN,
  );

  const n = ctx.nRows;
  const stepOf = new Int32Array(n).fill(-1);
  const variantOf = new Int32Array(n).fill(-1);
  for (let r = 0; r < n; r++) {
    for (let k = ctx.start[r]!; k < ctx.start[r + 1]!; k++) {
      const i = ctx.events[k]!;
      if (ev.kind[i] !== KIND_ACTIVITY) continue;
      if (stepOf[r] === -1 && ev.step[i]! >= 0) stepOf[r] = ev.step[i]!;
      if (variantOf[r] === -1 && ev.variant[i]! >= 0) variantOf[r] = ev.variant[i]!;
    }
    if (variantOf[r]! >= 0) vCtl[r] = ctx.data.variantIsControl[variantOf[r]!] ?? Number.NaN;
  }
  const campaign = new Int32Array(n);
  for (let r = 0; r < n; r++) campaign[r] = ctx.data.enrCampaign[ctx.rowEnr[r]!]!;
  const t1 = fillRates(ctx, campaign, stepOf, variantOf, ctx.booked7d, WEEK_MS);
  cRate.set(t1.campaign);
  cN.set(t1.campaignN);
  sRate.set(t1.step);
  vRate.set(t1.variant);
  // The same rates for the other targets' outcomes (their own windows), so each target's
  // comparator reads the history of its own outcome.
  for (const { key, target, what } of OTHER_TARGET_RATES) {
    const windowMs = TARGET_DEFS[target].days * DAY_MS;
    const howT = `over other enrollments whose ${TARGET_DEFS[target].days}-day ${target} window closed before this decision time, smoothed as cmp_campaign_book_rate`;
    const r = fillRates(ctx, campaign, stepOf, variantOf, ctx.outcomes[target], windowMs);
    f.num(`cmp_campaign_${key}_rate`, `Share of the campaign's enrollments ${what} ${howT}.`).set(r.campaign);
    f.num(
      `cmp_step_${key}_rate`,
      `The same for the first-touch step ${howT}; missing when the step is unknown.`,
      Number.NaN,
    ).set(r.step);
    f.num(
      `cmp_variant_${key}_rate`,
      `The same for the first step variant ${howT}; missing without a variant.`,
      Number.NaN,
    ).set(r.variant);
  }
  const campaignIds = ctx.data.campaigns.values.map((k) => k.replace('\u0000', ':'));
  f.categorical('cmp_campaign', 'The campaign, as org_id:campaign_id.', campaign, campaignIds);
  return f;
}
