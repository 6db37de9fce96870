// The window a snapshot was extracted for, as epoch milliseconds: what check and clean
// judge event times against.

import { LeadliftError } from '../errors.js';
import type { Snapshot } from './manifest.js';
import { TimestampParser } from './values.js';

/** The window of a snapshot in epoch ms: [effectiveSince, until). Throws on a malformed manifest. */
export function snapshotWindow(snapshot: Snapshot): { since: number; effectiveSince: number; until: number } {
  const p = new TimestampParser('UTC');
  const w = snapshot.manifest.window;
  const since = p.parse(String(w?.since));
  const until = p.parse(String(w?.until));
  const effectiveSince = p.parse(String(w?.effective_since ?? w?.since));
  if (Number.isNaN(since) || Number.isNaN(until) || Number.isNaN(effectiveSince)) {
    throw new LeadliftError(
      'snapshot.badManifest',
      `Snapshot ${snapshot.dir}: manifest.json has no valid window (since, until, effective_since as ISO-8601 UTC). Re-run extract.`,
      { details: { dir: snapshot.dir } },
    );
  }
  return { since, effectiveSince, until };
}
