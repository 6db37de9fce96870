// `npm run bench`: generation, extract, check and clean time and peak memory for demo
// DBs of several sizes, each stage in its own process (the CLI as a user runs it).
// Usage: npm run bench -- [--sizes 10000,100000,1000000] [--keep] [--db PATH]
// --db PATH reuses a demo DB generated with the benchmark's arguments (demo-db --enrollments
// <size> --seed 7 --start 2025-09-01 --days 180) instead of generating one: give one size.

import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { formatRecords } from '../text-table.js';
import { PACKAGE_ROOT } from '../version.js';
import { type Measured, runMeasured } from './measure.js';

interface StageResult extends Measured {
  readonly stage: string;
}

const args = process.argv.slice(2);
const sizesArg = args[args.indexOf('--sizes') + 1];
const sizes = (args.includes('--sizes') && sizesArg ? sizesArg : '10000,100000,1000000')
  .split(',')
  .map(Number);
const keep = args.includes('--keep');
const root = join(PACKAGE_ROOT, 'tmp/bench');
const dbArg = args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined;
if (dbArg !== undefined && sizes.length !== 1) {
  process.stderr.write('--db reuses one demo DB: give the one size it was generated with (--sizes N).\n');
  process.exit(2);
}
if (dbArg !== undefined && resolve(dbArg).startsWith(`${root}/`)) {
  process.stderr.write(`--db ${dbArg} lies under ${root}, which the benchmark empties: keep it elsewhere.\n`);
  process.exit(2);
}

function runStage(stage: string, argv: string[], dir: string): StageResult {
  return { stage, ...runMeasured(stage, argv, dir) };
}

/**
 * The engagement rows the targets speak of: activities + messages (the communication log)
 * + outcomes (bookings, outcome events and provider status callbacks) of a snapshot.
 */
function engagementRows(snapshotDir: string): number {
  try {
    const m = JSON.parse(readFileSync(join(snapshotDir, 'manifest.json'), 'utf8')) as {
      entities: Record<string, { rows: number }>;
    };
    const e = m.entities;
    return (e.activities?.rows ?? 0) + (e.messages?.rows ?? 0) + (e.outcomes?.rows ?? 0);
  } catch {
    return 0;
  }
}

const rows: Record<string, string | number>[] = [];
const stageRows: Record<string, string | number>[] = [];
const sec = (ms: number) => (ms / 1000).toFixed(1);
process.stdout.write(
  `leadlift foundation benchmark — ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}\n`,
);
for (const n of sizes) {
  const dir = join(root, String(n));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = dbArg === undefined ? join(dir, 'agent-cory.sqlite') : resolve(dbArg);
  const snap = join(dir, 'snapshot');
  const demo = ['--enrollments', String(n), '--seed', '7', '--start', '2025-09-01', '--days', '180'];
  const window = ['--since', '2025-09-01', '--until', '2026-02-28', '--lookback-days', '0'];
  const reused: StageResult = { stage: 'generate (reused --db)', ms: 0, cpuMs: 0, peakMiB: 0, code: 0 };
  const [generate, extract, check, clean] = [
    dbArg === undefined ? runStage('generate', ['demo-db', '--out', db, ...demo], dir) : reused,
    runStage(
      'extract (with check)',
      ['extract', '--source-url', `sqlite:${db}`, ...window, '--out', snap],
      dir,
    ),
    runStage('check (alone)', ['check', snap], dir),
    runStage('clean', ['clean', snap, '--out', join(dir, 'cleaned')], dir),
  ] as [StageResult, StageResult, StageResult, StageResult];
  // extract runs the checks itself (as the pipeline does), on the rows as it writes them;
  // check is also timed alone (reading the files) for reference.
  const pipeline = extract.ms + clean.ms;
  const engagement = engagementRows(snap);
  const label = n.toLocaleString('en-US');
  for (const r of [generate, extract, check, clean]) {
    stageRows.push({
      enrollments: label,
      stage: r.stage,
      'wall s': sec(r.ms),
      'CPU s (all threads)': sec(r.cpuMs),
      'peak MiB': r.peakMiB.toFixed(0),
      exit: r.code,
    });
  }
  rows.push({
    enrollments: label,
    'engagement rows': engagement.toLocaleString('en-US'),
    'generate s': sec(generate.ms),
    'extract s (with check)': sec(extract.ms),
    'check s (alone)': sec(check.ms),
    'clean s': sec(clean.ms),
    'total s (extract + clean)': sec(pipeline),
    'total CPU s': sec(extract.cpuMs + clean.cpuMs),
    'peak MiB': Math.max(extract.peakMiB, clean.peakMiB).toFixed(0),
    'rows/s': Math.round(engagement / (pipeline / 1000)).toLocaleString('en-US'),
  });
  process.stdout.write(`${formatRecords(stageRows.slice(-4))}\n\n`);
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(
  `Summary\n${formatRecords(rows)}\n` +
    'Engagement rows: activities + messages (communication log) + outcomes (bookings, outcome events, provider status callbacks) in the snapshot.\n' +
    'Total is extract (which checks the rows as it writes them) plus clean; "check (alone)" re-runs the checks from the files for reference. Peak MiB is the larger of extract and clean.\n' +
    'Total CPU s counts every thread: on a busy machine wall time exceeds it / cores; compare runs by CPU when the load (above) is high.\n' +
    'Target: 1M enrollments (~15–20M engagement rows) through extract + check + clean in < 300 s and < 4096 MiB.\n',
);
