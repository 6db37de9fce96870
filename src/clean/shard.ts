// One shard of clean's first pass over an entity file: the rows of a byte range are read,
// normalized by the value rules and written to a part file, and for every row the shard
// returns its key hash, update time and the row rule that would drop it. Which row of a
// key survives depends on rows of other shards, so that is decided by the merge in
// run.ts. Input and result are structured-cloneable: the shard runs in a worker thread
// or in the caller's thread.

import {
  growFloat64,
  growUint8,
  growUint32,
  hash64,
  KeyHasher,
  KeyIndex,
  type KeyIndexState,
} from '../numeric/key-hash.js';
import { type EntityName, entityDef } from '../schema/entities.js';
import {
  type ByteRange,
  type CellValue,
  type RowFileInfo,
  RowScanner,
  RowWriter,
  readLineBatches,
} from '../snapshot/rows.js';
import { shardBadLine } from '../snapshot/shards.js';
import { Effect, firstTime, snapshotColumnSpecs, ValueReader } from '../snapshot/values.js';
import type { CleanConfig } from './config.js';
import { CLEAN_RULE_IDS, type CleanRuleId, ruleOfEffect } from './rules.js';

// Why a row is dropped (after dedup), in precedence order.
export const KEEP = 0;
export const TEST = 1;
export const ORPHAN = 2;
export const AFTER = 3;
export const BEFORE = 4;
/** The rule of each drop reason (index = reason code). */
export const REASON_RULE: readonly (CleanRuleId | undefined)[] = [
  undefined,
  'clean.testContact',
  'clean.orphanOfRemovedParent',
  'clean.afterWindow',
  'clean.beforeEnrollment',
];

/** Final state of a cleaned parent entity, as children are judged against it (cloneable). */
export interface ParentStateData {
  /** Keys (org_id, id) → dense id. */
  readonly index: KeyIndexState;
  /** Drop reason of each key's surviving row (KEEP when it was written). */
  readonly removed: Uint8Array;
  /** enrollments: created_at ms of each key's surviving row (NaN when null). */
  readonly created?: Float64Array;
}

interface ParentState {
  readonly index: KeyIndex;
  readonly removed: Uint8Array;
  readonly created?: Float64Array | undefined;
}

/** What a shard needs. */
export interface CleanShardInput {
  readonly entity: EntityName;
  readonly path: string;
  readonly range: ByteRange;
  /** The file's header. */
  readonly columns: readonly string[];
  readonly config: CleanConfig;
  /** The window's until, epoch ms. */
  readonly until: number;
  /** Where the shard writes its normalized rows (a row file with the canonical header). */
  readonly partPath: string;
  readonly contacts?: ParentStateData;
  readonly enrollments?: ParentStateData;
  /** Rows expected in the range (sizes the per-row arrays). */
  readonly expectedRows: number;
}

/** What a shard returns; per-row arrays are trimmed to `rows`. */
export interface CleanShardResult {
  readonly rows: number;
  /** Value-rule counts: [rule index in CLEAN_RULE_IDS * columns + column]. */
  readonly valueCounts: Float64Array;
  readonly hashHi: Uint32Array;
  readonly hashLo: Uint32Array;
  /** The updatedColumn of each row in ms; -Infinity when null or absent. */
  readonly updated: Float64Array;
  /** The drop reason of each row (KEEP, TEST, ORPHAN, AFTER, BEFORE). */
  readonly reason: Uint8Array;
  /** enrollments: created_at ms of each row. */
  readonly created?: Float64Array;
  /** The part file written (its sha256 is '': parts are not hashed). */
  readonly part: RowFileInfo;
}

