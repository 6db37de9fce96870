// Test support: writes a small but complete run folder (predictions.csv, metrics.json,
// model.json, manifest.json with the files' sha256) the way train and predict do.

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Options of {@link writeTestRun}. */
export interface TestRunOptions {
  readonly runName: string;
  /** Rows: enrollment ids `firstId .. firstId + n - 1`, org `1 + id % 3`. */
  readonly n: number;
  readonly firstId?: number;
  readonly labelCol?: string;
  /** Score of row k (must be in 0..1 unless a test wants otherwise). */
  readonly score?: (k: number) => number | string;
  /** Split of row k. Default: every 4th row test, others train/validation. */
  readonly split?: (k: number) => string;
  readonly gatesPassed?: boolean;
  readonly createdAt?: string;
  /** Model bytes (changes model_version). Default depends on runName. */
  readonly model?: string;
  /** Header of predictions.csv. Default every column train writes (without decision_ts_utc). */
  readonly columns?: readonly string[];
  /** Record a predictions.csv hash in the manifest that doesn't match the file. Default false. */
  readonly tamper?: boolean;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Writes the run folder `<root>/<runName>` and returns its predictions and metrics paths. */
export function writeTestRun(
  root: string,
  o: TestRunOptions,
): { dir: string; predictionsCsv: string; metricsJson: string } {
  const dir = join(root, o.runName);
  mkdirSync(dir, { recursive: true });
  const label = o.labelCol ?? 'booked_call_within_7d';
  const first = o.firstId ?? 1;
  const splitOf = o.split ?? ((k: number) => (k % 4 === 3 ? 'test' : k % 4 === 2 ? 'validation' : 'train'));
  const scoreOf = o.score ?? ((k: number) => ((k * 7919) % 1000) / 1000);
  const header = o.columns ?? [
    'org_id',
    'enrollment_id',
    'label_col',
    'score',
    'y_true',
    'split',
    'in_sample',
    'rank',
    'decile',
    'reasons',
  ];
  const lines = [header.join(',')];
  for (let k = 0; k < o.n; k++) {
    const id = first + k;
    const split = splitOf(k);
    const row: Record<string, string | number> = {
      org_id: 1 + (id % 3),
      enrollment_id: id,
      label_col: label,
      score: scoreOf(k),
      y_true: k % 2,
      split,
      in_sample: split === 'test' || split === 'scored' ? 0 : 1,
      rank: k + 1,
      decile: 1 + (k % 10),
      // Row 3 carries quotes, a backslash and non-ASCII text through every layer.
      reasons:
        k % 5 === 0
          ? ''
          : k === 3
            ? '"note = ""say hi"" \\ back ✓ (+0.2)"'
            : `"eng_score high (+0.${k % 9}); channel = sms (-0.05)"`,
    };
    lines.push(header.map((h) => row[h] ?? '').join(','));
  }
  const predictions = `${lines.join('\n')}\n`;
  const metrics = `${JSON.stringify(
    {
      format: 'leadlift.metrics/1',
      label_col: label,
      model_path: 'model.json',
      scaler_path: 'scaler.json',
      gates: {
        passed: o.gatesPassed ?? true,
        reason: o.gatesPassed === false ? 'PR-AUC below baseline × 1.05' : 'all 2 gates passed',
      },
    },
    null,
    2,
  )}\n`;
  const model = o.model ?? `{"model":"${o.runName}"}\n`;
  writeFileSync(join(dir, 'predictions.csv'), predictions);
  writeFileSync(join(dir, 'metrics.json'), metrics);
  writeFileSync(join(dir, 'model.json'), model);
  writeFileSync(join(dir, 'scaler.json'), '{}\n');
  const manifest = {
    format: 'leadlift.run-manifest/1',
    run_name: o.runName,
    created_at_utc: o.createdAt ?? '2026-03-01T06:15:00.000Z',
    files: {
      'predictions.csv': sha(o.tamper ? `${predictions}x` : predictions),
      'metrics.json': sha(metrics),
      'model.json': sha(model),
      'scaler.json': sha('{}\n'),
    },
  };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, predictionsCsv: join(dir, 'predictions.csv'), metricsJson: join(dir, 'metrics.json') };
}
