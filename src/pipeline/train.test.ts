import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLeadliftError } from '../errors.js';
import type { FlatTable } from '../train/table.js';
import { runTrainFlat } from './train.js';

/** A small typed table of label `y`, time `t` and id `id`. */
function typedTable(): FlatTable {
  const n = 40;
  return {
    source: 'hand-made table',
    nRows: n,
    labelCol: 'y',
    timeCol: 't',
    idCols: ['id'],
    ids: [Array.from({ length: n }, (_, i) => `r${i}`)],
    timeMs: Float64Array.from({ length: n }, (_, i) => Date.UTC(2026, 0, 1) + i * 60_000),
    y: Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0)),
    labelMapping: { positive: '1', negative: '0' },
    featureCols: ['a'],
    features: [{ values: Float64Array.from({ length: n }, (_, i) => i % 7) }],
  };
}

describe('runTrainFlat', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'leadlift-train-spec-'));
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it.each([
    ['label', { labelCol: 'other', timeCol: 't', idCols: ['id'] }],
    ['time', { labelCol: 'y', idCols: ['id'] }],
    ['id', { labelCol: 'y', timeCol: 't', idCols: ['id', 'more'] }],
  ])(
    'when the typed table and the spec name different %s columns then it throws train.specMismatch',
    async (_, spec) => {
      const run = runTrainFlat({
        cwd,
        input: { kind: 'flat', table: typedTable(), columns: 3, facts: {} },
        spec,
        runName: 'mismatch',
        train: { nBoot: 10 },
      });
      const error = await run.then(
        () => null,
        (e: unknown) => e,
      );
      expect(isLeadliftError(error, 'train.specMismatch'), String(error)).toBe(true);
    },
  );
});
