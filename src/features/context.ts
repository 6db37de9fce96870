// What every feature family reads: the rows (enrollments with an outbound touch), their
// decision and cutoff times, and each row's events available at its cutoff in time
// order. Filtering here, once, is what makes every family point-in-time correct.

import type { Loaded } from './load.js';
import type { FeatureDef, FeatureFamily, Target } from './types.js';

export interface FeatureContext {
  readonly data: Loaded;
  readonly nRows: number;
  /** Enrollment index of each row. */
  readonly rowEnr: Int32Array;
  readonly decision: Float64Array;
  readonly cutoff: Float64Array;
  /** Row r's available events are `events[start[r] .. start[r+1])`, by time. */
  readonly start: Int32Array;
  readonly events: Int32Array;
  /** T1 label of each row (booked within 7 days of its decision), for time-aware rates. */
  readonly booked7d: Uint8Array;
  /** Every target's outcome within its window, per row (T1's is `booked7d`). */
  readonly outcomes: Readonly<Record<Target, Uint8Array>>;
  readonly asOf: number;
}

/** Columns and definitions a family produces. */
export class FamilyColumns {
  readonly defs: FeatureDef[] = [];
  readonly columns: Float64Array[] = [];
  constructor(
    private readonly family: FeatureFamily,
    private readonly nRows: number,
  ) {}

  /** A numeric column, filled with `fill` (0 for counts, NaN for measures that may be missing). */
  num(name: string, definition: string, fill = 0): Float64Array {
    const col = new Float64Array(this.nRows).fill(fill);
    this.defs.push({ name, family: this.family, definition });
    this.columns.push(col);
    return col;
  }

  /**
   * A categorical column from dictionary codes (−1 = missing): re-coded to the index of the
   * category in the sorted list of categories present, so codes do not depend on file order.
   */
  categorical(name: string, definition: string, codes: ArrayLike<number>, values: readonly string[]): void {
    const present = new Set<number>();
    for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0) present.add(codes[i]!);
    const categories = [...present].map((c) => values[c]!).sort();
    const rank = new Map(categories.map((v, k) => [v, k] as const));
    const col = new Float64Array(this.nRows);
    for (let i = 0; i < this.nRows; i++) {
      const c = codes[i]!;
      col[i] = c < 0 ? Number.NaN : rank.get(values[c]!)!;
    }
    this.defs.push({ name, family: this.family, definition, categories });
    this.columns.push(col);
  }
}
