// `npm run bench:daily`: wall time of the daily job (predict mode, a fake persist step that
// only counts the rows) on a demo DB of 100k enrollments, by stage, next to a peer measured
// in the same run: `extract` alone on the same window.
// Usage: npm run bench:daily -- [--enrollments 100000] [--serving-enrollments 10000] [--keep]

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../config/schema.js';
import type { DemoTruth } from '../demo/index.js';
import { writeDemoSqlite } from '../demo/sqlite-file.js';
import { parseWindow } from '../extract/window.js';
import { runDaily } from '../pipeline/daily.js';
import { runExtract } from '../pipeline/extract.js';
import { runQuickstart } from '../pipeline/quickstart.js';
import type { Progress } from '../progress.js';
import { formatRecords } from '../text-table.js';
import { PACKAGE_ROOT } from '../version.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
};
const enrollments = flag('--enrollments', 100_000);
const servingEnrollments = flag('--serving-enrollments', 10_000);
const keep = args.includes('--keep');
const root = join(PACKAGE_ROOT, 'tmp/bench-daily');

/** A Progress that records each task's wall time by label. */
function timedProgress(): Progress & {
  readonly tasks: { label: string; seconds: number; summary: string }[];
} {
  const tasks: { label: string; seconds: number; summary: string }[] = [];
  return {
    tasks,
    task(label: string) {
      const t0 = performance.now();
      return {
        tick: () => {},
        done: (summary?: string) => {
          tasks.push({ label, seconds: (performance.now() - t0) / 1000, summary: summary ?? '' });
        },
      };
    },
  };
}

const s = (x: number) => x.toFixed(2);

async function main(): Promise<void> {
  await mkdir(root, { recursive: true });
  const cwd = join(root, `work-${enrollments}`);
  rmSync(cwd, { recursive: true, force: true });
  await mkdir(cwd, { recursive: true });
  const env = { LEADLIFT_AUDIT_LOG: join(cwd, 'audit.jsonl') };

  // The serving model: the quickstart pipeline on a smaller demo DB of the same generator.
  process.stderr.write(
    `serving model: demo DB of ${servingEnrollments.toLocaleString('en-US')} enrollments…\n`,
  );
  const serving = await runQuickstart({
    config: configSchema.parse({}),
    cwd: join(cwd, 'serving'),
    env,
    enrollments: servingEnrollments,
    seed: 11,
  });
  const artifactsDir = serving.train!.runs[0]!.run.dir;
  const servingPassed = serving.train!.runs[0]!.run.result.gates.passed;

  // The scored DB: built once and reused across bench runs.
  const db = join(root, `agent-cory-${enrollments}.sqlite`);
  const truthPath = join(root, `agent-cory-${enrollments}.truth.json`);
  let genSeconds: number | null = null;
  if (!existsSync(db) || !existsSync(truthPath)) {
    process.stderr.write(`demo DB of ${enrollments.toLocaleString('en-US')} enrollments…\n`);
    const t0 = performance.now();
    await writeDemoSqlite(db, { enrollments, seed: 42 }, { cwd: root, truthPath, force: true });
    genSeconds = (performance.now() - t0) / 1000;
  }
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as DemoTruth;
  const config = configSchema.parse({ sourceUrl: `sqlite:${db}` });
  const window = parseWindow(truth.window.start, truth.window.as_of, 0);

  // Peer, same run: extract + check alone on the same window.
  const tp = performance.now();
  const peer = await runExtract({ config, window, cwd, env, outDir: join(cwd, 'peer-snapshot') });
  const peerSeconds = (performance.now() - tp) / 1000;

  process.stderr.write('daily (predict mode, fake persist)…\n');
  const progress = timedProgress();
  let persistedRows = 0;
  const t0 = performance.now();
  const r = await runDaily({
    config,
    cwd,
    env,
    artifactsDir,
    window,
    handleSignals: false,
    progress,
    // A serving model whose gates failed would not be persisted: then the job runs without the step.
    persist: servingPassed
      ? async ({ predictionsCsv }) => {
          persistedRows = readFileSync(predictionsCsv, 'utf8').split('\n').length - 2;
          return { inserted: persistedRows, updated: 0 };
        }
      : null,
  });
  const total = (performance.now() - t0) / 1000;

  const rows = r.predict?.nScored ?? null;
  process.stdout.write(
    `\ndaily job, predict mode: ${enrollments.toLocaleString('en-US')} demo enrollments, window [${window.since}, ${window.until}); ` +
      `${cpus().length} cores; serving model trained on ${servingEnrollments.toLocaleString('en-US')}` +
      `${genSeconds !== null ? `; demo DB built in ${s(genSeconds)} s (not counted)` : ''}\n\n`,
  );
  const stages = r.timings;
  process.stdout.write(
    `${formatRecords(
      Object.entries(stages).map(([stage, sec]) => ({
        stage,
        seconds: s(sec),
        share: `${((sec / total) * 100).toFixed(1)}%`,
      })),
    )}\n\n`,
  );
  process.stdout.write(
    `${formatRecords(
      progress.tasks.map((t) => ({ task: t.label, seconds: s(t.seconds), result: t.summary })),
    )}\n\n`,
  );
  process.stdout.write(
    `${formatRecords([
      {
        measure: 'daily job total',
        seconds: s(total),
        'rows scored': rows?.toLocaleString('en-US') ?? 'n/a',
        'rows/s': rows ? Math.round(rows / total).toLocaleString('en-US') : 'n/a',
        'vs peer': `${(total / peerSeconds).toFixed(2)}x`,
      },
      {
        measure: 'peer: extract + check alone',
        seconds: s(peerSeconds),
        'rows scored': '-',
        'rows/s': '-',
        'vs peer': '1.00x',
      },
    ])}\n`,
  );
  if (!servingPassed)
    process.stdout.write('(the serving model failed its gates: the job ran without the persist step)\n');
  else process.stdout.write(`fake persist counted ${persistedRows.toLocaleString('en-US')} rows\n`);
  process.stdout.write(
    `peer snapshot: ${peer.manifest.entities.enrollments.rows.toLocaleString('en-US')} enrollments\n`,
  );
  if (!keep) rmSync(cwd, { recursive: true, force: true });
}

await main();
