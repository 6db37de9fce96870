// Runs the data-quality checks over a snapshot: one streaming pass per entity (cut into
// shards run in worker threads for big files, see parallel.ts and shard.ts), in
// extraction order so parents (contacts, campaigns, steps, enrollments) are known before
// the rows that reference them. Per-key state lives in typed-array hash indexes
// (numeric/key-hash.ts), never in objects per row.

import { stat } from 'node:fs/promises';
import { ExitCode, LeadliftError, listSome } from '../errors.js';
import { KeyIndex, type KeyIndexState } from '../numeric/key-hash.js';
import type { Progress } from '../progress.js';
import { silentProgress } from '../progress.js';
import { ENTITIES, type EntityDef, type EntityName } from '../schema/entities.js';
import type { Snapshot } from '../snapshot/manifest.js';
import { openRows, RowScanner, splitRowFile } from '../snapshot/rows.js';
import { fileLineOf, runShards, shardCount } from '../snapshot/shards.js';
import { type SnapshotColumn, snapshotColumnSpecs, ValueReader } from '../snapshot/values.js';
import { type SnapshotWindowText, snapshotWindow, windowMs } from '../snapshot/window.js';
import { type CheckConfig, type CheckId, DEFAULT_SEVERITIES } from './config.js';
import {
  type EntityVolume,
  type Finding,
  formatShare,
  QUALITY_FORMAT,
  type QualityReport,
} from './report.js';
import {
  type CheckShardInput,
  type CheckShardResult,
  checkShard,
  MAX_EXAMPLES,
  REFERENCES,
  type RowCheckSetup,
  type TallyData,
} from './shard.js';
import { dayLabel, MS_PER_DAY, snapshotVolume, VolumeCounter } from './volume.js';

export {
  type CheckShardResult,
  MAX_EXAMPLES,
  REFERENCES,
  type Reference,
  RowChecker,
  type RowCheckSetup,
} from './shard.js';

/** The compiled worker script that runs check shards (absent when running the TypeScript sources). */
const WORKER_URL = new URL('./worker.js', import.meta.url);

/** Options of {@link runChecks}. */
export interface RunChecksOptions {
  /** The previous snapshot of the same source, for check.volumeChange. Default: none (not compared). */
  readonly previous?: Snapshot | undefined;
  /** The current time, for check.timestampFuture and the report. Default: new Date(). */
  readonly now?: Date;
  readonly progress?: Progress;
  /**
   * Shards per big entity file, run in worker threads when the compiled build is used.
   * Default: the available cores (at most 4) for files over 16 MB, else 1.
   */
  readonly shards?: number;
  /**
   * Entities whose rows were already checked as they were written (extract feeds each row
   * to a {@link RowChecker} built from {@link rowCheckSetup}): their files are not read
   * again, except to label the example rows of deferred findings (the report lists them in
   * checked_as_written; any other entity's file is read). runChecks deletes each entity's
   * entry once it is merged, so its per-row arrays can be freed. Default: none.
   */
  readonly checked?: Partial<Record<EntityName, CheckShardResult>>;
}

/**
 * What a {@link RowChecker} needs to check an entity's rows as they are written, before
 * the snapshot exists: the same limits {@link runChecks} derives from the window, the
 * config and `now` (pass the same `now` to both). References are judged later, in
 * runChecks, once the parents are known.
 */
export function rowCheckSetup(
  entity: EntityName,
  columns: readonly string[],
  config: CheckConfig,
  window: SnapshotWindowText,
  now: Date,
): RowCheckSetup {
  const w = windowMs(window);
  return {
    entity,
    columns,
    config,
    futureLimit: futureLimitOf(w.until, now, config),
    minMs: yearStartMs(config.minYear),
    effectiveSince: w.effectiveSince,
    until: w.until,
  };
}

function futureLimitOf(until: number, now: Date, config: CheckConfig): number {
  return Math.max(until, now.getTime()) + config.futureToleranceHours * 3_600_000;
}

