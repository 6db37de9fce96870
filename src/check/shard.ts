// One shard of check's pass over an entity file: the rows of a byte range, judged
// column by column. Runs in a worker thread or in the caller's thread; its input and
// result are structured-cloneable, and everything order-dependent across shards (key
// duplicates, the latest enrollment row per key) is left to the merge in run.ts.

import { growFloat64, growUint32, KeyHasher, KeyIndex, type KeyIndexState } from '../numeric/key-hash.js';
import { type EntityName, entityDef } from '../schema/entities.js';
import { type ByteRange, type CellValue, RowScanner, readLineBatches } from '../snapshot/rows.js';
import { shardBadLine } from '../snapshot/shards.js';
import { Effect, firstTime, snapshotColumnSpecs, ValueReader } from '../snapshot/values.js';
import type { CheckConfig } from './config.js';
import { VolumeCounter } from './volume.js';

/** A reference checked by check.orphan: `entity.column` must name a `parent` row (with the same org_id). */
export interface Reference {
  readonly entity: EntityName;
  readonly column: string;
  readonly parent: EntityName;
}

/** The references check.orphan verifies. Parents are keyed (org_id, <id column>). */
export const REFERENCES: readonly Reference[] = [
  { entity: 'enrollments', column: 'contact_id', parent: 'contacts' },
  { entity: 'enrollments', column: 'campaign_id', parent: 'campaigns' },
  { entity: 'step_variants', column: 'step_id', parent: 'campaign_steps' },
  { entity: 'activities', column: 'enrollment_id', parent: 'enrollments' },
  { entity: 'activities', column: 'step_id', parent: 'campaign_steps' },
  { entity: 'messages', column: 'contact_id', parent: 'contacts' },
  { entity: 'outcomes', column: 'contact_id', parent: 'contacts' },
];

/** How many example keys a finding carries. */
export const MAX_EXAMPLES = 5;

/** A count with up to {@link MAX_EXAMPLES} example keys. */
export interface TallyData {
  count: number;
  examples: string[];
}

/** What a shard needs: cloneable. */
export interface CheckShardInput {
  readonly entity: EntityName;
  readonly path: string;
  readonly range: ByteRange;
  /** The file's header. */
  readonly columns: readonly string[];
  readonly config: CheckConfig;
  readonly futureLimit: number;
  readonly minMs: number;
  readonly effectiveSince: number;
  readonly until: number;
  /** Key indexes of the parents this entity references. */
  readonly parents: Partial<Record<EntityName, KeyIndexState>>;
  /** activities: created_at ms of each enrollment key id. */
  readonly enrollmentCreated?: Float64Array;
  /** Rows expected in the range (sizes the per-row arrays). */
  readonly expectedRows: number;
}

/** Per-column tallies of a shard. */
export interface ColumnTallies {
  readonly missing: TallyData;
  readonly unparseable: TallyData;
  readonly future: TallyData;
  readonly tooOld: TallyData;
  readonly notAllowed: TallyData;
  tsPresent: number;
  tsParsed: number;
  allowedPresent: number;
}

/** What a shard returns: cloneable; per-row arrays are trimmed to `rows`. */
export interface CheckShardResult {
  readonly rows: number;
  /** Entity key hash of each row. */
  readonly hashHi: Uint32Array;
  readonly hashLo: Uint32Array;
  /** enrollments: created_at and updated_at ms of each row (NaN when null). */
  readonly created?: Float64Array;
  readonly updated?: Float64Array;
  readonly columns: readonly ColumnTallies[];
  /** In the order of REFERENCES for this entity. */
  readonly refs: readonly { present: number; orphans: TallyData }[];
  readonly before: TallyData;
  readonly beforeChecked: number;
  /** Rows per day of the window (see VolumeCounter). */
  readonly volume: Float64Array;
}

const tally = (): TallyData => ({ count: 0, examples: [] });

