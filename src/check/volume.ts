// Row volumes of a snapshot per entity and UTC day, for the comparison with the previous
// snapshot of the same source, and the search for that previous snapshot.

import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Progress } from '../progress.js';
import { silentProgress } from '../progress.js';
import { ENTITIES, type EntityName } from '../schema/entities.js';
import { openSnapshot, type Snapshot, type SnapshotManifest } from '../snapshot/manifest.js';
import { openRows } from '../snapshot/rows.js';
import { parseTimestamp, TimestampParser } from '../snapshot/values.js';
import { snapshotWindow } from '../snapshot/window.js';
import { type EntityVolume, QUALITY_FILE, QUALITY_FORMAT, type QualityReport } from './report.js';

export { snapshotWindow };

export const MS_PER_DAY = 86_400_000;

/** Day number (days since 1970-01-01 UTC) → 'YYYY-MM-DD'. */
export function dayLabel(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Counts rows per UTC day of the window; collects them in a {@link EntityVolume}. */
export class VolumeCounter {
  private readonly first: number;
  private readonly dayCounts: Float64Array;
  rows = 0;

  constructor(effectiveSince: number, until: number) {
    this.first = Math.floor(effectiveSince / MS_PER_DAY);
    const last = Math.ceil(until / MS_PER_DAY);
    this.dayCounts = new Float64Array(Math.max(0, last - this.first));
  }

  /** Counts one row whose time is `ms` (NaN: counted in rows only). */
  add(ms: number): void {
    this.rows++;
    if (Number.isNaN(ms)) return;
    const d = Math.floor(ms / MS_PER_DAY) - this.first;
    if (d >= 0 && d < this.dayCounts.length) this.dayCounts[d]!++;
  }

  /** The per-day counts (a copy), e.g. to send from a worker. */
  counts(): Float64Array {
    return this.dayCounts.slice();
  }

  /** Adds the counts of another counter over the same window (a shard's). */
  merge(counts: Float64Array, rows: number): void {
    this.rows += rows;
    for (let d = 0; d < this.dayCounts.length; d++) this.dayCounts[d]! += counts[d] ?? 0;
  }

  /** The volume; `byDay` false for entities without a time (only the total). */
  result(byDay: boolean): EntityVolume {
    const by_day: Record<string, number> = {};
    if (byDay)
      for (let d = 0; d < this.dayCounts.length; d++) by_day[dayLabel(this.first + d)] = this.dayCounts[d]!;
    return { rows: this.rows, by_day };
  }
}

/**
 * Volumes of a snapshot: read from its quality.json when a check already ran on it,
 * otherwise counted by streaming the time column of each entity.
 */
export async function snapshotVolume(
  snapshot: Snapshot,
  progress: Progress = silentProgress,
): Promise<Record<EntityName, EntityVolume>> {
  try {
    const q = JSON.parse(await readFile(join(snapshot.dir, QUALITY_FILE), 'utf8')) as Partial<QualityReport>;
    if (q.format === QUALITY_FORMAT && q.snapshot_id === snapshot.manifest.snapshot_id && q.volume) {
      return q.volume as Record<EntityName, EntityVolume>;
    }
  } catch {
    // No usable quality.json: count below.
  }
  const { effectiveSince, until } = snapshotWindow(snapshot);
  const parser = new TimestampParser('UTC');
  const out = {} as Record<EntityName, EntityVolume>;
  for (const def of ENTITIES) {
    const counter = new VolumeCounter(effectiveSince, until);
    if (!def.timeColumn) {
      out[def.name] = { rows: snapshot.manifest.entities[def.name].rows, by_day: {} };
      continue;
    }
    const task = progress.task(
      `volume ${snapshot.manifest.snapshot_id} ${def.name}`,
      snapshot.manifest.entities[def.name].rows,
    );
    const reader = await openRows(snapshot.path(def.name));
    const at = reader.indexOf(def.timeColumn);
    for await (const batch of reader.batches()) {
      for (const row of batch) {
        const v = at >= 0 ? row[at] : null;
        counter.add(typeof v === 'string' ? parser.parse(v) : Number.NaN);
      }
      task.tick(batch.length);
    }
    task.done(`${counter.rows.toLocaleString('en-US')} rows`);
    out[def.name] = counter.result(true);
  }
  return out;
}

/** True when two manifests come from the same source (dialect, database, host). */
export function sameSource(a: SnapshotManifest, b: SnapshotManifest): boolean {
  return (
    a.source?.dialect === b.source?.dialect &&
    a.source?.database === b.source?.database &&
    (a.source?.host ?? null) === (b.source?.host ?? null)
  );
}

/**
 * The latest snapshot in `snapshotsDir` taken before `current` (by manifest
 * created_at_utc) from the same source fingerprint, or undefined. Folders that are not
 * readable snapshots are skipped.
 */
export async function findPreviousSnapshot(
  snapshotsDir: string,
  current: Snapshot,
): Promise<Snapshot | undefined> {
  let names: string[];
  try {
    names = (await readdir(snapshotsDir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return undefined;
  }
  const currentDir = resolve(current.dir);
  const currentAt = parseTimestamp(String(current.manifest.created_at_utc));
  let best: Snapshot | undefined;
  let bestAt = Number.NEGATIVE_INFINITY;
  for (const name of names.sort()) {
    const dir = join(snapshotsDir, name);
    if (resolve(dir) === currentDir) continue;
    let s: Snapshot;
    try {
      s = await openSnapshot(dir);
    } catch {
      continue;
    }
    const m = s.manifest;
    if (m.snapshot_id === current.manifest.snapshot_id || !sameSource(m, current.manifest)) continue;
    const at = parseTimestamp(String(m.created_at_utc));
    if (!(at < currentAt)) continue;
    if (!best || at > bestAt) {
      best = s;
      bestAt = at;
    }
  }
  return best;
}
