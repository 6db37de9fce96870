// The audit log: one JSON line per database access (extract, dry run, write, rollback),
// appended to a file a scheduler's operator can keep. Never PII, never secrets: entries
// carry source fingerprints (dialect, host, database name), query hashes and counts.

import { createHash } from 'node:crypto';
import { appendFile, mkdir, open } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { SourceFingerprint } from '../db/adapter.js';
import { LeadliftError } from '../errors.js';
import { VERSION } from '../version.js';

/** What kind of database access an entry records. */
export type AuditAction = 'extract' | 'read' | 'dry-run' | 'write' | 'rollback' | 'create-table';

/** One audit entry as the caller gives it; time, actor, pid and version are added. */
export interface AuditEvent {
  /** The leadlift command, e.g. `extract`, `persist-scores`, `daily`. */
  readonly command: string;
  readonly action: AuditAction;
  /** Where the access went: never credentials. */
  readonly source: SourceFingerprint;
  /** sha256 of each query or statement template run (not of parameter values). */
  readonly queryHashes?: readonly string[];
  readonly rowsRead?: number;
  readonly rowsWritten?: number;
  /** Table written, for writes and rollbacks. */
  readonly table?: string;
  /** Run folder name involved (predict, persist, rollback). */
  readonly run?: string;
  readonly outcome: 'ok' | 'error';
  /** The LeadliftError code when the outcome is an error. */
  readonly errorCode?: string;
  /** Further PII-free facts (counts, flags). */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/** An entry as written to the file. */
export interface AuditRecord extends AuditEvent {
  readonly time_utc: string;
  readonly actor: string;
  readonly pid: number;
  readonly leadlift_version: string;
}

/** Default audit log path, relative to the working folder. Env LEADLIFT_AUDIT_LOG, config `auditLog`. */
export const DEFAULT_AUDIT_LOG = 'tmp/audit/audit.jsonl';

/** sha256 (hex) of a query text, as audit entries record it. */
export function queryHash(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/** Who runs the command: LEADLIFT_ACTOR when set (e.g. the scheduler's job name), else the OS user. */
export function auditActor(env: Readonly<Record<string, string | undefined>>): string {
  const fromEnv = env.LEADLIFT_ACTOR;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Appends audit entries to one file. */
export class AuditLog {
  readonly path: string;
  private readonly actor: string;
  private readonly now: () => Date;

  constructor(options: {
    readonly path: string;
    readonly cwd: string;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly now?: () => Date;
  }) {
    this.path = isAbsolute(options.path) ? options.path : resolve(options.cwd, options.path);
    this.actor = auditActor(options.env);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Appends one line. A single `appendFile` of one line (O_APPEND) keeps concurrent
   * writers' lines whole. Throws `audit.writeFailed` (exit 1) when the log can't be written.
   */
  async append(event: AuditEvent): Promise<AuditRecord> {
    const record: AuditRecord = {
      time_utc: this.now().toISOString(),
      actor: this.actor,
      pid: process.pid,
      leadlift_version: VERSION,
      ...event,
    };
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, `${JSON.stringify(record)}\n`, { encoding: 'utf8', flag: 'a' });
    } catch (e) {
      throw this.writeFailed(e);
    }
    return record;
  }

  /**
   * Throws `audit.writeFailed` unless the log can be appended to: checked before a
   * database access, so a write that commits is never followed by a failure to record it.
   */
  async ensureWritable(): Promise<void> {
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await (await open(this.path, 'a')).close();
    } catch (e) {
      throw this.writeFailed(e);
    }
  }

  private writeFailed(e: unknown): LeadliftError {
    return new LeadliftError(
      'audit.writeFailed',
      `Could not append to the audit log ${this.path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}. Make its folder writable or set LEADLIFT_AUDIT_LOG to another file.`,
      { exitCode: 1, cause: e },
    );
  }

  /**
   * Checks the log can be written ({@link ensureWritable}), runs `fn` and appends one entry
   * for it: `outcome: ok` with the counts `fn` returns, or `outcome: error` with the
   * error's code, then rethrows.
   */
  async record<T>(
    base: Omit<AuditEvent, 'outcome' | 'errorCode'>,
    fn: () => Promise<T>,
    counts?: (result: T) => Partial<Pick<AuditEvent, 'rowsRead' | 'rowsWritten' | 'details' | 'queryHashes'>>,
  ): Promise<T> {
    await this.ensureWritable();
    let result: T;
    try {
      result = await fn();
    } catch (e) {
      const code = e instanceof LeadliftError ? e.code : 'internal';
      await this.append({ ...base, outcome: 'error', errorCode: code }).catch(() => {});
      throw e;
    }
    await this.append({ ...base, ...(counts ? counts(result) : {}), outcome: 'ok' });
    return result;
  }
}
