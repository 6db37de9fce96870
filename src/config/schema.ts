// The configuration schema. One object, validated as a whole so every problem is
// reported at once; stage sections come from the stages that own them.

import { z } from 'zod';
import { checkConfigSchema } from '../check/config.js';
import { cleanConfigSchema } from '../clean/config.js';
import { trainConfigSchema } from '../train/config.js';

/** leadlift configuration. Precedence: flags, then LEADLIFT_* environment variables, then leadlift.config.json, then these defaults. */
export const configSchema = z
  .object({
    /** Source database URL (sqlite:FILE, postgres://…, mssql://…). Env LEADLIFT_SOURCE_URL. Default: the embedded demo DB, sqlite:tmp/demo/agent-cory.sqlite. */
    sourceUrl: z.string().min(1).default('sqlite:tmp/demo/agent-cory.sqlite'),
    /** Target database URL for writes (demo-db, persist-scores). Env LEADLIFT_TARGET_URL. Default: none. */
    targetUrl: z.string().min(1).optional(),
    /** Query pack folder; default: the pack shipped for the source's dialect. Env LEADLIFT_QUERY_DIR. */
    queryDir: z.string().min(1).optional(),
    /** Where extract writes snapshots. Default tmp/snapshots. */
    snapshotsDir: z.string().min(1).default('tmp/snapshots'),
    /** Where clean writes cleaned tables. Default tmp/cleaned. */
    cleanedDir: z.string().min(1).default('tmp/cleaned'),
    /** Where runs are written. Default tmp/runs. */
    runsDir: z.string().min(1).default('tmp/runs'),
    /** Audit log: one JSON line per database access. Env LEADLIFT_AUDIT_LOG. Default tmp/audit/audit.jsonl. */
    auditLog: z.string().min(1).default('tmp/audit/audit.jsonl'),
    /** The recommendations store: proposals and their approval status. Env LEADLIFT_RECOMMENDATIONS_STORE. Default tmp/recommendations/store.json. */
    recommendationsStore: z.string().min(1).default('tmp/recommendations/store.json'),
    /** Days before --since that extract also reads, for history features. Default 30. */
    lookbackDays: z.number().int().min(0).max(3650).default(30),
    /** Environment variable holding the PII hashing key. Default LEADLIFT_PII_KEY. */
    piiKeyEnv: z.string().min(1).default('LEADLIFT_PII_KEY'),
    check: checkConfigSchema.default(checkConfigSchema.parse({})),
    clean: cleanConfigSchema.default(cleanConfigSchema.parse({})),
    train: trainConfigSchema.default(trainConfigSchema.parse({})),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
