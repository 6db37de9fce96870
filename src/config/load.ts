// Loads configuration: flags over LEADLIFT_* environment variables over an optional
// leadlift.config.json, validated as a whole; every problem is reported at once.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { LeadliftError } from '../errors.js';
import { type Config, configSchema } from './schema.js';

/** Environment variables read into configuration keys. */
export const ENV_KEYS = {
  LEADLIFT_SOURCE_URL: 'sourceUrl',
  LEADLIFT_TARGET_URL: 'targetUrl',
  LEADLIFT_QUERY_DIR: 'queryDir',
  LEADLIFT_SNAPSHOTS_DIR: 'snapshotsDir',
  LEADLIFT_RUNS_DIR: 'runsDir',
  LEADLIFT_AUDIT_LOG: 'auditLog',
  LEADLIFT_RECOMMENDATIONS_STORE: 'recommendationsStore',
} as const;

export interface LoadConfigOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Explicit config file (--config); when absent, leadlift.config.json in cwd if it exists. */
  readonly file?: string | undefined;
  /** Values from flags; undefined entries are ignored. */
  readonly flags?: Readonly<Record<string, unknown>>;
}

/** Resolves and validates configuration. Throws `config.invalid` listing every problem. */
export async function loadConfig(options: LoadConfigOptions): Promise<Config> {
  const fromFile = await readConfigFile(options);
  const fromEnv: Record<string, unknown> = {};
  for (const [env, key] of Object.entries(ENV_KEYS)) {
    const v = options.env[env];
    if (v !== undefined && v !== '') fromEnv[key] = v;
  }
  const fromFlags: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options.flags ?? {})) if (v !== undefined) fromFlags[k] = v;
  const merged = { ...fromFile.values, ...fromEnv, ...fromFlags };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const where = fromFile.path ? ` (file ${fromFile.path}, LEADLIFT_* variables and flags)` : '';
    throw new LeadliftError(
      'config.invalid',
      `Invalid configuration${where}:\n${z.prettifyError(parsed.error)}\nFix the values above; \`leadlift config --print\` shows the resolved configuration.`,
      {
        details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
      },
    );
  }
  return parsed.data;
}

async function readConfigFile(
  options: LoadConfigOptions,
): Promise<{ path?: string; values: Record<string, unknown> }> {
  const explicit = options.file !== undefined;
  const path = resolve(options.cwd, options.file ?? 'leadlift.config.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    if (explicit) {
      throw new LeadliftError(
        'config.fileNotFound',
        `Config file ${path} does not exist or can't be read; check --config.`,
        {
          details: { path },
        },
      );
    }
    return { values: {} };
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (e) {
    throw new LeadliftError(
      'config.badJson',
      `Config file ${path} is not valid JSON: ${(e as Error).message}.`,
      {
        details: { path },
      },
    );
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new LeadliftError('config.badJson', `Config file ${path} must hold a JSON object.`, {
      details: { path },
    });
  }
  return { path, values: values as Record<string, unknown> };
}
