// The window a snapshot was extracted for, as epoch milliseconds: what check and clean
// judge event times against.

import { LeadliftError } from '../errors.js';
import type { Snapshot } from './manifest.js';
import { TimestampParser } from './values.js';

/** The window of a snapshot in epoch ms: [effectiveSince, until). Throws on a malformed manifest. */
export function snapshotWindow(snapshot: Snapshot): { since: number; effectiveSince: number; until: number } {
  const w = windowMs(snapshot.manifest.window);
  if (Number.isNaN(w.since) || Number.isNaN(w.until) || Number.isNaN(w.effectiveSince)) {
    throw new LeadliftError(
      'snapshot.badManifest',
      `Snapshot ${snapshot.dir}: manifest.json has no valid window (since, until, effective_since as ISO-8601 UTC). Re-run extract.`,
      { details: { dir: snapshot.dir } },
    );
  }
  return w;
}

/** A window as a manifest records it: ISO-8601 UTC texts. */
export interface SnapshotWindowText {
  readonly since: string;
  readonly until: string;
  readonly effective_since?: string;
}

/** A window's bounds in epoch ms (NaN where a text is not a timestamp); effective_since defaults to since. */
export function windowMs(w: SnapshotWindowText | undefined): {
  since: number;
  effectiveSince: number;
  until: number;
} {
  const p = new TimestampParser('UTC');
  const since = p.parse(String(w?.since));
  const until = p.parse(String(w?.until));
  const effectiveSince = p.parse(String(w?.effective_since ?? w?.since));
  return { since, effectiveSince, until };
}
