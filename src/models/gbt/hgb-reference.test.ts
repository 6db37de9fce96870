import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { averagePrecision } from '../../evaluate/average-precision.js';
import { rocAuc } from '../../evaluate/roc-auc.js';
import type { Frame } from '../../numeric/frame.js';
import { fitGbt } from './fit.js';
import type { GbtParams } from './params.js';
import { predictProbaGbt } from './predict.js';

interface Split {
  columns: (number | null)[][];
  y: number[];
}
const ref = JSON.parse(readFileSync(new URL('../golden/hgb.json', import.meta.url), 'utf8')) as {
  tool: string;
  version: string;
  seed: number;
  names: string[];
  leadliftParams: Partial<GbtParams>;
  train: Split;
  test: Split;
  sklearn: { rocAuc: number; averagePrecision: number };
};

const frameOf = (s: Split): Frame => ({
  nRows: s.y.length,
  names: ref.names,
  columns: s.columns.map((c) => Float64Array.from(c, (v) => (v === null ? Number.NaN : v))),
});

describe('fitGbt against HistGradientBoostingClassifier', () => {
  it("when trained with matching params on the seeded problem then test ROC-AUC and PR-AUC are close to sklearn's", () => {
    expect(ref.tool).toBe('scikit-learn');
    const model = fitGbt({ x: frameOf(ref.train), y: Uint8Array.from(ref.train.y) }, ref.leadliftParams);
    const p = predictProbaGbt(model, frameOf(ref.test));
    const yTest = Uint8Array.from(ref.test.y);
    const auc = rocAuc(yTest, p) as number;
    const ap = averagePrecision(yTest, p) as number;
    expect(Math.abs(auc - ref.sklearn.rocAuc)).toBeLessThan(0.005);
    expect(Math.abs(ap - ref.sklearn.averagePrecision)).toBeLessThan(0.01);
  });
});
