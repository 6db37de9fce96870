import { describe, expect, it } from 'vitest';
import { isLeadliftError } from '../errors.js';
import { averagePrecision } from '../evaluate/average-precision.js';
import { applyCalibrator } from '../models/calibration/index.js';
import { fitLogreg } from '../models/logreg/fit.js';
import { predictRaw } from '../models/model.js';
import { type Frame, takeLabels, takeRows } from '../numeric/frame.js';
import { SeededRng } from '../numeric/rng.js';
import { comparatorScores, rulesScores } from './baselines.js';
import { detectDelimiter, formatCsv, parseCsv } from './csv.js';
import { encodeCodes, encodeOneHot, fitPreprocessing } from './encoding.js';
import { evaluateByOrg } from './evaluation.js';
import { reasonAt } from './reasons.js';
import { predictionsCsv, runMetricsJson, runModelJson } from './run-folder.js';
import { scoreWithRunModel } from './score.js';
import { splitRows, timeOrder } from './split.js';
import { syntheticFlatCsv } from './synthetic.js';
import { flatTableOf } from './table.js';
import {
  type CandidateReport,
  explainLimits,
  permutationLimits,
  selectCandidate,
  trainFlat,
} from './train.js';

const spec = { labelCol: 'converted', timeCol: 'ts', idCols: ['id'] };
const tableOf = (text: string, s: Parameters<typeof flatTableOf>[1] = spec) =>
  flatTableOf(parseCsv(text, 'test.csv'), s, 'test.csv');
const fast = { nBoot: 200 };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isLeadliftError(e) ? e.code : `not a LeadliftError: ${String(e)}`;
  }
  return undefined;
}

describe('parseCsv', () => {
  it('when fields are quoted with delimiters, doubled quotes and line breaks then they are read intact', () => {
    const t = parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n1,\n', 'f.csv');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.columns[0]).toEqual(['x, y', '1']);
    expect(t.columns[1]).toEqual(['say "hi"\nthere', '']);
  });

  it('when the header uses semicolons then the delimiter is detected', () => {
    expect(detectDelimiter('"a";"b"\n1;2\n')).toBe(';');
    expect(parseCsv('"a";"b"\n1;2\n', 'f').columns[1]).toEqual(['2']);
  });

  it('when a row has the wrong number of fields then train.csvMalformed names the line', () => {
    expect(codeOf(() => parseCsv('a,b\n1,2\n3\n', 'f'))).toBe('train.csvMalformed');
  });

  it('when formatCsv writes a value with a comma or quote then parseCsv reads it back', () => {
    const text = formatCsv(['x'], [['a,"b"']]);
    expect(parseCsv(text, 'f').columns[0]).toEqual(['a,"b"']);
  });
});

describe('flatTableOf', () => {
  it('when the label is yes/no then yes is 1', () => {
    const t = tableOf('f,y\n1,yes\n2,no\n', { labelCol: 'y' });
    expect([...t.y]).toEqual([1, 0]);
    expect(t.labelMapping).toEqual({ positive: 'yes', negative: 'no' });
  });

  it('when the label holds other values then train.badLabel, unless --positive-label names one', () => {
    const text = 'f,y\n1,won\n2,lost\n';
    expect(codeOf(() => tableOf(text, { labelCol: 'y' }))).toBe('train.badLabel');
    expect([...tableOf(text, { labelCol: 'y', positiveLabel: 'won' }).y]).toEqual([1, 0]);
  });

  it('when named columns are missing then one train.missingColumn lists them all', () => {
    try {
      tableOf('f,y\n1,1\n', { labelCol: 'label', timeCol: 'when' });
      expect.unreachable();
    } catch (e) {
      expect(isLeadliftError(e, 'train.missingColumn')).toBe(true);
      expect((e as Error).message).toContain('"label"');
      expect((e as Error).message).toContain('"when"');
    }
  });

  it('when the time column does not parse then train.badTime; when one class then train.oneClass', () => {
    expect(
      codeOf(() => tableOf('f,t,y\n1,yesterday,1\n2,2026-01-01,0\n', { labelCol: 'y', timeCol: 't' })),
    ).toBe('train.badTime');
    expect(codeOf(() => tableOf('f,y\n1,0\n2,0\n', { labelCol: 'y' }))).toBe('train.oneClass');
  });
});

