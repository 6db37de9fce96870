// `npm run bench:real`: leadlift's logistic regression and gradient-boosted trees on a
// real campaign-outcome table (UCI Bank Marketing, without the leaking `duration`), on a
// stratified random 80/20 split (exactly scikit-learn's train_test_split(stratify=y,
// random_state=42)) and a chronological split (last 20% of rows), side by side with scikit-learn's
// HistGradientBoosting and LogisticRegression measured in the same run when python3 with
// sklearn is available. The "leadlift train, selected" rows run the trainer users run
// (src/train). A benchmark, not a test: it prints a table and the targets.
//
// Data: LEADLIFT_BANK_CSV, or ../shared/datasets/bank-marketing/bank-additional-full.csv
// next to the package root. Python: LEADLIFT_PYTHON, else python3, else /usr/bin/python3.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { averagePrecision } from '../evaluate/average-precision.js';
import { brierScore } from '../evaluate/brier-score.js';
import type { MetricValue } from '../evaluate/metric-value.js';
import { rocAuc } from '../evaluate/roc-auc.js';
import { fitGbt } from '../models/gbt/fit.js';
import { predictProbaGbt } from '../models/gbt/predict.js';
import { fitLogreg } from '../models/logreg/fit.js';
import { predictProbaLogreg } from '../models/logreg/predict.js';
import { type Dataset, type Frame, takeDataset } from '../numeric/frame.js';
import { sklearnStratifiedSplit } from '../numeric/numpy-random.js';
import { formatRecords } from '../text-table.js';
import { parseCsv } from '../train/csv.js';
import { type FlatTable, flatTableOf } from '../train/table.js';
import { trainFlat } from '../train/train.js';
import { PACKAGE_ROOT } from '../version.js';

const NUMERIC = [
  'age',
  'campaign',
  'pdays',
  'previous',
  'emp.var.rate',
  'cons.price.idx',
  'cons.conf.idx',
  'euribor3m',
  'nr.employed',
];
const CATEGORICAL = [
  'job',
  'marital',
  'education',
  'default',
  'housing',
  'loan',
  'contact',
  'month',
  'day_of_week',
  'poutcome',
];
const LEAKS = 'duration';
/** Fits of the timed 100-round models (leadlift's and scikit-learn's); the fastest is reported. */
const TIMING_RUNS = 3;

interface Table {
  readonly ordinal: Frame;
  readonly oneHot: Frame;
  readonly y: Uint8Array;
}

interface Row {
  readonly model: string;
  readonly split: string;
  readonly prAuc: number;
  readonly rocAuc: number;
  readonly brier: number;
  readonly fitSeconds: number;
}

function csvPath(): string {
  return (
    process.env.LEADLIFT_BANK_CSV ??
    join(PACKAGE_ROOT, '..', 'shared', 'datasets', 'bank-marketing', 'bank-additional-full.csv')
  );
}

/** Reads the `;`-separated, quoted UCI file; categoricals coded two ways (ordinal, one-hot). */
function load(path: string): Table {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const unquote = (s: string) => (s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);
  const header = lines[0]!.split(';').map(unquote);
  const col = (name: string) => {
    const j = header.indexOf(name);
    if (j < 0) throw new Error(`${path}: column "${name}" not found; is this bank-additional-full.csv?`);
    return j;
  };
  if (!header.includes(LEAKS)) throw new Error(`${path}: expected a "${LEAKS}" column to drop`);
  const rows = lines.slice(1).map((l) => l.split(';').map(unquote));
  const n = rows.length;
  const y = Uint8Array.from(rows, (r) => (r[col('y')] === 'yes' ? 1 : 0));
  const ordNames: string[] = [];
  const ordCols: Float64Array[] = [];
  const hotNames: string[] = [];
  const hotCols: Float64Array[] = [];
  for (const name of NUMERIC) {
    const j = col(name);
    const c = Float64Array.from(rows, (r) => Number(r[j]));
    ordNames.push(name);
    ordCols.push(c);
    hotNames.push(name);
    hotCols.push(c);
  }
  for (const name of CATEGORICAL) {
    const j = col(name);
    const categories = [...new Set(rows.map((r) => r[j]!))].sort();
    const code = new Map(categories.map((c, k) => [c, k] as const));
    ordNames.push(name);
    ordCols.push(Float64Array.from(rows, (r) => code.get(r[j]!)!));
    for (const cat of categories) {
      hotNames.push(`${name}=${cat}`);
      hotCols.push(Float64Array.from(rows, (r) => (r[j] === cat ? 1 : 0)));
    }
  }
  return {
    ordinal: { nRows: n, names: ordNames, columns: ordCols },
    oneHot: { nRows: n, names: hotNames, columns: hotCols },
    y,
  };
}

