// Pure-noise data for the benchmark's false-positive measure: the outcomes of every
// enrollment (booked, qualified, converted, moved together) are permuted at random among
// the enrollments of the same org whose label windows have elapsed for the same targets.
// After it no campaign, step, variant or sequence has any effect on any outcome, so every
// comparison or flag raised on the result is a false positive. Paths, replies and texts
// are left as they are. The shuffle also erases the link between the lead features and
// the outcome, so it tests multiple-comparison control, not the lead-mix adjustment.
// Deterministic from (seed, stream).

import { TARGETS } from '../features/index.js';
import { SeededRng } from '../numeric/rng.js';
import type { RecData } from './load.js';

/**
 * A copy of `data` whose label tuples are shuffled (Fisher–Yates) within strata of
 * (org, which targets' windows have elapsed). Counts of each outcome per stratum are kept.
 */
export function shuffleOutcomes(data: RecData, seed: number, stream = 0): RecData {
  const strata = new Map<string, number[]>();
  for (let r = 0; r < data.nRows; r++) {
    const elapsed = TARGETS.map((t) => (data.labels[t][r]! >= 0 ? '1' : '0')).join('');
    const k = `${data.orgId[r]}\u0000${elapsed}`;
    (strata.get(k) ?? strata.set(k, []).get(k)!).push(r);
  }
  const rng = new SeededRng(seed, stream);
  const from = new Int32Array(data.nRows);
  for (const k of [...strata.keys()].sort()) {
    const rows = strata.get(k)!;
    const perm = [...rows];
    for (let i = perm.length - 1; i > 0; i--) {
      const j = Math.floor(rng.nextFloat() * (i + 1));
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    rows.forEach((r, i) => {
      from[r] = perm[i]!;
    });
  }
  const labels = {} as Record<(typeof TARGETS)[number], Int8Array>;
  for (const t of TARGETS) {
    const src = data.labels[t];
    labels[t] = Int8Array.from(from, (r) => src[r]!);
  }
  return { ...data, labels };
}
