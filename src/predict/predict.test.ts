import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isTempName,
  liveMetrics,
  predictPredictionsCsv,
  removeDeadTempFolders,
  type ScoredTable,
} from './run-folder.js';
import { featureMismatch, ranksOf } from './score.js';

function table(y: number[], s: number[]): ScoredTable {
  return {
    labelCol: 'booked_call_within_7d',
    orgId: y.map(() => '1'),
    enrollmentId: y.map((_, i) => String(i + 10)),
    decisionTs: Float64Array.from(y, (_, i) => Date.UTC(2026, 0, 1 + i)),
    scores: Float64Array.from(s),
    yTrue: Int8Array.from(y),
    reasons: y.map(() => ({ positive: ['a high (+0.10)'], negative: [] })),
  };
}

describe('liveMetrics', () => {
  it('when some labels are unknown then the metrics use only the realized ones (hand-computed)', () => {
    // Realized: y = [1, 0, 1], s = [0.9, 0.2, 0.4]: both positives outrank the negative.
    const m = liveMetrics(table([1, 0, -1, 1], [0.9, 0.2, 0.5, 0.4]));
    expect(m.n_samples).toBe(3);
    expect(m.n_positive).toBe(2);
    expect(m.pr_auc).toBe(1);
    expect(m.roc_auc).toBe(1);
    expect(m.brier as number).toBeCloseTo((0.01 + 0.04 + 0.36) / 3, 12);
  });

  it('when one realized positive ranks below a negative then ROC-AUC and PR-AUC drop as computed by hand', () => {
    // y = [1, 0, 1], s = [0.9, 0.5, 0.4]: pairs (pos, neg) ordered right 1 of 2 → AUC 0.5;
    // AP = (1/1 · 1/2) + (2/3 · 1/2) = 0.8333…
    const m = liveMetrics(table([1, 0, 1], [0.9, 0.5, 0.4]));
    expect(m.roc_auc).toBeCloseTo(0.5, 12);
    expect(m.pr_auc as number).toBeCloseTo(5 / 6, 12);
  });

  it('when no label window has closed then every metric is unavailable with code empty', () => {
    const m = liveMetrics(table([-1, -1], [0.3, 0.2]));
    expect(m.n_samples).toBe(0);
    expect(m.pr_auc).toMatchObject({ unavailable: true, code: 'empty' });
    expect(m.brier).toMatchObject({ unavailable: true, code: 'empty' });
  });

  it('when the realized labels are one class then the ranking metrics say oneClass and Brier is computed', () => {
    const m = liveMetrics(table([0, 0, -1], [0.3, 0.1, 0.9]));
    expect(m.roc_auc).toMatchObject({ unavailable: true, code: 'oneClass' });
    expect(m.brier as number).toBeCloseTo((0.09 + 0.01) / 2, 12);
  });
});

describe('ranksOf', () => {
  it('when scores tie then the earlier row ranks first, and deciles split the run into tenths', () => {
    const { rank, decile } = ranksOf(Float64Array.from([0.2, 0.9, 0.2]));
    expect(Array.from(rank)).toEqual([2, 1, 3]);
    expect(Array.from(decile)).toEqual([7, 4, 10]);
  });
});

describe('predictPredictionsCsv', () => {
  it('when a label is unknown then y_true is empty and every row is split scored, in_sample 0', () => {
    const text = predictPredictionsCsv(table([1, -1], [0.4, 0.6]));
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe(
      'org_id,enrollment_id,decision_ts_utc,label_col,score,y_true,split,in_sample,rank,decile,reasons',
    );
    expect(lines[1]).toBe(
      '1,10,2026-01-01T00:00:00.000Z,booked_call_within_7d,0.4,1,scored,0,2,10,a high (+0.10)',
    );
    expect(lines[2]).toBe(
      '1,11,2026-01-02T00:00:00.000Z,booked_call_within_7d,0.6,,scored,0,1,5,a high (+0.10)',
    );
  });
});

describe('featureMismatch', () => {
  it('when columns differ then missing and extra are listed in their own order', () => {
    expect(featureMismatch(['a', 'b', 'c'], ['c', 'd', 'a'])).toEqual({ missing: ['b'], extra: ['d'] });
    expect(featureMismatch(['a'], ['a'])).toEqual({ missing: [], extra: [] });
  });
});

describe('removeDeadTempFolders', () => {
  it('when temporary folders of dead and live processes exist then only the dead ones are removed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadlift-tmpclean-'));
    const names = [
      'run-a.tmp-111',
      '.20260101T000000-000Z.partial-222',
      '.clean-x.tmp-333-1700000000000',
      'run-live.tmp-444',
      'run-finished',
      'tmp-555',
    ];
    for (const n of names) await mkdir(join(dir, n));
    const removed = await removeDeadTempFolders(dir, (pid) => pid === 444);
    expect(removed.sort()).toEqual([
      '.20260101T000000-000Z.partial-222',
      '.clean-x.tmp-333-1700000000000',
      'run-a.tmp-111',
    ]);
    expect((await readdir(dir)).sort()).toEqual(['run-finished', 'run-live.tmp-444', 'tmp-555']);
    expect(isTempName('run-finished')).toBe(false);
  });
});
