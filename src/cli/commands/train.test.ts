import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/snapshot.js';
import { parseCsv } from '../../train/csv.js';
import { syntheticFlatCsv } from '../../train/synthetic.js';
import { captureIo } from '../io.js';
import { runCli } from '../run.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

const base = ['train', '-q', '--label-col', 'converted', '--id-cols', 'id', '--n-boot', '200'];

async function run(args: string[]) {
  const io = captureIo({ cwd: dir });
  const code = await runCli([...base, ...args], io);
  return { code, io };
}

describe('leadlift train', () => {
  it('when the table is learnable then it exits 0 and writes the seed-compatible run folder', async () => {
    await writeFile(join(dir, 'x.csv'), syntheticFlatCsv({ n: 1200, kind: 'xor' }));
    const { code, io } = await run([
      '--training-examples-csv',
      'x.csv',
      '--time-col',
      'ts',
      '--run-name',
      'r1',
    ]);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(io.out()).toContain('Gates: passed');
    const runDir = join(dir, 'tmp/runs/r1');
    expect((await readdir(runDir)).sort()).toEqual([
      'manifest.json',
      'metrics.json',
      'model.json',
      'predictions.csv',
      'scaler.json',
      'training_examples.csv',
    ]);
    const metrics = JSON.parse(await readFile(join(runDir, 'metrics.json'), 'utf8'));
    for (const key of [
      'label_col',
      'feature_cols',
      'train',
      'test',
      'precision_at_k',
      'model_path',
      'scaler_path',
    ])
      expect(metrics).toHaveProperty(key);
    for (const key of ['n_samples', 'n_positive', 'positive_rate', 'pr_auc', 'roc_auc']) {
      expect(metrics.train).toHaveProperty(key);
      expect(metrics.test).toHaveProperty(key);
    }
    expect(metrics.label_col).toBe('converted');
    expect(metrics.feature_cols).toEqual(['a', 'b', 'color', 'noise']);
    expect(metrics.precision_at_k['1000']).toMatchObject({ k: 240, requested_k: 1000 });
    expect(metrics.gates.passed).toBe(true);
    expect(metrics.candidates).toHaveLength(2);
    expect(Object.keys(metrics.evaluation.selected.lift)).toEqual(['top_5pct', 'top_10pct', 'top_20pct']);
    const model = JSON.parse(await readFile(join(runDir, 'model.json'), 'utf8'));
    expect(model).toMatchObject({ format: 'leadlift.run-model/1', candidate: 'gbt', calibrator: {} });
    const manifest = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8'));
    expect(manifest.input.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.seed).toBe(42);
    const preds = parseCsv(await readFile(join(runDir, 'predictions.csv'), 'utf8'), 'p');
    expect(preds.header).toEqual([
      'id',
      'decision_ts_utc',
      'label_col',
      'score',
      'y_true',
      'split',
      'in_sample',
      'rank',
      'decile',
      'reasons',
    ]);
    expect(preds.nRows).toBe(1200);
    const split = preds.columns[5]!;
    const inSample = preds.columns[6]!;
    split.forEach((s, i) => {
      expect(inSample[i]).toBe(s === 'test' ? '0' : '1');
    });
    expect(split.slice(-240).every((s) => s === 'test')).toBe(true);
    expect(preds.columns[9]![0]).toMatch(/\([+-]\d\.\d\d\)/);
    const examples = parseCsv(await readFile(join(runDir, 'training_examples.csv'), 'utf8'), 'e');
    expect(examples.header).toEqual([
      'id',
      'decision_ts_utc',
      'a',
      'b',
      'color',
      'noise',
      'converted',
      'split',
    ]);
  });

  it('when run twice with the same input and seed then model.json and metrics.json are byte-identical', async () => {
    await writeFile(join(dir, 'x.csv'), syntheticFlatCsv({ n: 500, kind: 'linear' }));
    const codes: number[] = [];
    for (const name of ['a', 'b'])
      codes.push((await run(['--training-examples-csv', 'x.csv', '--run-name', name])).code);
    expect(codes[0]).toBe(codes[1]);
    for (const f of ['model.json', 'metrics.json', 'scaler.json', 'predictions.csv']) {
      const a = await readFile(join(dir, 'tmp/runs/a', f));
      const b = await readFile(join(dir, 'tmp/runs/b', f));
      expect(a.equals(b), f).toBe(true);
    }
  });

  it('when selection keeps the baseline and it beats the simpler scorers then it exits 0 with baseline kept', async () => {
    await writeFile(join(dir, 'x.csv'), syntheticFlatCsv({ n: 800, kind: 'linear' }));
    const { code, io } = await run([
      '--training-examples-csv',
      'x.csv',
      '--run-name',
      'r',
      '--time-col',
      'ts',
    ]);
    expect(code).toBe(0);
    expect(io.out()).toContain('Gates: baseline kept (may serve) (against prior)');
    const metrics = JSON.parse(await readFile(join(dir, 'tmp/runs/r/metrics.json'), 'utf8'));
    expect(metrics.selection.selected).toBe('logreg');
    expect(metrics.gates.status).toBe('baseline_kept');
    expect(metrics.gates.passed).toBe(true);
  });

  it('when the model cannot beat its reference then the run folder is written and it exits 3 with one line', async () => {
    await writeFile(join(dir, 'x.csv'), syntheticFlatCsv({ n: 1500, kind: 'noise', seed: 5 }));
    const { code, io } = await run([
      '--training-examples-csv',
      'x.csv',
      '--run-name',
      'r',
      '--time-col',
      'ts',
    ]);
    expect(code).toBe(3);
    const lines = io.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[train.gateFailed]');
    const metrics = JSON.parse(await readFile(join(dir, 'tmp/runs/r/metrics.json'), 'utf8'));
    expect(metrics.gates.passed).toBe(false);
    expect(metrics.gates.status).toBe('failed');
    expect(metrics.gates.reference).toBe('prior');
    expect(metrics.gates.reason).toMatch(/^gate failed: (prAuc|brier)/);
  });

  it('when leadlift.config.json sets train.gates then they replace the defaults, and flags override them', async () => {
    await writeFile(join(dir, 'x.csv'), syntheticFlatCsv({ n: 1500, kind: 'noise', seed: 5 }));
    await writeFile(
      join(dir, 'leadlift.config.json'),
      JSON.stringify({ train: { gates: { prAucRelative: 0.5, brierRelative: 2 } } }),
    );
    const relaxed = await run(['--training-examples-csv', 'x.csv', '--run-name', 'a', '--time-col', 'ts']);
    expect(relaxed.code).toBe(0);
    const a = JSON.parse(await readFile(join(dir, 'tmp/runs/a/metrics.json'), 'utf8'));
    expect(a.gates.config.rules.map((r: { relative: number }) => r.relative)).toEqual([0.5, 2]);
    const strict = await run([
      '--training-examples-csv',
      'x.csv',
      '--run-name',
      'b',
      '--time-col',
      'ts',
      '--gate-brier-relative',
      '1',
    ]);
    expect(strict.code).toBe(3);
    const b = JSON.parse(await readFile(join(dir, 'tmp/runs/b/metrics.json'), 'utf8'));
    expect(b.gates.config.rules.map((r: { relative: number }) => r.relative)).toEqual([0.5, 1]);
  });

  it('when the recent check is turned off by config or flag then metrics.json says so and the recent half is not reported', async () => {
    await writeFile(join(dir, 'x.csv'), syntheticFlatCsv({ n: 1500, kind: 'xor', seed: 5 }));
    const args = (name: string) => [
      '--training-examples-csv',
      'x.csv',
      '--run-name',
      name,
      '--time-col',
      'ts',
    ];
    const metricsOf = async (name: string) =>
      JSON.parse(await readFile(join(dir, `tmp/runs/${name}/metrics.json`), 'utf8'));
    expect((await run(args('on'))).code).toBe(0);
    const on = await metricsOf('on');
    expect(on.split.recent_check).toBe(true);
    expect(on.candidates[1].validation.recent.n_samples).toBe(Math.floor(on.split.n_validation / 2));
    expect((await run([...args('flag'), '--no-recent-check'])).code).toBe(0);
    const flag = await metricsOf('flag');
    expect(flag.split.recent_check).toBe(false);
    expect(flag.candidates[1].validation.recent).toBeUndefined();
    await writeFile(join(dir, 'leadlift.config.json'), JSON.stringify({ train: { recentCheck: false } }));
    expect((await run(args('config'))).code).toBe(0);
    expect((await metricsOf('config')).split.recent_check).toBe(false);
  });

  it('when the test split holds one class then the gate fails closed with exit 3', async () => {
    await writeFile(join(dir, 'x.csv'), syntheticFlatCsv({ n: 600, kind: 'xor', negativeTail: 0.2 }));
    const { code, io } = await run([
      '--training-examples-csv',
      'x.csv',
      '--time-col',
      'ts',
      '--run-name',
      'r',
    ]);
    expect(code).toBe(3);
    expect(io.err()).toContain('unavailable');
    const metrics = JSON.parse(await readFile(join(dir, 'tmp/runs/r/metrics.json'), 'utf8'));
    expect(metrics.test.pr_auc).toBeNull();
    expect(metrics.evaluation.selected.pr_auc.unavailable.code).toBe('oneClass');
  });

  it('when the input is bad then each case exits 2 with its own code', async () => {
    await writeFile(join(dir, 'x.csv'), syntheticFlatCsv({ n: 100 }));
    await writeFile(join(dir, 'one.csv'), 'id,f,converted\n1,2,0\n2,3,0\n3,4,0\n');
    await writeFile(join(dir, 'lab.csv'), 'id,f,converted\n1,2,maybe\n2,3,0\n3,4,1\n');
    await writeFile(join(dir, 'time.csv'), 'id,ts,f,converted\n1,noon,2,1\n2,2026-01-02,3,0\n');
    const cases: [string[], string][] = [
      [['--training-examples-csv', 'nope.csv'], 'train.fileNotFound'],
      [['--training-examples-csv', 'x.csv', '--label-col', 'convertd'], 'train.missingColumn'],
      [['--training-examples-csv', 'lab.csv'], 'train.badLabel'],
      [['--training-examples-csv', 'one.csv'], 'train.oneClass'],
      [['--training-examples-csv', 'time.csv', '--time-col', 'ts'], 'train.badTime'],
      [[], 'cli.missingFlag'],
      [['--training-examples-csv', 'x.csv', '--split', 'sideways'], 'cli.badFlag'],
      [['--training-examples-csv', 'x.csv', '--split', 'time'], 'train.noTimeColumn'],
      [['--training-examples-csv', 'x.csv', '--test-fraction', '1.5'], 'cli.badFlag'],
    ];
    for (const [args, want] of cases) {
      const { code, io } = await run(args);
      expect([want, code]).toEqual([want, 2]);
      expect(io.err()).toContain(`[${want}]`);
    }
    const { io } = await run(['--training-examples-csv', 'x.csv', '--label-col', 'convertd']);
    expect(io.err()).toContain('did you mean "converted"');
  });

  it('when the run folder already exists then train.runExists and nothing is overwritten', async () => {
    await writeFile(join(dir, 'x.csv'), syntheticFlatCsv({ n: 300, kind: 'linear' }));
    await run(['--training-examples-csv', 'x.csv', '--run-name', 'r']);
    const { code, io } = await run(['--training-examples-csv', 'x.csv', '--run-name', 'r']);
    expect(code).toBe(2);
    expect(io.err()).toContain('[train.runExists]');
  });
});

