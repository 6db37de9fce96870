// A cleaned folder as later stages open it: the hand-off from clean to label + features.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LeadliftError } from '../errors.js';
import { ENTITY_NAMES, type EntityName } from '../schema/entities.js';
import { CLEANED_FORMAT, type CleanedManifest } from './report.js';

/** An opened cleaned folder: row files in the snapshot row format (see snapshot/rows.ts). */
export interface CleanTables {
  readonly dir: string;
  readonly manifest: CleanedManifest;
  /** Absolute path of an entity's cleaned row file. */
  path(entity: EntityName): string;
}

/** Opens a folder written by `cleanSnapshot`; checks its format and that it lists every entity. */
export async function openCleanTables(dir: string): Promise<CleanTables> {
  const manifestPath = join(dir, 'manifest.json');
  let manifest: CleanedManifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as CleanedManifest;
  } catch {
    throw new LeadliftError(
      'clean.notFound',
      `No cleaned tables at ${dir}: ${manifestPath} is missing or unreadable. Run \`leadlift clean <snapshot-dir>\` first.`,
      { details: { dir } },
    );
  }
  if (manifest.format !== CLEANED_FORMAT) {
    throw new LeadliftError(
      'clean.format',
      `${dir} has format ${String(manifest.format)}; expected ${CLEANED_FORMAT}. Re-run \`leadlift clean\`.`,
      { details: { dir } },
    );
  }
  const missing = ENTITY_NAMES.filter((e) => !manifest.entities?.[e]);
  if (missing.length > 0) {
    throw new LeadliftError(
      'clean.incomplete',
      `${dir} lacks ${missing.join(', ')} in manifest.json. Re-run \`leadlift clean\`.`,
      {
        details: { dir, missing },
      },
    );
  }
  return { dir, manifest, path: (entity) => join(dir, manifest.entities[entity].file) };
}
