// The saved artifacts of a training run as predict reads them: model.json and scaler.json
// checked against the sha256 the run's manifest recorded, the label and feature window
// the model was trained with, and the run's gate block.

import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { LeadliftError } from '../errors.js';
import { DEFAULT_FEATURE_WINDOW_HOURS, TARGETS, type Target } from '../features/index.js';
import { RUN_FILES, type RunModelFile } from '../train/index.js';
import { sha256 } from '../train/run-folder.js';
import { FEATURES_FILE } from '../train/training-set.js';

/** A training run's artifacts, read and verified. */
export interface RunArtifacts {
  /** Absolute folder. */
  readonly dir: string;
  readonly runName: string;
  readonly model: RunModelFile;
  readonly target: Target;
  readonly featureWindowHours: number;
  /** The run's gate block from metrics.json (`passed`, `results`, `reason`, …), or null. */
  readonly gates: { readonly passed: boolean; readonly reason?: string } | null;
  /** Bytes of the files copied into a predict run, by file name. */
  readonly copies: Readonly<Record<string, Buffer>>;
  /** sha256 of manifest.json of the source run. */
  readonly manifestSha256: string;
}

async function readOr(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

/**
 * Reads and checks the artifacts in `dir`: throws `predict.artifactsNotFound` when a file
 * is missing, `predict.artifactsChanged` when a file no longer matches the hash in the
 * run's manifest.json, `predict.badArtifacts` when model.json is not a run model or its
 * label is not a target (all exit 2).
 */
export async function loadRunArtifacts(dir: string, cwd: string): Promise<RunArtifacts> {
  const abs = resolve(cwd, dir);
  const need = [RUN_FILES.manifest, RUN_FILES.model, RUN_FILES.scaler, RUN_FILES.metrics];
  const bytes: Record<string, Buffer> = {};
  const missing: string[] = [];
  for (const f of [...need, FEATURES_FILE]) {
    const b = await readOr(join(abs, f));
    if (b) bytes[f] = b;
    else if (f !== FEATURES_FILE) missing.push(f);
  }
  if (missing.length > 0) {
    throw new LeadliftError(
      'predict.artifactsNotFound',
      `--artifacts-dir ${dir} is not a finished training run: ${missing.join(', ')} missing. Pass a run folder written by \`leadlift train\` (e.g. tmp/runs/<run>).`,
      { details: { dir, missing } },
    );
  }
  let manifest: { files?: Record<string, string>; run_name?: string; mode?: string };
  let model: RunModelFile;
  let metrics: {
    gates?: { passed: boolean; reason?: string };
    population?: { feature_window_hours?: number };
  };
  try {
    manifest = JSON.parse(bytes[RUN_FILES.manifest]!.toString('utf8'));
    model = JSON.parse(bytes[RUN_FILES.model]!.toString('utf8'));
    metrics = JSON.parse(bytes[RUN_FILES.metrics]!.toString('utf8'));
  } catch (e) {
    throw new LeadliftError(
      'predict.badArtifacts',
      `--artifacts-dir ${dir}: manifest.json, model.json or metrics.json is not valid JSON. Use an unmodified run folder.`,
      { cause: e, details: { dir } },
    );
  }
  const changed = Object.keys(bytes).filter(
    (f) =>
      f !== RUN_FILES.manifest &&
      manifest.files?.[f] !== undefined &&
      manifest.files[f] !== sha256(bytes[f]!),
  );
  const unrecorded = [RUN_FILES.model, RUN_FILES.scaler].filter((f) => manifest.files?.[f] === undefined);
  if (changed.length > 0 || unrecorded.length > 0) {
    throw new LeadliftError(
      'predict.artifactsChanged',
      `--artifacts-dir ${dir}: ${[...changed.map((f) => `${f} no longer matches the sha256 in manifest.json`), ...unrecorded.map((f) => `${f} has no sha256 in manifest.json`)].join('; ')}. Run folders are never edited; retrain or restore the folder.`,
      { details: { dir, changed, unrecorded } },
    );
  }
  if (model.format !== 'leadlift.run-model/1' || !Array.isArray(model.feature_cols)) {
    throw new LeadliftError(
      'predict.badArtifacts',
      `--artifacts-dir ${dir}: model.json has format ${String(model.format)}; this leadlift reads leadlift.run-model/1. Retrain with this version.`,
      { details: { dir } },
    );
  }
  if (!(TARGETS as readonly string[]).includes(model.label_col)) {
    throw new LeadliftError(
      'predict.badArtifacts',
      `--artifacts-dir ${dir}: the model predicts "${model.label_col}", which is not one of leadlift's targets (${TARGETS.join(', ')}); predict scores models trained with \`leadlift train --cleaned\`.`,
      { details: { dir, label_col: model.label_col } },
    );
  }
  let hours = metrics.population?.feature_window_hours;
  if (bytes[FEATURES_FILE]) {
    const f = JSON.parse(bytes[FEATURES_FILE].toString('utf8')) as { feature_window_hours?: number };
    hours = f.feature_window_hours ?? hours;
  }
  const copies: Record<string, Buffer> = {
    [RUN_FILES.model]: bytes[RUN_FILES.model]!,
    [RUN_FILES.scaler]: bytes[RUN_FILES.scaler]!,
    ...(bytes[FEATURES_FILE] ? { [FEATURES_FILE]: bytes[FEATURES_FILE] } : {}),
  };
  return {
    dir: abs,
    runName: manifest.run_name ?? basename(abs),
    model,
    target: model.label_col as Target,
    featureWindowHours: hours ?? DEFAULT_FEATURE_WINDOW_HOURS,
    gates: metrics.gates ?? null,
    copies,
    manifestSha256: sha256(bytes[RUN_FILES.manifest]!),
  };
}
