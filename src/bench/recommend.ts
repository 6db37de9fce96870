// `npm run bench:recommend`: does the recommend stage find the demo's planted
// campaign-level effects, in the right direction, and leave the no-effect controls alone?
// For each seed: demo DB → extract → clean → train T1 (library pipeline functions) →
// recommend; then every recommendation is matched against the truth file. Precision =
// right-direction matches of planted effects ÷ recommendations; recall = planted
// campaign-level effects found ÷ planted. A peer measured in the same run: the naive rule
// users apply today (raw booking rate, two-proportion z-test at p < 0.05 per comparison,
// no adjustment, no FDR control, no minimum counts) on the same comparisons.
//
// Pure noise: the same data with every enrollment's outcomes (booked, qualified,
// converted together) shuffled within (org, elapsed windows) — `shuffleOutcomes`, seeded by
// (seed, shuffle) — so nothing has an effect; the expectations are refit, the comparisons
// rerun, and what each method raises is a false positive (family-wise: shuffles with at
// least one); so is every element flag, step-removal finding and supported finding.
//
// Options (env): LEADLIFT_BENCH_SEEDS (default "1,2,3,4,5"), LEADLIFT_BENCH_ENROLLMENTS (20000),
// LEADLIFT_BENCH_NOISE_SHUFFLES (20). `--help` prints them.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanSnapshot } from '../clean/index.js';
import { loadConfig } from '../config/load.js';
import type { DemoTruth, TruthEffect } from '../demo/index.js';
import { writeDemoSqlite } from '../demo/sqlite-file.js';
import { parseWindow } from '../extract/window.js';
import { runExtract } from '../pipeline/extract.js';
import { runTrainCleaned } from '../pipeline/train-cleaned.js';
import { type Arm, analyze, type Comparison, type ComparisonKind } from '../recommend/analyze.js';
import { EXPECTED_FOLDS, expectedScores, touchExpectedScores } from '../recommend/expected.js';
import { shuffleOutcomes } from '../recommend/noise.js';
import { runRecommend } from '../recommend/run.js';
import { normalCdf, twoProportionZ } from '../recommend/stats.js';
import { openSnapshot } from '../snapshot/manifest.js';
import { formatRecords } from '../text-table.js';

const USAGE = `Usage: npm run bench:recommend [-- --help]

Demo DB → extract → clean → train T1 → recommend, per seed; recommendations matched
against the demo's truth file (precision, recall, controls raised) next to the naive rule.

Environment:
  LEADLIFT_BENCH_SEEDS        comma-separated seeds (default 1,2,3,4,5)
  LEADLIFT_BENCH_ENROLLMENTS  enrollments per demo (default 20000)
  LEADLIFT_BENCH_NOISE_SHUFFLES  outcome shuffles per seed for the pure-noise
                              false-positive measure (default 20; 0 skips it)
`;
const seeds = (process.env.LEADLIFT_BENCH_SEEDS ?? '1,2,3,4,5').split(',').map(Number);
const enrollments = Number(process.env.LEADLIFT_BENCH_ENROLLMENTS ?? 20000);
const shuffles = Number(process.env.LEADLIFT_BENCH_NOISE_SHUFFLES ?? 20);

/** What a recommendation or comparison touches. */
interface Touching {
  readonly kind: ComparisonKind;
  readonly campaignIds: readonly string[];
  readonly stepIds: readonly string[];
  readonly better: Arm;
  readonly worse: Arm;
}

type Verdict = { effect: string; right: boolean } | { control: string } | null;

/** The planted effect (or control) a finding is about, and whether its direction is right. */
export function judge(t: Touching, effects: readonly TruthEffect[]): Verdict {
  for (const e of effects) {
    if (e.level !== 'campaign') continue;
    if (e.kind === 'control') {
      if (t.kind === 'prompt_variant' && e.ids.step_id !== undefined && t.stepIds.includes(e.ids.step_id)) {
        return { control: e.id };
      }
      continue;
    }
    if (
      e.kind === 'prompt_variant' &&
      t.kind === 'prompt_variant' &&
      t.stepIds.includes(e.ids.step_id ?? '')
    ) {
      return { effect: e.id, right: t.better.variant_id === e.ids.variant_id };
    }
    const same = (a: readonly string[], b: readonly string[]) =>
      a.length === b.length && a.every((x) => b.includes(x));
    if (
      (e.kind === 'step_order' || e.kind === 'step_wait') &&
      t.kind === e.kind &&
      same(t.campaignIds, e.ids.campaign_ids ?? [])
    ) {
      const worse = e.kind === 'step_order' ? String(e.detail?.worse_campaign_id) : e.ids.campaign_id;
      return { effect: e.id, right: t.worse.campaign_id === worse };
    }
  }
  return null;
}

