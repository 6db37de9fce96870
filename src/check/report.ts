// The data-quality report: what `leadlift check` writes to quality.json and prints.

import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntityName } from '../schema/entities.js';
import { formatTable } from '../text-table.js';
import type { CheckConfig, CheckId } from './config.js';

/** Format tag of quality.json. */
export const QUALITY_FORMAT = 'leadlift.quality/1';

/** File name of the report inside the snapshot folder. */
export const QUALITY_FILE = 'quality.json';

/** One problem a check found in one entity (and column). */
export interface Finding {
  readonly check: CheckId;
  readonly severity: 'error' | 'warn';
  readonly entity: EntityName;
  /** The column (for orphans: the reference column; for volume: null). */
  readonly column: string | null;
  /** Rows (or days, for check.volumeChange) affected. */
  readonly count: number;
  /** count / rows checked (rows with a value, for value checks); 0–1. */
  readonly share: number;
  /** The share (or ratio) above which the finding is an error; null for checks without one. */
  readonly threshold: number | null;
  /** Up to 5 example keys (entity key values joined by '/'), or dates for volume: never other values. */
  readonly examples: readonly string[];
  /** What failed, in which table, how many rows, and the fix. */
  readonly message: string;
}

/** Row counts of an entity, in total and per UTC day of its time column within the window. */
export interface EntityVolume {
  readonly rows: number;
  /** 'YYYY-MM-DD' → rows, for days in [effective_since, until); empty for entities without a time. */
  readonly by_day: Readonly<Record<string, number>>;
}

/** The content of quality.json. */
export interface QualityReport {
  readonly format: typeof QUALITY_FORMAT;
  readonly snapshot_id: string;
  readonly snapshot_dir: string;
  /** The snapshot volumes were compared with, when there was one. */
  readonly previous_snapshot_id: string | null;
  /** The `now` the checks used (future timestamps are judged against it). */
  readonly checked_at_utc: string;
  /** False when any finding is an error. */
  readonly ok: boolean;
  readonly counts: { readonly error: number; readonly warn: number };
  /** Errors first, then by check, entity and column. */
  readonly findings: readonly Finding[];
  readonly volume: Readonly<Record<EntityName, EntityVolume>>;
  /**
   * Entities whose rows were checked as extract wrote them (in check order); their files
   * were read again only to label example rows. Empty for `leadlift check`.
   */
  readonly checked_as_written: readonly EntityName[];
  /** The configuration the checks ran with. */
  readonly config: CheckConfig;
}

/** Writes `report` as `<dir>/quality.json` (temporary name, then renamed). Returns the path. */
export async function writeQualityReport(dir: string, report: QualityReport): Promise<string> {
  const path = join(dir, QUALITY_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, `${JSON.stringify(report, null, 2)}\n`, { flag: 'w' });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return path;
}

/**
 * The findings as an aligned text table: severity, check, entity (.column), count, share,
 * examples (cut at 72 characters); followed by a summary line.
 */
export function formatQualityTable(report: QualityReport): string {
  const header = ['severity', 'check', 'entity', 'count', 'share', 'examples'];
  const rows = report.findings.map((f) => [
    f.severity,
    f.check,
    f.column ? `${f.entity}.${f.column}` : f.entity,
    f.count.toLocaleString('en-US'),
    formatShare(f.share),
    shorten(f.examples.join(', '), 72),
  ]);
  const summary = `${report.ok ? 'ok' : 'FAILED'}: ${report.counts.error} error(s), ${report.counts.warn} warning(s) in snapshot ${report.snapshot_id}${
    report.previous_snapshot_id ? ` (volumes compared with ${report.previous_snapshot_id})` : ''
  }`;
  if (rows.length === 0) return `No findings.\n${summary}`;
  return `${formatTable(header, rows, [3, 4])}\n${summary}`;
}

/** Cuts `s` to `max` characters with a trailing '…' (quality.json keeps the full examples). */
function shorten(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Formats a share as a percentage with enough digits to tell small shares from zero. */
export function formatShare(share: number): string {
  if (share === 0) return '0%';
  const pct = share * 100;
  if (pct >= 10) return `${pct.toFixed(0)}%`;
  if (pct >= 0.1) return `${pct.toFixed(1)}%`;
  return `${pct.toPrecision(1)}%`;
}
