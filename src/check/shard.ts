// One shard of check's pass over an entity file: the rows of a byte range, judged
// column by column. Runs in a worker thread or in the caller's thread; its input and
// result are structured-cloneable, and everything order-dependent across shards (key
// duplicates, the latest enrollment row per key) is left to the merge in run.ts.

import {
  growFloat64,
  growUint8,
  growUint32,
  KeyHasher,
  KeyIndex,
  type KeyIndexState,
} from '../numeric/key-hash.js';
import { type EntityName, entityDef } from '../schema/entities.js';
import { type ByteRange, type CellValue, RowScanner, readLineBatches } from '../snapshot/rows.js';
import { shardBadLine } from '../snapshot/shards.js';
import {
  Effect,
  firstTime,
  type SnapshotColumn,
  snapshotColumnSpecs,
  ValueReader,
} from '../snapshot/values.js';
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

/** What checking an entity's rows needs, whether they are read from a file or given by extract. Cloneable. */
export interface RowCheckSetup {
  readonly entity: EntityName;
  /** Column names of the rows, in their order (the file's header). */
  readonly columns: readonly string[];
  readonly config: CheckConfig;
  readonly futureLimit: number;
  readonly minMs: number;
  readonly effectiveSince: number;
  readonly until: number;
  /**
   * Key indexes of the parents this entity references. Absent: each row's references are
   * kept as key hashes (and activities' event times) and judged by run.ts once the
   * parents are known, as extract checks entities before their parents are complete.
   */
  readonly parents?: Partial<Record<EntityName, KeyIndexState>>;
  /** activities, with parents: created_at ms of each enrollment key id. */
  readonly enrollmentCreated?: Float64Array;
  /** Rows expected (sizes the per-row arrays). */
  readonly expectedRows: number;
}

/** What a shard needs: cloneable. */
export interface CheckShardInput extends RowCheckSetup {
  readonly path: string;
  readonly range: ByteRange;
  readonly parents: Partial<Record<EntityName, KeyIndexState>>;
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

/** References kept per row, to be judged once the parents are known (see RowCheckSetup.parents). */
export interface DeferredReferences {
  /** Per reference (REFERENCES order for the entity): the parent key hash of each row. */
  readonly refHi: readonly Uint32Array[];
  readonly refLo: readonly Uint32Array[];
  /** Per reference: 1 where the row names a parent, 0 where the reference is null. */
  readonly refSet: readonly Uint8Array[];
  /** activities: the event time of each row (sent_at ?? scheduled_at ?? created_at, ms; NaN when none). */
  readonly event?: Float64Array;
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
  /** In the order of REFERENCES for this entity (orphans left empty when deferred). */
  readonly refs: readonly { present: number; orphans: TallyData }[];
  readonly before: TallyData;
  readonly beforeChecked: number;
  /** Rows per day of the window (see VolumeCounter). */
  readonly volume: Float64Array;
  /** Present when the references were not judged row by row (no parents given). */
  readonly deferred?: DeferredReferences;
}

const tally = (): TallyData => ({ count: 0, examples: [] });

/** Marks a present, non-empty text cell that a shard did not decode (text is only checked for presence). */
const TEXT_PRESENT = 'text';

/**
 * Tallies every check that needs only a row and its parents, one row at a time: fed by a
 * shard reading a file ({@link checkShard}) or by extract as it writes the rows.
 */
export class RowChecker {
  private readonly setup: RowCheckSetup;
  private readonly specs: SnapshotColumn[];
  /** Index in the given rows of each spec column (-1 when absent). */
  private readonly src: number[];
  private readonly keyIdx: number[];
  private readonly orgAt: number;
  private readonly timeAt: number;
  private readonly createdAt: number;
  private readonly updatedAt: number;
  private readonly sentAt: number;
  private readonly scheduledAt: number;
  private readonly cols: ColumnTallies[];
  private readonly allowedSets: (Set<string> | null)[];
  private readonly futureExempt: boolean[];
  private readonly refs: {
    column: string;
    at: number;
    index: KeyIndex | undefined;
    present: number;
    orphans: TallyData;
  }[];
  private readonly defer: boolean;
  private readonly isEnrollments: boolean;
  private readonly isActivities: boolean;
  private readonly before = tally();
  private beforeChecked = 0;
  private readonly beforeLimit: number;
  private cap: number;
  private hashHi: Uint32Array;
  private hashLo: Uint32Array;
  private created: Float64Array;
  private updated: Float64Array;
  private refHi: Uint32Array[];
  private refLo: Uint32Array[];
  private refSet: Uint8Array[];
  private event: Float64Array;
  private readonly volume: VolumeCounter;
  private readonly values = new ValueReader({ timestampsAsMs: true });
  private readonly hasher = new KeyHasher();
  private readonly vals: CellValue[];
  private readonly ms: Float64Array;
  /** The cells of the row being checked, in spec order (text cells only null, '' or present). */
  readonly cells: CellValue[];
  private pending = false;
  private n = 0;

