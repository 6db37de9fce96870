import { describe, expect, it } from 'vitest';
import { isLeadliftError } from '../errors.js';
import { detectDelimiter, formatCsv, parseCsv } from './csv.js';
import { encodeCodes, encodeOneHot, fitPreprocessing } from './encoding.js';
import { runMetricsJson, runModelJson } from './run-folder.js';
import { scoreWithRunModel } from './score.js';
import { splitRows } from './split.js';
import { syntheticFlatCsv } from './synthetic.js';
import { flatTableOf } from './table.js';
import { trainFlat } from './train.js';

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

describe('trainFlat', () => {
  it('when trees can learn an interaction the baseline cannot then gbt is selected and the gates pass', () => {
    const r = trainFlat(tableOf(syntheticFlatCsv({ n: 1500, kind: 'xor' })), fast);
    expect(r.selection.selected).toBe('gbt');
    expect(r.gates.passed).toBe(true);
    expect(r.evaluation.selected.pr_auc.point!).toBeGreaterThan(r.evaluation.baseline.pr_auc.point! * 1.05);
    const lo = r.evaluation.selected.pr_auc.lower!;
    expect(lo).toBeLessThanOrEqual(r.evaluation.selected.pr_auc.point!);
    expect(r.candidates.map((c) => c.name)).toEqual(['logreg', 'gbt']);
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

  it('when rows are explained then every row has plain-word reasons with signed contributions', () => {
    const r = trainFlat(tableOf(syntheticFlatCsv({ n: 600, kind: 'linear' })), fast);
    const phrase =
      /^(a|b|noise) (high|low|average|missing) \([+-]\d+\.\d\d\)$|^color (= (red|green|blue)|missing) \([+-]\d+\.\d\d\)$/;
    for (const row of r.reasons) {
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
