import { createHash } from 'node:crypto';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli/io.js';
import { runCli } from '../cli/run.js';
import { configSchema } from '../config/schema.js';
import { isLeadliftError } from '../errors.js';
import { TARGET_DEFS } from '../features/index.js';
import { editRunJson, type TrainedRunFixture, trainedRunFixture } from '../test-support/trained-run.js';
import { parseCsv } from '../train/csv.js';
import { runPredict } from './predict.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function readPredictions(dir: string) {
  const csv = parseCsv(await readFile(join(dir, 'predictions.csv'), 'utf8'), 'predictions.csv');
  const col = (n: string) => csv.columns[csv.header.indexOf(n)]!;
  return { csv, col };
}

let fx: TrainedRunFixture;
beforeAll(async () => {
  fx = await trainedRunFixture();
}, 120_000);

describe('runPredict', () => {
  it('when scoring the cleaned snapshot the run was trained on then every shared enrollment gets the same score, label and reasons', async () => {
    const config = configSchema.parse({});
    const run = await runPredict({
      config,
      cwd: fx.cwd,
      env: {},
      artifactsDir: fx.runDir,
      input: { kind: 'snapshot', dir: fx.cleanedDir },
      runName: 'reproduce',
    });
    const src = await readPredictions(fx.runDir);
    const out = await readPredictions(run.dir);
    const key = (c: (n: string) => readonly string[], i: number) =>
      `${c('org_id')[i]}|${c('enrollment_id')[i]}`;
    const byKey = new Map<string, number>();
    for (let i = 0; i < out.csv.nRows; i++) byKey.set(key(out.col, i), i);
    let shared = 0;
    let maxDiff = 0;
    for (let i = 0; i < src.csv.nRows; i++) {
      const j = byKey.get(key(src.col, i));
      if (j === undefined) continue;
      shared++;
      maxDiff = Math.max(maxDiff, Math.abs(Number(src.col('score')[i]) - Number(out.col('score')[j])));
      expect(out.col('y_true')[j]).toBe(src.col('y_true')[i]);
      expect(out.col('reasons')[j]).toBe(src.col('reasons')[i]);
    }
    // Every training row is scorable (its label window closed, the outcome not reached before the cutoff).
    expect(shared).toBe(src.csv.nRows);
    expect(maxDiff).toBe(0);
    expect(out.csv.nRows).toBeGreaterThan(src.csv.nRows);
    expect(new Set(out.col('split'))).toEqual(new Set(['scored']));
    expect(new Set(out.col('in_sample'))).toEqual(new Set(['0']));
    expect(out.csv.header).toEqual(src.csv.header);
    const ranks = out
      .col('rank')
      .map(Number)
      .sort((a, b) => a - b);
    expect(ranks).toEqual(Array.from({ length: out.csv.nRows }, (_, i) => i + 1));
  });

  it('when a label window has not closed by the as-of time then y_true is empty, else 0/1', async () => {
    const config = configSchema.parse({});
    const run = await runPredict({
      config,
      cwd: fx.cwd,
      env: {},
      artifactsDir: fx.runDir,
      input: { kind: 'snapshot', dir: fx.cleanedDir },
      runName: 'labels',
    });
    const { csv, col } = await readPredictions(run.dir);
    const metrics = JSON.parse(await readFile(join(run.dir, 'metrics.json'), 'utf8'));
    const asOf = Date.parse(metrics.window.as_of_utc);
    const horizon = TARGET_DEFS.booked_call_within_7d.days * 86_400_000;
    let open = 0;
    let closed = 0;
    for (let i = 0; i < csv.nRows; i++) {
      const closes = Date.parse(col('decision_ts_utc')[i]!) + horizon <= asOf;
      if (closes) {
        closed++;
        expect(['0', '1']).toContain(col('y_true')[i]);
      } else {
        open++;
        expect(col('y_true')[i]).toBe('');
      }
    }
    expect(open).toBeGreaterThan(0);
    expect(closed).toBeGreaterThan(0);
    expect(metrics.counts.with_realized_label).toBe(closed);
    expect(metrics.live.n_samples).toBe(closed);
    expect(typeof metrics.live.pr_auc).toBe('number');
    expect(metrics.gates).toEqual(JSON.parse(await readFile(join(fx.runDir, 'metrics.json'), 'utf8')).gates);
  });

  it('when written then manifest.json holds the sha256 of every file and of the source run, and the artifacts are byte copies', async () => {
    const config = configSchema.parse({});
    const run = await runPredict({
      config,
      cwd: fx.cwd,
      env: {},
      artifactsDir: fx.runDir,
      input: { kind: 'snapshot', dir: fx.cleanedDir },
      runName: 'hashes',
    });
    const manifest = JSON.parse(await readFile(join(run.dir, 'manifest.json'), 'utf8'));
    const files = (await readdir(run.dir)).filter((f) => f !== 'manifest.json').sort();
    expect(Object.keys(manifest.files).sort()).toEqual(files);
    for (const f of files) expect(manifest.files[f]).toBe(sha(await readFile(join(run.dir, f))));
    for (const f of ['model.json', 'scaler.json', 'features.json']) {
      expect(sha(await readFile(join(run.dir, f)))).toBe(sha(await readFile(join(fx.runDir, f))));
    }
    expect(manifest.source_run.manifest_sha256).toBe(sha(await readFile(join(fx.runDir, 'manifest.json'))));
    expect(manifest.mode).toBe('predict');
    expect((await readdir(join(fx.cwd, 'tmp/runs'))).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('when the model was trained on other feature columns then exit 2 names the missing and extra columns', async () => {
    const bad = join(fx.cwd, 'tmp/bad-run');
    await cp(fx.runDir, bad, { recursive: true });
    await editRunJson(bad, 'model.json', (m) => {
      const cols = m.feature_cols as string[];
      m.feature_cols = cols.map((c) => (c === 'int_attempts_voice' ? 'int_attempts_fax' : c));
      const prep = m.preprocessing as { features: { name: string }[] };
      for (const f of prep.features) if (f.name === 'int_attempts_voice') f.name = 'int_attempts_fax';
    });
    const io = captureIo({ cwd: fx.cwd });
    const code = await runCli(
      ['predict', '--artifacts-dir', bad, '--snapshot', fx.cleanedDir, '--quiet'],
      io,
    );
    expect(code).toBe(2);
    expect(io.err()).toContain('predict.featureMismatch');
    expect(io.err()).toMatch(/missing from the data: int_attempts_fax/);
    expect(io.err()).toMatch(/not in the model: int_attempts_voice/);
  });

  it('when --outcomes-query-file is given with --snapshot then the combination is refused (exit 2)', async () => {
    const io = captureIo({ cwd: fx.cwd });
    const code = await runCli(
      [
        'predict',
        '--artifacts-dir',
        fx.runDir,
        '--snapshot',
        fx.cleanedDir,
        '--outcomes-query-file',
        'outcomes.sql',
        '--quiet',
      ],
      io,
    );
    expect(code).toBe(2);
    expect(io.err()).toContain('cli.conflictingFlags');
    expect(io.err()).toMatch(/--outcomes-query-file applies only with --since\/--until/);
  });

  it('when model.json was edited after training then it is refused as changed', async () => {
    const bad = join(fx.cwd, 'tmp/edited-run');
    await cp(fx.runDir, bad, { recursive: true });
    const text = await readFile(join(bad, 'model.json'), 'utf8');
    await writeFile(join(bad, 'model.json'), text.replace('"label_col"', '"label_col" '));
    const err = await runPredict({
      config: configSchema.parse({}),
      cwd: fx.cwd,
      env: {},
      artifactsDir: bad,
      input: { kind: 'snapshot', dir: fx.cleanedDir },
      runName: 'edited',
    }).catch((e: unknown) => e);
    expect(isLeadliftError(err, 'predict.artifactsChanged')).toBe(true);
  });

  it('when the window holds no enrollment then it succeeds with zero rows and an audit entry named predict', async () => {
    const io = captureIo({ cwd: fx.cwd });
    const code = await runCli(
      [
        'predict',
        '--artifacts-dir',
        fx.runDir,
        '--since',
        '2031-01-01',
        '--until',
        '2031-02-01',
        '--run-name',
        'empty',
        '--json',
      ],
      io,
    );
    expect(code).toBe(0);
    const out = JSON.parse(io.out());
    expect(out.rows_scored).toBe(0);
    const { csv } = await readPredictions(join(fx.cwd, 'tmp/runs/empty'));
    expect(csv.nRows).toBe(0);
    const audit = (await readFile(join(fx.cwd, 'tmp/audit/audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const last = audit.at(-1);
    expect(last.command).toBe('predict');
    expect(last.action).toBe('extract');
    expect(last.outcome).toBe('ok');
  });

  it('when given the raw snapshot of an already cleaned folder then it reuses the cleaned tables', async () => {
    const tables = JSON.parse(await readFile(join(fx.cleanedDir, 'manifest.json'), 'utf8'));
    const run = await runPredict({
      config: configSchema.parse({}),
      cwd: fx.cwd,
      env: {},
      artifactsDir: fx.runDir,
      input: { kind: 'snapshot', dir: tables.source_snapshot.dir },
      runName: 'raw-snapshot',
    });
    expect(run.cleanedDir).toBe(fx.cleanedDir);
    const manifest = JSON.parse(await readFile(join(run.dir, 'manifest.json'), 'utf8'));
    expect(manifest.input.cleaned).toBe('reused');
    expect(run.nScored).toBeGreaterThan(0);
  });
});
