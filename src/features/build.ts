// buildTrainingSet: cleaned tables → point-in-time features and labels. One streaming
// pass per entity (load.ts), then rows in decision order, each row's available events
// in time order, and one function per feature family.

import type { CleanTables } from '../clean/tables.js';
import { closest, LeadliftError } from '../errors.js';
import { type Progress, silentProgress } from '../progress.js';
import { campaignFeatures } from './campaign.js';
import { contactFeatures } from './contact.js';
import { contentFeatures } from './content.js';
import type { FamilyColumns, FeatureContext } from './context.js';
import { engagementFeatures } from './engagement.js';
import { interactionFeatures } from './interaction.js';
import { labelTarget } from './labels.js';
import { type Loaded, loadTables } from './load.js';
import { timingFeatures } from './timing.js';
import { type FeatureOptions, TARGETS, type Target, type TargetLabels, type TrainingSet } from './types.js';

/** Default hours of data after the decision time that may feed features. */
export const DEFAULT_FEATURE_WINDOW_HOURS = 24;

interface Resolved {
  readonly hours: number;
  readonly targets: readonly Target[];
  readonly asOf: number;
}

/** Checks the options, reporting every problem at once (`features.badOption`). */
export function resolveFeatureOptions(tables: CleanTables, options: FeatureOptions): Resolved {
  const problems: string[] = [];
  const hours = options.featureWindowHours ?? DEFAULT_FEATURE_WINDOW_HOURS;
  if (!Number.isFinite(hours) || hours <= 0) {
    problems.push(
      `featureWindowHours is ${hours}; use a positive number of hours (default ${DEFAULT_FEATURE_WINDOW_HOURS})`,
    );
  }
  const targets = options.targets ?? TARGETS;
  for (const t of targets) {
    if (!(TARGETS as readonly string[]).includes(t)) {
      const hint = closest(t, TARGETS);
      problems.push(
        `unknown target "${t}"${hint ? ` (did you mean "${hint}"?)` : ''}; allowed: ${TARGETS.join(', ')}`,
      );
    }
  }
  if (targets.length === 0) problems.push(`no target; choose from ${TARGETS.join(', ')}`);
  if (new Set(targets).size !== targets.length) problems.push(`targets repeat: ${targets.join(', ')}`);
  const raw = options.asOf ?? tables.manifest.source_snapshot.window.until;
  const asOf = typeof raw === 'number' ? raw : Date.parse(raw);
  if (!Number.isFinite(asOf))
    problems.push(`asOf "${String(raw)}" is not a time; use ISO-8601 (2026-03-01T00:00:00Z) or ms`);
  const threads = options.readThreads;
  if (threads !== undefined && threads !== 1 && threads !== 2) {
    problems.push(
      `readThreads is ${threads}; use 1 (all on this thread) or 2 (the activities in a worker thread)`,
    );
  }
  if (problems.length > 0) {
    throw new LeadliftError('features.badOption', `Invalid feature options: ${problems.join('; ')}.`, {
      details: { problems },
    });
  }
  return { hours, targets: TARGETS.filter((t) => targets.includes(t)), asOf };
}

/**
 * Builds the training set of a cleaned folder: one row per enrollment with an outbound
 * touch, in decision order; features from data strictly before each row's cutoff
 * (decision + featureWindowHours, default 24); labels and eligibility per target
 * (default all three); `asOf` defaults to the source snapshot's window `until`.
 */
