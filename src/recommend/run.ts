// `runRecommend`: a trained run folder + the cleaned tables it came from → the analyses,
// recommendations.json and recommendations.md in the run folder, and the proposals in the
// recommendations store. Reads files only: no database connection is ever opened.

import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { openCleanTables } from '../clean/index.js';
import type { Config } from '../config/schema.js';
import { LeadliftError } from '../errors.js';
import { buildTrainingSet, TARGETS, type TrainingSet } from '../features/index.js';
import { type Progress, silentProgress } from '../progress.js';
import { parseCsv } from '../train/index.js';
import { type Analysis, analyze, DEFAULT_BAR, type RecommendBar } from './analyze.js';
import { EXPECTED_FEATURES, EXPECTED_FOLDS, expectedScores, touchExpectedScores } from './expected.js';
import { loadRecData, type RecData } from './load.js';
import { recommendationsMarkdown } from './report.js';
import { addProposals, recJson, storePathOf, writeAtomic } from './store.js';

export { recJson } from './store.js';

export const RECOMMENDATIONS_FILE = 'recommendations.json';
export const RECOMMENDATIONS_MD = 'recommendations.md';
export const RECOMMENDATIONS_FORMAT = 'leadlift.recommendations/1';

export interface RunRecommendInput {
  readonly config: Config;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A run folder path, or a run name under `config.runsDir`. */
  readonly runDir: string;
  /** The cleaned folder the run was trained on. Default: from the run's manifest, else `<cleanedDir>/<run name>`. */
  readonly cleanedDir?: string | undefined;
  /** Where to write the two files. Default the run folder. */
  readonly outDir?: string | undefined;
  readonly bar?: RecommendBar;
  /** The target comparisons are judged on; default the run's own (model.json `label_col`), else T1. */
  readonly target?: (typeof TARGETS)[number];
  readonly progress?: Progress;
}

export interface RunRecommendResult {
  readonly runDir: string;
  readonly cleanedDir: string;
  readonly analysis: Analysis;
  /** The recommendations.json document. */
  readonly document: Record<string, unknown>;
  readonly paths: { readonly json: string; readonly markdown: string; readonly store: string };
  /** What the analyses read: the label + features rows and the paths, replies and labels built from them. */
  readonly inputs: { readonly set: TrainingSet; readonly data: RecData };
}

/** Finds the run folder; `recommend.unknownRun` (exit 2) when there is none. */
export async function resolveRunDir(config: Config, cwd: string, run: string): Promise<string> {
  const candidates = [resolve(cwd, run), resolve(cwd, config.runsDir, run)];
  for (const c of candidates) {
    if (existsSync(join(c, 'manifest.json'))) return c;
  }
  throw new LeadliftError(
    'recommend.unknownRun',
    `No run folder "${run}": neither ${candidates.join(' nor ')} holds a manifest.json. Pass a folder written by \`leadlift train\` (see \`ls ${config.runsDir}\`).`,
    { details: { run } },
  );
}

async function resolveCleaned(
  config: Config,
  cwd: string,
  runDir: string,
  manifest: Record<string, unknown>,
  given: string | undefined,
): Promise<string> {
  if (given !== undefined) return resolve(cwd, given);
  const input = (manifest.input ?? {}) as Record<string, unknown>;
  for (const v of [
    manifest.cleaned_dir,
    input.cleaned_dir,
    (manifest.cleaned as { dir?: unknown } | undefined)?.dir,
  ]) {
    if (typeof v === 'string' && v.length > 0) return isAbsolute(v) ? v : resolve(cwd, v);
  }
  const name = basename(runDir).replace(
    /-(booked_call_within_7d|qualified_within_14d|conversion_within_30d)$/,
    '',
  );
  const guess = resolve(cwd, config.cleanedDir, name);
  if (existsSync(join(guess, 'manifest.json'))) return guess;
  throw new LeadliftError(
    'recommend.noCleaned',
    `Run ${runDir} does not say which cleaned tables it was trained on, and ${guess} does not exist. Pass --cleaned DIR (the folder \`leadlift clean\` wrote).`,
    { details: { run: runDir } },
  );
}