/** z of the two arms' 7-day booking rates as the truth file itself observed them (pooled two-proportion test). */
function truthZ(e: TruthEffect): string {
  const [a, b] = e.observed;
  if (!a || !b || a.enrollments === 0 || b.enrollments === 0) return '';
  return twoProportionZ(a.call_booked_7d, a.enrollments, b.call_booked_7d, b.enrollments).toFixed(2);
}

/** Counts of one noise run (or their totals): comparisons, raises, flags and CPU seconds. */
function noiseCounts() {
  return {
    comparisons: 0,
    method: 0,
    methodAny: 0,
    naive: 0,
    naiveAny: 0,
    elements: 0,
    findings: 0,
    supported: 0,
    cpu: 0,
  };
}

/** The naive peer: raw rates of the same comparisons, two-proportion z-test, p < 0.05 each, ranked by raw gain. */
function naiveFlags(comparisons: readonly Comparison[]): (Touching & { rank: number })[] {
  return comparisons
    .map((c) => {
      const a = c.better;
      const b = c.worse;
      const diff = a.rate.point - b.rate.point;
      const z = twoProportionZ(a.booked, a.n, b.booked, b.n);
      const [better, worse] = diff >= 0 ? [a, b] : [b, a];
      return {
        kind: c.kind,
        campaignIds: [...new Set([c.better.campaign_id, c.worse.campaign_id])],
        stepIds: c.step_ids,
        better,
        worse,
        p: 2 * normalCdf(-Math.abs(z)),
        gain: Math.abs(diff),
      };
    })
    .filter((c) => c.p < 0.05)
    .sort((x, y) => y.gain - x.gain)
    .map((c, i) => ({ ...c, rank: i + 1 }));
}