function chronologicalSplit(n: number, testShare: number): { train: number[]; test: number[] } {
  const cut = n - Math.ceil(testShare * n);
  return { train: range(0, cut), test: range(cut, n) };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, k) => a + k);
}

const num = (m: MetricValue): number => (typeof m === 'number' ? m : Number.NaN);

function measure(model: string, split: string, y: Uint8Array, p: Float64Array, fitSeconds: number): Row {
  return {
    model,
    split,
    prAuc: num(averagePrecision(y, p)),
    rocAuc: num(rocAuc(y, p)),
    brier: num(brierScore(y, p)),
    fitSeconds,
  };
}

function timed<T>(fn: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const v = fn();
  return [v, Number(process.hrtime.bigint() - t0) / 1e9];
}

/** The result of the first run and the fastest of `runs` wall times (the machine may be shared). */
function bestOf<T>(runs: number, fn: () => T): [T, number] {
  const [v, first] = timed(fn);
  let best = first;
  for (let r = 1; r < runs; r++) best = Math.min(best, timed(fn)[1]);
  return [v, best];
}

/**
 * leadlift's candidates on one split, and what `leadlift train` selects on it: the same
 * trainer users run (validation slice drawn like the test split: the latest training
 * rows for the chronological split, stratified random for the random one), timed end to
 * end (fits, calibration, evaluation with 1000 bootstrap resamples, explanations).
 */
function runLeadlift(
  table: Table,
  flat: FlatTable,
  split: string,
  trainIdx: number[],
  testIdx: number[],
): { rows: Row[]; notes: string[] } {
  const take = (x: Frame, rows: number[]): Dataset => takeDataset({ x, y: table.y }, rows);
  const testOrd = take(table.ordinal, testIdx);
  const testHot = take(table.oneHot, testIdx);
  const rows: Row[] = [];

  const trainHot = take(table.oneHot, trainIdx);
  const [lr, lrSec] = timed(() => fitLogreg(trainHot));
  rows.push(measure('leadlift logreg', split, testHot.y, predictProbaLogreg(lr, testHot.x), lrSec));
  const trainOrd = take(table.ordinal, trainIdx);
  const [gbt, gbtSec] = bestOf(TIMING_RUNS, () => fitGbt(trainOrd));
  rows.push(measure('leadlift gbt (100 rounds)', split, testOrd.y, predictProbaGbt(gbt, testOrd.x), gbtSec));

  const [r, sec] = timed(() => trainFlat(flat, { split: split === 'random' ? 'random' : 'tail', seed: 42 }));
  const testRows = r.splitOf.flatMap((s, i) => (s === 'test' ? [i] : []));
  if (testRows.length !== testIdx.length || testRows.some((i, k) => i !== testIdx[k])) {
    throw new Error(`bench:real: leadlift train's ${split} test rows differ from the benchmark's split`);
  }
  const p = Float64Array.from(testRows, (i) => r.scores[i]!);
  const kind =
    r.selection.selected === 'gbt' && r.selected.model.kind === 'gbt'
      ? `gbt, ${r.selected.model.bestIteration} rounds`
      : 'logreg';
  rows.push(measure(`leadlift train, selected (${kind})`, split, testOrd.y, p, sec));
  const notes = [
    `${split}: leadlift train — ${r.selection.reason}; calibration ${r.selected.calibrator.kind}; gates ${r.gates.passed ? 'passed' : 'FAILED'} (${r.gates.reason})`,
  ];
  return { rows, notes };
}