/** Reads one shard and tallies every check that needs only the row and its parents. */
export async function checkShard(
  input: CheckShardInput,
  tick: (rows: number) => void,
): Promise<CheckShardResult> {
  const { config, entity: e } = input;
  const def = entityDef(e);
  const specs = snapshotColumnSpecs(def);
  const nCols = specs.length;
  const src = specs.map((c) => input.columns.indexOf(c.name));
  const at = (name: string) => specs.findIndex((c) => c.name === name);
  const keyIdx = def.key.map(at);
  const orgAt = at('org_id');
  const timeAt = def.timeColumn ? at(def.timeColumn) : -1;
  const createdAt = at('created_at');
  const updatedAt = def.updatedColumn ? at(def.updatedColumn) : -1;

  const cols: ColumnTallies[] = specs.map(() => ({
    missing: tally(),
    unparseable: tally(),
    future: tally(),
    tooOld: tally(),
    notAllowed: tally(),
    tsPresent: 0,
    tsParsed: 0,
    allowedPresent: 0,
  }));
  const allowedSets = specs.map((c) => (c.allowed ? new Set<string>(c.allowed) : null));
  const futureExempt = specs.map((c) => config.futureExemptColumns.includes(c.name));
  const refs = REFERENCES.filter((r) => r.entity === e).map((r) => {
    const state = input.parents[r.parent];
    return {
      column: r.column,
      at: at(r.column),
      index: state ? KeyIndex.fromState(state) : undefined,
      present: 0,
      orphans: tally(),
    };
  });

  const isEnrollments = e === 'enrollments';
  const isActivities = e === 'activities';
  const sentAt = at('sent_at');
  const scheduledAt = at('scheduled_at');
  const before = tally();
  let beforeChecked = 0;
  const beforeLimit = config.maxHoursBeforeEnrollment * 3_600_000;
  const enrollmentCreated = input.enrollmentCreated;

  let cap = Math.max(16, Math.ceil(input.expectedRows * 1.1));
  let hashHi = new Uint32Array(cap);
  let hashLo = new Uint32Array(cap);
  let created = new Float64Array(isEnrollments ? cap : 0);
  let updated = new Float64Array(isEnrollments ? cap : 0);

  const volume = new VolumeCounter(input.effectiveSince, input.until);
  const values = new ValueReader({ timestampsAsMs: true });
  const hasher = new KeyHasher();
  const vals: CellValue[] = new Array<CellValue>(nCols).fill(null);
  const ms = new Float64Array(nCols).fill(Number.NaN);
  const keyLabel = () => keyIdx.map((k) => (k >= 0 ? String(vals[k] ?? 'null') : 'null')).join('/');

  // Examples are recorded as '' while a row is read and labelled once its key is known.
  let pending = false;
  const want = (t: TallyData) => {
    t.count++;
    if (t.examples.length < MAX_EXAMPLES) {
      t.examples.push('');
      pending = true;
    }
  };
  // Cells are located with a scanner and only the ones checked are decoded: long texts
  // (prompts, messages) are skipped.
  const scanner = new RowScanner();
  const nSrc = input.columns.length;
  let rows = 0;
  for await (const batch of readLineBatches(input.path, input.range)) {
    for (const line of batch) {
      const i = rows++;
      if (!scanner.scan(line) || scanner.count !== nSrc) shardBadLine(input.path, input.range, i);
      for (let c = 0; c < nCols; c++) {
        const spec = specs[c]!;
        const s = src[c]!;
        const col = cols[c]!;
        if (spec.kind === 'text') {
          vals[c] = null;
          if (spec.required && (s < 0 || scanner.kind(s) === 110 || scanner.raw(s) === '""'))
            want(col.missing);
          continue;
        }
        const raw = s >= 0 ? scanner.value(s) : null;
        if (raw === undefined) shardBadLine(input.path, input.range, i);
        const v = values.read(spec.kind, raw);
        vals[c] = v;
        if (spec.kind === 'timestamp') {
          const t = values.ms;
          ms[c] = t;
          if (v !== null) {
            col.tsPresent++;
            col.tsParsed++;
            if (t > input.futureLimit && !futureExempt[c]) want(col.future);
            if (t < input.minMs) want(col.tooOld);
          } else if (values.effect === Effect.timestampUnparseable) {
            col.tsPresent++;
            want(col.unparseable);
          }
        }
        if (v === null) {
          if (spec.required) want(col.missing);
        } else if (allowedSets[c] !== null) {
          col.allowedPresent++;
          if (!allowedSets[c]!.has(v as string)) want(col.notAllowed);
        }
      }

      if (i >= cap) {
        cap *= 2;
        hashHi = growUint32(hashHi, cap);
        hashLo = growUint32(hashLo, cap);
        if (isEnrollments) {
          created = growFloat64(created, cap);
          updated = growFloat64(updated, cap);
        }
      }
      hasher.row(vals, keyIdx);
      hashHi[i] = hasher.hi;
      hashLo[i] = hasher.lo;
      if (isEnrollments) {
        created[i] = createdAt >= 0 ? ms[createdAt]! : Number.NaN;
        updated[i] = updatedAt >= 0 ? ms[updatedAt]! : Number.NaN;
      }
      for (const r of refs) {
        const ref = r.at >= 0 ? vals[r.at] : null;
        if (ref === null || ref === undefined) continue;
        r.present++;
        if (!r.index) continue;
        const pid = r.index.findHash(
          hasher
            .reset()
            .add(orgAt >= 0 ? vals[orgAt]! : null)
            .add(ref)
            .finish(),
        );
        if (pid < 0) want(r.orphans);
        if (isActivities && enrollmentCreated && r.column === 'enrollment_id' && pid >= 0) {
          const enrolled = enrollmentCreated[pid]!;
          const event = firstTime(ms, sentAt, scheduledAt, createdAt);
          if (!Number.isNaN(enrolled) && !Number.isNaN(event)) {
            beforeChecked++;
            if (event < enrolled - beforeLimit) want(before);
          }
        }
      }
      if (pending) {
        pending = false;
        const label = keyLabel();
        for (const col of cols) {
          label1(col.missing, label);
          label1(col.unparseable, label);
          label1(col.future, label);
          label1(col.tooOld, label);
          label1(col.notAllowed, label);
        }
        for (const r of refs) label1(r.orphans, label);
        label1(before, label);
      }
      volume.add(timeAt >= 0 ? ms[timeAt]! : Number.NaN);
    }
    tick(batch.length);
  }
  return {
    rows,
    hashHi: hashHi.subarray(0, rows),
    hashLo: hashLo.subarray(0, rows),
    ...(isEnrollments ? { created: created.subarray(0, rows), updated: updated.subarray(0, rows) } : {}),
    columns: cols,
    refs: refs.map((r) => ({ present: r.present, orphans: r.orphans })),
    before,
    beforeChecked,
    volume: volume.counts(),
  };
}

function label1(t: TallyData, label: string): void {
  const ex = t.examples;
  if (ex.length > 0 && ex[ex.length - 1] === '') ex[ex.length - 1] = label;
}