  constructor(setup: RowCheckSetup) {
    this.setup = setup;
    const { config, entity: e } = setup;
    const def = entityDef(e);
    const specs = snapshotColumnSpecs(def);
    this.specs = specs;
    this.src = specs.map((c) => setup.columns.indexOf(c.name));
    const at = (name: string) => specs.findIndex((c) => c.name === name);
    this.keyIdx = def.key.map(at);
    this.orgAt = at('org_id');
    this.timeAt = def.timeColumn ? at(def.timeColumn) : -1;
    this.createdAt = at('created_at');
    this.updatedAt = def.updatedColumn ? at(def.updatedColumn) : -1;
    this.sentAt = at('sent_at');
    this.scheduledAt = at('scheduled_at');
    this.cols = specs.map(() => ({
      missing: tally(),
      unparseable: tally(),
      future: tally(),
      tooOld: tally(),
      notAllowed: tally(),
      tsPresent: 0,
      tsParsed: 0,
      allowedPresent: 0,
    }));
    this.allowedSets = specs.map((c) => (c.allowed ? new Set<string>(c.allowed) : null));
    this.futureExempt = specs.map((c) => config.futureExemptColumns.includes(c.name));
    this.defer = setup.parents === undefined;
    this.refs = REFERENCES.filter((r) => r.entity === e).map((r) => {
      const state = setup.parents?.[r.parent];
      return {
        column: r.column,
        at: at(r.column),
        index: state ? KeyIndex.fromState(state) : undefined,
        present: 0,
        orphans: tally(),
      };
    });
    this.isEnrollments = e === 'enrollments';
    this.isActivities = e === 'activities';
    this.beforeLimit = config.maxHoursBeforeEnrollment * 3_600_000;
    const cap = Math.max(16, Math.ceil(setup.expectedRows * 1.1));
    this.cap = cap;
    this.hashHi = new Uint32Array(cap);
    this.hashLo = new Uint32Array(cap);
    this.created = new Float64Array(this.isEnrollments ? cap : 0);
    this.updated = new Float64Array(this.isEnrollments ? cap : 0);
    const nDeferred = this.defer ? this.refs.length : 0;
    this.refHi = Array.from({ length: nDeferred }, () => new Uint32Array(cap));
    this.refLo = Array.from({ length: nDeferred }, () => new Uint32Array(cap));
    this.refSet = Array.from({ length: nDeferred }, () => new Uint8Array(cap));
    this.event = new Float64Array(this.defer && this.isActivities ? cap : 0);
    this.volume = new VolumeCounter(setup.effectiveSince, setup.until);
    this.vals = new Array<CellValue>(specs.length).fill(null);
    this.ms = new Float64Array(specs.length).fill(Number.NaN);
    this.cells = new Array<CellValue>(specs.length).fill(null);
  }

  /** Rows checked so far. */
  get rows(): number {
    return this.n;
  }