interface Row {
  seed: number;
  method: string;
  flagged: number;
  right: number;
  wrong_or_unrelated: number;
  controls_raised: number;
  planted_found: string;
  precision: string;
  recall: string;
  ranks_of_planted: string;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const unexpected: Record<string, string | number>[] = [];
  const timing: Record<string, string | number>[] = [];
  const noise: Record<string, string | number>[] = [];
  const noiseRaised: Record<string, string | number>[] = [];
  const noiseTotals = noiseCounts();
  const totals = {
    method: { flagged: 0, right: 0, found: 0, planted: 0, controls: 0 },
    naive: { flagged: 0, right: 0, found: 0, planted: 0, controls: 0 },
  };
  for (const seed of seeds) {
    const cwd = await mkdtemp(join(tmpdir(), 'leadlift-bench-rec-'));
    try {
      const t0 = performance.now();
      const file = join(cwd, 'demo.sqlite');
      const { truth } = (await writeDemoSqlite(file, { enrollments, seed }, { cwd, force: true })) as {
        truth: DemoTruth;
      };
      const base = await loadConfig({ cwd, env: {} });
      const config = { ...base, sourceUrl: `sqlite:${file}` };
      const t1 = performance.now();
      const window = parseWindow(truth.window.start, truth.window.as_of, 0);
      const extract = await runExtract({ config, window, cwd, env: {} });
      const snapshot = await openSnapshot(extract.dir);
      const cleanDir = join(cwd, 'tmp/cleaned', snapshot.manifest.snapshot_id);
      await cleanSnapshot(snapshot, config.clean, cleanDir, {});
      const t2 = performance.now();
      const c2 = process.cpuUsage();
      const train = await runTrainCleaned({
        cwd,
        cleanedDir: cleanDir,
        targets: ['booked_call_within_7d'],
        runsDir: config.runsDir,
        runName: snapshot.manifest.snapshot_id,
        train: { nBoot: 50 },
      });
      const t3 = performance.now();
      const c3 = process.cpuUsage();
      const rec = await runRecommend({
        config,
        cwd,
        env: {},
        runDir: train.runs[0]!.run.dir,
        cleanedDir: cleanDir,
      });
      const t4 = performance.now();
      const c4 = process.cpuUsage();
      const cpu = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) =>
        ((b.user + b.system - a.user - a.system) / 1e6).toFixed(1);
      timing.push({
        seed,
        enrollments,
        'demo s': ((t1 - t0) / 1000).toFixed(1),
        'extract+clean s': ((t2 - t1) / 1000).toFixed(1),
        'train s': ((t3 - t2) / 1000).toFixed(1),
        'recommend s': ((t4 - t3) / 1000).toFixed(1),
        'recommend ÷ train': ((t4 - t3) / (t3 - t2)).toFixed(2),
        'train cpu s': cpu(c2, c3),
        'recommend cpu s': cpu(c3, c4),
      });
      const planted = truth.effects.filter((e) => e.level === 'campaign' && e.kind !== 'control');
      const score = (method: 'method' | 'naive', found: readonly (Touching & { rank: number })[]) => {
        let right = 0;
        let controls = 0;
        const hit = new Map<string, number>();
        for (const f of found) {
          const v = judge(f, truth.effects);
          if (v && 'effect' in v && v.right) {
            right++;
            if (!hit.has(v.effect)) hit.set(v.effect, f.rank);
          } else {
            if (v && 'control' in v) controls++;
            if (method === 'method') {
              unexpected.push({
                seed,
                kind: f.kind,
                about:
                  v === null
                    ? 'no planted effect'
                    : 'control' in v
                      ? v.control
                      : `${v.effect} (wrong direction)`,
                worse: `${f.worse.label} ${f.worse.variant_id ?? f.worse.campaign_id} ${(f.worse.rate.point * 100).toFixed(1)}% n ${f.worse.n}`,
                better: `${f.better.label} ${f.better.variant_id ?? f.better.campaign_id} ${(f.better.rate.point * 100).toFixed(1)}% n ${f.better.n}`,
                'truth file z (7d)':
                  v !== null && 'control' in v ? truthZ(truth.effects.find((e) => e.id === v.control)!) : '',
              });
            }
          }
        }
        const tot = totals[method];
        tot.flagged += found.length;
        tot.right += right;
        tot.found += hit.size;
        tot.planted += planted.length;
        tot.controls += controls;
        rows.push({
          seed,
          method: method === 'method' ? 'leadlift recommend' : 'naive raw-rate p<0.05',
          flagged: found.length,
          right,
          wrong_or_unrelated: found.length - right,
          controls_raised: controls,
          planted_found: `${hit.size}/${planted.length}`,
          precision: found.length > 0 ? (right / found.length).toFixed(2) : 'n/a',
          recall: (hit.size / planted.length).toFixed(2),
          ranks_of_planted: planted.map((e) => `${e.kind}:${hit.get(e.id) ?? '-'}`).join(' '),
        });
      };
      score(
        'method',
        rec.analysis.recommendations.map((r) => ({
          kind: r.kind,
          campaignIds: r.campaign_ids,
          stepIds: r.step_ids,
          better: r.better,
          worse: r.worse,
          rank: r.rank,
        })),
      );
      score('naive', naiveFlags(rec.analysis.comparisons));
      // Pure noise: outcomes shuffled, expectations refit, comparisons rerun.
      const { set, data } = rec.inputs;
      const nz = noiseCounts();
      for (let k = 0; k < shuffles; k++) {
        const c0 = process.cpuUsage();
        const noisy = shuffleOutcomes(data, seed, k);
        const ex = expectedScores(set, noisy, EXPECTED_FOLDS, ['booked_call_within_7d']);
        const an = analyze({
          data: noisy,
          expected: ex.byTarget,
          touchExpected: touchExpectedScores(set, noisy),
          target: 'booked_call_within_7d',
          runScore: new Float64Array(noisy.nRows).fill(Number.NaN),
          runTest: new Uint8Array(noisy.nRows),
          runName: `noise-${seed}-${k}`,
        });
        const c1 = process.cpuUsage();
        nz.cpu += (c1.user + c1.system - c0.user - c0.system) / 1e6;
        const raisedNaive = naiveFlags(an.comparisons).length;
        nz.comparisons += an.comparisons.length;
        nz.method += an.recommendations.length;
        nz.methodAny += an.recommendations.length > 0 ? 1 : 0;
        nz.naive += raisedNaive;
        nz.naiveAny += raisedNaive > 0 ? 1 : 0;
        nz.elements += an.elements.filter((e) => e.flag.underperforming).length;
        for (const r of an.recommendations) {
          noiseRaised.push({
            seed,
            shuffle: k,
            kind: r.kind,
            worse: `${r.worse.label} ${r.worse.variant_id ?? r.worse.campaign_id} n ${r.worse.n}`,
            better: `${r.better.label} ${r.better.variant_id ?? r.better.campaign_id} n ${r.better.n}`,
            p: r.evidence.p_value.toExponential(2),
            q: r.evidence.q_value.toFixed(3),
          });
        }
        nz.findings += an.step_removals.length;
        nz.supported += an.step_removals.filter((f) => f.supported).length;
      }
      if (shuffles > 0) {
        noise.push({
          seed,
          shuffles,
          'comparisons/shuffle': (nz.comparisons / shuffles).toFixed(1),
          'leadlift raised': nz.method,
          'leadlift shuffles ≥1': nz.methodAny,
          'naive raised': nz.naive,
          'naive shuffles ≥1': nz.naiveAny,
          'leadlift element flags': nz.elements,
          'step-removal findings': nz.findings,
          'findings supported': nz.supported,
          'cpu s/shuffle': (nz.cpu / shuffles).toFixed(1),
        });
        for (const [key, v] of Object.entries(nz)) noiseTotals[key as keyof typeof nz] += v;
      }
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  }
  process.stdout.write(
    `Recommend benchmark: ${seeds.length} seeds × ${enrollments} enrollments (demo generator)\n\n`,
  );
  process.stdout.write(`${formatRecords(rows as unknown as Record<string, string | number>[])}\n\n`);
  const sum = (['method', 'naive'] as const).map((m) => {
    const t = totals[m];
    return {
      method: m === 'method' ? 'leadlift recommend' : 'naive raw-rate p<0.05',
      flagged: t.flagged,
      precision: t.flagged > 0 ? (t.right / t.flagged).toFixed(2) : 'n/a',
      recall: (t.found / t.planted).toFixed(2),
      controls_raised: t.controls,
    };
  });
  if (unexpected.length > 0) {
    process.stdout.write(`Recommendations not matching a planted effect:\n${formatRecords(unexpected)}\n\n`);
  }
  process.stdout.write(`All seeds:\n${formatRecords(sum)}\n\n`);
  if (shuffles > 0) {
    const runs = shuffles * seeds.length;
    const t = noiseTotals;
    process.stdout.write(
      `Pure noise (outcomes shuffled within org × elapsed windows; every raise is a false positive):\n${formatRecords(noise)}\n\n`,
    );
    process.stdout.write(
      noiseRaised.length > 0
        ? `What leadlift raised under noise:\n${formatRecords(noiseRaised)}\n\n`
        : 'leadlift raised nothing under noise.\n\n',
    );
    process.stdout.write(
      `${formatRecords([
        {
          method: 'leadlift recommend',
          'noise runs': runs,
          comparisons: t.comparisons,
          raised: t.method,
          'runs with ≥1 (family-wise)': `${t.methodAny} (${(t.methodAny / runs).toFixed(2)})`,
          'per comparison': (t.method / Math.max(1, t.comparisons)).toFixed(3),
        },
        {
          method: 'naive raw-rate p<0.05',
          'noise runs': runs,
          comparisons: t.comparisons,
          raised: t.naive,
          'runs with ≥1 (family-wise)': `${t.naiveAny} (${(t.naiveAny / runs).toFixed(2)})`,
          'per comparison': (t.naive / Math.max(1, t.comparisons)).toFixed(3),
        },
      ])}\n\n`,
    );
    process.stdout.write(
      `Under noise: ${t.elements} element flags, ${t.findings} step-removal findings, ${t.supported} supported.\n\n`,
    );
  }
  process.stdout.write(
    `Timings (same run; noise CPU is the per-shuffle table above):\n${formatRecords(timing)}\n`,
  );
}

if (process.argv.includes('--help') || process.argv.includes('-h')) process.stdout.write(USAGE);
else
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
