// Test helpers: a valid snapshot folder from a few hand-made rows, and temporary folders.
// Excluded from the build (tsconfig.build.json); shared by the stage tests.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENTITIES, type EntityName, snapshotColumns } from '../schema/entities.js';
import {
  type EntityManifest,
  entityFile,
  openSnapshot,
  SNAPSHOT_FORMAT,
  type Snapshot,
  type SnapshotManifest,
} from '../snapshot/manifest.js';
import { type CellValue, RowWriter } from '../snapshot/rows.js';
import { snapshotColumnSpecs } from '../snapshot/values.js';

/** Rows per entity, as objects keyed by snapshot column name; missing columns are null. */
export type TestRows = Partial<Record<EntityName, readonly Record<string, unknown>[]>>;

/** Manifest fields a test may override (shallow; `window` replaces the whole window). */
export type ManifestOverrides = Partial<Omit<SnapshotManifest, 'entities' | 'format'>>;

/** The window every test snapshot has unless overridden: [2026-01-01, 2026-03-01) with a 30-day look-back. */
export const TEST_WINDOW = {
  since: '2026-01-01T00:00:00.000Z',
  until: '2026-03-01T00:00:00.000Z',
  lookback_days: 30,
  effective_since: '2025-12-02T00:00:00.000Z',
} as const;

/**
 * Writes a valid snapshot folder at `dir` (created if needed): all 8 entity files with
 * the columns of `snapshotColumns`, in that order, and manifest.json with correct rows,
 * bytes and sha256. A row key that is not a snapshot column throws (catches typos).
 * Returns the opened snapshot.
 */
export async function writeTestSnapshot(
  dir: string,
  rows: TestRows,
  manifestOverrides: ManifestOverrides = {},
): Promise<Snapshot> {
  await mkdir(dir, { recursive: true });
  const entities = {} as Record<EntityName, EntityManifest>;
  for (const def of ENTITIES) {
    const columns = snapshotColumns(def);
    const known = new Set(columns);
    const file = entityFile(def.name);
    const writer = new RowWriter(join(dir, file), columns);
    for (const r of rows[def.name] ?? []) {
      for (const k of Object.keys(r)) {
        if (!known.has(k)) {
          await writer.abort();
          throw new Error(
            `writeTestSnapshot: ${def.name} has no snapshot column "${k}" (columns: ${columns.join(', ')})`,
          );
        }
      }
      writer.write(columns.map((c) => (r[c] === undefined ? null : (r[c] as CellValue))));
    }
    const info = await writer.close();
    entities[def.name] = {
      file,
      rows: info.rows,
      bytes: info.bytes,
      sha256: info.sha256,
      columns: snapshotColumnSpecs(def).map((c) => ({ name: c.name, type: c.type })),
      query_sha256: '0'.repeat(64),
      query_file: `${def.name}.sql`,
      ignored_columns: [],
    };
  }
  const manifest: SnapshotManifest = {
    format: SNAPSHOT_FORMAT,
    snapshot_id: 'test-snapshot',
    created_at_utc: '2026-03-01T06:00:00.000Z',
    tool: { name: 'leadlift', version: '0.0.0-test', git_sha: null },
    source: { dialect: 'sqlite', database: 'test.sqlite' },
    query_pack: 'test',
    window: TEST_WINDOW,
    pii: { hash: 'hmac-sha256', key_fingerprint: 'test', demo_key: true },
    timings_ms: {},
    ...manifestOverrides,
    entities,
  };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return openSnapshot(dir);
}

/** A new empty temporary folder; `cleanup` removes it. */
export async function tempDir(
  prefix = 'leadlift-test-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
