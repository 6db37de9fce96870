// A small trained run for predict and daily tests: the quickstart pipeline on a demo DB
// (built in a temporary folder), giving a source DB, a cleaned snapshot and a run folder.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../config/schema.js';
import { runQuickstart } from '../pipeline/quickstart.js';
import { sha256 } from '../train/run-folder.js';

export interface TrainedRunFixture {
  /** Working folder: tmp/demo, tmp/snapshots, tmp/cleaned, tmp/runs under it. */
  readonly cwd: string;
  readonly runDir: string;
  readonly cleanedDir: string;
  /** The demo window [since, until) as ISO-8601. */
  readonly since: string;
  readonly until: string;
}

/** Builds a demo DB of `enrollments` (seed 7) and trains the booking model on it. */
export async function trainedRunFixture(enrollments = 600): Promise<TrainedRunFixture> {
  const cwd = await mkdtemp(join(tmpdir(), 'leadlift-predict-'));
  const config = configSchema.parse({});
  const r = await runQuickstart({ config, cwd, env: {}, enrollments, seed: 7 });
  if (!r.train || !r.clean) throw new Error('fixture: the demo snapshot failed its quality checks');
  return {
    cwd,
    runDir: r.train.runs[0]!.run.dir,
    cleanedDir: r.clean.dir,
    since: r.demo.truth.window.start,
    until: r.demo.truth.window.as_of,
  };
}

/**
 * Rewrites a JSON file of a run folder through `edit` and records its new sha256 in the
 * run's manifest.json, as if the run had been written that way.
 */
export async function editRunJson(
  runDir: string,
  file: string,
  edit: (v: Record<string, unknown>) => void,
): Promise<void> {
  const path = join(runDir, file);
  const value = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  edit(value);
  const text = `${JSON.stringify(value, null, 2)}\n`;
  await writeFile(path, text);
  const mPath = join(runDir, 'manifest.json');
  const manifest = JSON.parse(await readFile(mPath, 'utf8')) as { files: Record<string, string> };
  manifest.files[file] = sha256(text);
  await writeFile(mPath, `${JSON.stringify(manifest, null, 2)}\n`);
}
