// training_examples.csv: one row per enrollment with keys, decision time, features and
// labels, RFC 4180 (CRLF line ends, fields quoted when they hold a comma, quote or line
// break). Written under a temporary name and renamed, so a reader never sees half a file.

import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { TrainingSet } from './types.js';

/** Quotes a field when RFC 4180 requires it. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The CSV header: org_id, enrollment_id, decision_ts_utc, the features, then one label column per target. */
export function trainingExamplesHeader(set: TrainingSet): string[] {
  return ['org_id', 'enrollment_id', 'decision_ts_utc', ...set.features.names, ...set.targets];
}

/**
 * Writes `set` as training_examples.csv at `path`. Categorical features are written as
 * their category text, missing values as empty fields, numbers in JavaScript's shortest
 * round-trip form. A label is written as 0/1 when the row is eligible for that target and
 * left empty otherwise (window not elapsed, or outcome reached before the cutoff).
 * `only` keeps the rows it returns true for (e.g. the rows eligible for one target).
 */
export async function writeTrainingExamplesCsv(
  path: string,
  set: TrainingSet,
  options: { readonly only?: (row: number) => boolean } = {},
): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const out = createWriteStream(tmp, { flags: 'w', highWaterMark: 1 << 20 });
  let failed: Error | undefined;
  out.on('error', (e) => {
    failed = e;
  });
  const write = async (s: string) => {
    if (failed) throw failed;
    if (!out.write(s)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  try {
    await write(`${trainingExamplesHeader(set).map(csvField).join(',')}\r\n`);
    const cats = set.featureDefs.map((d) => d.categories);
    const cols = set.features.columns;
    const labels = set.targets.map((t) => set.labels[t]!);
    let chunk: string[] = [];
    for (let r = 0; r < set.nRows; r++) {
      if (options.only && !options.only(r)) continue;
      const fields: string[] = [
        csvField(set.keys.orgId[r]!),
        csvField(set.keys.enrollmentId[r]!),
        new Date(set.decisionTs[r]!).toISOString(),
      ];
      for (let j = 0; j < cols.length; j++) {
        const v = cols[j]![r]!;
        const c = cats[j];
        fields.push(Number.isNaN(v) ? '' : c ? csvField(c[v]!) : String(v));
      }
      for (const l of labels) fields.push(l.eligible[r] ? String(l.y[r]) : '');
      chunk.push(`${fields.join(',')}\r\n`);
      if (chunk.length >= 2000) {
        await write(chunk.join(''));
        chunk = [];
      }
    }
    if (chunk.length > 0) await write(chunk.join(''));
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (failed) throw failed;
    await rename(tmp, path);
  } catch (e) {
    out.destroy();
    await rm(tmp, { force: true });
    throw e;
  }
}
