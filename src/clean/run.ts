// Cleans a snapshot into a folder of cleaned row files. Each entity takes two streaming
// passes: the first (shard.ts; in worker threads for big files) reads and normalizes
// every row and writes it to part files; the merge here picks the surviving row of each
// key (latest updatedColumn, ties: later row) in typed-array state; the second pass
// copies the surviving lines byte for byte (skipped when nothing is dropped). Parents
// are cleaned before children, so a child row is judged against its parent's final
// state. Everything is written into a temporary folder that is renamed to the
// destination only once complete.

import { access, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { LeadliftError } from '../errors.js';
import { KeyIndex } from '../numeric/key-hash.js';
import type { Progress } from '../progress.js';
import { silentProgress } from '../progress.js';
import { ENTITIES, type EntityDef, type EntityName } from '../schema/entities.js';
import { entityFile, type Snapshot } from '../snapshot/manifest.js';
import { copyRows, fileSha256, type RowFileInfo, RowWriter, splitRowFile } from '../snapshot/rows.js';
import { fileLineOf, runShards, shardCount } from '../snapshot/shards.js';
import { CLEAN_TEMP, removeStaleTemps } from '../snapshot/stale.js';
import { type SnapshotColumn, snapshotColumnSpecs } from '../snapshot/values.js';
import { snapshotWindow } from '../snapshot/window.js';
import { gitCommit, VERSION } from '../version.js';
import type { CleanConfig } from './config.js';
import {
  CLEAN_REPORT_FILE,
  CLEAN_REPORT_FORMAT,
  CLEANED_FORMAT,
  type CleanedEntityManifest,
  type CleanedManifest,
  type CleanReport,
  type CleanRuleCount,
} from './report.js';
import { CLEAN_RULE_IDS, type CleanRuleId, ROW_RULES, valueRulesOf } from './rules.js';
import { type CleanShardInput, type CleanShardResult, cleanShard, KEEP, REASON_RULE } from './shard.js';

/** Options of {@link cleanSnapshot}. */
export interface CleanOptions {
  readonly progress?: Progress;
  /** Replace an existing `outDir`. Default false: an existing folder is refused. */
  readonly overwrite?: boolean;
  /**
   * Shards per big entity file, run in worker threads when the compiled build is used.
   * Default: the available cores less one (at most 4) for files over 16 MB, else 1.
   */
  readonly shards?: number;
}

/** Final state of a cleaned parent entity that children are judged against. */
interface ParentState {
  readonly index: KeyIndex;
  readonly removed: Uint8Array;
  readonly created?: Float64Array;
}

/** The compiled worker script that runs clean shards (absent when running the TypeScript sources). */
const WORKER_URL = new URL('./worker.js', import.meta.url);

interface CleanContext {
  readonly snapshot: Snapshot;
  readonly config: CleanConfig;
  readonly tmp: string;
  readonly until: number;
  readonly progress: Progress;
  readonly counts: CleanRuleCount[];
  readonly parents: Partial<Record<EntityName, ParentState>>;
  readonly shards?: number;
}

/**
 * Entities that no later entity is judged against: once their parents are final they
 * are cleaned at the same time, each shard in a worker thread (so two cores both work
 * while this thread merges and copies). Their output does not depend on the order in
 * which they finish.
 */
const LEAF_ENTITIES: ReadonlySet<EntityName> = new Set<EntityName>(['activities', 'messages', 'outcomes']);

/**
 * Cleans `snapshot` into `outDir`: one row file per entity (same names and columns as the
 * snapshot, values normalized), clean.json ({@link CleanReport}) and manifest.json
 * ({@link CleanedManifest}). Written into a temporary sibling folder and renamed into
 * place at the end; on failure nothing is left behind. An existing `outDir` is refused
 * (`clean.outExists`) unless `options.overwrite`.
 */
export async function cleanSnapshot(
  snapshot: Snapshot,
  config: CleanConfig,
  outDir: string,
  options: CleanOptions = {},
): Promise<CleanReport> {
  const out = resolve(outDir);
  const snapDir = resolve(snapshot.dir);
  if (isInside(snapDir, out) || isInside(out, snapDir)) {
    throw new LeadliftError(
      'clean.outIsSnapshot',
      `Clean output ${out} would overlap the snapshot ${snapDir} (same folder, inside it or around it); snapshots are immutable. Choose another --out.`,
      { details: { out, snapshot: snapDir } },
    );
  }
  if ((await exists(out)) && !options.overwrite) {
    throw new LeadliftError(
      'clean.outExists',
      `Clean output ${out} already exists. Pass --overwrite to replace it, or choose another --out.`,
      { details: { out } },
    );
  }
  const window = snapshotWindow(snapshot);
  await mkdir(dirname(out), { recursive: true });
  const stale = await removeStaleTemps(dirname(out), CLEAN_TEMP);
  if (stale.length > 0) {
    (options.progress ?? silentProgress)
      .task('clean: temporary folders of killed runs')
      .done(`removed ${stale.length}: ${stale.join(', ')}`);
  }
  const tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}-${Date.now()}`);
  await mkdir(tmp);
  const ctx: CleanContext = {
    snapshot,
    config,
    tmp,
    until: window.until,
    progress: options.progress ?? silentProgress,
    counts: [],
    parents: {},
    ...(options.shards !== undefined ? { shards: options.shards } : {}),
  };
  try {
    const entities = {} as Record<EntityName, CleanedEntityManifest>;
    const rowsInOut = {} as Record<EntityName, { rows_in: number; rows_out: number }>;
    const done = new Map<EntityName, Awaited<ReturnType<typeof cleanEntity>>>();
    for (const def of ENTITIES) {
      if (!LEAF_ENTITIES.has(def.name)) done.set(def.name, await cleanEntity(ctx, def, false));
    }
    const leaves = ENTITIES.filter((d) => LEAF_ENTITIES.has(d.name));
    const settled = await Promise.allSettled(leaves.map((def) => cleanEntity(ctx, def, true)));
    // The first failure in entity order, whatever finished first.
    const failed = settled.find((x) => x.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    leaves.forEach((def, i) => {
      done.set(
        def.name,
        (settled[i] as PromiseFulfilledResult<Awaited<ReturnType<typeof cleanEntity>>>).value,
      );
    });
    for (const def of ENTITIES) {
      const r = done.get(def.name)!;
      entities[def.name] = {
        file: entityFile(def.name),
        rows: r.info.rows,
        bytes: r.info.bytes,
        sha256: r.info.sha256,
        columns: r.specs.map((c) => ({ name: c.name, type: c.type })),
      };
      rowsInOut[def.name] = { rows_in: r.rowsIn, rows_out: r.info.rows };
    }
    const report: CleanReport = {
      format: CLEAN_REPORT_FORMAT,
      snapshot_id: snapshot.manifest.snapshot_id,
      snapshot_dir: snapDir,
      entities: rowsInOut,
      rules: sortCounts(ctx.counts),
      config,
    };
    const m = snapshot.manifest;
    const manifest: CleanedManifest = {
      format: CLEANED_FORMAT,
      source_snapshot: {
        snapshot_id: m.snapshot_id,
        dir: snapDir,
        created_at_utc: m.created_at_utc,
        source: m.source,
        window: m.window,
      },
      tool: { name: 'leadlift', version: VERSION, git_sha: gitCommit() },
      config,
      report: CLEAN_REPORT_FILE,
      entities,
    };
    await writeFile(join(tmp, CLEAN_REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await moveIntoPlace(tmp, out, options.overwrite === true);
    return report;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** True when `path` is `dir` or inside it. */
function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function moveIntoPlace(tmp: string, out: string, overwrite: boolean): Promise<void> {
  if (!(await exists(out))) {
    await rename(tmp, out);
    return;
  }
  if (!overwrite) {
    throw new LeadliftError(
      'clean.outExists',
      `Clean output ${out} appeared while cleaning; pass --overwrite to replace it.`,
      {
        details: { out },
      },
    );
  }
  // Swap with renames so a reader never sees a half-replaced folder.
  const old = `${tmp}.old`;
  await rename(out, old);
  await rename(tmp, out);
  await rm(old, { recursive: true, force: true });
}

function sortCounts(counts: CleanRuleCount[]): CleanRuleCount[] {
  const ruleOrder = new Map<string, number>(CLEAN_RULE_IDS.map((r, i) => [r, i]));
  const entityOrder = new Map<string, number>(ENTITIES.map((e, i) => [e.name, i]));
  // Columns keep their order of appearance (the entity's column order); sort is stable.
  return counts.sort(
    (a, b) =>
      ruleOrder.get(a.rule)! - ruleOrder.get(b.rule)! ||
      entityOrder.get(a.entity)! - entityOrder.get(b.entity)!,
  );
}

async function cleanEntity(
  ctx: CleanContext,
  def: EntityDef,
  concurrent: boolean,
): Promise<{ info: RowFileInfo; rowsIn: number; specs: SnapshotColumn[] }> {
  const { snapshot, config } = ctx;
  const e = def.name;
  const specs = snapshotColumnSpecs(def);
  const columns = specs.map((c) => c.name);
  const nCols = specs.length;
  const file = snapshot.manifest.entities[e];
  const path = snapshot.path(e);
  const finalPath = join(ctx.tmp, entityFile(e));
  // One core is left to the file-system threads: clean writes every row twice (part file,
  // then the copy), and on 2 cores two shards measured no faster than one.
  const shards = shardCount((await stat(path)).size, ctx.shards, 1);
  const { columns: header, ranges } = await splitRowFile(path, shards);
  const totalBytes = ranges.reduce((sum, r) => sum + r.end - r.start, 0);
  const parentData = (p: ParentState | undefined) =>
    p
      ? { index: p.index.state(), removed: p.removed, ...(p.created ? { created: p.created } : {}) }
      : undefined;
  const contacts = parentData(ctx.parents.contacts);
  const enrollments = parentData(ctx.parents.enrollments);
  const inputs: CleanShardInput[] = ranges.map((range, k) => ({
    entity: e,
    path,
    range,
    columns: header,
    config,
    until: ctx.until,
    partPath: join(ctx.tmp, `.part-${k}-${entityFile(e)}`),
    ...(contacts ? { contacts } : {}),
    ...(enrollments ? { enrollments } : {}),
    expectedRows: Math.ceil((file.rows * (range.end - range.start)) / Math.max(1, totalBytes)),
  }));

  const task = ctx.progress.task(`clean ${e}`, file.rows);
  let results: CleanShardResult[];
  try {
    results = await runShards(WORKER_URL, cleanShard, inputs, (k) => task.tick(k), concurrent);
  } catch (err) {
    throw await fileLineOf(err);
  }
  const rows = results.reduce((sum, r) => sum + r.rows, 0);

  // The surviving row of each key, in file order across shards: the latest updatedColumn,
  // ties to the later row.
  const isEnrollments = e === 'enrollments';
  const index = new KeyIndex(Math.max(16, file.rows));
  const bestRow = new Int32Array(Math.max(16, rows));
  const bestTs = new Float64Array(Math.max(16, rows));
  const created = new Float64Array(isEnrollments ? Math.max(16, rows) : 0);
  const reason = new Uint8Array(rows);
  const valueCounts = new Float64Array(CLEAN_RULE_IDS.length * nCols);
  let row = 0;
  for (const r of results) {
    reason.set(r.reason, row);
    for (let k = 0; k < valueCounts.length; k++) valueCounts[k]! += r.valueCounts[k]!;
    for (let i = 0; i < r.rows; i++, row++) {
      const id = index.add(r.hashHi[i]!, r.hashLo[i]!);
      const ts = r.updated[i]!;
      if (index.added || ts >= bestTs[id]!) {
        bestTs[id] = ts;
        bestRow[id] = row;
        if (isEnrollments) created[id] = r.created![i]!;
      }
    }
  }

  // Survivors: the chosen row of each key, unless a row rule drops it.
  const nKeys = index.size;
  const keep = new Uint8Array(rows);
  for (let id = 0; id < nKeys; id++) keep[bestRow[id]!] = 1;
  const rowCounts = new Float64Array(REASON_RULE.length);
  let dropped = rows - nKeys;
  for (let i = 0; i < rows; i++) {
    if (keep[i] === 1 && reason[i] !== KEEP) {
      rowCounts[reason[i]!]!++;
      keep[i] = 0;
      dropped++;
    }
  }

  let info: RowFileInfo;
  if (results.length === 0) {
    info = await new RowWriter(finalPath, columns).close();
  } else if (results.length === 1 && dropped === 0) {
    await rename(inputs[0]!.partPath, finalPath);
    info = { ...results[0]!.part, sha256: await fileSha256(finalPath) };
  } else {
    info = await copyRows(
      inputs.map((x) => x.partPath),
      finalPath,
      (i) => keep[i] === 1,
    );
    for (const x of inputs) await rm(x.partPath, { force: true });
  }
  task.done(`${rows.toLocaleString('en-US')} rows in, ${info.rows.toLocaleString('en-US')} out`);
  const ruleSlot = new Map<CleanRuleId, number>(CLEAN_RULE_IDS.map((r, i) => [r, i]));

  // Counts: every rule that ran on this entity, zero counts included.
  specs.forEach((spec, c) => {
    for (const rule of valueRulesOf(e, spec)) {
      ctx.counts.push({
        rule,
        entity: e,
        column: spec.name,
        count: valueCounts[ruleSlot.get(rule)! * nCols + c]!,
      });
    }
  });
  for (const rule of CLEAN_RULE_IDS) {
    if (!ROW_RULES[rule]?.includes(e)) continue;
    const count = rule === 'clean.duplicateKey' ? rows - nKeys : rowCounts[REASON_RULE.indexOf(rule)]!;
    ctx.counts.push({ rule, entity: e, column: null, count });
  }

  // Parents keep their final state for the entities cleaned after them.
  if (e === 'contacts' || e === 'enrollments') {
    const removed = new Uint8Array(nKeys);
    for (let id = 0; id < nKeys; id++) removed[id] = reason[bestRow[id]!]!;
    ctx.parents[e] =
      e === 'enrollments' ? { index, removed, created: created.subarray(0, nKeys) } : { index, removed };
  }
  return { info, rowsIn: rows, specs };
}
