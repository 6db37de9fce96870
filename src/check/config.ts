// Configuration of the data-quality checks: severities and thresholds.

import { z } from 'zod';

/** Every check `leadlift check` runs, by id. */
export const CHECK_IDS = [
  'check.columnsMissing',
  'check.emptyEntity',
  'check.requiredMissing',
  'check.duplicateKey',
  'check.orphan',
  'check.timestampUnparseable',
  'check.timestampFuture',
  'check.timestampTooOld',
  'check.beforeEnrollment',
  'check.valueNotAllowed',
  'check.volumeChange',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** A check's severity; `off` disables it. */
export const severitySchema = z.enum(['error', 'warn', 'off']);
export type SeveritySetting = z.infer<typeof severitySchema>;

/**
 * Severity of each check when it fires (for share-based checks: when the share exceeds
 * its threshold; a non-zero count under the threshold is always a warning).
 */
export const DEFAULT_SEVERITIES: Readonly<Record<CheckId, 'error' | 'warn'>> = {
  'check.columnsMissing': 'error',
  'check.emptyEntity': 'warn',
  'check.requiredMissing': 'error',
  'check.duplicateKey': 'warn',
  'check.orphan': 'error',
  'check.timestampUnparseable': 'error',
  'check.timestampFuture': 'error',
  'check.timestampTooOld': 'error',
  'check.beforeEnrollment': 'error',
  'check.valueNotAllowed': 'warn',
  'check.volumeChange': 'warn',
};

const share = z.number().min(0).max(1);

/** Check thresholds and severities; every field has a documented default. */
export const checkConfigSchema = z
  .object({
    /** check.requiredMissing: max share of missing (null, blank or placeholder) values in a required column before it is an error. Default 0 (any missing value is an error). */
    maxMissingShareRequired: share.default(0),
    /** check.orphan: max share of rows whose reference (e.g. activities.enrollment_id) names no parent row before it is an error; below it, a warning. Default 0.01. */
    maxOrphanShare: share.default(0.01),
    /** check.timestampUnparseable: max share of non-null values in a timestamp column that can't be parsed before it is an error. Default 0.01. */
    maxUnparseableTimestampShare: share.default(0.01),
    /** check.timestampFuture: max share of timestamps later than max(window until, now) + futureToleranceHours before it is an error. Default 0.01. */
    maxFutureTimestampShare: share.default(0.01),
    /** check.timestampFuture: hours past max(window until, now) still accepted (clock skew, time zones). Default 24. */
    futureToleranceHours: z.number().min(0).default(24),
    /** check.timestampFuture: timestamp columns exempt, because they may rightly lie ahead (scheduled calls). Default ['scheduled_at']. */
    futureExemptColumns: z.array(z.string().min(1)).default(['scheduled_at']),
    /** check.timestampTooOld: timestamps before 1 January of this year are absurd (placeholders like 1900-01-01). Default 2000. */
    minYear: z.number().int().min(0).max(9999).default(2000),
    /** check.timestampTooOld: max share of absurdly old timestamps before it is an error. Default 0.01. */
    maxTooOldTimestampShare: share.default(0.01),
    /** check.beforeEnrollment: an activity (sent_at ?? scheduled_at ?? created_at) more than this many hours before its enrollment's created_at is suspect. Default 24. */
    maxHoursBeforeEnrollment: z.number().min(0).default(24),
    /** check.beforeEnrollment: max share of such activities before it is an error. Default 0.01. */
    maxBeforeEnrollmentShare: share.default(0.01),
    /** check.volumeChange: relative change |current − previous| / previous of an entity's rows on one day (or in total, for entities without a time) beyond which the day is flagged. Default 0.5. */
    maxVolumeChange: z.number().min(0).default(0.5),
    /** check.volumeChange: days (or totals) with fewer rows than this in both snapshots are not compared (noise). Default 50. */
    minVolumeRows: z.number().int().min(0).default(50),
    /** Severity overrides by check id, e.g. { "check.duplicateKey": "error", "check.volumeChange": "off" }. Default: none (see DEFAULT_SEVERITIES). */
    severity: z.partialRecord(z.enum(CHECK_IDS), severitySchema).default({}),
  })
  .strict();

export type CheckConfig = z.infer<typeof checkConfigSchema>;
