// `train` in flat-table mode, wired: read the table (a CSV file, or one read-only SELECT
// through the source adapter), train and evaluate, write the run folder. Owns no math.

import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { openSource } from '../db/index.js';
import { LeadliftError } from '../errors.js';
import { type Progress, silentProgress } from '../progress.js';
import { type CsvTable, parseCsv } from '../train/csv.js';
import {
  assertRunFree,
  RUN_FILES,
  type RunFolderExtras,
  sha256,
  writeRunFolder,
} from '../train/run-folder.js';
import { type FlatTable, type FlatTableSpec, flatTableOf } from '../train/table.js';
import { type TrainFlatOptions, type TrainResult, trainFlat } from '../train/train.js';
import { gitCommit, VERSION } from '../version.js';

/** Where the flat table comes from: a CSV file, or a SELECT file run against a source DB. */
export type FlatTableInput =
  | { readonly kind: 'csv'; readonly path: string }
  | { readonly kind: 'query'; readonly queryFile: string; readonly sourceUrl: string }
  /**
   * A flat table already typed (snapshot mode builds it from the training set without
   * cell texts); `columns` is the width of the table it stands for (the manifest's
   * `input.columns`). Its roles must be those of the spec (else `train.specMismatch`).
   * Handed to a worker thread (runTrainFlatInWorker), the buffers of its typed columns,
   * labels and times are moved, not copied: the caller must not read it afterwards.
   */
  | {
      readonly kind: 'flat';
      readonly table: FlatTable;
      readonly columns: number;
      readonly facts: Readonly<Record<string, unknown>>;
    };

/** Options of {@link runTrainFlat}. */
export interface RunTrainFlatOptions {
  /** Folder relative paths resolve from. */
  readonly cwd: string;
  readonly input: FlatTableInput;
  readonly spec: FlatTableSpec;
  /** Parent of the run folder. Default "tmp/runs". */
  readonly runsDir?: string | undefined;
  /** Run folder name. Default the UTC start time, e.g. "20260301T061500Z". */
  readonly runName?: string | undefined;
  readonly train?: TrainFlatOptions;
  readonly progress?: Progress;
  /** The clock, for the default run name and the manifest. Default now. */
  readonly now?: Date;
  /** More metrics.json keys and run files, written before the folder is renamed. Default none. */
  readonly extras?: RunFolderExtras;
  /** Seconds of earlier stages (e.g. building features) recorded first in the manifest's timings. */
  readonly timings?: Readonly<Record<string, number>>;
}

/** The written run. */
export interface TrainFlatRun {
  readonly dir: string;
  readonly runName: string;
  readonly result: TrainResult;
  readonly files: readonly string[];
}

/**
 * A written run without its per-row data (the table's feature cells and ids, the scores,
 * the reasons), which its folder holds: what a caller keeps of a finished run, so runs
 * trained one after another do not each hold their rows until the last one ends.
 */
export interface TrainRunSummary {
  readonly dir: string;
  readonly runName: string;
  readonly files: readonly string[];
  readonly result: Omit<TrainResult, 'table' | 'scores' | 'reasons'> & {
    readonly table: Omit<FlatTable, 'features' | 'ids'>;
  };
}

/** The {@link TrainRunSummary} of a run: new objects without the per-row data. */
export function summaryOf(run: TrainFlatRun): TrainRunSummary {
  const { table, scores: _scores, reasons: _reasons, ...rest } = run.result;
  const { features: _features, ids: _ids, ...kept } = table;
  return { dir: run.dir, runName: run.runName, files: run.files, result: { ...rest, table: kept } };
}

