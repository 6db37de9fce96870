// Wires extract to its neighbours: opens the read-only source, loads the query pack,
// picks the PII key, extracts the snapshot and runs the quality checks on it.

import { isAbsolute, join, resolve } from 'node:path';
import { AuditLog } from '../audit/index.js';
import {
  type CheckShardResult,
  findPreviousSnapshot,
  type QualityReport,
  rowCheckSetup,
  runChecks,
  writeQualityReport,
} from '../check/index.js';
import { createRowSink, ROW_SINK_MODULE } from '../check/row-sink.js';
import type { Config } from '../config/schema.js';
import type { SourceAdapter } from '../db/adapter.js';
import { hasDemoMarker } from '../db/demo-marker.js';
import { loadQueryPack, openSource, shippedPackDir } from '../db/index.js';
import { LeadliftError } from '../errors.js';
import { extractSnapshot } from '../extract/extract.js';
import { DEMO_PII_KEY, PiiHasher } from '../extract/pii.js';
import type { Window } from '../extract/window.js';
import { type Progress, silentProgress } from '../progress.js';
import { ENTITIES, type EntityName, snapshotColumns } from '../schema/entities.js';
import { openSnapshot, type SnapshotManifest } from '../snapshot/manifest.js';

export interface RunExtractInput {
  readonly config: Config;
  readonly window: Window;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Exact snapshot folder; default `<snapshotsDir>/<timestamp>`. */
  readonly outDir?: string | undefined;
  /** Single query files replacing the pack's, by entity (e.g. --outcomes-query-file). */
  readonly queryOverrides?: Partial<Record<EntityName, string>>;
  readonly progress?: Progress;
  readonly now?: () => Date;
  /** The command named in the audit log. Default `extract`. */
  readonly command?: string;
}

export interface RunExtractResult {
  readonly dir: string;
  readonly manifest: SnapshotManifest;
  readonly quality: QualityReport;
}

/** Extracts a snapshot and checks it. The caller decides what a failed check means (exit 3). */
export async function runExtract(input: RunExtractInput): Promise<RunExtractResult> {
  const { config, cwd } = input;
  const now = input.now ?? (() => new Date());
  const progress = input.progress ?? silentProgress;
  const audit = new AuditLog({ path: config.auditLog, cwd, env: input.env, now });
  const source = await openSource(config.sourceUrl, { cwd });
  try {
    return await audit.record(
      { command: input.command ?? 'extract', action: 'extract', source: source.fingerprint },
      () => extractAndCheck(input, source, now, progress),
      (r) => ({
        rowsRead: Object.values(r.manifest.entities).reduce((n, e) => n + e.rows, 0),
        queryHashes: Object.values(r.manifest.entities).map((e) => e.query_sha256),
        details: { snapshot: r.manifest.snapshot_id, quality_ok: r.quality.ok },
      }),
    );
  } finally {
    await source.close();
  }
}

async function extractAndCheck(
  input: RunExtractInput,
  source: SourceAdapter,
  now: () => Date,
  progress: Progress,
): Promise<RunExtractResult> {
  const { config, cwd } = input;
  {
    const packDir = config.queryDir ? resolve(cwd, config.queryDir) : shippedPackDir(source.hooks.dialect);
    const pack = loadQueryPack(packDir, input.queryOverrides ?? {}, { cwd, dialect: source.hooks.dialect });
    const demo = await hasDemoMarker(source.hooks, async (sql) => {
      const rows = [];
      for await (const row of source.stream(sql, {})) rows.push(row);
      return rows;
    });
    const key = input.env[config.piiKeyEnv];
    if ((key === undefined || key === '') && !demo) {
      throw new LeadliftError(
        'pii.keyMissing',
        `Set ${config.piiKeyEnv} to a secret of at least 16 characters before extracting (e.g. export ${config.piiKeyEnv}=$(openssl rand -hex 32)). ` +
          'PII is replaced by keyed hashes at extraction; keep the key stable so hashes stay comparable across snapshots.',
      );
    }
    const piiKey = key === undefined || key === '' ? DEMO_PII_KEY : key;
    const hasher = new PiiHasher(piiKey);
    const snapshotsDir = resolve(cwd, config.snapshotsDir);
    const outDir = input.outDir
      ? isAbsolute(input.outDir)
        ? input.outDir
        : resolve(cwd, input.outDir)
      : join(snapshotsDir, snapshotId(now()));
    // Every row is checked as it is written (no second read of the files); the checks'
    // clock is read once, before extracting, and is the report's checked_at_utc.
    const checkedAt = now();
    const checkWindow = {
      since: input.window.since,
      until: input.window.until,
      effective_since: input.window.effectiveSince,
    };
    const setups = Object.fromEntries(
      ENTITIES.map((d) => [
        d.name,
        rowCheckSetup(d.name, snapshotColumns(d), config.check, checkWindow, checkedAt),
      ]),
    );
    const extracted = await extractSnapshot({
      source,
      queries: pack.files,
      queryPackName: pack.name,
      window: input.window,
      hasher,
      demoKey: key === undefined || key === '',
      outDir,
      progress,
      now,
      reopen: { sourceUrl: config.sourceUrl, cwd, piiKey },
      sinks: { setups, create: createRowSink, module: ROW_SINK_MODULE },
    });
    const snapshot = await openSnapshot(extracted.dir);
    const previous = await findPreviousSnapshot(snapshotsDir, snapshot);
    const quality = await runChecks(snapshot, config.check, {
      ...(previous ? { previous } : {}),
      now: checkedAt,
      progress,
      checked: extracted.sunk as Partial<Record<EntityName, CheckShardResult>>,
    });
    await writeQualityReport(extracted.dir, quality);
    return { dir: extracted.dir, manifest: extracted.manifest, quality };
  }
}

/** A folder name for a snapshot taken at `t`: sortable, unique to the millisecond. */
export function snapshotId(t: Date): string {
  return t.toISOString().replace(/[-:]/g, '').replace('.', '-');
}
