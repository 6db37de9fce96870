// Every command, registered in the order --help lists them.

import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { registerCheck } from './check.js';
import { registerClean } from './clean.js';
import { registerConfig } from './config.js';
import { registerDaily } from './daily.js';
import { registerDemoDb } from './demo-db.js';
import { registerExtract } from './extract.js';
import { registerPredict } from './predict.js';
import { registerQuickstart } from './quickstart.js';
import { registerRecommend } from './recommend.js';
import { registerRecommendations } from './recommendations.js';
import { registerSchema } from './schema.js';
import { registerPersistScores, registerRollbackScores, registerScoresTable } from './scores.js';
import { registerTrain } from './train.js';

export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

export const COMMANDS: readonly RegisterCommand[] = [
  registerQuickstart,
  registerDemoDb,
  registerExtract,
  registerCheck,
  registerClean,
  registerTrain,
  registerPredict,
  registerPersistScores,
  registerRollbackScores,
  registerScoresTable,
  registerDaily,
  registerRecommend,
  registerRecommendations,
  registerSchema,
  registerConfig,
];