const ORDER: Readonly<Record<string, number>> = Object.fromEntries(
  Object.keys(DEFAULT_SEVERITIES).map((id, i) => [id, i]),
);
const ENTITY_ORDER: Readonly<Record<string, number>> = Object.fromEntries(
  ENTITIES.map((e, i) => [e.name, i]),
);

/** A count with up to {@link MAX_EXAMPLES} example keys. */
class Tally {
  count = 0;
  readonly examples: string[] = [];
  /** Counts one hit; true when the caller should add an example. */
  hit(): boolean {
    this.count++;
    return this.examples.length < MAX_EXAMPLES;
  }
}

/**
 * Runs every check on `snapshot` and returns the report (it does not write it: see
 * {@link writeQualityReport}). `report.ok` is false when any finding is an error.
 */
export async function runChecks(
  snapshot: Snapshot,
  config: CheckConfig,
  options: RunChecksOptions = {},
): Promise<QualityReport> {
  const now = options.now ?? new Date();
  const progress = options.progress ?? silentProgress;
  const window = snapshotWindow(snapshot);
  const ctx: RunContext = {
    snapshot,
    config,
    findings: [],
    window,
    futureLimit: futureLimitOf(window.until, now, config),
    minMs: yearStartMs(config.minYear),
    parents: new Map(),
    enrollmentCreated: new Float64Array(0),
    ...(options.shards !== undefined ? { shards: options.shards } : {}),
    checked: options.checked ?? {},
    checkedAsWritten: [],
  };
  const volume = {} as Record<EntityName, EntityVolume>;
  for (const def of ENTITIES) volume[def.name] = await checkEntity(ctx, def, progress);

  let previousId: string | null = null;
  if (options.previous && severityOf(config, 'check.volumeChange', true) !== null) {
    previousId = options.previous.manifest.snapshot_id;
    const before = await snapshotVolume(options.previous, progress);
    compareVolumes(ctx, volume, before, snapshotWindow(options.previous), previousId);
  } else if (options.previous) {
    previousId = options.previous.manifest.snapshot_id;
  }

  const findings = ctx.findings.sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      ORDER[a.check]! - ORDER[b.check]! ||
      ENTITY_ORDER[a.entity]! - ENTITY_ORDER[b.entity]! ||
      (a.column ?? '').localeCompare(b.column ?? ''),
  );
  const errors = findings.filter((f) => f.severity === 'error').length;
  return {
    format: QUALITY_FORMAT,
    snapshot_id: snapshot.manifest.snapshot_id,
    snapshot_dir: snapshot.dir,
    previous_snapshot_id: previousId,
    checked_at_utc: now.toISOString(),
    ok: errors === 0,
    counts: { error: errors, warn: findings.length - errors },
    findings,
    volume,
    checked_as_written: ctx.checkedAsWritten,
    config,
  };
}

/**
 * The error a failed report stands for: exit code 3, with a one-line message naming the
 * first error's check, table, count and example keys.
 */
export function qualityError(report: QualityReport): LeadliftError | undefined {
  const first = report.findings.find((f) => f.severity === 'error');
  if (!first) return undefined;
  const where = first.column ? `${first.entity}.${first.column}` : first.entity;
  const more = report.counts.error > 1 ? ` (+${report.counts.error - 1} more error(s))` : '';
  const ex = first.examples.length > 0 ? ` (e.g. ${listSome(first.examples)})` : '';
  return new LeadliftError(
    first.check,
    `data-quality check failed: ${first.check} on ${where}: ${first.count.toLocaleString('en-US')} row(s)${ex}${more}; see quality.json in ${report.snapshot_dir}.`,
    {
      exitCode: ExitCode.gate,
      details: { check: first.check, entity: first.entity, column: first.column, count: first.count },
    },
  );
}

