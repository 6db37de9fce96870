// Labels T1–T3 and the population rules. A target's label is 1 when its outcome happened
// in [decision, decision + horizon). A row is eligible for training when the window has
// fully elapsed by the as-of time and the outcome was not reached before the feature
// cutoff (such a lead is already converted when it would be scored).

import type { Loaded } from './load.js';
import { OUTCOME_TYPE_CODES } from './load.js';
import {
  EXCLUSION_REASONS,
  type ExclusionReason,
  TARGET_DEFS,
  type Target,
  type TargetLabels,
} from './types.js';

const DAY_MS = 86_400_000;

/**
 * Labels of `target` for the rows. `rowOf[e]` is the row of enrollment e (−1 when it has
 * no outbound touch); `withoutTouch` enrollments are counted as `no_outbound_touch`.
 */
export function labelTarget(
  data: Loaded,
  target: Target,
  rowOf: Int32Array,
  decision: Float64Array,
  cutoff: Float64Array,
  asOf: number,
  withoutTouch: number,
): TargetLabels {
  const n = decision.length;
  const def = TARGET_DEFS[target];
  const horizon = def.days * DAY_MS;
  const type = OUTCOME_TYPE_CODES[def.outcome];
  const y = new Uint8Array(n);
  const reached = new Uint8Array(n);
  const o = data.outcomes;
  for (let k = 0; k < o.n; k++) {
    if (o.type[k] !== type) continue;
    const r = rowOf[o.enr[k]!]!;
    if (r < 0) continue;
    const t = o.t[k]!;
    if (t >= decision[r]! && t < decision[r]! + horizon) y[r] = 1;
    if (t < cutoff[r]!) reached[r] = 1;
  }
  const eligible = new Uint8Array(n);
  const scorable = new Uint8Array(n);
  const exclusions = Object.fromEntries(EXCLUSION_REASONS.map((e) => [e, 0])) as Record<
    ExclusionReason,
    number
  >;
  exclusions.no_outbound_touch = withoutTouch;
  let nEligible = 0;
  let nPositive = 0;
  for (let r = 0; r < n; r++) {
    if (cutoff[r]! <= asOf && !reached[r]) scorable[r] = 1;
    if (decision[r]! + horizon > asOf) exclusions.window_not_elapsed++;
    else if (reached[r]) exclusions.outcome_before_cutoff++;
    else {
      eligible[r] = 1;
      nEligible++;
      nPositive += y[r]!;
    }
  }
  return { target, y, eligible, scorable, exclusions, nEligible, nPositive };
}