/** Reads predictions.csv: score and split per (org_id, enrollment_id). */
async function readScores(runDir: string): Promise<Map<string, { score: number; test: boolean }>> {
  const path = join(runDir, 'predictions.csv');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new LeadliftError(
      'recommend.noScores',
      `Run ${runDir} has no predictions.csv: it holds no scores. Recommend needs a run written by \`leadlift train\` that finished.`,
      { details: { run: runDir } },
    );
  }
  const csv = parseCsv(text, path);
  const col = (n: string) => csv.header.indexOf(n);
  const [io, ie, is, isp] = [col('org_id'), col('enrollment_id'), col('score'), col('split')];
  if (ie < 0 || is < 0 || csv.nRows === 0) {
    throw new LeadliftError(
      'recommend.noScores',
      `${path} has ${csv.nRows} rows and ${is < 0 ? 'no score column' : 'a score column'}${ie < 0 ? ' but no enrollment_id column' : ''}: recommend needs enrollment scores from \`leadlift train --cleaned\`.`,
      { details: { run: runDir } },
    );
  }
  const out = new Map<string, { score: number; test: boolean }>();
  for (let r = 0; r < csv.nRows; r++) {
    const org = io >= 0 ? csv.columns[io]![r]! : '';
    out.set(`${org}\u0000${csv.columns[ie]![r]!}`, {
      score: Number(csv.columns[is]![r]!),
      test: isp >= 0 && csv.columns[isp]![r] === 'test',
    });
  }
  return out;
}

/** The run's target: model.json `label_col` when it is a target, else T1. */
async function runTarget(runDir: string): Promise<(typeof TARGETS)[number]> {
  try {
    const model = JSON.parse(await readFile(join(runDir, 'model.json'), 'utf8')) as { label_col?: unknown };
    const t = TARGETS.find((x) => x === model.label_col);
    if (t) return t;
  } catch {
    // No readable model.json: judge on T1.
  }
  return 'booked_call_within_7d';
}