interface RunContext {
  readonly snapshot: Snapshot;
  readonly config: CheckConfig;
  readonly findings: Finding[];
  readonly window: { since: number; effectiveSince: number; until: number };
  readonly futureLimit: number;
  readonly minMs: number;
  /** Key indexes of entities other rows reference, keyed (org_id, id). */
  readonly parents: Map<EntityName, KeyIndex>;
  /** enrollments: created_at ms per key id (of the latest duplicate). */
  enrollmentCreated: Float64Array;
  readonly shards?: number;
  readonly checked: Partial<Record<EntityName, CheckShardResult>>;
  /** The entities taken from `checked`, in check order (the report's checked_as_written). */
  readonly checkedAsWritten: EntityName[];
}

function yearStartMs(year: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, 0, 1);
  return d.getTime();
}

function severityOf(config: CheckConfig, id: CheckId, exceeded: boolean): 'error' | 'warn' | null {
  const s = config.severity[id] ?? DEFAULT_SEVERITIES[id];
  if (s === 'off') return null;
  return exceeded ? s : 'warn';
}

function addFinding(
  ctx: RunContext,
  f: Omit<Finding, 'severity' | 'share' | 'threshold'> & { total: number; threshold: number | null },
): void {
  if (f.count === 0) return;
  const share = f.total > 0 ? f.count / f.total : 0;
  const exceeded = f.threshold === null || share > f.threshold;
  const severity = severityOf(ctx.config, f.check, exceeded);
  if (severity === null) return;
  ctx.findings.push({
    check: f.check,
    severity,
    entity: f.entity,
    column: f.column,
    count: f.count,
    share,
    threshold: f.threshold,
    examples: f.examples,
    message: f.message,
  });
}

function eg(examples: readonly string[]): string {
  return examples.length > 0 ? ` (e.g. ${listSome(examples)})` : '';
}

function n(x: number): string {
  return x.toLocaleString('en-US');
}

