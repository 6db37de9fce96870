// Per-row additive explanations shared by every model: raw score = expectedValue + the
// row's contributions, and the top positive and negative reasons of a row.

/** Additive contributions: raw score of row i = expectedValue + Σⱼ columns[j][i]. */
export interface Contributions {
  readonly names: readonly string[];
  /** The average raw score over training rows (the logistic regression's intercept). */
  readonly expectedValue: number;
  /** One column per feature, in `names` order. */
  readonly columns: readonly Float64Array[];
}

/** A feature and its contribution to one row's raw score (log-odds). */
export interface Reason {
  readonly feature: string;
  readonly contribution: number;
}

/** The largest positive and most negative contributions of one row. */
export interface RowReasons {
  /** Descending by contribution, only > 0. */
  readonly positive: readonly Reason[];
  /** Ascending by contribution, only < 0. */
  readonly negative: readonly Reason[];
}

/**
 * The row's top `k` (default 3) positive and top `k` negative contributions; ties keep
 * feature order, so the result is deterministic.
 */
export function topReasons(contributions: Contributions, row: number, k = 3): RowReasons {
  const js = new Int32Array(2 * k);
  const vs = new Float64Array(2 * k);
  topReasonSlots(contributions, row, k, js, vs, 0);
  const names = contributions.names;
  const side = (from: number): Reason[] => {
    const out: Reason[] = [];
    for (let q = from; q < from + k && js[q]! >= 0; q++) {
      out.push({ feature: names[js[q]!]!, contribution: vs[q]! });
    }
    return out;
  };
  return { positive: side(0), negative: side(k) };
}

/**
 * The top `k` positive and top `k` negative contributions of row `row` (those of
 * {@link topReasons}) as feature indices and values written into `outJ` and `outV` from
 * `at`: k positive slots (descending), then k negative slots (ascending); an unused slot
 * gets feature -1 and value 0. Ties keep feature order. One pass keeping the k best of
 * each sign by insertion, without an object per reason (it runs for every row of a run).
 */
export function topReasonSlots(
  contributions: Contributions,
  row: number,
  k: number,
  outJ: Int32Array,
  outV: Float64Array,
  at: number,
): void {
  const posJ: number[] = [];
  const posV: number[] = [];
  const negJ: number[] = [];
  const negV: number[] = [];
  const cols = contributions.columns;
  for (let j = 0; j < cols.length; j++) {
    const v = cols[j]![row]!;
    if (v > 0) insertTop(posJ, posV, j, v, k, 1);
    else if (v < 0) insertTop(negJ, negV, j, v, k, -1);
  }
  for (let q = 0; q < k; q++) {
    outJ[at + q] = posJ[q] ?? -1;
    outV[at + q] = posV[q] ?? 0;
    outJ[at + k + q] = negJ[q] ?? -1;
    outV[at + k + q] = negV[q] ?? 0;
  }
}

/** Inserts (j, v) into the sorted top-k lists (by sign·v descending, earlier j first on ties). */
function insertTop(js: number[], vs: number[], j: number, v: number, k: number, sign: 1 | -1): void {
  let at = vs.length;
  while (at > 0 && sign * vs[at - 1]! < sign * v) at--;
  if (at >= k) return;
  js.splice(at, 0, j);
  vs.splice(at, 0, v);
  if (js.length > k) {
    js.pop();
    vs.pop();
  }
}
