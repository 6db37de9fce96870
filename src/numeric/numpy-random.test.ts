import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NumpyRandomState, sklearnStratifiedSplit } from './numpy-random.js';

const golden = JSON.parse(readFileSync(new URL('./golden/split.json', import.meta.url), 'utf8')) as {
  tool: string;
  version: string;
  permutations: { seed: number; n: number; permutation: number[] }[];
  cases: { y: number[]; testSize: number; seed: number; test: number[] }[];
};

describe('NumpyRandomState', () => {
  for (const p of golden.permutations) {
    it(`when seeded ${p.seed} then permutation(${p.n}) equals numpy's`, () => {
      expect(Array.from(new NumpyRandomState(p.seed).permutation(p.n))).toEqual(p.permutation);
    });
  }
});

describe('sklearnStratifiedSplit', () => {
  golden.cases.forEach((c, k) => {
    it(`when case ${k} (n ${c.y.length}, seed ${c.seed}) then the test rows equal scikit-learn's train_test_split`, () => {
      const { train, test } = sklearnStratifiedSplit(Uint8Array.from(c.y), c.testSize, c.seed);
      expect(test).toEqual(c.test);
      expect(train.length + test.length).toBe(c.y.length);
    });
  });
});
