import { describe, expect, it } from 'vitest';
import { isLeadliftError } from '../errors.js';
import type { FeatureDef, Target, TargetLabels, TrainingSet } from '../features/index.js';
import { SeededRng } from '../numeric/rng.js';
import { encodeCodes, fitPreprocessing } from './encoding.js';
import { predictionsCsv, runMetricsJson, runModelJson, trainingExamplesCsv } from './run-folder.js';
import { columnTexts, flatTableOf, isTypedColumn } from './table.js';
import { trainFlat } from './train.js';
import { EXAMPLES_ID_COLS, EXAMPLES_TIME_COL, examplesFlatTableOf, examplesTableOf } from './training-set.js';

const T1: Target = 'booked_call_within_7d';
const T2: Target = 'qualified_within_14d';

/**
 * A training set built by hand with the values that are easy to get wrong when typed
 * values stand in for cell texts: −0, large and tiny numbers, ±Infinity (whose texts are
 * not decimal numbers: the column is categorical), missing values, category texts that
 * read as missing ("NA", " none") or as numbers, ones with spaces, two that are the same
 * once trimmed (" west", "west "), and a non-numeric category no row uses ("x").
 */
function handSet(n: number, seed = 3): TrainingSet {
  const rng = new SeededRng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng.nextFloat() * xs.length)]!;
  const region = ['east', ' west', 'NA', 'north ', 'south', 'west '];
  const digits = ['1', '2', ' 3', 'none', 'x'];
  const infinite = [1, Number.POSITIVE_INFINITY, 2.5, Number.NEGATIVE_INFINITY, Number.NaN];
  const tricky = [0, -0, 1e21, 1.5e-7, 0.1, -3, 2 ** 40 + 0.5, Number.NaN];
  const cols = {
    a: new Float64Array(n),
    tricky: new Float64Array(n),
    region: new Float64Array(n),
    digits: new Float64Array(n),
    infinite: new Float64Array(n),
  };
  const y1 = new Uint8Array(n);
  const y2 = new Uint8Array(n);
  const el1 = new Uint8Array(n);
  const el2 = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.nextFloat();
    cols.a[i] = i % 17 === 0 ? Number.NaN : a;
    cols.tricky[i] = pick(tricky);
    cols.region[i] = rng.nextFloat() < 0.1 ? Number.NaN : Math.floor(rng.nextFloat() * region.length);
    // "x" (the last) is never used: the column still reads as numbers.
    cols.digits[i] = Math.floor(rng.nextFloat() * (digits.length - 1));
    cols.infinite[i] = pick(infinite);
    y1[i] = rng.nextFloat() < 0.2 + 0.5 * a ? 1 : 0;
    y2[i] = rng.nextFloat() < 0.3 ? 1 : 0;
    el1[i] = i % 7 === 3 ? 0 : 1;
    el2[i] = i % 5 === 1 ? 0 : 1;
  }
  const defs: FeatureDef[] = [
    { name: 'a', family: 'interaction', definition: 'a number' },
    { name: 'tricky', family: 'timing', definition: 'awkward numbers' },
    { name: 'region', family: 'contact', definition: 'a category', categories: region },
    { name: 'digits', family: 'contact', definition: 'numbers as categories', categories: digits },
    { name: 'infinite', family: 'timing', definition: 'numbers with infinities' },
  ];
  const labels = (target: Target, y: Uint8Array, eligible: Uint8Array): TargetLabels => {
    let nEligible = 0;
    let nPositive = 0;
    for (let i = 0; i < n; i++) {
      nEligible += eligible[i]!;
      nPositive += eligible[i]! & y[i]!;
    }
    return {
      target,
      y,
      eligible,
      scorable: eligible,
      exclusions: {} as TargetLabels['exclusions'],
      nEligible,
      nPositive,
    };
  };
  const ids = (p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
  return {
    nRows: n,
    keys: {
      orgId: Array.from({ length: n }, (_, i) => String(1 + (i % 3))),
      enrollmentId: ids('e'),
      contactId: ids('c'),
      campaignId: ids('k'),
    },
    decisionTs: Float64Array.from({ length: n }, (_, i) => Date.UTC(2026, 0, 1) + i * 60_000 + (i % 2) * 0.5),
    cutoffTs: new Float64Array(n),
    features: { nRows: n, names: defs.map((d) => d.name), columns: Object.values(cols) },
    featureDefs: defs,
    categories: { region, digits },
    labels: { [T1]: labels(T1, y1, el1), [T2]: labels(T2, y2, el2) },
    targets: [T1, T2],
    asOf: Date.UTC(2026, 6, 1),
    featureWindowHours: 24,
    enrollmentsRead: n,
    enrollmentsWithoutTouch: 0,
    unlinked: { activities: 0, messages: 0, outcomes: 0 },
  };
}

