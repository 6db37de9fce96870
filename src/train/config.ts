// Configuration of `leadlift train` (the `train` section of leadlift.config.json).

import { z } from 'zod';
import type { GateConfig } from '../evaluate/gates.js';

/** Train settings; every field has a documented default (the contract's gates). */
export const trainConfigSchema = z
  .object({
    /**
     * The gates of the selected model against its reference (the logistic-regression
     * baseline, or the best simpler scorer when selection keeps the baseline; see
     * docs/run-folder.md). Flags --gate-pr-auc-relative and --gate-brier-relative override.
     */
    gates: z
      .object({
        /** Selected PR-AUC ≥ the reference's × this. Default 1.05. */
        prAucRelative: z.number().positive().default(1.05),
        /** Selected Brier ≤ the reference's × this. Default 1. */
        brierRelative: z.number().positive().default(1),
      })
      .strict()
      .default({ prAucRelative: 1.05, brierRelative: 1 }),
    /**
     * Time-ordered splits: the trees replace the logistic-regression baseline only when
     * they also win on the most recent half of the validation slice. Default true; the
     * flag --no-recent-check turns it off for one run.
     */
    recentCheck: z.boolean().default(true),
  })
  .strict();

export type TrainConfig = z.infer<typeof trainConfigSchema>;

/** The gate rules of a `train.gates` section. */
export function gateConfigOf(gates: TrainConfig['gates']): GateConfig {
  return {
    rules: [
      { metric: 'prAuc', better: 'higher', relative: gates.prAucRelative },
      { metric: 'brier', better: 'lower', relative: gates.brierRelative },
    ],
  };
}

/** The training options a config's `train` section sets (the daily job's candidate runs read them). */
export function trainOptionsOfConfig(train: TrainConfig): { gates: GateConfig; recentCheck: boolean } {
  return { gates: gateConfigOf(train.gates), recentCheck: train.recentCheck };
}
