// Test helper: a small demo SQLite source in a temporary folder, with its window as
// extract's --since/--until take it. Excluded from the build (tsconfig.build.json).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoSqlite } from '../demo/sqlite-file.js';

/** A demo database written for a test; `cleanup` removes its folder. */
export interface DemoDb {
  /** The temporary folder (also the working folder the demo was written from). */
  readonly work: string;
  readonly dbFile: string;
  /** The demo's history as dates (YYYY-MM-DD): since inclusive, until exclusive. */
  readonly window: { readonly since: string; readonly until: string };
  cleanup(): Promise<void>;
}

/** Writes a demo SQLite database of `enrollments` enrollments from `seed` into a new temporary folder. */
export async function demoDb(prefix: string, enrollments: number, seed: number): Promise<DemoDb> {
  const work = await mkdtemp(join(tmpdir(), prefix));
  const dbFile = join(work, 'agent-cory.sqlite');
  const { truth } = await writeDemoSqlite(dbFile, { enrollments, seed }, { cwd: work });
  return {
    work,
    dbFile,
    window: { since: truth.window.start.slice(0, 10), until: truth.window.as_of.slice(0, 10) },
    cleanup: () => rm(work, { recursive: true, force: true }),
  };
}
