// Query packs: one SELECT file per canonical entity, read, checked read-only and hashed
// for the snapshot manifest; and where the packs shipped with leadlift live.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { LeadliftError } from '../errors.js';
import { ENTITY_NAMES, type EntityName } from '../schema/entities.js';
import { PACKAGE_ROOT } from '../version.js';
import type { Dialect } from './adapter.js';
import { assertSelectOnly } from './sql-guard.js';

/** One query file of a pack. */
export interface QueryFile {
  /** Absolute path of the file. */
  readonly path: string;
  /** The SQL text (a leading byte-order mark removed). */
  readonly sql: string;
  /** sha256 (hex) of the file's bytes. */
  readonly sha256: string;
}

/** A loaded query pack: every entity's file, checked by `assertSelectOnly`. */
export interface QueryPack {
  /** Absolute folder of the pack. */
  readonly dir: string;
  /** The folder's base name, e.g. `agent-cory-sqlite`. */
  readonly name: string;
  readonly files: Readonly<Record<EntityName, QueryFile>>;
}

/** Options of {@link loadQueryPack}. */
export interface LoadQueryPackOptions {
  /** Folder that relative `dir` and override paths are resolved from. Default: `process.cwd()`. */
  readonly cwd?: string;
  /** Check the SQL under this dialect's lexing rules. Default: under all of them. */
  readonly dialect?: Dialect;
}

/** File name of an entity's query in a pack: `<entity>.sql`. */
export function queryFileName(entity: EntityName): string {
  return `${entity}.sql`;
}

/** The folder of the pack shipped for `dialect`: `query-packs/agent-cory-<dialect>` in the installed package. */
export function shippedPackDir(dialect: Dialect): string {
  return join(PACKAGE_ROOT, 'query-packs', `agent-cory-${dialect}`);
}

/**
 * Reads the 8 query files of the pack in `dir` (or, per entity, the file at
 * `overrides[entity]`), checks each with `assertSelectOnly`, and hashes them. Every
 * problem is collected first: `query.missingFile` names each missing or unreadable file,
 * the pack and the expected file names; otherwise `query.empty`/`query.notSelect` for
 * the files that are not one SELECT.
 */
export function loadQueryPack(
  dir: string,
  overrides: Partial<Record<EntityName, string>> = {},
  options: LoadQueryPackOptions = {},
): QueryPack {
  const cwd = options.cwd ?? process.cwd();
  const packDir = resolve(cwd, dir);
  const name = basename(packDir);
  const files: Partial<Record<EntityName, QueryFile>> = {};
  const missing: { entity: EntityName; path: string; reason: string }[] = [];
  for (const entity of ENTITY_NAMES) {
    const override = overrides[entity];
    const path = override === undefined ? join(packDir, queryFileName(entity)) : resolve(cwd, override);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      const code = (e as { code?: string }).code;
      missing.push({
        entity,
        path,
        reason: code === 'ENOENT' ? 'missing' : `unreadable (${code ?? String(e)})`,
      });
      continue;
    }
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    files[entity] = { path, sql: text, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  if (missing.length > 0) {
    const expected = ENTITY_NAMES.map(queryFileName).join(', ');
    throw new LeadliftError(
      'query.missingFile',
      `Query pack ${name} (${packDir}) can't be used: ${missing.map((m) => `${m.path} is ${m.reason}`).join('; ')}. A pack holds one file per entity: ${expected}. Add the missing files, fix the override paths, or point --query-dir (LEADLIFT_QUERY_DIR) at a complete pack.`,
      {
        details: {
          pack: packDir,
          missing: missing.map((m) => ({ entity: m.entity, path: m.path, reason: m.reason })),
          expected: ENTITY_NAMES.map(queryFileName),
        },
      },
    );
  }
  const problems: LeadliftError[] = [];
  for (const entity of ENTITY_NAMES) {
    const f = files[entity]!;
    const label = relative(cwd, f.path) || f.path;
    try {
      assertSelectOnly(f.sql, label, options.dialect ? { dialect: options.dialect } : {});
    } catch (e) {
      if (e instanceof LeadliftError) problems.push(e);
      else throw e;
    }
  }
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) {
    throw new LeadliftError(problems[0]!.code, problems.map((p) => p.message).join('\n'), {
      details: { problems: problems.map((p) => ({ code: p.code, ...p.details })) },
    });
  }
  return { dir: packDir, name, files: files as Record<EntityName, QueryFile> };
}