async function checkEntity(ctx: RunContext, def: EntityDef, progress: Progress): Promise<EntityVolume> {
  const { snapshot, config } = ctx;
  const e = def.name;
  const file = snapshot.manifest.entities[e];
  const specs = snapshotColumnSpecs(def);
  const path = snapshot.path(e);
  const at = (name: string) => specs.findIndex((c) => c.name === name);
  const keyIdx = def.key.map(at);
  const isActivities = e === 'activities';
  const isEnrollments = e === 'enrollments';
  const refs = REFERENCES.filter((r) => r.entity === e);
  const task = progress.task(`check ${e}`, file.rows);
  let results: CheckShardResult[];
  let columns: readonly string[];
  const done = ctx.checked[e];
  if (done) {
    delete ctx.checked[e];
    ctx.checkedAsWritten.push(e);
    results = [done];
    columns = snapshot.manifest.entities[e].columns.map((c) => c.name);
  } else {
    const split = await splitRowFile(path, shardCount((await stat(path)).size, ctx.shards));
    columns = split.columns;
    const ranges = split.ranges;
    const parents: Partial<Record<EntityName, KeyIndexState>> = {};
    for (const r of refs) {
      const p = ctx.parents.get(r.parent);
      if (p) parents[r.parent] = p.state();
    }
    const inputs: CheckShardInput[] = ranges.map((range) => ({
      entity: e,
      path,
      range,
      columns,
      config,
      futureLimit: ctx.futureLimit,
      minMs: ctx.minMs,
      effectiveSince: ctx.window.effectiveSince,
      until: ctx.window.until,
      parents,
      ...(isActivities ? { enrollmentCreated: ctx.enrollmentCreated } : {}),
    }));
    try {
      results = await runShards(WORKER_URL, checkShard, inputs, (k) => task.tick(k));
    } catch (err) {
      throw await fileLineOf(err);
    }
  }
  const src = specs.map((c) => columns.indexOf(c.name));
  const rows = results.reduce((sum, r) => sum + r.rows, 0);
  task.done(`${n(rows)} rows`);

  // Merge the shards in file order: tallies add up, examples keep file order.
  const merge = (pick: (r: (typeof results)[number]) => TallyData): TallyData => {
    const out: TallyData = { count: 0, examples: [] };
    for (const r of results) {
      const t = pick(r);
      out.count += t.count;
      for (const x of t.examples) if (out.examples.length < MAX_EXAMPLES) out.examples.push(x);
    }
    return out;
  };
  const sum = (pick: (r: (typeof results)[number]) => number) => results.reduce((acc, r) => acc + pick(r), 0);
  const missing = specs.map((_, c) => merge((r) => r.columns[c]!.missing));
  const unparseable = specs.map((_, c) => merge((r) => r.columns[c]!.unparseable));
  const future = specs.map((_, c) => merge((r) => r.columns[c]!.future));
  const tooOld = specs.map((_, c) => merge((r) => r.columns[c]!.tooOld));
  const notAllowed = specs.map((_, c) => merge((r) => r.columns[c]!.notAllowed));
  const tsPresent = specs.map((_, c) => sum((r) => r.columns[c]!.tsPresent));
  const tsParsed = specs.map((_, c) => sum((r) => r.columns[c]!.tsParsed));
  const allowedPresent = specs.map((_, c) => sum((r) => r.columns[c]!.allowedPresent));
  const judged = results.some((r) => r.deferred)
    ? await judgeDeferred(ctx, e, results, path, specs, keyIdx)
    : undefined;
  const refTallies = refs.map((ref, k) => ({
    ...ref,
    present: sum((r) => r.refs[k]!.present),
    orphans: judged ? judged.orphans[k]! : merge((r) => r.refs[k]!.orphans),
  }));
  const beforeEnrollment = judged ? judged.before : merge((r) => r.before);
  const beforeChecked = judged ? judged.beforeChecked : sum((r) => r.beforeChecked);
  const volume = new VolumeCounter(ctx.window.effectiveSince, ctx.window.until);
  for (const r of results) volume.merge(r.volume, r.rows);

  // Keys: duplicates in file order; enrollments keep created_at of the latest row per key
  // (by updated_at, ties: the later row).
  const index = new KeyIndex(Math.max(16, file.rows));
  let duplicateCount = 0;
  const duplicateRows: number[] = [];
  const created = new Float64Array(isEnrollments ? Math.max(16, rows) : 0);
  const updated = new Float64Array(isEnrollments ? Math.max(16, rows) : 0);
  let row = 0;
  for (const r of results) {
    for (let b = 0, start = 0; start < r.rows; b++, start += r.blockRows) {
      const hashHi = r.hashHi[b]!;
      const hashLo = r.hashLo[b]!;
      const rowUpdated = r.updated?.[b];
      const rowCreated = r.created?.[b];
      const end = Math.min(r.blockRows, r.rows - start);
      for (let i = 0; i < end; i++, row++) {
        const id = index.add(hashHi[i]!, hashLo[i]!);
        if (!index.added) {
          duplicateCount++;
          if (duplicateRows.length < MAX_EXAMPLES) duplicateRows.push(row);
        }
        if (isEnrollments) {
          const u = Number.isNaN(rowUpdated![i]!) ? Number.NEGATIVE_INFINITY : rowUpdated![i]!;
          if (index.added || u >= updated[id]!) {
            updated[id] = u;
            created[id] = rowCreated![i]!;
          }
        }
      }
    }
  }
  const duplicates: TallyData = {
    count: duplicateCount,
    examples: await labelRows(path, specs, keyIdx, duplicateRows),
  };
  if (REFERENCES.some((r) => r.parent === e)) ctx.parents.set(e, index);
  if (isEnrollments) ctx.enrollmentCreated = created.subarray(0, index.size);

  // Findings.
  const table = file.file;
  if (rows === 0) {
    addFinding(ctx, {
      check: 'check.emptyEntity',
      entity: e,
      column: null,
      count: 1,
      total: 1,
      threshold: null,
      examples: [],
      message: `check.emptyEntity: ${e} has no rows (${table}). Check the query file for ${e} and the window ${snapshot.manifest.window.since} – ${snapshot.manifest.window.until}.`,
    });
  }
  specs.forEach((spec, c) => {
    if (src[c]! < 0) {
      addFinding(ctx, {
        check: 'check.columnsMissing',
        entity: e,
        column: spec.name,
        count: Math.max(1, rows),
        total: Math.max(1, rows),
        threshold: null,
        examples: [],
        message: `check.columnsMissing: ${e}.${spec.name} is not in ${table} (read as null in all ${n(rows)} rows). The query file for ${e} must return it; fix it and re-run extract.`,
      });
      return;
    }
    const m = missing[c]!;
    addFinding(ctx, {
      check: 'check.requiredMissing',
      entity: e,
      column: spec.name,
      count: m.count,
      total: rows,
      threshold: config.maxMissingShareRequired,
      examples: m.examples,
      message: `check.requiredMissing: required column ${e}.${spec.name} is missing (null, blank or a placeholder) in ${n(m.count)} of ${n(rows)} rows (${formatShare(m.count / Math.max(1, rows))}, limit ${formatShare(config.maxMissingShareRequired)})${eg(m.examples)}. Fix the query file for ${e} so it returns ${spec.name} for every row, or raise check.maxMissingShareRequired.`,
    });
    const u = unparseable[c]!;
    addFinding(ctx, {
      check: 'check.timestampUnparseable',
      entity: e,
      column: spec.name,
      count: u.count,
      total: tsPresent[c]!,
      threshold: config.maxUnparseableTimestampShare,
      examples: u.examples,
      message: `check.timestampUnparseable: ${e}.${spec.name} has ${n(u.count)} of ${n(tsPresent[c]!)} values that are not timestamps${eg(u.examples)}; clean sets them to null (rule clean.timestampUnparseable). Make the query return ISO-8601 text (SQL Server: CONVERT(varchar(33), col, 127)).`,
    });
    const f = future[c]!;
    addFinding(ctx, {
      check: 'check.timestampFuture',
      entity: e,
      column: spec.name,
      count: f.count,
      total: tsParsed[c]!,
      threshold: config.maxFutureTimestampShare,
      examples: f.examples,
      message: `check.timestampFuture: ${e}.${spec.name} has ${n(f.count)} of ${n(tsParsed[c]!)} timestamps after ${new Date(ctx.futureLimit).toISOString()} (the later of the window's until and now, + ${config.futureToleranceHours} h)${eg(f.examples)}. Check the source's clock and time zone, or add ${spec.name} to check.futureExemptColumns if it may lie ahead.`,
    });
    const o = tooOld[c]!;
    addFinding(ctx, {
      check: 'check.timestampTooOld',
      entity: e,
      column: spec.name,
      count: o.count,
      total: tsParsed[c]!,
      threshold: config.maxTooOldTimestampShare,
      examples: o.examples,
      message: `check.timestampTooOld: ${e}.${spec.name} has ${n(o.count)} of ${n(tsParsed[c]!)} timestamps before ${config.minYear}-01-01${eg(o.examples)}, likely placeholders such as 1900-01-01. Map them to NULL in the query, or lower check.minYear.`,
    });
    const a = notAllowed[c]!;
    addFinding(ctx, {
      check: 'check.valueNotAllowed',
      entity: e,
      column: spec.name,
      count: a.count,
      total: allowedPresent[c]!,
      threshold: null,
      examples: a.examples,
      message: `check.valueNotAllowed: ${e}.${spec.name} has ${n(a.count)} of ${n(allowedPresent[c]!)} values outside ${(spec.allowed ?? []).join(', ')} (after trim and lower-case)${eg(a.examples)}. Map them to an allowed value in the query file for ${e}.`,
    });
  });
  addFinding(ctx, {
    check: 'check.duplicateKey',
    entity: e,
    column: null,
    count: duplicates.count,
    total: rows,
    threshold: null,
    examples: duplicates.examples,
    message: `check.duplicateKey: ${e} has ${n(duplicates.count)} of ${n(rows)} rows repeating a key (${def.key.join(', ')})${eg(duplicates.examples)}. clean keeps the latest by ${def.updatedColumn ?? 'file order'} (rule clean.duplicateKey); if they are unexpected, fix the joins in the query file for ${e}.`,
  });
  for (const r of refTallies) {
    addFinding(ctx, {
      check: 'check.orphan',
      entity: e,
      column: r.column,
      count: r.orphans.count,
      total: r.present,
      threshold: config.maxOrphanShare,
      examples: r.orphans.examples,
      message: `check.orphan: ${n(r.orphans.count)} of ${n(r.present)} ${e} rows (${formatShare(r.orphans.count / Math.max(1, r.present))}, limit ${formatShare(config.maxOrphanShare)}) have ${/^[aeiou]/.test(r.column) ? 'an' : 'a'} ${r.column} naming no row in ${r.parent}${eg(r.orphans.examples)}. Widen the extract look-back (lookbackDays) or fix the ${r.parent} query so it returns every referenced row.`,
    });
  }
  if (isActivities) {
    addFinding(ctx, {
      check: 'check.beforeEnrollment',
      entity: e,
      column: null,
      count: beforeEnrollment.count,
      total: beforeChecked,
      threshold: config.maxBeforeEnrollmentShare,
      examples: beforeEnrollment.examples,
      message: `check.beforeEnrollment: ${n(beforeEnrollment.count)} of ${n(beforeChecked)} activities happen (sent_at ?? scheduled_at ?? created_at) more than ${config.maxHoursBeforeEnrollment} h before their enrollment's created_at${eg(beforeEnrollment.examples)}; clean drops them (rule clean.beforeEnrollment). Check that activities.enrollment_id names the right enrollment and that both times are in the same zone.`,
    });
  }
  return volume.result(def.timeColumn !== undefined);
}

