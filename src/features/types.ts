// The hand-off from label + features to the models: the training set type, its options
// and the feature definitions that go into the run folder and docs/features.md.

import type { Frame } from '../numeric/frame.js';

/** The three targets, counted from the decision time (the enrollment's first outbound touch). */
export const TARGETS = ['booked_call_within_7d', 'qualified_within_14d', 'conversion_within_30d'] as const;
export type Target = (typeof TARGETS)[number];

/** Outcome type and label horizon of each target. */
export const TARGET_DEFS: Readonly<
  Record<Target, { readonly outcome: 'call_booked' | 'qualified' | 'converted'; readonly days: number }>
> = {
  booked_call_within_7d: { outcome: 'call_booked', days: 7 },
  qualified_within_14d: { outcome: 'qualified', days: 14 },
  conversion_within_30d: { outcome: 'converted', days: 30 },
};

/** Why an enrollment is left out of a target's training population. */
export const EXCLUSION_REASONS = [
  'no_outbound_touch',
  'window_not_elapsed',
  'outcome_before_cutoff',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** Options of {@link buildTrainingSet}. */
export interface FeatureOptions {
  /** Hours after the decision time during which data may feed features. Default 24. */
  readonly featureWindowHours?: number;
  /** Targets to label. Default all three, in {@link TARGETS} order. */
  readonly targets?: readonly Target[];
  /**
   * The as-of time (ISO-8601 or ms since epoch): label windows must end at or before it.
   * Default: `until` of the cleaned tables' source snapshot window.
   */
  readonly asOf?: string | number;
  /**
   * Threads reading the cleaned files, 1 or 2: 2 reads the activities in a worker thread
   * while this thread reads the other tables, when the compiled worker exists (when running
   * the TypeScript sources it does not, and one thread reads); 1 reads everything here; the
   * result is the same. Default 2 when the compiled worker exists, there are two cores,
   * this is the main thread and there are at least 100,000 activity rows, else 1.
   */
  readonly readThreads?: number;
}

/** The feature families, one file each under src/features/. */
export type FeatureFamily = 'interaction' | 'timing' | 'content' | 'engagement' | 'campaign' | 'contact';

/** One feature column: its name, family and what it means. */
export interface FeatureDef {
  readonly name: string;
  readonly family: FeatureFamily;
  /** Plain-words definition, as in docs/features.md. */
  readonly definition: string;
  /**
   * For categorical features: the categories; the column holds the index into this list
   * (0-based, sorted by string) and NaN when missing. Absent for numeric features.
   */
  readonly categories?: readonly string[];
}

/** Labels, masks and exclusion counts of one target. */
export interface TargetLabels {
  readonly target: Target;
  /** 1 when the target outcome happened in [decision, decision + horizon), else 0 (every row). */
  readonly y: Uint8Array;
  /** 1 when the row may be used for training and evaluation of this target. */
  readonly eligible: Uint8Array;
  /**
   * 1 when the row may be scored at its cutoff: the feature window has ended by `asOf`
   * and the outcome was not reached before the cutoff (the window need not have elapsed).
   */
  readonly scorable: Uint8Array;
  /** Enrollments left out of training, by the first reason that applies. */
  readonly exclusions: Readonly<Record<ExclusionReason, number>>;
  readonly nEligible: number;
  readonly nPositive: number;
}

/**
 * Point-in-time features and labels, one row per enrollment that has an outbound touch,
 * ordered by decision time (then org_id, enrollment_id).
 */
export interface TrainingSet {
  readonly nRows: number;
  readonly keys: {
    readonly orgId: readonly string[];
    readonly enrollmentId: readonly string[];
    readonly contactId: readonly string[];
    readonly campaignId: readonly string[];
  };
  /** First outbound touch, ms since epoch (UTC). */
  readonly decisionTs: Float64Array;
  /** decisionTs + featureWindowHours. */
  readonly cutoffTs: Float64Array;
  /** Numeric features, NaN = missing; categoricals as codes (see `featureDefs[j].categories`). */
  readonly features: Frame;
  readonly featureDefs: readonly FeatureDef[];
  /** Categories of each categorical column, by column name. */
  readonly categories: Readonly<Record<string, readonly string[]>>;
  readonly labels: Readonly<Partial<Record<Target, TargetLabels>>>;
  readonly targets: readonly Target[];
  readonly asOf: number;
  readonly featureWindowHours: number;
  /** Enrollments read, and those without any outbound touch (not in the rows). */
  readonly enrollmentsRead: number;
  readonly enrollmentsWithoutTouch: number;
  /** Rows of each entity skipped because they point to no known enrollment or contact. */
  readonly unlinked: Readonly<Record<'activities' | 'messages' | 'outcomes', number>>;
}
