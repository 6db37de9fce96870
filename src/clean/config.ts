// Configuration of the clean rules (docs/clean-rules.md describes every rule).

import { z } from 'zod';
import { isIanaTimeZone } from '../snapshot/values.js';

/** Clean rule settings; every field has a documented default. */
export const cleanConfigSchema = z
  .object({
    /** clean.callTooLong: longest plausible call, seconds; longer ones are set to missing. Default 86400 (one day). */
    maxCallSeconds: z.number().positive().default(86_400),
    /** clean.timestampNaive: IANA zone in which timestamps without a zone ('2026-03-04 15:22:10') are read. Default 'UTC'. */
    naiveTimestampZone: z
      .string()
      .min(1)
      .refine(isIanaTimeZone, { message: 'not an IANA time zone Intl knows (e.g. UTC, America/New_York)' })
      .default('UTC'),
    /** clean.beforeEnrollment: an activity whose event time (sent_at ?? scheduled_at ?? created_at) is more than this many hours before its enrollment's created_at is dropped. Default 24. */
    beforeEnrollmentToleranceHours: z.number().min(0).default(24),
  })
  .strict();

export type CleanConfig = z.infer<typeof cleanConfigSchema>;
