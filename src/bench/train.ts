// `npm run bench:train`: end-to-end `leadlift train --cleaned` on demo data — features,
// every candidate, evaluation with bootstrap intervals and explanations of every row —
// with wall time per stage and peak memory. demo-db → extract → clean run first, each in
// its own process, and are timed apart (they are not part of train).
// Usage: npm run bench:train -- [--sizes 200000,1000000] [--target T ...] [--keep]

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { formatRecords } from '../text-table.js';
import { PACKAGE_ROOT } from '../version.js';
import { type Measured, runMeasured } from './measure.js';

const args = process.argv.slice(2);
function valuesOf(flag: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a === flag && args[i + 1] !== undefined) out.push(args[i + 1]!);
  });
  return out;
}
const sizes = (valuesOf('--sizes')[0] ?? '200000').split(',').map(Number);
const targets = valuesOf('--target');
const keep = args.includes('--keep');
const root = join(PACKAGE_ROOT, 'tmp/bench-train');

// Exit 3 is a failed model gate: the run folder is complete, so the timing counts.
function run(name: string, argv: string[], dir: string): Measured {
  return runMeasured(name, argv, dir, [0, 3]);
}

const secs = (s: number | undefined) => (s === undefined ? '-' : s.toFixed(1));

process.stdout.write(
  `leadlift train benchmark — ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}\n`,
);
const summary: Record<string, string | number>[] = [];
for (const n of sizes) {
  const dir = join(root, String(n));
  mkdirSync(dir, { recursive: true });
  const db = join(dir, 'agent-cory.sqlite');
  const snap = join(dir, 'snapshot');
  const cleaned = join(dir, 'cleaned');
  const label = n.toLocaleString('en-US');
  // Setup (not timed as train): reused when --keep left it from an earlier run.
  if (!existsSync(join(cleaned, 'manifest.json'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const demo = ['--enrollments', String(n), '--seed', '7', '--start', '2025-09-01', '--days', '180'];
    const window = ['--since', '2025-09-01', '--until', '2026-02-28', '--lookback-days', '0'];
    const setup = [
      run('generate', ['demo-db', '--out', db, ...demo], dir),
      run('extract', ['extract', '--source-url', `sqlite:${db}`, ...window, '--out', snap], dir),
      run('clean', ['clean', snap, '--out', cleaned], dir),
    ];
    process.stdout.write(
      `${label}: setup generate ${secs(setup[0]!.ms / 1000)} s, extract ${secs(setup[1]!.ms / 1000)} s, clean ${secs(setup[2]!.ms / 1000)} s (not part of train)\n`,
    );
  }
  const runsDir = join(dir, 'runs');
  rmSync(runsDir, { recursive: true, force: true });
  const targetArgs = targets.flatMap((t) => ['--target', t]);
  const train = run(
    'train',
    ['train', '--cleaned', cleaned, ...targetArgs, '--runs-dir', runsDir, '--run-name', 'bench'],
    dir,
  );
  const rows: Record<string, string | number>[] = [];
  const runs = existsSync(runsDir) ? readdirSync(runsDir).sort() : [];
  for (const name of runs) {
    const m = JSON.parse(readFileSync(join(runsDir, name, 'manifest.json'), 'utf8')) as {
      timings_seconds: Record<string, number>;
      input: { rows: number };
    };
    const t = m.timings_seconds;
    const metrics = JSON.parse(readFileSync(join(runsDir, name, 'metrics.json'), 'utf8')) as {
      label_col: string;
      selection: { selected: string };
    };
    rows.push({
      enrollments: label,
      target: metrics.label_col,
      rows: m.input.rows.toLocaleString('en-US'),
      selected: metrics.selection.selected,
      'features s': secs(t.features),
      'read s': secs(t.read),
      'prepare s': secs(t.prepare),
      'logreg s': secs(t.fit_logreg),
      'gbt s': secs(t.fit_gbt),
      'evaluate s': secs(t.evaluate),
      'explain s': secs(t.explain),
      'target total s': secs(t.total),
    });
  }
  process.stdout.write(`${formatRecords(rows)}\n`);
  summary.push({
    enrollments: label,
    targets: runs.length,
    'train wall s': secs(train.ms / 1000),
    'train CPU s': secs(train.cpuMs / 1000),
    'CPU / wall': (train.cpuMs / train.ms).toFixed(2),
    'peak MiB': train.peakMiB.toFixed(0),
    exit: train.code,
    target: n <= 200_000 ? '< 120 s' : n <= 1_000_000 ? '< 600 s' : '-',
  });
  process.stdout.write(`${formatRecords(summary.slice(-1))}\n\n`);
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(
  `Summary\n${formatRecords(summary)}\n` +
    'train wall = one `leadlift train --cleaned` process: features once, then per target the candidates, evaluation, explanations and the run folder.\n' +
    'Targets: 200k enrollments < 120 s, 1M < 600 s, peak < 4096 MiB.\n',
);