/** Runs the value rules on a shard's rows and writes them to its part file. */
export async function cleanShard(
  input: CleanShardInput,
  tick: (rows: number) => void,
): Promise<CleanShardResult> {
  const { config, entity: e } = input;
  const def = entityDef(e);
  const specs = snapshotColumnSpecs(def);
  const columns = specs.map((c) => c.name);
  const nCols = specs.length;
  const at = (name: string) => columns.indexOf(name);
  const src = specs.map((c) => input.columns.indexOf(c.name));
  const keyIdx = def.key.map(at);
  const updatedAt = def.updatedColumn ? at(def.updatedColumn) : -1;
  const createdAt = at('created_at');
  const orgAt = at('org_id');
  const isEnrollments = e === 'enrollments';

  // Value-rule counters: counts[ruleSlot * nCols + column].
  const ruleSlot = new Map<CleanRuleId, number>(CLEAN_RULE_IDS.map((r, i) => [r, i]));
  const valueCounts = new Float64Array(CLEAN_RULE_IDS.length * nCols);
  const effectSlot = specs.map((c) => {
    const slots = new Int32Array(16).fill(-1);
    for (const eff of Object.values(Effect)) {
      const rule = ruleOfEffect(eff, c.kind);
      if (rule) slots[eff] = ruleSlot.get(rule)!;
    }
    return slots;
  });
  const durationAt = e === 'activities' ? at('call_duration_sec') : -1;
  const waitAt = e === 'campaign_steps' ? at('wait_before_ms') : -1;
  const slotNegDuration = ruleSlot.get('clean.negativeDuration')!;
  const slotTooLong = ruleSlot.get('clean.callTooLong')!;
  const slotNegWait = ruleSlot.get('clean.negativeWait')!;
  const maxCall = config.maxCallSeconds;

  const parent = (p: ParentStateData | undefined): ParentState | undefined =>
    p ? { index: KeyIndex.fromState(p.index), removed: p.removed, created: p.created } : undefined;
  const reasonOf = rowReasoner(e, at, input.until, config, parent(input.contacts), parent(input.enrollments));

  let cap = Math.max(16, Math.ceil(input.expectedRows * 1.1));
  let hashHi = new Uint32Array(cap);
  let hashLo = new Uint32Array(cap);
  let updated = new Float64Array(cap);
  let reason = new Uint8Array(cap);
  let created = new Float64Array(isEnrollments ? cap : 0);

  // Not hashed: most part files are copied (without their dropped rows), and copyRows
  // hashes what it writes; run.ts hashes a part that becomes the final file as it is.
  const writer = new RowWriter(input.partPath, columns, { sha256: false });
  const values = new ValueReader({ naiveTimestampZone: config.naiveTimestampZone });
  const hasher = new KeyHasher();
  const out: CellValue[] = new Array<CellValue>(nCols).fill(null);
  const ms = new Float64Array(nCols).fill(Number.NaN);
  let rows = 0;
  try {
    // Cells are located with a scanner; a cell the rules leave unchanged is copied as its
    // original JSON text, and a row nothing changed is written as the line it was. Long
    // texts are thus never parsed or re-serialized.
    const scanner = new RowScanner();
    const nSrc = input.columns.length;
    const identity = nSrc === nCols && src.every((s, c) => s === c);
    const isText = specs.map((c) => c.kind === 'text');
    const changed = new Uint8Array(nCols);
    const pieces = new Array<string>(nCols);
    for await (const batch of readLineBatches(input.path, input.range)) {
      for (const line of batch) {
        const i = rows++;
        if (!scanner.scan(line) || scanner.count !== nSrc) shardBadLine(input.path, input.range, i);
        let any = !identity;
        for (let c = 0; c < nCols; c++) {
          const s = src[c]!;
          changed[c] = 0;
          if (isText[c]) {
            out[c] = null;
            ms[c] = Number.NaN;
            if (s < 0) continue;
            const k = scanner.kind(s);
            if (k === 34 || k === 110) continue; // a string or null: kept verbatim
          }
          const raw = s >= 0 ? scanner.value(s) : null;
          if (raw === undefined) shardBadLine(input.path, input.range, i);
          const v = values.read(specs[c]!.kind, raw);
          out[c] = v;
          ms[c] = values.ms;
          if (v !== raw) {
            changed[c] = 1;
            any = true;
          }
          const slot = effectSlot[c]![values.effect]!;
          if (slot >= 0) valueCounts[slot * nCols + c]!++;
        }
        if (durationAt >= 0) {
          const d = out[durationAt];
          if (typeof d === 'number') {
            if (d < 0) {
              out[durationAt] = null;
              valueCounts[slotNegDuration * nCols + durationAt]!++;
              changed[durationAt] = 1;
              any = true;
            } else if (d > maxCall) {
              out[durationAt] = null;
              valueCounts[slotTooLong * nCols + durationAt]!++;
              changed[durationAt] = 1;
              any = true;
            }
          }
        }
        if (waitAt >= 0) {
          const w = out[waitAt];
          if (typeof w === 'number' && w < 0) {
            out[waitAt] = null;
            valueCounts[slotNegWait * nCols + waitAt]!++;
            changed[waitAt] = 1;
            any = true;
          }
        }

        if (i >= cap) {
          cap *= 2;
          hashHi = growUint32(hashHi, cap);
          hashLo = growUint32(hashLo, cap);
          updated = growFloat64(updated, cap);
          reason = growUint8(reason, cap);
          if (isEnrollments) created = growFloat64(created, cap);
        }
        if (keyIdx.some((k) => out[k] === null)) {
          // A key with a missing part identifies nothing: the row is never a duplicate of another.
          const unique = hash64(`\u0000unkeyed\u0000${input.range.start}\u0000${i}`);
          hashHi[i] = unique.hi;
          hashLo[i] = unique.lo;
        } else {
          hasher.row(out, keyIdx);
          hashHi[i] = hasher.hi;
          hashLo[i] = hasher.lo;
        }
        updated[i] =
          updatedAt >= 0 && !Number.isNaN(ms[updatedAt]!) ? ms[updatedAt]! : Number.NEGATIVE_INFINITY;
        if (isEnrollments) created[i] = createdAt >= 0 ? ms[createdAt]! : Number.NaN;
        reason[i] = reasonOf(out, ms, hasher, orgAt);

        if (!any) {
          writer.writeLine(line);
          continue;
        }
        if (identity) {
          // Runs of unchanged cells are copied as one slice of the line, separators included.
          let text = '[';
          let run = -1;
          for (let c = 0; c < nCols; c++) {
            if (changed[c] === 0) {
              if (run < 0) run = c;
              continue;
            }
            if (run >= 0) {
              text += `${scanner.rawRange(run, c - 1)},`;
              run = -1;
            }
            text += c === nCols - 1 ? JSON.stringify(out[c]) : `${JSON.stringify(out[c])},`;
          }
          if (run >= 0) text += scanner.rawRange(run, nCols - 1);
          writer.writeLine(`${text}]`);
        } else {
          for (let c = 0; c < nCols; c++) {
            const s = src[c]!;
            pieces[c] = changed[c] === 1 ? JSON.stringify(out[c]) : s >= 0 ? scanner.raw(s) : 'null';
          }
          writer.writeLine(`[${pieces.join(',')}]`);
        }
      }
      await writer.flush();
      tick(batch.length);
    }
  } catch (err) {
    await writer.abort();
    throw err;
  }
  const part = await writer.close();
  return {
    rows,
    valueCounts,
    hashHi: hashHi.subarray(0, rows),
    hashLo: hashLo.subarray(0, rows),
    updated: updated.subarray(0, rows),
    reason: reason.subarray(0, rows),
    ...(isEnrollments ? { created: created.subarray(0, rows) } : {}),
    part,
  };
}

