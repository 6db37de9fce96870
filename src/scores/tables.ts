// The two tables leadlift writes: lead_scores (one row per scored enrollment and label,
// upserted) and lead_scores_history (append-only, one row per changed score, which is
// what rollback-scores reads). Described once; DDL for the three dialects is generated
// from this (src/db/keyed-table.ts) and committed as schema/lead-scores.<dialect>.sql.

import type { Dialect } from '../db/adapter.js';
import { createOwnedTableSql, type OwnedColumn, type OwnedTable } from '../db/keyed-table.js';
import { LeadliftError } from '../errors.js';

/** Default scores table (SQLite: "dbo_lead_scores"). */
export const DEFAULT_SCORES_TABLE = 'dbo.lead_scores';

/** Key of a score row. */
export const KEY_COLUMNS = ['org_id', 'enrollment_id', 'label_col'] as const;

/** Columns a persist call copies from the run (besides the key). */
export const VALUE_COLUMNS = [
  'score',
  'rank',
  'decile',
  'reasons',
  'split',
  'model_version',
  'run_name',
  'model_path',
  'scaler_path',
  'run_timestamp_utc',
] as const;

/** Value columns whose difference makes a write a change (the others follow from the run). */
export const COMPARE_COLUMNS = [
  'score',
  'rank',
  'decile',
  'reasons',
  'split',
  'model_version',
  'run_name',
] as const;

const col = (name: string, type: OwnedColumn['type'], doc: string, notNull = true): OwnedColumn => ({
  name,
  type,
  doc,
  notNull,
});

const KEY_AND_VALUES: readonly OwnedColumn[] = [
  col('org_id', 'bigint', 'Organization of the enrollment.'),
  col('enrollment_id', 'bigint', 'The scored enrollment (education.campaign_enrollments.id).'),
  col('label_col', 'text', 'The target the score predicts, e.g. booked_call_within_7d.'),
  col('score', 'float', 'Calibrated probability of the target, 0 to 1.'),
  col('rank', 'int', '1 = highest score among the rows of the same split in that run.'),
  col('decile', 'int', '1 = top tenth of the same split in that run, 10 = bottom.'),
  col('reasons', 'longtext', 'Top contributions to the score, as in predictions.csv (may be empty).'),
  col(
    'split',
    'text',
    "The row's split in the run: test or scored (out of sample), train or validation (in sample).",
  ),
  col('model_version', 'text', 'sha256:<first 16 hex> of the model.json that produced the score.'),
  col('run_name', 'text', 'The run folder the score comes from.'),
  col('model_path', 'longtext', 'Absolute path of the model artifact at the time of the write.'),
  col('scaler_path', 'longtext', 'Absolute path of the scaler artifact at the time of the write.'),
  col('run_timestamp_utc', 'timestamp', "The run's created_at_utc (manifest.json)."),
];

/** Parses `schema.table` or `table` (letters, digits, underscores). Throws `scores.badTable`. */
export function parseScoresTable(table: string): { readonly schema: string; readonly name: string } {
  const m = /^(?:([A-Za-z_][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_]*)$/.exec(table.trim());
  if (!m) {
    throw new LeadliftError(
      'scores.badTable',
      `--table "${table}" is not a table name: use schema.table or table, with letters, digits and underscores (default ${DEFAULT_SCORES_TABLE}).`,
    );
  }
  return { schema: m[1] ?? '', name: m[2]! };
}

/** The scores table `table` (default dbo.lead_scores). */
export function scoresTable(table: string = DEFAULT_SCORES_TABLE): OwnedTable {
  const { schema, name } = parseScoresTable(table);
  return {
    schema,
    name,
    doc: 'Current score per (org_id, enrollment_id, label_col): upserted by persist-scores and rollback-scores.',
    columns: [
      ...KEY_AND_VALUES,
      col('created_at_utc', 'timestamp', 'When leadlift first wrote the key (kept on update).'),
      col(
        'updated_at_utc',
        'timestamp',
        "When leadlift last changed the row's values (a repeat changes nothing).",
      ),
    ],
    primaryKey: KEY_COLUMNS,
  };
}

/** The history table of `table`: same schema, name `<name>_history`. */
export function historyTable(table: string = DEFAULT_SCORES_TABLE): OwnedTable {
  const { schema, name } = parseScoresTable(table);
  return {
    schema,
    name: `${name}_history`,
    doc: 'Append-only: one row per key a write inserted or changed, with the values written.',
    columns: [
      col('history_id', 'identity', 'Increases with every appended row: orders the history.'),
      col('write_id', 'text', 'One id per persist or rollback call (all its rows share it).'),
      col('action', 'text', "'upsert' (persist-scores) or 'rollback' (rollback-scores)."),
      ...KEY_AND_VALUES,
      col('previous_run_name', 'text', 'run_name the key had before this write; null for a new key.', false),
      col('forced', 'int', '1 when the run failed its gates and was written with --force.'),
      col('force_reason', 'longtext', 'The --reason given with --force; null otherwise.', false),
      col('written_at_utc', 'timestamp', 'When the write happened (the call time).'),
    ],
    // rollback-scores finds a run's rows by run_name; one index keeps appends cheap.
    indexes: [['run_name', 'action']],
  };
}

/** Every statement that creates both tables if they don't exist, for `dialect`. */
export function scoresDdl(dialect: Dialect, table: string = DEFAULT_SCORES_TABLE): string[] {
  return [
    ...createOwnedTableSql(dialect, scoresTable(table)),
    ...createOwnedTableSql(dialect, historyTable(table)),
  ];
}

/** Repository path of the committed scores DDL of `dialect`. */
export function scoresDdlFilePath(dialect: Dialect): string {
  return `schema/lead-scores.${dialect}.sql`;
}

/** The text of schema/lead-scores.<dialect>.sql. */
export function scoresDdlFileText(dialect: Dialect, table: string = DEFAULT_SCORES_TABLE): string {
  const header = [
    `-- leadlift score tables (${table} and ${table}_history), ${dialect} dialect.`,
    '-- Generated from src/scores/tables.ts by src/db/keyed-table.ts: do not edit by hand. Regenerate with',
    `--   leadlift scores-table --print --dialect ${dialect} > ${scoresDdlFilePath(dialect)}`,
    '-- (or LEADLIFT_UPDATE_GENERATED=1 npx vitest run src/scores/tables.test.ts).',
    '-- Every statement is safe to re-run: existing tables and indexes are left as they are. See docs/scores.md.',
  ].join('\n');
  return `${header}\n\n${scoresDdl(dialect, table)
    .map((s) => `${s};`)
    .join('\n\n')}\n`;
}