/**
 * Judges references kept per row (see {@link RowCheckSetup.parents}) against the parents'
 * key indexes, in file order, as a shard given the parents would have: orphans, and for
 * activities the events long before their enrollment. Examples are labelled from the file.
 */
async function judgeDeferred(
  ctx: RunContext,
  e: EntityName,
  results: readonly CheckShardResult[],
  path: string,
  specs: readonly SnapshotColumn[],
  keyIdx: readonly number[],
): Promise<{ orphans: TallyData[]; before: TallyData; beforeChecked: number }> {
  const refs = REFERENCES.filter((r) => r.entity === e);
  const beforeLimit = ctx.config.maxHoursBeforeEnrollment * 3_600_000;
  const orphanCount = refs.map(() => 0);
  const orphanRows: number[][] = refs.map(() => []);
  let beforeCount = 0;
  const beforeRows: number[] = [];
  let beforeChecked = 0;
  let row0 = 0;
  for (const r of results) {
    const d = r.deferred;
    if (!d) throw new Error(`check: results of ${e} mix deferred and judged references`);
    refs.forEach((ref, k) => {
      const index = ctx.parents.get(ref.parent);
      if (!index) return;
      const events = e === 'activities' && ref.column === 'enrollment_id' ? d.event : undefined;
      const created = ctx.enrollmentCreated;
      for (let b = 0, start = 0; start < r.rows; b++, start += r.blockRows) {
        const set = d.refSet[k]![b]!;
        const hi = d.refHi[k]![b]!;
        const lo = d.refLo[k]![b]!;
        const before = events?.[b];
        const end = Math.min(r.blockRows, r.rows - start);
        for (let i = 0; i < end; i++) {
          if (set[i] !== 1) continue;
          const pid = index.find(hi[i]!, lo[i]!);
          if (pid < 0) {
            orphanCount[k]!++;
            if (orphanRows[k]!.length < MAX_EXAMPLES) orphanRows[k]!.push(row0 + start + i);
          } else if (before) {
            const enrolled = created[pid]!;
            const event = before[i]!;
            if (!Number.isNaN(enrolled) && !Number.isNaN(event)) {
              beforeChecked++;
              if (event < enrolled - beforeLimit) {
                beforeCount++;
                if (beforeRows.length < MAX_EXAMPLES) beforeRows.push(row0 + start + i);
              }
            }
          }
        }
      }
    });
    row0 += r.rows;
  }
  const wanted = [...new Set([...orphanRows.flat(), ...beforeRows])].sort((a, b) => a - b);
  const labels = await labelRows(path, specs, keyIdx, wanted);
  const label = new Map(wanted.map((r, i) => [r, labels[i]!]));
  return {
    orphans: refs.map((_, k) => ({
      count: orphanCount[k]!,
      examples: orphanRows[k]!.map((r) => label.get(r)!),
    })),
    before: { count: beforeCount, examples: beforeRows.map((r) => label.get(r)!) },
    beforeChecked,
  };
}

