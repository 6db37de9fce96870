// Reads and checks what persist-scores writes: a run's predictions.csv and metrics.json
// (with the run's manifest.json beside metrics.json). Every check runs before any
// database is touched, so bad input never leads to a half-written table.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { SqlValue } from '../db/adapter.js';
import { ExitCode, LeadliftError, listSome } from '../errors.js';
import { readCsvColumns } from './csv.js';
import { KEY_COLUMNS, VALUE_COLUMNS } from './tables.js';

/** Which rows of predictions.csv a call writes. */
export type ScoreSplit = 'test' | 'train' | 'all';

/** The allowed `--split` values. */
export const SCORE_SPLITS: readonly ScoreSplit[] = ['test', 'train', 'all'];

/** Values of the `split` column of predictions.csv: a train run's three, and a predict run's `scored`. */
export const PREDICTION_SPLITS = ['train', 'validation', 'test', 'scored'] as const;

/** Columns predictions.csv must have. */
export const REQUIRED_PREDICTION_COLUMNS = [
  'org_id',
  'enrollment_id',
  'label_col',
  'score',
  'split',
  'in_sample',
  'rank',
  'decile',
  'reasons',
] as const;

/** Columns of the staging rows, in order: the key, then the value columns. */
export const STAGE_COLUMNS = [...KEY_COLUMNS, ...VALUE_COLUMNS] as const;

/** A checked run, ready to write. */
export interface RunScores {
  readonly runName: string;
  readonly labelCol: string;
  readonly modelVersion: string;
  readonly runTimestampUtc: string;
  /** Whether metrics.json says every gate passed. */
  readonly gatesPassed: boolean;
  readonly gateReason: string;
  /** Rows of predictions.csv in the file. */
  readonly rowsInFile: number;
  /** Selected rows per value of `split`. */
  readonly rowsBySplit: Readonly<Record<string, number>>;
  /** Selected rows as {@link STAGE_COLUMNS} values. */
  readonly rows: readonly (readonly SqlValue[])[];
}

const bad = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new LeadliftError(code, message, { exitCode: ExitCode.usage, details });

async function readBytes(path: string, what: string, flag: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw bad(
      'scores.fileMissing',
      `Cannot read ${what} ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}). Pass the run folder's file with ${flag}.`,
    );
  }
}