  /** Checks one row given as its values in the order of `setup.columns`. */
  checkValues(row: readonly CellValue[]): void {
    const { cells, src } = this;
    for (let c = 0; c < cells.length; c++) {
      const s = src[c]!;
      cells[c] = s >= 0 ? (row[s] ?? null) : null;
    }
    this.checkCells();
  }

  /**
   * Checks the row in {@link cells}: spec order; a text cell need only be null, '' or any
   * non-empty string.
   */
  checkCells(): void {
    const { specs, cols, vals, ms, values, cells } = this;
    const setup = this.setup;
    const i = this.n++;
    for (let c = 0; c < specs.length; c++) {
      const spec = specs[c]!;
      const col = cols[c]!;
      const raw = cells[c]!;
      if (spec.kind === 'text') {
        vals[c] = null;
        if (spec.required && (raw === null || raw === '')) this.want(col.missing);
        continue;
      }
      const v = values.read(spec.kind, raw);
      vals[c] = v;
      if (spec.kind === 'timestamp') {
        const t = values.ms;
        ms[c] = t;
        if (v !== null) {
          col.tsPresent++;
          col.tsParsed++;
          if (t > setup.futureLimit && !this.futureExempt[c]) this.want(col.future);
          if (t < setup.minMs) this.want(col.tooOld);
        } else if (values.effect === Effect.timestampUnparseable) {
          col.tsPresent++;
          this.want(col.unparseable);
        }
      }
      if (v === null) {
        if (spec.required) this.want(col.missing);
      } else if (this.allowedSets[c] !== null) {
        col.allowedPresent++;
        if (!this.allowedSets[c]!.has(v as string)) this.want(col.notAllowed);
      }
    }

    if (i >= this.cap) this.grow();
    const hasher = this.hasher;
    hasher.row(vals, this.keyIdx);
    this.hashHi[i] = hasher.hi;
    this.hashLo[i] = hasher.lo;
    if (this.isEnrollments) {
      this.created[i] = this.createdAt >= 0 ? ms[this.createdAt]! : Number.NaN;
      this.updated[i] = this.updatedAt >= 0 ? ms[this.updatedAt]! : Number.NaN;
    }
    const orgAt = this.orgAt;
    if (this.defer && this.isActivities)
      this.event[i] = firstTime(ms, this.sentAt, this.scheduledAt, this.createdAt);
    for (let k = 0; k < this.refs.length; k++) {
      const r = this.refs[k]!;
      const ref = r.at >= 0 ? vals[r.at] : null;
      if (ref === null || ref === undefined) {
        if (this.defer) this.refSet[k]![i] = 0;
        continue;
      }
      r.present++;
      hasher
        .reset()
        .add(orgAt >= 0 ? vals[orgAt]! : null)
        .add(ref)
        .finish();
      if (this.defer) {
        this.refHi[k]![i] = hasher.hi;
        this.refLo[k]![i] = hasher.lo;
        this.refSet[k]![i] = 1;
        continue;
      }
      if (!r.index) continue;
      const pid = r.index.findHash(hasher);
      if (pid < 0) this.want(r.orphans);
      const enrollmentCreated = setup.enrollmentCreated;
      if (this.isActivities && enrollmentCreated && r.column === 'enrollment_id' && pid >= 0) {
        const enrolled = enrollmentCreated[pid]!;
        const event = firstTime(ms, this.sentAt, this.scheduledAt, this.createdAt);
        if (!Number.isNaN(enrolled) && !Number.isNaN(event)) {
          this.beforeChecked++;
          if (event < enrolled - this.beforeLimit) this.want(this.before);
        }
      }
    }
    if (this.pending) {
      this.pending = false;
      const label = this.keyIdx.map((k) => (k >= 0 ? String(vals[k] ?? 'null') : 'null')).join('/');
      for (const col of cols) {
        label1(col.missing, label);
        label1(col.unparseable, label);
        label1(col.future, label);
        label1(col.tooOld, label);
        label1(col.notAllowed, label);
      }
      for (const r of this.refs) label1(r.orphans, label);
      label1(this.before, label);
    }
    this.volume.add(this.timeAt >= 0 ? ms[this.timeAt]! : Number.NaN);
  }

