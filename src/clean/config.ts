// Configuration of the clean rules.

import { z } from 'zod';

/** Clean rule settings; every field has a documented default. */
export const cleanConfigSchema = z
  .object({
    /** Longest plausible call, seconds; longer ones are set to missing. Default 86400 (one day). */
    maxCallSeconds: z.number().positive().default(86_400),
  })
  .strict();

export type CleanConfig = z.infer<typeof cleanConfigSchema>;