describe('fitPreprocessing', () => {
  it('when a column is not numeric then it gets codes from training rows and one-hot columns; unseen values are missing', () => {
    const names = ['n', 'c'];
    const cols = [
      ['1', 'NA', '3'],
      ['b', 'a', 'z'],
    ];
    const prep = fitPreprocessing(names, cols, [0, 1]);
    expect(prep.features[0]).toMatchObject({ type: 'numeric', mean: 1 });
    expect(prep.features[1]).toMatchObject({ type: 'categorical', categories: ['a', 'b'] });
    const codes = encodeCodes(prep, cols);
    expect([...codes.columns[0]!]).toEqual([1, Number.NaN, 3]);
    expect([...codes.columns[1]!]).toEqual([1, 0, Number.NaN]);
    const hot = encodeOneHot(prep, codes);
    expect(hot.names).toEqual(['n', 'c=a', 'c=b']);
    expect([...hot.columns[2]!]).toEqual([1, 0, 0]);
  });
});

describe('splitRows', () => {
  it('when the mode is time then the test rows are the last share in the given order', () => {
    const y = Uint8Array.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    const s = splitRows([9, 8, 7, 6, 5, 4, 3, 2, 1, 0], y, 'time', 0.2, 0, 'test split');
    expect(s.test).toEqual([1, 0]);
    expect(s.train).toHaveLength(8);
  });

  it('when the mode is random then the split is stratified and seeded', () => {
    const y = Uint8Array.from({ length: 100 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const rows = Array.from({ length: 100 }, (_, i) => i);
    const a = splitRows(rows, y, 'random', 0.2, 7, 'test split');
    expect(a).toEqual(splitRows(rows, y, 'random', 0.2, 7, 'test split'));
    expect(a.test.filter((i) => y[i] === 1)).toHaveLength(4);
  });
});

describe('selectCandidate', () => {
  const cand = (name: 'logreg' | 'gbt', prAuc: number | null, recent?: number | null): CandidateReport => ({
    name,
    validation: {
      n_samples: 400,
      n_positive: 40,
      pr_auc: prAuc,
      roc_auc: null,
      ...(recent === undefined ? {} : { recent: { n_samples: 200, n_positive: 25, pr_auc: recent } }),
    },
    calibration: { method: 'none', brier: {} as CandidateReport['calibration']['brier'], reason: '' },
  });

  it('when the trees win on the slice and on its most recent half then they are selected', () => {
    const s = selectCandidate([cand('logreg', 0.3, 0.2), cand('gbt', 0.4, 0.25)]);
    expect(s.selected).toBe('gbt');
    expect(s.reason).toMatch(/most recent half of the slice \(0\.2500 vs logreg 0\.2000\)/);
  });

  it('when the trees win on the slice but not on its most recent half then the baseline is kept', () => {
    const s = selectCandidate([cand('logreg', 0.136, 0.302), cand('gbt', 0.19, 0.183)]);
    expect(s.selected).toBe('logreg');
    expect(s.reason).toMatch(/but not on the most recent half of the slice \(0\.1830 vs logreg 0\.3020\)/);
  });

  it('when the recent half ties then the baseline is kept', () => {
    expect(selectCandidate([cand('logreg', 0.3, 0.2), cand('gbt', 0.4, 0.2)]).selected).toBe('logreg');
  });

  it('when the recent half holds one class then the trees cannot be confirmed and the baseline is kept', () => {
    const s = selectCandidate([cand('logreg', 0.3, null), cand('gbt', 0.4, null)]);
    expect(s.selected).toBe('logreg');
    expect(s.reason).toMatch(/cannot confirm it/);
  });

  it('when there is no recent half (random split or check off) then the slice alone decides', () => {
    expect(selectCandidate([cand('logreg', 0.3), cand('gbt', 0.4)]).selected).toBe('gbt');
    expect(selectCandidate([cand('logreg', 0.4), cand('gbt', 0.3)]).selected).toBe('logreg');
  });

  it('when the baseline wins on the slice then a better recent half does not select the trees', () => {
    expect(selectCandidate([cand('logreg', 0.4, 0.1), cand('gbt', 0.3, 0.5)]).selected).toBe('logreg');
  });
});

describe('trainFlat', () => {
  it('when trees can learn an interaction the baseline cannot then gbt is selected and the gates pass', () => {
    const r = trainFlat(tableOf(syntheticFlatCsv({ n: 1500, kind: 'xor' })), fast);
    expect(r.selection.selected).toBe('gbt');
    expect(r.gates.passed).toBe(true);
    expect(r.gates.status).toBe('passed');
    expect(r.gates.reference).toBe('logreg');
    expect(r.evaluation.selected.pr_auc.point!).toBeGreaterThan(r.evaluation.baseline.pr_auc.point! * 1.05);
    const lo = r.evaluation.selected.pr_auc.lower!;
    expect(lo).toBeLessThanOrEqual(r.evaluation.selected.pr_auc.point!);
    expect(r.candidates.map((c) => c.name)).toEqual(['logreg', 'gbt']);
  });

  it('when the split is time-ordered then the recent half is the latest half of the validation rows and is reported', () => {
    const text = syntheticFlatCsv({ n: 1500, kind: 'xor' });
    const table = tableOf(text);
    const r = trainFlat(table, fast);
    const order = timeOrder(table.timeMs!);
    const val = order.filter((i) => r.splitOf[i] === 'validation');
    const recent = val.slice(val.length - Math.floor(val.length / 2));
    for (const c of r.candidates) {
      expect(c.validation.recent?.n_samples).toBe(recent.length);
      expect(c.validation.recent?.n_positive).toBe(recent.reduce((a, i) => a + table.y[i]!, 0));
    }
    // The logistic regression's recent PR-AUC equals its validation fit scored on those rows.
    const training = order.filter((i) => r.splitOf[i] !== 'test');
    const prep = fitPreprocessing(table.featureCols, table.features, training);
    const codes = encodeCodes(prep, table.features);
    const fitRows = order.filter((i) => r.splitOf[i] === 'train');
    const lr = fitLogreg({
      x: encodeOneHot(prep, takeRows(codes, fitRows)),
      y: takeLabels(table.y, fitRows),
    });
    const raw = predictRaw(lr, encodeOneHot(prep, takeRows(codes, recent)));
    const ap = averagePrecision(
      takeLabels(table.y, recent),
      raw.map((z) => 1 / (1 + Math.exp(-z))),
    );
    expect(r.candidates[0]!.validation.recent?.pr_auc).toBeCloseTo(ap as number, 10);
    expect(r.selection.reason).toMatch(/and on the most recent half of the slice/);

    // Time order, not file order: the same rows in reverse file order give the same report
    // with --split time; --split tail (file order) then takes the earliest rows instead.
    const [head, ...lines] = text.trimEnd().split('\n');
    const reversed = tableOf(`${[head, ...lines.reverse()].join('\n')}\n`);
    expect(trainFlat(reversed, fast).candidates).toEqual(r.candidates);
    const tail = trainFlat(reversed, { ...fast, split: 'tail' });
    const tailVal = tail.splitOf.flatMap((s, i) => (s === 'validation' ? [i] : []));
    const tailRecent = tailVal.slice(tailVal.length - Math.floor(tailVal.length / 2));
    // File order of the reversed file: its recent half holds the validation slice's earliest times.
    const older = tailVal.filter((i) => !tailRecent.includes(i));
    const minOlder = Math.min(...older.map((i) => reversed.timeMs![i]!));
    expect(tailRecent.every((i) => reversed.timeMs![i]! < minOlder)).toBe(true);
    expect(tail.candidates[0]!.validation.recent?.n_positive).toBe(
      tailRecent.reduce((a, i) => a + reversed.y[i]!, 0),
    );
    expect(tail.candidates).not.toEqual(r.candidates);

    const off = trainFlat(table, { ...fast, recentCheck: false });
    expect(off.candidates.every((c) => c.validation.recent === undefined)).toBe(true);
    expect(off.selection.reason).not.toMatch(/recent/);
    const random = trainFlat(table, { ...fast, split: 'random' });
    expect(random.candidates.every((c) => c.validation.recent === undefined)).toBe(true);
  });

  it('when the trees lead on the validation slice but their interaction fades in its latest rows then the baseline is kept', () => {
    // Every row: a linear effect of x. Until the middle of the validation slice also an
    // interaction of a and b that only trees learn; after it the interaction is gone.
    const rng = new SeededRng(11, 3);
    const n = 4000;
    const fadeAt = Math.round(n * 0.72);
    const rows: string[] = ['id,ts,a,b,x,converted'];
    for (let i = 0; i < n; i++) {
      const a = rng.nextNormal();
      const b = rng.nextNormal();
      const x = rng.nextNormal();
      const inter = i < fadeAt && a > 0 !== b > 0 ? 3 : 0;
      const p = 1 / (1 + Math.exp(-(-2.5 + 0.8 * x + inter)));
      const ts = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString();
      rows.push(`L${i},${ts},${a.toFixed(4)},${b.toFixed(4)},${x.toFixed(4)},${rng.nextFloat() < p ? 1 : 0}`);
    }
    const table = tableOf(`${rows.join('\n')}\n`);
    const r = trainFlat(table, fast);
    const [lr, gb] = r.candidates;
    expect(gb!.validation.pr_auc!).toBeGreaterThan(lr!.validation.pr_auc!);
    expect(lr!.validation.recent!.pr_auc!).toBeGreaterThan(gb!.validation.recent!.pr_auc!);
    expect(r.selection.selected).toBe('logreg');
    expect(r.selection.reason).toMatch(/but not on the most recent half/);
    expect(trainFlat(table, { ...fast, recentCheck: false }).selection.selected).toBe('gbt');
  });

  it('when selection keeps the logistic regression then it is gated against the best simpler scorer and may serve', () => {
    const r = trainFlat(tableOf(syntheticFlatCsv({ n: 1500, kind: 'linear', seed: 2 })), fast);
    expect(r.selection.selected).toBe('logreg');
    // No eng_score or cmp_* columns here: the rules baseline is constant, so the prior is the reference.
    expect(r.gates.reference).toBe('prior');
    const test = r.evaluation.selected;
    expect(r.gates.results[0]!.baseline).toBeCloseTo(test.n_positive / test.n_samples, 12);
    expect(r.gates.status).toBe('baseline_kept');
    expect(r.gates.passed).toBe(true);
    expect(r.gates.reason).toContain('serving the baseline is allowed');
  });

  it('when selection keeps the baseline and it ranks no better than the prior then the gates fail', () => {
    const r = trainFlat(tableOf(syntheticFlatCsv({ n: 1500, kind: 'noise', seed: 5 })), fast);
    expect(r.selection.selected).toBe('logreg');
    expect(r.gates.reference).toBe('prior');
    expect(r.gates.status).toBe('failed');
    expect(r.gates.passed).toBe(false);
  });

  it('when run twice on the same table and seed then model.json and metrics.json are identical', () => {
    const text = syntheticFlatCsv({ n: 600, kind: 'linear', seed: 3 });
    const a = trainFlat(tableOf(text), fast);
    const b = trainFlat(tableOf(text), fast);
    expect(JSON.stringify(runModelJson(a))).toBe(JSON.stringify(runModelJson(b)));
    expect(JSON.stringify(runMetricsJson(a))).toBe(JSON.stringify(runMetricsJson(b)));
    const c = trainFlat(tableOf(text), { ...fast, seed: 5, split: 'random' });
    expect(JSON.stringify(runMetricsJson(c))).not.toBe(JSON.stringify(runMetricsJson(a)));
  });

  it('when the test split holds one class then PR-AUC is unavailable and the gates fail closed', () => {
    const r = trainFlat(tableOf(syntheticFlatCsv({ n: 600, kind: 'xor', negativeTail: 0.2 })), fast);
    expect(r.evaluation.selected.pr_auc.point).toBeNull();
    expect(r.evaluation.selected.pr_auc.unavailable?.code).toBe('oneClass');
    expect(r.gates.passed).toBe(false);
    expect(r.gates.reason).toContain('unavailable');
  });

  // Trees of up to 32 splits are re-walked by split directions, larger ones by value, and
  // so are trees whose direction arrays do not fit in the memory limit.
  it.each([
    { splits: 'at most 32', numLeaves: 31, limit: null },
    { splits: 'exactly 32 (bit 31 set)', numLeaves: 33, limit: null },
    { splits: 'more than 32', numLeaves: 60, limit: null },
    { splits: 'at most 32, some trees over the memory limit', numLeaves: 31, limit: 20_000 },
  ])(
    'when a feature is permuted ($splits splits per tree) then its PR-AUC drop equals scoring the permuted test rows afresh',
    ({ numLeaves, limit }) => {
      const table = tableOf(syntheticFlatCsv({ n: 3000, kind: 'xor', seed: 4 }));
      const saved = permutationLimits.directionBytes;
      if (limit !== null) permutationLimits.directionBytes = limit;
      let r: ReturnType<typeof trainFlat>;
      try {
        r = trainFlat(table, { ...fast, gbtParams: { numLeaves, minDataInLeaf: 5 } });
      } finally {
        permutationLimits.directionBytes = saved;
      }
      expect(r.selection.selected).toBe('gbt');
      if (r.selected.model.kind !== 'gbt') throw new Error('not gbt');
      const splits = r.selected.model.trees.map((t) => t.numLeaves - 1);
      const most = Math.max(...splits);
      expect(most > 32).toBe(numLeaves > 33);
      if (numLeaves === 33) expect(most).toBe(32);
      // Trees walked by value: those over 32 splits, or, under the lowered limit, the trees
      // after the first few (600 test rows × up to 4 bytes each in 20,000 bytes).
      const byValue = permutationLimits.treesByValue;
      if (limit === null) expect(byValue).toBe(splits.filter((m) => m > 32).length);
      else {
        expect(byValue).toBeGreaterThan(0);
        expect(byValue).toBeLessThan(splits.length);
      }
      const seed = r.options.seed;
      const testRows = splitRows(timeOrder(table.timeMs!), table.y, 'time', 0.2, seed, 'test').test;
      const codes = encodeCodes(r.preprocessing, table.features);
      const yTest = Uint8Array.from(testRows, (i) => table.y[i]!);
      const base = r.evaluation.selected.pr_auc.point!;
      // The same seeded shuffles, one per feature in order, applied by building the rows anew.
      const rng = new SeededRng(seed, 0x9e4);
      let moved = 0;
      r.preprocessing.features.forEach((f, j) => {
        const perm = rng.shuffle(Uint32Array.from(testRows, (_, k) => k));
        const x: Frame = {
          nRows: testRows.length,
          names: codes.names,
          columns: codes.columns.map((c, jj) =>
            Float64Array.from(testRows, (i, k) => (jj === j ? c[testRows[perm[k]!]!]! : c[i]!)),
          ),
        };
        const p = applyCalibrator(r.selected.calibrator, predictRaw(r.selected.model, x));
        const row = r.importance.find((q) => q.feature === f.name)!;
        expect(row.permutation_pr_auc_drop).toBe(base - (averagePrecision(yTest, p) as number));
        if (row.permutation_pr_auc_drop !== 0) moved++;
      });
      expect(moved).toBeGreaterThan(1);
    },
  );

  it.each([
    { kind: 'xor' as const, selected: 'gbt' },
    { kind: 'linear' as const, selected: 'logreg' },
  ])(
    'when rows are scored and explained in small blocks ($selected) then scores, reasons and importance equal one block',
    ({ kind, selected }) => {
      const table = tableOf(syntheticFlatCsv({ n: 900, kind, seed: 6 }));
      // Deep trees, where TreeSHAP by pattern and row by row round differently.
      const options = { ...fast, gbtParams: { numLeaves: 60, minDataInLeaf: 2 } };
      const whole = trainFlat(table, options);
      const saved = explainLimits.blockRows;
      // 900 rows in blocks of 97 end with 27 rows; in blocks of 148, with 12: fewer than
      // TreeSHAP's by-pattern threshold (20), which must not change how they are computed.
      const runs = [97, 148].map((size) => {
        explainLimits.blockRows = size;
        try {
          return trainFlat(table, options);
        } finally {
          explainLimits.blockRows = saved;
        }
      });
      expect(whole.selection.selected).toBe(selected);
      for (const r of runs) {
        expect(predictionsCsv(r)).toBe(predictionsCsv(whole));
        expect(JSON.stringify(r.importance)).toBe(JSON.stringify(whole.importance));
        // Every kept contribution bit for bit, not only as the two decimals of the phrases.
        expect(
          Buffer.from(r.reasons.contribution.buffer).equals(Buffer.from(whole.reasons.contribution.buffer)),
        ).toBe(true);
        expect([...r.reasons.feature]).toEqual([...whole.reasons.feature]);
      }
    },
  );

  it('when rows are explained then every row has plain-word reasons with signed contributions', () => {
    const r = trainFlat(tableOf(syntheticFlatCsv({ n: 600, kind: 'linear' })), fast);
    const phrase =
      /^(a|b|noise) (high|low|average|missing) \([+-]\d+\.\d\d\)$|^color (= (red|green|blue)|missing) \([+-]\d+\.\d\d\)$/;
    for (let i = 0; i < r.reasons.nRows; i++) {
      const row = reasonAt(r.reasons, i);
      expect(row.positive.length + row.negative.length).toBeGreaterThan(0);
      expect(row.positive.length).toBeLessThanOrEqual(3);
      for (const p of [...row.positive, ...row.negative]) expect(p).toMatch(phrase);
      for (const p of row.positive) expect(p).toContain('(+');
      for (const p of row.negative) expect(p).toContain('(-');
    }
    const top = [...r.importance].sort((x, y) => y.mean_abs_contribution - x.mean_abs_contribution)[0]!;
    expect(top.feature).toBe('a');
  });
});

describe('rulesScores', () => {
  it('when eng_score is present then points map onto [0, 1] clamped, missing as 0 points', () => {
    const t = tableOf('eng_score,y\n-6,0\n7,1\n,0\n20,1\n', { labelCol: 'y' });
    const r = rulesScores(t, [0, 1, 2, 3], 0.3);
    expect([...r.scores]).toEqual([0, 1, 6 / 13, 1]);
  });

  it('when eng_score is absent then every row gets the fallback rate', () => {
    const t = tableOf('f,y\n1,0\n2,1\n', { labelCol: 'y' });
    expect([...rulesScores(t, [1, 0], 0.25).scores]).toEqual([0.25, 0.25]);
  });
});

describe('comparatorScores', () => {
  it('when the variant rate is missing then the step rate, then the campaign rate, then the fallback is used', () => {
    const t = tableOf(
      'cmp_variant_book_rate,cmp_step_book_rate,cmp_campaign_book_rate,y\n0.5,0.2,0.1,1\n,0.2,0.1,0\n,,0.1,1\n,,,0\n',
      { labelCol: 'y' },
    );
    expect([...comparatorScores(t, [0, 1, 2, 3], 0.05)!.scores]).toEqual([0.5, 0.2, 0.1, 0.05]);
  });

  it("when the label is a target with its own rate columns then the comparator reads that target's history", () => {
    const csv =
      'cmp_variant_book_rate,cmp_campaign_book_rate,cmp_variant_converted_rate,cmp_campaign_converted_rate,conversion_within_30d,booked_call_within_7d\n' +
      '0.5,0.2,0.03,0.01,1,0\n,0.2,,0.01,0,1\n';
    const t3 = tableOf(csv, { labelCol: 'conversion_within_30d', excludeCols: ['booked_call_within_7d'] });
    expect([...comparatorScores(t3, [0, 1], 0.05)!.scores]).toEqual([0.03, 0.01]);
    const t1 = tableOf(csv, { labelCol: 'booked_call_within_7d', excludeCols: ['conversion_within_30d'] });
    expect([...comparatorScores(t1, [0, 1], 0.05)!.scores]).toEqual([0.5, 0.2]);
  });

  it('when no cmp_ rate column exists then there is no comparator', () => {
    expect(comparatorScores(tableOf('f,y\n1,0\n2,1\n', { labelCol: 'y' }), [0, 1], 0.5)).toBeNull();
  });
});

describe('trainFlat baselines', () => {
  it('when the table has no eng_score then the rules baseline is a constant with unavailable ranking metrics and a Brier score', () => {
    const r = trainFlat(tableOf(syntheticFlatCsv({ n: 600, kind: 'linear' })), fast);
    const rules = r.evaluation.rules;
    expect(rules.n_samples).toBe(r.evaluation.selected.n_samples);
    expect(rules.pr_auc.point).toBeNull();
    expect(rules.pr_auc.unavailable?.code).toBe('constantScores');
    expect(rules.brier.point).toBeGreaterThan(0);
    expect(r.evaluation.comparator).toBeNull();
    expect(runMetricsJson(r).evaluation).toMatchObject({
      comparator: null,
      rules: { definition: expect.any(String) },
    });
  });
});

describe('evaluateByOrg', () => {
  it('when one org holds one class then its ranking metrics are unavailable and its Brier is computed', () => {
    const y = Uint8Array.from([0, 0, 1, 0]);
    const p = Float64Array.from([0.1, 0.2, 0.8, 0.3]);
    const r = evaluateByOrg(['b', 'a', 'a', 'b'], y, p, { seed: 1, nBoot: 0, precisionAtK: [] });
    expect(r.map((o) => o.org_id)).toEqual(['a', 'b']);
    expect(r[0]!).toMatchObject({ n_samples: 2, n_positive: 1, pr_auc: { point: 1 }, roc_auc: { point: 1 } });
    expect(r[0]!.brier.point).toBeCloseTo((0.04 + 0.04) / 2, 12);
    expect(r[1]!.pr_auc.point).toBeNull();
    expect(r[1]!.pr_auc.unavailable?.code).toBe('oneClass');
    expect(r[1]!.roc_auc.unavailable?.code).toBe('oneClass');
    expect(r[1]!.brier.point).toBeCloseTo((0.01 + 0.09) / 2, 12);
  });
});

describe('trainFlat by_org', () => {
  const withOrgs = () => {
    const csv = parseCsv(syntheticFlatCsv({ n: 800, kind: 'xor', seed: 4 }), 's');
    const y = csv.columns[csv.header.indexOf('converted')]!;
    const org = y.map((v, i) => (v === '0' && i % 3 === 0 ? 'neg' : 'mix'));
    const rows = Array.from({ length: csv.nRows }, (_, i) => [...csv.columns.map((c) => c[i]!), org[i]!]);
    return tableOf(formatCsv([...csv.header, 'org_id'], rows), { ...spec, idCols: ['id', 'org_id'] });
  };

  it('when an org_id id column exists then each org gets seeded intervals on its test rows, one-class orgs unavailable', () => {
    const r = trainFlat(withOrgs(), fast);
    const by = r.byOrg!;
    expect(by.map((o) => o.org_id)).toEqual(['mix', 'neg']);
    expect(by[0]!.n_samples + by[1]!.n_samples).toBe(r.evaluation.selected.n_samples);
    const mix = by[0]!;
    for (const m of [mix.pr_auc, mix.roc_auc, mix.brier]) {
      expect(m.lower!).toBeLessThanOrEqual(m.point!);
      expect(m.upper!).toBeGreaterThanOrEqual(m.point!);
    }
    expect(by[1]!.n_positive).toBe(0);
    expect(by[1]!.pr_auc.unavailable?.code).toBe('oneClass');
    expect(by[1]!.brier.point).toBeGreaterThanOrEqual(0);
    const json = JSON.stringify(runMetricsJson(r));
    expect(JSON.stringify(runMetricsJson(trainFlat(withOrgs(), fast)))).toBe(json);
  });

  it('when there is no org_id column then by_org is null', () => {
    const r = trainFlat(tableOf(syntheticFlatCsv({ n: 300, kind: 'linear' })), { nBoot: 0 });
    expect(r.byOrg).toBeNull();
    expect(runMetricsJson(r).by_org).toBeNull();
  });
});

describe('runMetricsJson', () => {
  it('when extra metrics are given then they follow the trainer keys, and reusing one throws train.runFileClash', () => {
    const r = trainFlat(tableOf(syntheticFlatCsv({ n: 300, kind: 'linear' })), { nBoot: 0 });
    const keys = Object.keys(runMetricsJson(r, { population: { n: 1 } }));
    expect(keys.at(-1)).toBe('population');
    expect(codeOf(() => runMetricsJson(r, { gates: {} }))).toBe('train.runFileClash');
  });
});

describe('scoreWithRunModel', () => {
  it('when model.json is saved and read back then it reproduces the training scores of every row', () => {
    for (const kind of ['xor', 'linear'] as const) {
      const table = tableOf(syntheticFlatCsv({ n: 600, kind }));
      const r = trainFlat(table, fast);
      const saved = JSON.parse(JSON.stringify(runModelJson(r)));
      const cols = Object.fromEntries(table.featureCols.map((n, j) => [n, table.features[j]!]));
      const p = scoreWithRunModel(saved, cols);
      expect([...p]).toEqual([...r.scores]);
    }
  });
});
