// Configuration of the data-quality checks: severities and thresholds.

import { z } from 'zod';

/** Check thresholds and severities; every field has a documented default. */
export const checkConfigSchema = z
  .object({
    /** Max share of missing values in a required column before the check fails. Default 0 (none). */
    maxMissingShareRequired: z.number().min(0).max(1).default(0),
  })
  .strict();

export type CheckConfig = z.infer<typeof checkConfigSchema>;