/**
 * The row rules of an entity as a function of a normalized row: the reason it would be
 * dropped (TEST, ORPHAN, AFTER, BEFORE) or KEEP. Judged on the row itself; only the row
 * that survives dedup is counted.
 */
function rowReasoner(
  e: EntityName,
  at: (name: string) => number,
  until: number,
  config: CleanConfig,
  contacts: ParentState | undefined,
  enrollments: ParentState | undefined,
): (out: readonly CellValue[], ms: Float64Array, hasher: KeyHasher, orgAt: number) => number {
  const tolerance = config.beforeEnrollmentToleranceHours * 3_600_000;
  const contactAt = at('contact_id');
  const enrollmentAt = at('enrollment_id');

  // Drop reason inherited from a parent: TEST stays TEST, anything else makes an orphan.
  const parentReason = (
    parent: ParentState | undefined,
    out: readonly CellValue[],
    refAt: number,
    h: KeyHasher,
    orgAt: number,
  ) => {
    if (!parent || refAt < 0) return -1;
    const ref = out[refAt] ?? null;
    if (ref === null) return -1;
    const pid = parent.index.findHash(
      h
        .reset()
        .add(out[orgAt] ?? null)
        .add(ref)
        .finish(),
    );
    if (pid < 0) return -1;
    const r = parent.removed[pid]!;
    return r === KEEP ? pid : r === TEST ? -TEST - 1 : -ORPHAN - 1;
  };
  const dropCode = (p: number) => (p < -1 ? -p - 1 : KEEP);

  switch (e) {
    case 'contacts': {
      const testAt = at('is_test_hint');
      return (out) => (out[testAt] === true ? TEST : KEEP);
    }
    case 'enrollments':
      return (out, _ms, h, orgAt) => {
        const p = parentReason(contacts, out, contactAt, h, orgAt);
        // The contact was dropped: as a test contact (TEST) or for another reason (ORPHAN).
        return dropCode(p);
      };
    case 'activities': {
      const sentAt = at('sent_at');
      const scheduledAt = at('scheduled_at');
      const createdAt = at('created_at');
      return (out, ms, h, orgAt) => {
        const p = parentReason(enrollments, out, enrollmentAt, h, orgAt);
        if (p < -1) return dropCode(p);
        const event = firstTime(ms, sentAt, scheduledAt, createdAt);
        if (event >= until) return AFTER;
        if (p >= 0 && enrollments?.created) {
          const enrolled = enrollments.created[p]!;
          if (event < enrolled - tolerance) return BEFORE;
        }
        return KEEP;
      };
    }
    case 'messages': {
      const messageTsAt = at('message_ts');
      const createdAt = at('created_at');
      return (out, ms, h, orgAt) => {
        const p = parentReason(contacts, out, contactAt, h, orgAt);
        if (p < -1) return dropCode(p);
        return firstTime(ms, messageTsAt, createdAt, -1) >= until ? AFTER : KEEP;
      };
    }
    case 'outcomes': {
      const occurredAt = at('occurred_at');
      return (out, ms, h, orgAt) => {
        const pc = parentReason(contacts, out, contactAt, h, orgAt);
        if (pc < -1) return dropCode(pc);
        // The credited enrollment was dropped while the outcome's contact was not.
        if (parentReason(enrollments, out, enrollmentAt, h, orgAt) < -1) return ORPHAN;
        return ms[occurredAt]! >= until ? AFTER : KEEP;
      };
    }
    default:
      return () => KEEP;
  }
}