export async function buildTrainingSet(
  tables: CleanTables,
  options: FeatureOptions = {},
  progress: Progress = silentProgress,
): Promise<TrainingSet> {
  const opts = resolveFeatureOptions(tables, options);
  const data = await loadTables(
    tables,
    progress,
    options.readThreads === undefined ? {} : { threads: options.readThreads },
  );
  const task = progress.task('features: compute', 3);
  const { rowEnr, rowOf } = orderRows(data);
  const nRows = rowEnr.length;
  const decision = new Float64Array(nRows);
  const cutoff = new Float64Array(nRows);
  const windowMs = opts.hours * 3_600_000;
  for (let r = 0; r < nRows; r++) {
    decision[r] = data.decision[rowEnr[r]!]!;
    cutoff[r] = decision[r]! + windowMs;
  }
  const { start, events } = availableEvents(data, rowOf, cutoff);
  task.tick();

  const withoutTouch = data.nEnr - nRows;
  const labels: Partial<Record<Target, TargetLabels>> = {};
  for (const t of opts.targets)
    labels[t] = labelTarget(data, t, rowOf, decision, cutoff, opts.asOf, withoutTouch);
  // Every target's outcomes feed the campaign rates, whichever targets are trained.
  const outcomeOf = (t: Target) =>
    (labels[t] ?? labelTarget(data, t, rowOf, decision, cutoff, opts.asOf, withoutTouch)).y;
  const outcomes = Object.fromEntries(TARGETS.map((t) => [t, outcomeOf(t)])) as Record<Target, Uint8Array>;
  task.tick();

  const ctx: FeatureContext = {
    data,
    nRows,
    rowEnr,
    decision,
    cutoff,
    start,
    events,
    booked7d: outcomes.booked_call_within_7d,
    outcomes,
    asOf: opts.asOf,
  };
  const families: FamilyColumns[] = [interactionFeatures(ctx), timingFeatures(ctx), contentFeatures(ctx)];
  const byName = new Map<string, Float64Array>();
  for (const fam of families) {
    for (let j = 0; j < fam.defs.length; j++) byName.set(fam.defs[j]!.name, fam.columns[j]!);
  }
  families.push(engagementFeatures(ctx, byName), campaignFeatures(ctx), contactFeatures(ctx));
  const featureDefs = families.flatMap((f) => f.defs);
  const columns = families.flatMap((f) => f.columns);
  const categories: Record<string, readonly string[]> = {};
  for (const d of featureDefs) if (d.categories) categories[d.name] = d.categories;
  task.tick();
  task.done(`${nRows.toLocaleString('en-US')} rows, ${featureDefs.length} features`);

  const pickStr = (a: readonly string[]) => Array.from(rowEnr, (e) => a[e]!);
  return {
    nRows,
    keys: {
      orgId: pickStr(data.orgId),
      enrollmentId: pickStr(data.enrollmentId),
      contactId: pickStr(data.contactId),
      campaignId: pickStr(data.campaignId),
    },
    decisionTs: decision,
    cutoffTs: cutoff,
    features: { nRows, names: featureDefs.map((d) => d.name), columns },
    featureDefs,
    categories,
    labels,
    targets: opts.targets,
    asOf: opts.asOf,
    featureWindowHours: opts.hours,
    enrollmentsRead: data.nEnr,
    enrollmentsWithoutTouch: withoutTouch,
    unlinked: { ...data.unlinked },
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// Rows: enrollments with a decision time, by (decision, org_id, enrollment_id).
function orderRows(data: Loaded): { rowEnr: Int32Array; rowOf: Int32Array } {
  const list: number[] = [];
  for (let e = 0; e < data.nEnr; e++) if (!Number.isNaN(data.decision[e]!)) list.push(e);
  list.sort(
    (a, b) =>
      data.decision[a]! - data.decision[b]! ||
      cmp(data.orgId[a]!, data.orgId[b]!) ||
      cmp(data.enrollmentId[a]!, data.enrollmentId[b]!),
  );
  const rowEnr = Int32Array.from(list);
  const rowOf = new Int32Array(data.nEnr).fill(-1);
  for (let r = 0; r < rowEnr.length; r++) rowOf[rowEnr[r]!] = r;
  return { rowEnr, rowOf };
}

/**
 * Each row's events known at its cutoff — event time before the cutoff and, when the row
 * says when it was written, written before the cutoff too — sorted by (time, kind, read
 * order). A late-arriving row would not have been there when the lead was scored.
 */
function availableEvents(
  data: Loaded,
  rowOf: Int32Array,
  cutoff: Float64Array,
): { start: Int32Array; events: Int32Array } {
  const ev = data.events;
  const nRows = cutoff.length;
  const start = new Int32Array(nRows + 1);
  const ok = (i: number, r: number) => {
    const c = cutoff[r]!;
    return ev.t[i]! < c && !(ev.known[i]! >= c);
  };
  for (let i = 0; i < ev.n; i++) {
    const r = rowOf[ev.enr[i]!]!;
    if (r >= 0 && ok(i, r)) start[r + 1]!++;
  }
  for (let r = 0; r < nRows; r++) start[r + 1]! += start[r]!;
  const events = new Int32Array(start[nRows]!);
  const fill = start.slice(0, nRows);
  for (let i = 0; i < ev.n; i++) {
    const r = rowOf[ev.enr[i]!]!;
    if (r >= 0 && ok(i, r)) events[fill[r]!++] = i;
  }
  // Insertion sort per row: rows hold a handful of events, already close to time order.
  for (let r = 0; r < nRows; r++) {
    for (let a = start[r]! + 1; a < start[r + 1]!; a++) {
      const v = events[a]!;
      let b = a - 1;
      while (b >= start[r]! && before(ev.t, ev.kind, v, events[b]!)) {
        events[b + 1] = events[b]!;
        b--;
      }
      events[b + 1] = v;
    }
  }
  return { start, events };
}

function before(t: Float64Array, kind: Uint8Array, a: number, b: number): boolean {
  return t[a]! < t[b]! || (t[a] === t[b] && (kind[a]! < kind[b]! || (kind[a] === kind[b] && a < b)));
}