/** The key labels (normalized key values joined by '/') of the rows at `wanted` (ascending). */
async function labelRows(
  path: string,
  specs: readonly SnapshotColumn[],
  keyIdx: readonly number[],
  wanted: readonly number[],
): Promise<string[]> {
  if (wanted.length === 0) return [];
  const reader = await openRows(path);
  const src = specs.map((c) => reader.indexOf(c.name));
  const scanner = new RowScanner();
  const values = new ValueReader({ timestampsAsMs: true });
  const labels: string[] = [];
  let row = 0;
  outer: for await (const batch of reader.lineBatches()) {
    for (const line of batch) {
      while (labels.length < wanted.length && wanted[labels.length] === row) {
        scanner.scan(line);
        const parts = keyIdx.map((c) => {
          const s = c >= 0 ? src[c]! : -1;
          const raw = s >= 0 ? (scanner.value(s) ?? null) : null;
          return String(values.read(specs[c]!.kind, raw) ?? 'null');
        });
        labels.push(parts.join('/'));
      }
      if (labels.length === wanted.length) break outer;
      row++;
    }
  }
  return labels;
}

function compareVolumes(
  ctx: RunContext,
  current: Readonly<Record<EntityName, EntityVolume>>,
  previous: Readonly<Record<EntityName, EntityVolume>>,
  previousWindow: { effectiveSince: number; until: number },
  previousId: string,
): void {
  const { config } = ctx;
  // Only days both windows cover entirely.
  const firstDay = Math.ceil(Math.max(ctx.window.effectiveSince, previousWindow.effectiveSince) / MS_PER_DAY);
  const endDay = Math.floor(Math.min(ctx.window.until, previousWindow.until) / MS_PER_DAY);
  const changed = (cur: number, prev: number) =>
    Math.max(cur, prev) >= config.minVolumeRows &&
    Math.max(cur, prev) > 0 &&
    Math.abs(cur - prev) / Math.max(prev, 1) > config.maxVolumeChange;
  for (const def of ENTITIES) {
    const cur = current[def.name];
    const prev = previous[def.name];
    if (!cur || !prev) continue;
    const flagged = new Tally();
    let compared = 0;
    let firstChange = '';
    if (def.timeColumn) {
      for (let d = firstDay; d < endDay; d++) {
        const label = dayLabel(d);
        const c = cur.by_day[label] ?? 0;
        const p = prev.by_day[label] ?? 0;
        compared++;
        if (changed(c, p)) {
          if (flagged.hit()) flagged.examples.push(label);
          if (!firstChange) firstChange = `${label}: ${n(p)} → ${n(c)}`;
        }
      }
    } else {
      compared = 1;
      if (changed(cur.rows, prev.rows)) {
        flagged.hit();
        firstChange = `total: ${n(prev.rows)} → ${n(cur.rows)}`;
      }
    }
    const unit = def.timeColumn ? 'days' : 'totals';
    addFinding(ctx, {
      check: 'check.volumeChange',
      entity: def.name,
      column: def.timeColumn ?? null,
      count: flagged.count,
      total: compared,
      threshold: null,
      examples: flagged.examples,
      message: `check.volumeChange: ${def.name} row counts changed by more than ${formatShare(config.maxVolumeChange)} on ${n(flagged.count)} of ${n(compared)} ${unit} compared with snapshot ${previousId} (${firstChange}). Check that the extract of ${def.name} was complete, or confirm the change is real.`,
    });
  }
}
