// A demo database as a SQLite file: built under a temporary name and renamed into place
// only when complete, with its truth file next to it, so a failure leaves nothing
// half-written. Used by `leadlift demo-db` and anything else that needs the demo DB.

import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { TargetAdapter } from '../db/adapter.js';
import { openTarget } from '../db/index.js';
import { LeadliftError } from '../errors.js';
import type { Progress } from '../progress.js';
import { silentProgress } from '../progress.js';
import { type DemoTruth, defaultTruthPath, writeTruthFile } from './truth.js';
import { type WriteDemoOptions, writeDemoDb } from './write.js';

/** The default demo database, relative to the working folder (also the default source URL's file). */
export const DEFAULT_DEMO_DB_PATH = 'tmp/demo/agent-cory.sqlite';

/** Options of {@link writeDemoSqlite}. */
export interface WriteDemoSqliteOptions {
  /** Folder relative paths are resolved from. */
  readonly cwd: string;
  /** Truth file. Default: {@link defaultTruthPath} of the database file. */
  readonly truthPath?: string;
  /** Replace an existing database and truth file. Default false: `demo.outputExists` (exit 2). */
  readonly force?: boolean;
}

/**
 * Writes a demo database into the SQLite file `file` and its truth file; returns the truth
 * and the absolute paths written. Throws `demo.outputExists` when either file exists and
 * `force` is off, `demo.badFlag` for invalid demo options.
 */
export async function writeDemoSqlite(
  file: string,
  demo: WriteDemoOptions,
  options: WriteDemoSqliteOptions,
  progress: Progress = silentProgress,
): Promise<{ truth: DemoTruth; file: string; truthPath: string }> {
  const db = resolve(options.cwd, file);
  const truthPath =
    options.truthPath !== undefined ? resolve(options.cwd, options.truthPath) : defaultTruthPath(db);
  for (const f of [db, truthPath]) {
    if (existsSync(f) && options.force !== true) {
      throw new LeadliftError(
        'demo.outputExists',
        `${f} already exists; pass --force to replace it, or choose another file with --out or --truth.`,
        { details: { file: f } },
      );
    }
  }
  const tmp = `${db}.tmp-${process.pid}`;
  await removeSqlite(tmp);
  let target: TargetAdapter | undefined;
  let truth: DemoTruth;
  try {
    // sqlite: URLs are percent-decoded, so a literal '%' in the path is written %25.
    target = await openTarget(`sqlite:${tmp.replaceAll('%', '%25')}`, { cwd: options.cwd, create: true });
    truth = await writeDemoDb(target, demo, progress);
    await target.close();
    target = undefined;
    await removeSqlite(db);
    await rename(tmp, db);
  } catch (e) {
    await target?.close().catch(() => {});
    await removeSqlite(tmp);
    throw e;
  }
  await writeTruthFile(truthPath, truth);
  return { truth, file: db, truthPath };
}

/** Removes a SQLite file and its side files. */
async function removeSqlite(file: string): Promise<void> {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) await rm(f, { force: true });
}