function parseJson(bytes: Buffer, path: string): Record<string, unknown> {
  try {
    const v = JSON.parse(bytes.toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw bad(
    'scores.badJson',
    `${path} is not a JSON object; pass the run's own file (it is written by leadlift train or predict).`,
  );
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Parses one integer id (optional minus, 1 to 16 digits); null when it isn't one. */
function parseId(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 17) return null;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n) return null;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const v = Number(s);
  return Number.isSafeInteger(v) ? v : null;
}

/** Options of {@link readRunScores}. */
export interface ReadRunOptions {
  readonly predictionsCsv: string;
  readonly metricsJson: string;
  readonly split: ScoreSplit;
  readonly cwd: string;
}

/**
 * Reads and checks a run's scores. Throws (exit 2) `scores.fileMissing`,
 * `scores.missingColumns`, `scores.badValues` (ids, scores, ranks, deciles, unknown
 * split values), `scores.duplicateKeys`, `scores.runMismatch` (metrics.json or
 * manifest.json of another run) or `scores.manifestMissing`.
 */
export async function readRunScores(o: ReadRunOptions): Promise<RunScores> {
  const predPath = resolve(o.cwd, o.predictionsCsv);
  const metricsPath = resolve(o.cwd, o.metricsJson);
  const runDir = dirname(metricsPath);
  const manifestPath = join(runDir, 'manifest.json');
  const predBytes = await readBytes(predPath, 'the predictions file', '--predictions-csv');
  const metricsBytes = await readBytes(metricsPath, 'the metrics file', '--metrics-json');
  const metrics = parseJson(metricsBytes, metricsPath);
  const manifestBytes = await readFile(manifestPath).catch(() => null);
  if (manifestBytes === null) {
    throw bad(
      'scores.manifestMissing',
      `${manifestPath} is missing: persist-scores writes only complete run folders (predictions.csv, metrics.json and manifest.json side by side). Pass --metrics-json from a run folder written by leadlift train or predict.`,
    );
  }
  const manifest = parseJson(manifestBytes, manifestPath);
  const files = (manifest.files ?? {}) as Record<string, unknown>;

  // The files must be the run's own: their hashes are in its manifest.
  const mismatches: string[] = [];
  if (files['predictions.csv'] !== sha256(predBytes)) mismatches.push(`${predPath} (predictions.csv)`);
  if (files['metrics.json'] !== sha256(metricsBytes)) mismatches.push(`${metricsPath} (metrics.json)`);
  if (mismatches.length > 0) {
    throw bad(
      'scores.runMismatch',
      `${listSome(mismatches)} ${mismatches.length === 1 ? 'does' : 'do'} not match the sha256 recorded in ${manifestPath}: the files come from different runs or were edited. Pass --predictions-csv and --metrics-json of the same run folder.`,
    );
  }
  const runName =
    typeof manifest.run_name === 'string' && manifest.run_name ? manifest.run_name : basename(runDir);
  const createdAt =
    typeof manifest.created_at_utc === 'string' ? Date.parse(manifest.created_at_utc) : Number.NaN;
  if (!Number.isFinite(createdAt)) {
    throw bad(
      'scores.runMismatch',
      `${manifestPath} has no valid created_at_utc; pass a run folder written by leadlift.`,
    );
  }
  const labelCol = metrics.label_col;
  if (typeof labelCol !== 'string' || labelCol === '') {
    throw bad(
      'scores.runMismatch',
      `${metricsPath} has no label_col; pass the metrics.json of a leadlift run.`,
    );
  }
  const modelHash = typeof files['model.json'] === 'string' ? files['model.json'] : null;
  if (modelHash === null) {
    throw bad(
      'scores.runMismatch',
      `${manifestPath} records no model.json hash; pass a run folder written by leadlift.`,
    );
  }
  const modelPath = resolve(
    runDir,
    typeof metrics.model_path === 'string' ? metrics.model_path : 'model.json',
  );
  const scalerPath = resolve(
    runDir,
    typeof metrics.scaler_path === 'string' ? metrics.scaler_path : 'scaler.json',
  );
  const gates = (metrics.gates ?? null) as { passed?: unknown; reason?: unknown } | null;
  const gatesPassed = gates?.passed === true;
  const gateReason =
    gates === null
      ? 'metrics.json records no gates'
      : typeof gates.reason === 'string'
        ? gates.reason
        : 'gates failed';

  const table = readCsvColumns(predBytes.toString('utf8'), predPath);
  const missing = REQUIRED_PREDICTION_COLUMNS.filter((c) => !table.header.includes(c));
  if (missing.length > 0) {
    throw bad(
      'scores.missingColumns',
      `${predPath} lacks the column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}. persist-scores needs ${REQUIRED_PREDICTION_COLUMNS.join(', ')}: train with --id-cols org_id,enrollment_id (or --cleaned), or pass a predict run's predictions.csv.`,
      { missing },
    );
  }
  const colOf = (name: string) => table.columns[table.header.indexOf(name)]!;
  const org = colOf('org_id');
  const enr = colOf('enrollment_id');
  const lab = colOf('label_col');
  const score = colOf('score');
  const split = colOf('split');
  const inSample = colOf('in_sample');
  const rank = colOf('rank');
  const decile = colOf('decile');
  const reasons = colOf('reasons');

  // Every problem is collected, then reported together (line numbers count the header as line 1).
  const problems: string[] = [];
  const lines = (rows: number[]) => `lines ${listSome(rows.map((r) => r + 2))}`;
  const collect = (what: string, rows: number[], fix: string) => {
    if (rows.length > 0)
      problems.push(`${rows.length} row${rows.length > 1 ? 's' : ''} ${what} (${lines(rows)}); ${fix}`);
  };
  const badIds: number[] = [];
  const badLabel: number[] = [];
  const badScore: number[] = [];
  const badSplit: number[] = [];
  const badInSample: number[] = [];
  const badRank: number[] = [];
  const badDecile: number[] = [];
  const unknownSplits = new Set<string>();
  const orgs = new Array<number>(table.nRows);
  const enrs = new Array<number>(table.nRows);
  const scores = new Float64Array(table.nRows);
  for (let i = 0; i < table.nRows; i++) {
    const o = parseId(org[i]!);
    const e = parseId(enr[i]!);
    if (o === null || e === null) badIds.push(i);
    orgs[i] = o ?? 0;
    enrs[i] = e ?? 0;
    if (lab[i] !== labelCol) badLabel.push(i);
    const s = score[i]!.trim() === '' ? Number.NaN : Number(score[i]);
    if (!Number.isFinite(s) || s < 0 || s > 1) badScore.push(i);
    scores[i] = s;
    if (!(PREDICTION_SPLITS as readonly string[]).includes(split[i]!)) {
      badSplit.push(i);
      unknownSplits.add(split[i]!);
    }
    if (inSample[i] !== '0' && inSample[i] !== '1') badInSample.push(i);
    const rk = Number(rank[i]);
    if (!Number.isInteger(rk) || rk < 1) badRank.push(i);
    const dc = Number(decile[i]);
    if (!Number.isInteger(dc) || dc < 1 || dc > 10) badDecile.push(i);
  }
  collect('have an org_id or enrollment_id that is not an integer id', badIds, 'ids must be whole numbers.');
  collect(
    `have a label_col other than "${labelCol}" (the label_col of ${metricsPath})`,
    badLabel,
    'predictions.csv and metrics.json must come from the same run.',
  );
  collect(
    'have a score that is missing, NaN or outside 0..1',
    badScore,
    'rerun train or predict; scores are probabilities.',
  );
  collect(
    `have an unknown split value (${listSome([...unknownSplits].map((s) => `"${s}"`))})`,
    badSplit,
    `allowed: ${PREDICTION_SPLITS.join(', ')}.`,
  );
  collect('have an in_sample value other than 0 or 1', badInSample, 'use the run folder file as written.');
  collect('have a rank that is not a positive integer', badRank, 'use the run folder file as written.');
  collect('have a decile outside 1..10', badDecile, 'use the run folder file as written.');
  if (problems.length > 0) {
    throw bad('scores.badValues', `${predPath}: ${problems.join(' ')}`, { problems: problems.length });
  }

  // One row per key: a duplicate would make the upsert depend on row order.
  const seen = new Map<string, number>();
  const dups: number[] = [];
  for (let i = 0; i < table.nRows; i++) {
    const key = `${orgs[i]}|${enrs[i]}`;
    if (seen.has(key)) dups.push(i);
    else seen.set(key, i);
  }
  if (dups.length > 0) {
    const first = dups[0]!;
    throw bad(
      'scores.duplicateKeys',
      `${predPath} has ${dups.length} row${dups.length > 1 ? 's' : ''} repeating an (org_id, enrollment_id, label_col) key, e.g. org_id ${orgs[first]}, enrollment_id ${enrs[first]} (${lines([seen.get(`${orgs[first]}|${enrs[first]}`)!, first])}). Each enrollment must be scored once per label; rebuild the run from deduplicated examples.`,
      { duplicates: dups.length },
    );
  }

  const modelVersion = `sha256:${modelHash.slice(0, 16)}`;
  const runTimestampUtc = new Date(createdAt).toISOString();
  const rows: SqlValue[][] = [];
  const rowsBySplit: Record<string, number> = {};
  for (let i = 0; i < table.nRows; i++) {
    const inS = inSample[i] === '1';
    if (o.split === 'test' && inS) continue;
    if (o.split === 'train' && !inS) continue;
    const sp = split[i]!;
    rowsBySplit[sp] = (rowsBySplit[sp] ?? 0) + 1;
    rows.push([
      orgs[i]!,
      enrs[i]!,
      labelCol,
      scores[i]!,
      Number(rank[i]),
      Number(decile[i]),
      reasons[i]!,
      sp,
      modelVersion,
      runName,
      modelPath,
      scalerPath,
      runTimestampUtc,
    ]);
  }
  return {
    runName,
    labelCol,
    modelVersion,
    runTimestampUtc,
    gatesPassed,
    gateReason,
    rowsInFile: table.nRows,
    rowsBySplit,
    rows,
  };
}