  /**
   * The tallies and per-row arrays, trimmed to the rows checked (copied when over a
   * quarter of the capacity is unused: extract's results, sized by doubling, are kept
   * until all entities are checked).
   */
  result(): CheckShardResult {
    const rows = this.n;
    const copy = this.cap > rows * 1.25;
    const trim = <T extends Uint32Array | Uint8Array | Float64Array>(a: T): T =>
      (copy ? a.slice(0, rows) : a.subarray(0, rows)) as T;
    return {
      rows,
      hashHi: trim(this.hashHi),
      hashLo: trim(this.hashLo),
      ...(this.isEnrollments ? { created: trim(this.created), updated: trim(this.updated) } : {}),
      columns: this.cols,
      refs: this.refs.map((r) => ({ present: r.present, orphans: r.orphans })),
      before: this.before,
      beforeChecked: this.beforeChecked,
      volume: this.volume.counts(),
      ...(this.defer
        ? {
            deferred: {
              refHi: this.refHi.map(trim),
              refLo: this.refLo.map(trim),
              refSet: this.refSet.map(trim),
              ...(this.isActivities ? { event: trim(this.event) } : {}),
            },
          }
        : {}),
    };
  }

  // Examples are recorded as '' while a row is read and labelled once its key is known.
  private want(t: TallyData): void {
    t.count++;
    if (t.examples.length < MAX_EXAMPLES) {
      t.examples.push('');
      this.pending = true;
    }
  }

  private grow(): void {
    const cap = this.cap * 2;
    this.cap = cap;
    this.hashHi = growUint32(this.hashHi, cap);
    this.hashLo = growUint32(this.hashLo, cap);
    if (this.isEnrollments) {
      this.created = growFloat64(this.created, cap);
      this.updated = growFloat64(this.updated, cap);
    }
    this.refHi = this.refHi.map((a) => growUint32(a, cap));
    this.refLo = this.refLo.map((a) => growUint32(a, cap));
    this.refSet = this.refSet.map((a) => growUint8(a, cap));
    if (this.event.length > 0) this.event = growFloat64(this.event, cap);
  }
}

/** Reads one shard and tallies every check that needs only the row and its parents. */
export async function checkShard(
  input: CheckShardInput,
  tick: (rows: number) => void,
): Promise<CheckShardResult> {
  const checker = new RowChecker(input);
  const specs = snapshotColumnSpecs(entityDef(input.entity));
  const src = specs.map((c) => input.columns.indexOf(c.name));
  const isText = specs.map((c) => c.kind === 'text');
  const cells = checker.cells;
  // Cells are located with a scanner and only the ones checked are decoded: long texts
  // (prompts, messages) are only checked for presence.
  const scanner = new RowScanner();
  const nSrc = input.columns.length;
  let rows = 0;
  for await (const batch of readLineBatches(input.path, input.range)) {
    for (const line of batch) {
      const i = rows++;
      if (!scanner.scan(line) || scanner.count !== nSrc) shardBadLine(input.path, input.range, i);
      for (let c = 0; c < cells.length; c++) {
        const s = src[c]!;
        if (s < 0) cells[c] = null;
        else if (isText[c]) {
          cells[c] = scanner.kind(s) === 110 ? null : scanner.raw(s) === '""' ? '' : TEXT_PRESENT;
        } else {
          const raw = scanner.value(s);
          if (raw === undefined) shardBadLine(input.path, input.range, i);
          cells[c] = raw;
        }
      }
      checker.checkCells();
    }
    tick(batch.length);
  }
  return checker.result();
}

function label1(t: TallyData, label: string): void {
  const ex = t.examples;
  if (ex.length > 0 && ex[ex.length - 1] === '') ex[ex.length - 1] = label;
}
