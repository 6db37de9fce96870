import { describe, expect, it } from 'vitest';
import type { Frame } from '../numeric/frame.js';
import { topReasons } from './contributions.js';
import { fitGbt } from './gbt/fit.js';
import { fitLogreg } from './logreg/fit.js';
import { explain, modelFromJson, predictProba, predictRaw } from './model.js';

const x: Frame = {
  nRows: 60,
  names: ['a', 'b'],
  columns: [
    Float64Array.from({ length: 60 }, (_, i) => i % 10),
    Float64Array.from({ length: 60 }, (_, i) => (i * 7) % 13),
  ],
};
const y = Uint8Array.from({ length: 60 }, (_, i) => (i % 10 > 4 ? 1 : 0));

describe('modelFromJson', () => {
  it('when a model is serialized and read back then it predicts the same', () => {
    for (const model of [fitLogreg({ x, y }), fitGbt({ x, y }, { numIterations: 5, minDataInLeaf: 5 })]) {
      const back = modelFromJson(JSON.parse(JSON.stringify(model)));
      expect(predictRaw(back, x)).toEqual(predictRaw(model, x));
    }
  });

  it('when the file is not a model then it throws models.invalidModelFile naming the problem', () => {
    expect(() => modelFromJson({ kind: 'forest' })).toThrow(
      expect.objectContaining({ code: 'models.invalidModelFile' }),
    );
    const gbt = JSON.parse(JSON.stringify(fitGbt({ x, y }, { numIterations: 2, minDataInLeaf: 5 })));
    gbt.trees[0].leafValue.pop();
    expect(() => modelFromJson(gbt)).toThrow(/tree 0 leaves/);
  });
});

describe('explain', () => {
  it('when any model explains rows then contributions add up to the raw score', () => {
    for (const model of [fitLogreg({ x, y }), fitGbt({ x, y }, { numIterations: 5, minDataInLeaf: 5 })]) {
      const c = explain(model, x);
      const raw = predictRaw(model, x);
      for (let i = 0; i < x.nRows; i++) {
        expect(c.expectedValue + c.columns[0]![i]! + c.columns[1]![i]!).toBeCloseTo(raw[i]!, 10);
      }
      expect(predictProba(model, x).every((p) => p > 0 && p < 1)).toBe(true);
    }
  });
});

describe('topReasons', () => {
  it('when a row has positive and negative contributions then they are ranked by size and split by sign', () => {
    const c = {
      names: ['a', 'b', 'c', 'd', 'e'],
      expectedValue: 0,
      columns: [0.5, -0.2, 0.9, -0.7, 0].map((v) => Float64Array.of(v)),
    };
    expect(topReasons(c, 0, 2)).toEqual({
      positive: [
        { feature: 'c', contribution: 0.9 },
        { feature: 'a', contribution: 0.5 },
      ],
      negative: [
        { feature: 'd', contribution: -0.7 },
        { feature: 'b', contribution: -0.2 },
      ],
    });
  });
});
