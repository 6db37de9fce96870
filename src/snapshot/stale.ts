// Temporary folders left behind by a run that was killed (kill -9, power loss) before it
// could remove them. Each temporary name carries the process id of its writer; the next
// run in the same parent folder removes those whose process is gone.

import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pidAlive } from '../process.js';

/**
 * Removes the entries of `dir` whose name matches `pattern` (first capture group: the
 * writer's process id) when that process no longer runs (`alive`, default {@link pidAlive}). Returns the names removed, in
 * sorted order; a missing `dir` has none.
 */
export async function removeStaleTemps(
  dir: string,
  pattern: RegExp,
  alive: (pid: number) => boolean = pidAlive,
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names.sort()) {
    const m = pattern.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    await rm(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Temporary snapshot folders of extract: `.<name>.partial-<pid>`. */
export const EXTRACT_TEMP = /^\..+\.partial-(\d+)$/;
/** Temporary cleaned folders of clean: `.<name>.tmp-<pid>-<ms>`. */
export const CLEAN_TEMP = /^\..+\.tmp-(\d+)-\d+$/;
