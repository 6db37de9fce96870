// scores-table --create: creates the scores table and its history where they don't exist
// yet (existing tables are left as they are), in one transaction, audited.

import { AuditLog, queryHash } from '../audit/index.js';
import type { Config } from '../config/schema.js';
import type { SourceFingerprint } from '../db/adapter.js';
import { openTarget, parseDbUrl } from '../db/index.js';
import { assertNotSource, resolveTargetUrl } from './persist.js';
import { DEFAULT_SCORES_TABLE, scoresDdl } from './tables.js';

/** Input of {@link createScoresTables}. */
export interface CreateScoresTablesInput {
  readonly config: Config;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Default `dbo.lead_scores` (and `dbo.lead_scores_history`). */
  readonly table?: string;
  /** Default `config.targetUrl`. */
  readonly targetUrl?: string;
  /** SQLite only: create the database file when missing. Default false. */
  readonly createFile?: boolean;
  /** The command named in the audit log. Default `scores-table`. */
  readonly command?: string;
}

/** What {@link createScoresTables} ran. */
export interface CreateScoresTablesResult {
  readonly table: string;
  readonly statements: readonly string[];
  readonly target: SourceFingerprint;
}

/**
 * Creates both score tables (IF NOT EXISTS semantics) in the target database. Throws
 * `scores.noTarget`, `scores.targetIsSource` (exit 2), `db.unreachable` / `db.queryFailed` (exit 4).
 */
export async function createScoresTables(input: CreateScoresTablesInput): Promise<CreateScoresTablesResult> {
  const table = input.table ?? DEFAULT_SCORES_TABLE;
  const { url, sameAsSource } = resolveTargetUrl(input.config, input.targetUrl, input.cwd);
  const target = await openTarget(url, { cwd: input.cwd, create: input.createFile === true });
  const audit = new AuditLog({ path: input.config.auditLog, cwd: input.cwd, env: input.env });
  try {
    const statements = scoresDdl(target.hooks.dialect, table);
    return await audit.record(
      { command: input.command ?? 'scores-table', action: 'create-table', source: target.fingerprint, table },
      async () => {
        await assertNotSource(
          sameAsSource,
          (q) => target.query(q),
          target.hooks,
          parseDbUrl(url, input.cwd).redacted,
        );
        await target.transaction(() => target.execute(statements));
        return { table, statements, target: target.fingerprint };
      },
      (r) => ({ queryHashes: r.statements.map(queryHash), details: { statements: r.statements.length } }),
    );
  } finally {
    await target.close();
  }
}
