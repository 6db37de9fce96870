// What clean writes besides the row files: clean.json (a count for every rule that ran)
// and manifest.json of the cleaned folder; and how the CLI prints the counts.

import type { SourceFingerprint } from '../db/adapter.js';
import type { EntityName, ValueType } from '../schema/entities.js';
import type { SnapshotManifest } from '../snapshot/manifest.js';
import { formatTable } from '../text-table.js';
import type { CleanConfig } from './config.js';
import { CLEAN_RULE_IDS, type CleanRuleId } from './rules.js';

/** Format tag of clean.json. */
export const CLEAN_REPORT_FORMAT = 'leadlift.clean-report/1';
/** Format tag of a cleaned folder's manifest.json. */
export const CLEANED_FORMAT = 'leadlift.cleaned/1';
/** File name of the clean report inside the cleaned folder. */
export const CLEAN_REPORT_FILE = 'clean.json';

/** How many values or rows one rule changed or dropped in one entity (and column). */
export interface CleanRuleCount {
  readonly rule: CleanRuleId;
  readonly entity: EntityName;
  /** The column for value rules; null for row rules. */
  readonly column: string | null;
  readonly count: number;
}

/** The content of clean.json. */
export interface CleanReport {
  readonly format: typeof CLEAN_REPORT_FORMAT;
  readonly snapshot_id: string;
  readonly snapshot_dir: string;
  /** Rows read and written per entity. */
  readonly entities: Readonly<Record<EntityName, { readonly rows_in: number; readonly rows_out: number }>>;
  /**
   * One entry per (rule, entity, column) the rule ran on, zero counts included, in rule
   * order then entity order then column order. Value rules count every input row (they
   * run before dedup); row rules count each dropped row once, under the first rule that
   * drops it (duplicateKey, testContact, orphanOfRemovedParent, afterWindow, beforeEnrollment).
   */
  readonly rules: readonly CleanRuleCount[];
  readonly config: CleanConfig;
}

/** One row file of a cleaned folder. */
export interface CleanedEntityManifest {
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
  readonly columns: readonly { readonly name: string; readonly type: ValueType }[];
}

/** manifest.json of a cleaned folder. Holds no time of its own: the same input gives the same bytes. */
export interface CleanedManifest {
  readonly format: typeof CLEANED_FORMAT;
  readonly source_snapshot: {
    readonly snapshot_id: string;
    readonly dir: string;
    readonly created_at_utc: string;
    readonly source: SourceFingerprint;
    readonly window: SnapshotManifest['window'];
  };
  readonly tool: { readonly name: 'leadlift'; readonly version: string; readonly git_sha: string | null };
  readonly config: CleanConfig;
  readonly report: typeof CLEAN_REPORT_FILE;
  readonly entities: Readonly<Record<EntityName, CleanedEntityManifest>>;
}

/**
 * Rule counts as an aligned table (rule, entity, column, count). Zero counts are left out
 * unless `all`; a last line says how many rows and rules ran.
 */
export function formatCleanTable(report: CleanReport, options: { all?: boolean } = {}): string {
  const shown = report.rules.filter((r) => options.all || r.count > 0);
  const rows = shown.map((r) => [r.rule, r.entity, r.column ?? '', r.count.toLocaleString('en-US')]);
  let rowsIn = 0;
  let rowsOut = 0;
  for (const e of Object.values(report.entities)) {
    rowsIn += e.rows_in;
    rowsOut += e.rows_out;
  }
  const ran = new Set(report.rules.map((r) => r.rule)).size;
  const summary = `${rowsIn.toLocaleString('en-US')} rows in, ${rowsOut.toLocaleString('en-US')} rows out; ${ran} of ${CLEAN_RULE_IDS.length} rules ran${
    options.all ? '' : `, ${report.rules.length - shown.length} zero counts not shown (see clean.json)`
  }.`;
  if (rows.length === 0) return `No rule changed anything.\n${summary}`;
  return `${formatTable(['rule', 'entity', 'column', 'count'], rows, [3])}\n${summary}`;
}
