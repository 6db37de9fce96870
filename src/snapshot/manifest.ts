// The snapshot folder: one row file per canonical entity plus manifest.json. A snapshot
// is immutable once renamed into place; later stages open it through `openSnapshot`,
// which checks that the manifest and the files agree.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceFingerprint } from '../db/adapter.js';
import { LeadliftError } from '../errors.js';
import { ENTITY_NAMES, type EntityName, type ValueType } from '../schema/entities.js';
import { ROWS_EXT } from './rows.js';

export const SNAPSHOT_FORMAT = 'leadlift.snapshot/1';

export interface EntityManifest {
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
  readonly columns: readonly { readonly name: string; readonly type: ValueType }[];
  /** sha256 of the query text that produced the file. */
  readonly query_sha256: string;
  /** Query file the rows came from, relative to the query pack. */
  readonly query_file: string;
  /** Columns the query returned that are not canonical: not written (names only). */
  readonly ignored_columns: readonly string[];
  /** Values of the wrong type (e.g. text in a number column) written as null. */
  readonly values_set_to_null?: number;
  /** Free-text values written as null because their contact was not extracted, so it could not be masked. */
  readonly texts_withheld?: number;
}

export interface SnapshotManifest {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly snapshot_id: string;
  readonly created_at_utc: string;
  readonly tool: { readonly name: 'leadlift'; readonly version: string; readonly git_sha: string | null };
  readonly source: SourceFingerprint;
  readonly query_pack: string;
  /** The requested window [since, until) and the effective start including the look-back. */
  readonly window: {
    readonly since: string;
    readonly until: string;
    readonly lookback_days: number;
    readonly effective_since: string;
  };
  /** How PII was handled: which key (by fingerprint, never the key) hashed it. */
  readonly pii: {
    readonly hash: 'hmac-sha256';
    readonly key_fingerprint: string;
    readonly demo_key: boolean;
  };
  readonly entities: Readonly<Record<EntityName, EntityManifest>>;
  readonly timings_ms: Readonly<Record<string, number>>;
}

/** An opened snapshot. */
export interface Snapshot {
  readonly dir: string;
  readonly manifest: SnapshotManifest;
  /** Absolute path of an entity's row file. */
  path(entity: EntityName): string;
}

/** Row file name of an entity inside a snapshot or cleaned folder. */
export function entityFile(entity: EntityName): string {
  return `${entity}${ROWS_EXT}`;
}

/**
 * Opens a snapshot folder and checks that its manifest names every entity and that each
 * file exists. With `verify`, recomputes every file's sha256 against the manifest.
 */
export async function openSnapshot(dir: string, options: { verify?: boolean } = {}): Promise<Snapshot> {
  const manifestPath = join(dir, 'manifest.json');
  let manifest: SnapshotManifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as SnapshotManifest;
  } catch {
    throw new LeadliftError(
      'snapshot.notFound',
      `No snapshot at ${dir}: ${manifestPath} is missing or unreadable. Pass a folder written by \`leadlift extract\`.`,
      { details: { dir } },
    );
  }
  if (manifest.format !== SNAPSHOT_FORMAT) {
    throw new LeadliftError(
      'snapshot.format',
      `Snapshot ${dir} has format ${String(manifest.format)}; this leadlift reads ${SNAPSHOT_FORMAT}. Re-run extract.`,
    );
  }
  const missing: string[] = [];
  for (const e of ENTITY_NAMES) {
    const m = manifest.entities[e];
    if (!m) {
      missing.push(`${e} (not in manifest)`);
      continue;
    }
    try {
      await access(join(dir, m.file));
    } catch {
      missing.push(m.file);
    }
  }
  if (missing.length > 0) {
    throw new LeadliftError(
      'snapshot.incomplete',
      `Snapshot ${dir} is incomplete: missing ${missing.join(', ')}. Re-run extract for this window.`,
      { details: { dir, missing } },
    );
  }
  if (options.verify) {
    const bad: string[] = [];
    for (const e of ENTITY_NAMES) {
      const m = manifest.entities[e];
      if ((await sha256File(join(dir, m.file))) !== m.sha256) bad.push(m.file);
    }
    if (bad.length > 0) {
      throw new LeadliftError(
        'snapshot.tampered',
        `Snapshot ${dir}: ${bad.join(', ')} no longer match the sha256 in manifest.json. Snapshots are immutable; re-run extract.`,
        { details: { dir, files: bad } },
      );
    }
  }
  return { dir, manifest, path: (entity) => join(dir, manifest.entities[entity].file) };
}

/** sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}