/** Runs the recommend stage on a run folder. */
export async function runRecommend(input: RunRecommendInput): Promise<RunRecommendResult> {
  const progress = input.progress ?? silentProgress;
  const runDir = await resolveRunDir(input.config, input.cwd, input.runDir);
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    throw new LeadliftError(
      'recommend.unknownRun',
      `${join(runDir, 'manifest.json')} is not valid JSON. Re-run \`leadlift train\`.`,
      {
        details: { run: runDir },
      },
    );
  }
  const scores = await readScores(runDir);
  const cleanedDir = await resolveCleaned(input.config, input.cwd, runDir, manifest, input.cleanedDir);
  if (!(await stat(cleanedDir).catch(() => null))?.isDirectory()) {
    throw new LeadliftError(
      'recommend.noCleaned',
      `--cleaned ${cleanedDir} is not a folder. Pass the folder \`leadlift clean\` wrote.`,
      {
        details: { cleaned: cleanedDir },
      },
    );
  }
  const tables = await openCleanTables(cleanedDir);
  const set = await buildTrainingSet(tables, {}, progress);
  const task = progress.task('recommend: paths and replies');
  const data = await loadRecData(tables, set);
  task.done(`${data.nRows} enrollments`);
  const t2 = progress.task('recommend: expected rates (cross-fitted lead-only model)');
  const expected = expectedScores(set, data);
  const touchExpected = touchExpectedScores(set, data);
  t2.done();
  const target = input.target ?? (await runTarget(runDir));
  const runScore = new Float64Array(data.nRows).fill(Number.NaN);
  const runTest = new Uint8Array(data.nRows);
  let matched = 0;
  for (let r = 0; r < data.nRows; r++) {
    const s = scores.get(`${data.orgId[r]}\u0000${data.enrollmentId[r]}`);
    if (s) {
      runScore[r] = s.score;
      runTest[r] = s.test ? 1 : 0;
      matched++;
    }
  }
  if (matched === 0) {
    throw new LeadliftError(
      'recommend.runMismatch',
      `No enrollment of ${cleanedDir} is scored in ${join(runDir, 'predictions.csv')}: the run was trained on other data. Pass the matching --cleaned DIR.`,
      { details: { run: runDir, cleaned: cleanedDir } },
    );
  }
  const runName = String(manifest.run_name ?? basename(runDir));
  const bar = input.bar ?? DEFAULT_BAR;
  const analysis = analyze({
    data,
    expected: expected.byTarget,
    touchExpected,
    target,
    runScore,
    runTest,
    runName,
    bar,
  });

  const document: Record<string, unknown> = {
    format: RECOMMENDATIONS_FORMAT,
    run_name: runName,
    cleaned_snapshot: tables.manifest.source_snapshot?.snapshot_id ?? basename(cleanedDir),
    as_of_utc: new Date(data.asOf).toISOString(),
    enrollments: data.nRows,
    scored_by_run: matched,
    months_observed: analysis.months,
    method: {
      metric: `${target} (the run's target; every target reported per element)`,
      expected:
        "out-of-fold probability from an L2 logistic regression (C = 1) on pre-treatment lead features only; the run's own scores are reported (test rows) but not used, since they read campaign, content and reply features that absorb the element effects",
      expected_features: EXPECTED_FEATURES,
      expected_columns: expected.columns,
      folds: EXPECTED_FOLDS,
      expected_at_touch:
        'for steps, channels, variants and decision branches: out-of-fold probability of booked_call_within_7d at the touch that reached the lead, from the same lead features plus the time since the first touch (one row per enrollment and touch, folds by enrollment)',
      families: analysis.families,
      comparison:
        'adjusted difference of mean (observed − expected) between arms, normal approximation; P(better arm is better) = Φ(z) under a flat prior',
      bar,
      multiple_comparisons:
        "Benjamini–Hochberg over all comparisons of the run (one family), separately over every element flag (campaigns, channels, steps, variants, decision branches: one family), and separately over the step-removal findings' reply-mix p-values (one family)",
      step_removal:
        "comparison: two campaigns of an org whose sequences differ by one extra step (same channels in the same order; every other step keeps its wait, or the step after the extra one waits the sum of the two waits so every later step keeps its time), in the comparisons family; finding (step_removals): a later step flagged below expected at its touch whose repliers more often replied negatively or opted out than the leads who replied to the campaign's other steps (each lead once per side; pooled two-proportion z-test, 2 × the smaller one-sided p, Benjamini–Hochberg over the findings as their own family, q ≤ the bar's FDR), with a plan to skip it for a random half — evidence, not a recommendation",
      llm_rewrite: 'off (not supported yet): edits are deterministic',
    },
    recommendations: analysis.recommendations,
    comparisons: analysis.comparisons,
    elements: analysis.elements,
    decisions: analysis.decisions,
    step_removals: analysis.step_removals,
    paths: analysis.paths,
  };
  const outDir = input.outDir ? resolve(input.cwd, input.outDir) : runDir;
  const jsonPath = join(outDir, RECOMMENDATIONS_FILE);
  const mdPath = join(outDir, RECOMMENDATIONS_MD);
  await writeAtomic(mdPath, recommendationsMarkdown(document, analysis));
  await writeAtomic(jsonPath, recJson(document)); // last: the JSON marks a complete run
  const storePath = storePathOf(input.config, input.cwd, input.env);
  await addProposals(storePath, runName, runDir, analysis.recommendations);
  return {
    runDir,
    cleanedDir,
    analysis,
    document,
    paths: { json: jsonPath, markdown: mdPath, store: storePath },
    inputs: { set, data },
  };
}
