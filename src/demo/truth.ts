// The ground-truth file written next to a demo DB: what was generated (seed, sizes,
// window), every planted effect with the ids it involves and the rates observed in the
// data, and a count of every kind of messiness injected. Later stages are checked
// against it, so each number here is counted from the rows actually emitted.

import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Outcomes an effect acts on: each effect moves exactly one stage of the chain. */
export type EffectTarget = 'call_booked' | 'qualified' | 'converted';

export type EffectKind =
  | 'prompt_variant'
  | 'speed_to_lead'
  | 'voicemail_only'
  | 'step_order'
  | 'lead_source'
  | 'step_wait'
  | 'control';

/**
 * Outcome counts of one arm of an effect, over non-test enrollments whose first outbound
 * touch is at or before `window.complete_windows_through` (so every label window has
 * elapsed). `*_ever` count outcomes up to the as-of time; the windowed counts are the
 * labels T1/T2/T3 counted from the first outbound touch.
 */
export interface ArmStats {
  readonly arm: string;
  enrollments: number;
  call_booked_ever: number;
  call_booked_7d: number;
  qualified_ever: number;
  qualified_14d: number;
  converted_ever: number;
  converted_30d: number;
}

/** Ids an effect involves; ids are strings, as in snapshots. */
export interface EffectIds {
  org_id?: string;
  campaign_id?: string;
  campaign_ids?: string[];
  step_id?: string;
  step_ids?: string[];
  variant_id?: string;
  variant_ids?: string[];
  lead_source?: string;
  threshold?: { readonly field: string; readonly value: number; readonly unit: string };
}

/** One planted effect. */
export interface TruthEffect {
  readonly id: string;
  readonly kind: EffectKind;
  /** `campaign`: a property of a campaign, step or variant; `lead`: of a lead or its enrollment. */
  readonly level: 'campaign' | 'lead';
  /**
   * The stage whose log-odds the effect shifts: P(call booked), P(qualified | booked) or
   * P(converted | qualified). An effect on an earlier stage also moves the later
   * unconditional rates.
   */
  readonly target: EffectTarget;
  readonly direction: 'up' | 'down' | 'none';
  /** Planted shift of the target stage's log-odds (treatment arm vs reference arm). */
  readonly log_odds: number;
  readonly odds_ratio: number;
  readonly description: string;
  /** The arm that gets `log_odds` and the arm it is compared with. */
  readonly treatment_arm: string;
  readonly reference_arm: string;
  readonly ids: EffectIds;
  /** Further facts (bands of a graded effect, the exact definition used). */
  readonly detail?: Readonly<Record<string, unknown>>;
  /** Outcomes observed in the generated data, per arm. */
  readonly observed: readonly ArmStats[];
}

/** Counts of every kind of messiness injected, each equal to what is in the rows. */
export interface MessinessTruth {
  /** Extra campaign_activities rows: same (enrollment_id, step_id, attempt_no, channel), new id, later updated_at. */
  duplicate_activities: number;
  /** Extra communication-log rows whose message_id is already present (the same message logged twice). */
  duplicate_messages: number;
  /** Values set to NULL, by `schema.table.column` (only columns that are otherwise never null there). */
  missing_values: Record<string, number>;
  /** Placeholder values written instead of a value, by `schema.table.column`. */
  placeholders: Record<string, number>;
  placeholder_values: readonly string[];
  /** Categorical values written in a non-canonical case or with padding ('SMS', ' Email'), by column. */
  non_canonical_categories: Record<string, number>;
  /** Forms of dbo.Education_Cory_Communication_Log.timestamp (all rows, duplicates included). */
  message_timestamp_forms: { utc_z: number; local_offset: number; naive_utc: number };
  /** Rows whose created_at is more than 24 h after the event they record, by table. */
  late_arriving: Record<string, number>;
  test_contacts: { count: number; contact_ids: string[] };
  /** Connected calls with call_duration_sec < 0. */
  negative_call_durations: number;
  /** Calls with call_duration_sec > 86400. */
  calls_over_one_day: number;
  /** Activities whose timestamps (all of them) are before their enrollment's created_at. */
  activities_before_enrollment: number;
  /** Rows whose created_at is after the as-of time, by table. */
  future_timestamps: Record<string, number>;
}

/** The ground truth of one demo database. */
export interface DemoTruth {
  readonly generator: 'leadlift-demo';
  readonly version: string;
  readonly seed: number;
  readonly options: {
    readonly enrollments: number;
    readonly orgs: number;
    readonly start: string;
    readonly days: number;
  };
  readonly window: {
    /** First enrollment time (the `--start` day, UTC midnight). */
    readonly start: string;
    /** The as-of time: nothing after it has happened yet (except planted future timestamps). */
    readonly as_of: string;
    /** Label windows in days, counted from the enrollment's first outbound activity. */
    readonly label_windows_days: {
      readonly call_booked: number;
      readonly qualified: number;
      readonly converted: number;
    };
    /** Enrollments whose first touch is at or before this time have every label window elapsed. */
    readonly complete_windows_through: string;
  };
  /** Rows per table, by `schema.table`. */
  readonly sizes: Readonly<Record<string, number>>;
  readonly orgs: readonly {
    readonly org_id: string;
    readonly name: string;
    readonly campaign_ids: readonly string[];
  }[];
  readonly model: {
    readonly call_booked_intercept_log_odds: number;
    readonly qualified_intercept_log_odds: number;
    readonly converted_intercept_log_odds: number;
    readonly lead_noise_sd: number;
    readonly unreachable_share: number;
    /** Outcomes of every eligible enrollment. */
    readonly observed: ArmStats;
  };
  readonly effects: readonly TruthEffect[];
  readonly messiness: MessinessTruth;
  readonly notes: readonly string[];
}

/** An empty arm. */
export function emptyArm(arm: string): ArmStats {
  return {
    arm,
    enrollments: 0,
    call_booked_ever: 0,
    call_booked_7d: 0,
    qualified_ever: 0,
    qualified_14d: 0,
    converted_ever: 0,
    converted_30d: 0,
  };
}

/** Empty messiness counters. */
export function emptyMessiness(placeholderValues: readonly string[]): MessinessTruth {
  return {
    duplicate_activities: 0,
    duplicate_messages: 0,
    missing_values: {},
    placeholders: {},
    placeholder_values: placeholderValues,
    non_canonical_categories: {},
    message_timestamp_forms: { utc_z: 0, local_offset: 0, naive_utc: 0 },
    late_arriving: {},
    test_contacts: { count: 0, contact_ids: [] },
    negative_call_durations: 0,
    calls_over_one_day: 0,
    activities_before_enrollment: 0,
    future_timestamps: {},
  };
}

/** Adds `n` to `counts[key]`. */
export function bump(counts: Record<string, number>, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}

/**
 * The default ground-truth path of a SQLite demo DB: the file name with its extension
 * replaced (`tmp/demo/agent-cory.sqlite` → `tmp/demo/agent-cory.truth.json`).
 */
export function defaultTruthPath(dbFile: string): string {
  const m = /^(.*?)(\.(sqlite3?|db))?$/i.exec(dbFile);
  return `${m?.[1] ?? dbFile}.truth.json`;
}

/** Writes the truth file atomically (temporary name, then rename). */
export async function writeTruthFile(path: string, truth: DemoTruth): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, `${JSON.stringify(truth, null, 2)}\n`, { flag: 'w' });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