/** The table parsing training_examples.csv would give (the texts' way). */
function textTable(set: TrainingSet, target: Target) {
  return flatTableOf(
    examplesTableOf(set, target),
    {
      labelCol: target,
      timeCol: EXAMPLES_TIME_COL,
      idCols: [...EXAMPLES_ID_COLS],
      excludeCols: set.targets.filter((t) => t !== target),
    },
    'examples',
  );
}

describe('examplesFlatTableOf', () => {
  it('when built from a training set then it holds the rows, keys, times, labels and cell texts of the parsed examples', () => {
    const set = handSet(500);
    for (const target of set.targets) {
      const text = textTable(set, target);
      const typed = examplesFlatTableOf(set, target, 'examples');
      expect(typed.nRows).toBe(text.nRows);
      expect(typed.ids).toEqual(text.ids);
      expect([...typed.timeMs!]).toEqual([...text.timeMs!]);
      expect([...typed.y]).toEqual([...text.y]);
      expect(typed.labelMapping).toEqual(text.labelMapping);
      expect(typed.featureCols).toEqual(text.featureCols);
      expect(typed.features.every(isTypedColumn)).toBe(true);
      typed.features.forEach((c, j) => {
        expect(columnTexts(c)).toEqual(text.features[j]);
      });
    }
  });

  it('when typed then the encodings equal those of the texts value for value', () => {
    const set = handSet(500);
    const text = textTable(set, T1);
    const typed = examplesFlatTableOf(set, T1, 'examples');
    const train = Array.from({ length: 300 }, (_, k) => (k * 7) % text.nRows);
    const prepText = fitPreprocessing(text.featureCols, text.features, train, 2);
    const prepTyped = fitPreprocessing(typed.featureCols, typed.features, train, 2);
    expect(prepTyped).toEqual(prepText);
    // The texts "1", "2", " 3" and "none" read as a numeric column; the regions as categories,
    // " west" and "west " as one; "Infinity" is not a decimal number, so a category.
    expect(prepTyped.features.map((f) => f.type)).toEqual([
      'numeric',
      'numeric',
      'categorical',
      'numeric',
      'categorical',
    ]);
    const regions = prepTyped.features[2]!;
    expect(regions.type === 'categorical' && regions.categories).toEqual(['east', 'north', 'south', 'west']);
    const a = encodeCodes(prepText, text.features);
    const b = encodeCodes(prepTyped, typed.features);
    a.columns.forEach((col, j) => {
      const other = b.columns[j]!;
      for (let i = 0; i < col.length; i++) expect(Object.is(other[i], col[i]), `${j}/${i}`).toBe(true);
    });
  });

  it('when trained on then every run file equals the one from the texts', () => {
    const set = handSet(900);
    const options = { nBoot: 30, gbtParams: { numIterations: 30 } };
    const a = trainFlat(textTable(set, T1), options);
    const b = trainFlat(examplesFlatTableOf(set, T1, 'examples'), options);
    expect(predictionsCsv(b)).toBe(predictionsCsv(a));
    expect(trainingExamplesCsv(b)).toBe(trainingExamplesCsv(a));
    expect(JSON.stringify(runMetricsJson(b))).toBe(JSON.stringify(runMetricsJson(a)));
    expect(JSON.stringify(runModelJson(b))).toBe(JSON.stringify(runModelJson(a)));
  });

  it('when the eligible rows hold one class then it throws train.oneClass', () => {
    const set = handSet(60);
    const l = set.labels[T1]!;
    l.y.fill(0);
    let error: unknown;
    try {
      examplesFlatTableOf(set, T1, 'examples');
    } catch (e) {
      error = e;
    }
    expect(isLeadliftError(error, 'train.oneClass')).toBe(true);
  });
});

describe('encodeCodes', () => {
  it('when a typed categorical column is encoded as numeric then every category reads as Number of its text, as the texts do', () => {
    // A model whose column was numbers meets category texts that are not decimal numbers.
    const categories = ['1', '0x10', 'Infinity', '-Infinity', ' 2.5 ', 'abc', 'NA', ''];
    const typed = { values: Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, Number.NaN]), categories };
    const prep = fitPreprocessing(['v'], [['1', '2']], [0, 1]);
    expect(prep.features[0]!.type).toBe('numeric');
    const a = encodeCodes(prep, [columnTexts(typed)]).columns[0]!;
    const b = encodeCodes(prep, [typed]).columns[0]!;
    expect([...b]).toEqual([1, 16, Infinity, -Infinity, 2.5, Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    expect([...b]).toEqual([...a]);
  });
});