describe('leadlift train --training-examples-query-file', () => {
  it('when the table comes from a SELECT on a SQLite source then it trains like the CSV', async () => {
    const { default: Database } = await import('better-sqlite3');
    const csv = parseCsv(syntheticFlatCsv({ n: 400, kind: 'linear' }), 'x');
    const db = new Database(join(dir, 'src.sqlite'));
    db.exec(`CREATE TABLE gold (${csv.header.map((h) => `"${h}" TEXT`).join(', ')})`);
    const insert = db.prepare(`INSERT INTO gold VALUES (${csv.header.map(() => '?').join(', ')})`);
    for (let i = 0; i < csv.nRows; i++) insert.run(...csv.columns.map((c) => (c[i] === '' ? null : c[i])));
    db.close();
    await writeFile(join(dir, 'gold.sql'), 'SELECT * FROM gold');
    const { code, io } = await run([
      '--training-examples-query-file',
      'gold.sql',
      '--source-url',
      'sqlite:src.sqlite',
      '--run-name',
      'q',
      '--json',
    ]);
    expect([0, 3]).toContain(code);
    const out = JSON.parse(io.out());
    expect(out.run).toContain('q');
    const manifest = JSON.parse(await readFile(join(dir, 'tmp/runs/q/manifest.json'), 'utf8'));
    expect(manifest.input).toMatchObject({ kind: 'query', query_file: 'gold.sql', rows: 400 });
  });
});