/** scikit-learn on the same matrices and splits, or the reason it was skipped. */
function runSklearn(
  table: Table,
  splits: Record<string, { train: number[]; test: number[] }>,
): { rows: Row[]; note: string } {
  const script = join(PACKAGE_ROOT, 'scripts', 'golden', 'bank_sklearn.py');
  const candidates = process.env.LEADLIFT_PYTHON
    ? [process.env.LEADLIFT_PYTHON]
    : ['python3', '/usr/bin/python3'];
  const python = candidates.find(
    (py) => spawnSync(py, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0,
  );
  if (!python)
    return {
      rows: [],
      note: 'scikit-learn: skipped (no python3 with sklearn; apt-get install python3-sklearn)',
    };
  const dir = mkdtempSync(join(tmpdir(), 'leadlift-bench-'));
  try {
    const writeFrame = (file: string, f: Frame) => {
      const buf = new Float64Array(f.nRows * f.columns.length);
      f.columns.forEach((c, j) => {
        buf.set(c, j * f.nRows);
      });
      writeFileSync(join(dir, file), buf);
    };
    writeFrame('ord.f64', table.ordinal);
    writeFrame('onehot.f64', table.oneHot);
    writeFileSync(join(dir, 'y.u8'), table.y);
    writeFileSync(
      join(dir, 'meta.json'),
      JSON.stringify({
        nRows: table.y.length,
        ordNames: table.ordinal.names,
        oneHotNames: table.oneHot.names,
        splits,
      }),
    );
    const r = spawnSync(python, [script, dir, String(TIMING_RUNS)], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (r.status !== 0) return { rows: [], note: `scikit-learn: failed (${r.stderr.slice(-500)})` };
    const out = JSON.parse(r.stdout) as { sklearn: string; results: Row[] };
    return { rows: out.results, note: `scikit-learn ${out.sklearn} via ${python}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): number {
  const path = csvPath();
  if (!existsSync(path)) {
    process.stderr.write(
      `bench:real: ${path} not found. Set LEADLIFT_BANK_CSV to bank-additional-full.csv (UCI Bank Marketing).\n`,
    );
    return 2;
  }
  const table = load(path);
  const flat = flatTableOf(
    parseCsv(readFileSync(path, 'utf8'), path),
    { labelCol: 'y', excludeCols: [LEAKS] },
    path,
  );
  const splits = {
    // scikit-learn's train_test_split(stratify=y, test_size=0.2, random_state=42), exactly.
    random: sklearnStratifiedSplit(table.y, 0.2, 42),
    chronological: chronologicalSplit(table.y.length, 0.2),
  };
  process.stdout.write(
    `leadlift bench:real — ${table.y.length} rows (duration dropped), ${table.ordinal.names.length} features ` +
      `(${table.oneHot.names.length} one-hot for logreg); ${cpus().length} cores, node ${process.version}\n`,
  );
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const [name, s] of Object.entries(splits)) {
    const r = runLeadlift(table, flat, name, s.train, s.test);
    rows.push(...r.rows);
    notes.push(...r.notes);
  }
  const sk = runSklearn(table, splits);
  rows.push(...sk.rows);
  notes.push(sk.note);
  const order = Object.keys(splits);
  rows.sort((a, b) => order.indexOf(a.split) - order.indexOf(b.split));
  process.stdout.write(
    `${formatRecords(
      rows.map((r) => ({
        model: r.model,
        split: r.split,
        'PR-AUC': r.prAuc.toFixed(3),
        'ROC-AUC': r.rocAuc.toFixed(3),
        Brier: r.brier.toFixed(4),
        'fit s': r.fitSeconds.toFixed(2),
      })),
    )}\n\n`,
  );
  for (const n of notes) process.stdout.write(`${n}\n`);
  // The targets: the best PR-AUC measured with scikit-learn 1.2 / XGBoost 1.7 on these
  // splits, stated to three decimals (so compared at three decimals: scikit-learn's own
  // logistic regression scores 0.52994 on the chronological split, the target's 0.530).
  const targets: Record<string, number> = { random: 0.497, chronological: 0.53 };
  const atTarget = (v: number, target: number) => Math.round(v * 1000) >= Math.round(target * 1000);
  process.stdout.write('\n');
  for (const split of order) {
    const mark = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'met' : 'NOT met');
    const pr = (prefix: string) => rows.find((r) => r.split === split && r.model.startsWith(prefix))?.prAuc;
    const selected = pr('leadlift train, selected');
    const skRows = rows.filter((r) => r.split === split && r.model.startsWith('sklearn'));
    const best = skRows.reduce<(typeof skRows)[number] | undefined>(
      (a, r) => (a === undefined || r.prAuc > a.prAuc ? r : a),
      undefined,
    );
    const gbt = rows.find((r) => r.split === split && r.model === 'leadlift gbt (100 rounds)');
    const hgbTimes = rows
      .filter((r) => r.split === split && r.model.startsWith('sklearn HGB (100 rounds'))
      .map((r) => r.fitSeconds);
    const ratio = gbt && hgbTimes.length > 0 ? gbt.fitSeconds / Math.min(...hgbTimes) : undefined;
    const lines = [
      `${split}: leadlift train's selected model PR-AUC ${selected === undefined ? 'n/a' : selected.toFixed(4)}`,
      `  issue target ≥ ${targets[split]!.toFixed(3)} (the issue's figures have 3 decimals; compared at 3): ${mark(
        selected === undefined ? undefined : atTarget(selected, targets[split]!),
      )}`,
      best
        ? `  best scikit-learn PR-AUC in this run: ${best.prAuc.toFixed(4)} (${best.model}); selected − best = ${
            selected === undefined ? 'n/a' : (selected - best.prAuc).toFixed(4)
          }`
        : '  scikit-learn: not measured',
      `  gbt fit time / fastest HGB (100 rounds) = ${ratio === undefined ? 'n/a' : ratio.toFixed(2)} (target ≤ 2: ${mark(
        ratio === undefined ? undefined : ratio <= 2,
      )})`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}

process.exitCode = main();