/** "20260301T061500Z" of a time. */
export function runNameOf(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * Reads the flat table, trains, evaluates and writes `<runsDir>/<runName>/`. The folder is
 * written even when a gate fails (the caller turns `result.gates.passed === false` into
 * exit code 3). Throws `train.fileNotFound`, the table's `train.*` input errors (exit 2)
 * and `train.runExists`.
 */
export async function runTrainFlat(o: RunTrainFlatOptions): Promise<TrainFlatRun> {
  const started = o.now ?? new Date();
  const t0 = performance.now();
  const abs = (p: string) => (isAbsolute(p) ? p : join(o.cwd, p));
  const runName = o.runName ?? runNameOf(started);
  if (!/^[\w.-]+$/.test(runName) || runName.startsWith('.')) {
    throw new LeadliftError(
      'train.badRunName',
      `--run-name "${runName}" must be letters, digits, ".", "_" or "-" and not start with "."; it names a folder.`,
    );
  }
  const dir = join(abs(o.runsDir ?? 'tmp/runs'), runName);
  await assertRunFree(dir);
  const progress = o.progress ?? silentProgress;

  const read = progress.task('read training examples');
  const { table, columns, inputFacts } = await readInput(o, abs);
  read.done(`${table.nRows.toLocaleString('en-US')} rows, ${table.featureCols.length} features`);
  const readSeconds = (performance.now() - t0) / 1000;

  const result = trainFlat(table, { ...o.train, progress });
  const manifest = {
    format: 'leadlift.run-manifest/1',
    run_name: runName,
    mode: o.extras?.mode ?? 'flat-table',
    created_at_utc: started.toISOString(),
    input: { ...inputFacts, rows: table.nRows, columns },
    config: {
      spec: {
        label_col: o.spec.labelCol,
        time_col: o.spec.timeCol ?? null,
        id_cols: o.spec.idCols ?? [],
        exclude_cols: o.spec.excludeCols ?? [],
        positive_label: o.spec.positiveLabel ?? null,
      },
      train: result.options,
    },
    seed: result.options.seed,
    versions: { leadlift: VERSION, node: process.version, git_commit: gitCommit() },
    timings_seconds: {
      ...o.timings,
      read: readSeconds,
      ...result.timings,
      total: (performance.now() - t0) / 1000,
    },
    metrics_path: RUN_FILES.metrics,
  };
  const files = await writeRunFolder(dir, result, manifest, o.extras);
  return { dir, runName, result, files };
}

/** The flat table of `o.input`, the number of columns it was read from, and the manifest's input facts. */
async function readInput(
  o: RunTrainFlatOptions,
  abs: (p: string) => string,
): Promise<{ table: FlatTable; columns: number; inputFacts: Record<string, unknown> }> {
  const input = o.input;
  if (input.kind === 'flat') {
    const t = input.table;
    const s = o.spec;
    if (
      t.labelCol !== s.labelCol ||
      t.timeCol !== (s.timeCol ?? null) ||
      t.idCols.join('\u0000') !== (s.idCols ?? []).join('\u0000')
    ) {
      throw new LeadliftError(
        'train.specMismatch',
        `${t.source}: the typed table's label, time and id columns (${t.labelCol}, ${t.timeCol}, ${t.idCols.join(' ')}) differ from the spec's; build the table and the spec from the same target.`,
      );
    }
    return { table: t, columns: input.columns, inputFacts: { ...input.facts } };
  }
  const { csv, inputFacts } =
    input.kind === 'csv'
      ? await readCsvInput(abs(input.path), input.path)
      : await readQueryInput(input, o.cwd);
  const source = input.kind === 'csv' ? input.path : input.queryFile;
  return { table: flatTableOf(csv, o.spec, source), columns: csv.header.length, inputFacts };
}

async function readCsvInput(
  path: string,
  shown: string,
): Promise<{ csv: CsvTable; inputFacts: Record<string, unknown> }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LeadliftError(
      'train.fileNotFound',
      code === 'ENOENT'
        ? `--training-examples-csv ${shown} does not exist. Check the path (relative paths start from ${path.slice(0, path.length - shown.length) || '.'}).`
        : `--training-examples-csv ${shown} cannot be read (${code ?? 'error'}). Check that it is a readable file.`,
      { cause: e },
    );
  }
  const csv = parseCsv(bytes.toString('utf8'), shown);
  return { csv, inputFacts: { kind: 'csv', path: shown, sha256: sha256(bytes), bytes: bytes.length } };
}

async function readQueryInput(
  input: Extract<FlatTableInput, { kind: 'query' }>,
  cwd: string,
): Promise<{ csv: CsvTable; inputFacts: Record<string, unknown> }> {
  const path = isAbsolute(input.queryFile) ? input.queryFile : join(cwd, input.queryFile);
  let sql: string;
  try {
    sql = await readFile(path, 'utf8');
  } catch (e) {
    throw new LeadliftError(
      'train.fileNotFound',
      `--training-examples-query-file ${input.queryFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}). Check the path.`,
      { cause: e },
    );
  }
  const source = await openSource(input.sourceUrl, { cwd });
  try {
    const stream = source.stream(sql, {}, { label: input.queryFile });
    const rows: string[][] = [];
    let header: readonly string[] = [];
    for await (const row of stream) {
      if (rows.length === 0) header = Object.keys(row);
      rows.push(header.map((h) => cell(row[h] ?? null)));
    }
    if (rows.length === 0) header = await stream.columns();
    const columns = header.map((_, j) => rows.map((r) => r[j]!));
    const csv: CsvTable = { header, columns, nRows: rows.length, delimiter: ',' };
    const hash = sha256(rows.map((r) => r.join('\u001f')).join('\u001e'));
    return {
      csv,
      inputFacts: {
        kind: 'query',
        query_file: input.queryFile,
        query_sha256: sha256(sql),
        rows_sha256: hash,
        source: source.fingerprint,
      },
    };
  } finally {
    await source.close();
  }
}

function cell(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}