describe('train --cleaned (command)', () => {
  // One demo snapshot trained once; each case reads its run folder.
  let cwd: string;
  let code: number;
  let out: string;
  const runFile = (f: string) => JSON.parse(readFileSync(join(cwd, 'tmp/runs/demo', f), 'utf8'));
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'leadlift-train-cleaned-'));
    expect(await runCli(['quickstart', '--enrollments', '600', '--quiet'], captureIo({ cwd }))).toBe(0);
    const cleaned = join(cwd, 'tmp/cleaned', readdirSync(join(cwd, 'tmp/cleaned'))[0]!);
    const io = captureIo({ cwd });
    code = await runCli(
      [
        'train',
        '--cleaned',
        cleaned,
        '--target',
        'booked_call_within_7d',
        '--run-name',
        'demo',
        '--n-boot',
        '50',
        '-q',
      ],
      io,
    );
    out = io.out();
  }, 120_000);
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it('when a cleaned demo folder is given then one run per target is written with its eligibility counts', () => {
    expect([0, 3]).toContain(code);
    expect(out).toMatch(
      /booked_call_within_7d: [\d,]+ eligible enrollments \([\d,]+ positive\); excluded no_outbound_touch/,
    );
    const metrics = runFile('metrics.json');
    expect(metrics.label_col).toBe('booked_call_within_7d');
    expect(metrics.mode).toBe('cleaned-snapshot');
    expect(metrics.feature_cols).toContain('tim_speed_to_lead_min');
  });

  it('when the run is written then metrics.json population counts every exclusion and adds up to the rows', () => {
    const p = runFile('metrics.json').population;
    expect(p.target).toBe('booked_call_within_7d');
    expect(Object.keys(p.exclusions)).toEqual([
      'no_outbound_touch',
      'window_not_elapsed',
      'outcome_before_cutoff',
    ]);
    const excluded = Object.values(p.exclusions as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(p.enrollments_read).toBeGreaterThan(500);
    expect(p.n_eligible + excluded).toBe(p.enrollments_read);
    expect(p.exclusions.no_outbound_touch).toBe(p.enrollments_without_touch);
    expect(p.n_eligible).toBe(
      runFile('metrics.json').split.n_train +
        runFile('metrics.json').split.n_validation +
        runFile('metrics.json').split.n_test,
    );
    expect(p.n_positive).toBeGreaterThan(0);
    expect(p.n_positive).toBeLessThan(p.n_eligible);
  });

  it('when the run is written then features.json lists every feature column with its family and definition, hashed in the manifest', () => {
    const features = runFile('features.json');
    const metrics = runFile('metrics.json');
    const names = features.features.map((f: { name: string }) => f.name);
    for (const c of metrics.feature_cols) expect(names).toContain(c);
    const speed = features.features.find((f: { name: string }) => f.name === 'tim_speed_to_lead_min');
    expect(speed.family).toBe('timing');
    expect(speed.definition.length).toBeGreaterThan(10);
    expect(
      features.features.find((f: { name: string }) => f.name === 'cmp_campaign').categories.length,
    ).toBeGreaterThan(0);
    expect(runFile('manifest.json').files['features.json']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when the run is written then the rules baseline and the campaign comparator are evaluated on the test rows and printed', () => {
    const ev = runFile('metrics.json').evaluation;
    expect(ev.rules.definition).toContain('eng_score');
    expect(ev.comparator.definition).toContain('cmp_variant_book_rate');
    for (const b of [ev.rules, ev.comparator]) expect(b.n_samples).toBe(ev.selected.n_samples);
    expect(typeof ev.comparator.pr_auc.point).toBe('number');
    expect(typeof ev.rules.pr_auc.point).toBe('number');
    expect(ev.comparator.brier.point).toBeGreaterThan(0);
    expect(runFile('metrics.json').selection.baseline).toBe('logreg');
    expect(out).toMatch(/campaign comparator\s+\d\.\d{3}/);
    expect(out).toMatch(/rules\s+\d\.\d{3}/);
  });

  it('when the run is written then by_org holds every org of the test rows with PR-AUC, ROC-AUC and Brier', () => {
    const metrics = runFile('metrics.json');
    const by = metrics.by_org as {
      org_id: string;
      n_samples: number;
      pr_auc: { point: number | null; unavailable: { code: string } | null };
    }[];
    expect(by.length).toBeGreaterThan(0);
    expect(by.map((o) => o.org_id)).toEqual([...by.map((o) => o.org_id)].sort());
    expect(by.reduce((a, o) => a + o.n_samples, 0)).toBe(metrics.split.n_test);
    for (const o of by) {
      expect(o).toHaveProperty('roc_auc');
      expect(o).toHaveProperty('brier');
      expect(o.pr_auc.point === null ? o.pr_auc.unavailable?.code : 'number').toMatch(/^(number|oneClass)$/);
    }
  });

  it('when --target is not a target then cli.badFlag suggests the closest', async () => {
    const io = captureIo({ cwd: await mkdtemp(join(tmpdir(), 'leadlift-train-cleaned-')) });
    expect(await runCli(['train', '--cleaned', 'x', '--target', 'booked_call_within_7'], io)).toBe(2);
    expect(io.err()).toContain('did you mean booked_call_within_7d');
  });
});
