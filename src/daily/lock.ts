// One scheduled job at a time per target: a lock file created with O_EXCL under the runs
// folder, holding who took it (pid, host, start time, command). A lock whose process is
// gone (same host) or that is older than the maximum age is stale: it is reported and
// taken over. Released in `release()`, which is safe to call more than once.

import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ExitCode, LeadliftError } from '../errors.js';
import { pidAlive } from '../process.js';

/** What the lock file holds. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly started_at_utc: string;
  readonly command: string;
  /** The target the job writes to (redacted URL, or "none"). */
  readonly target: string;
}

/** A held lock. */
export interface JobLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** The stale lock that was taken over, when there was one, and why it was stale. */
  readonly tookOver: { readonly holder: LockHolder | null; readonly reason: string } | null;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

/** Default maximum age of a lock before it counts as stale: 12 hours. */
export const DEFAULT_LOCK_MAX_AGE_MS = 12 * 3_600_000;

/** Options of {@link acquireJobLock}. */
export interface AcquireLockOptions {
  /** Folder of the lock file (the runs folder); created when missing. */
  readonly dir: string;
  /** Lock name: one lock per target, e.g. `daily-<hash of the target>`. */
  readonly name: string;
  readonly command: string;
  readonly target: string;
  /** Default {@link DEFAULT_LOCK_MAX_AGE_MS}. */
  readonly maxAgeMs?: number;
  readonly now?: () => Date;
  /** Whether a pid runs on this host. Default: `process.kill(pid, 0)`. */
  readonly isAlive?: (pid: number) => boolean;
}

function readHolder(path: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? h : null;
  } catch {
    return null;
  }
}

/**
 * Why the lock at `path` held by `holder` is stale, or null when it is live. A lock whose
 * file cannot be read is stale only once older than a minute (it may be mid-write).
 */
export function staleReason(
  holder: LockHolder | null,
  mtimeMs: number,
  o: { readonly now: number; readonly maxAgeMs: number; readonly isAlive: (pid: number) => boolean },
): string | null {
  if (holder === null) {
    return o.now - mtimeMs > 60_000 ? 'the lock file is unreadable and more than a minute old' : null;
  }
  const started = Date.parse(holder.started_at_utc);
  const age = o.now - (Number.isFinite(started) ? started : mtimeMs);
  if (age > o.maxAgeMs) {
    return `it is ${(age / 3_600_000).toFixed(1)} h old, more than the maximum of ${(o.maxAgeMs / 3_600_000).toFixed(1)} h`;
  }
  if (holder.host === hostname() && !o.isAlive(holder.pid)) {
    return `process ${holder.pid} on ${holder.host} is no longer running`;
  }
  return null;
}

function sameHolder(a: LockHolder, b: LockHolder): boolean {
  return a.pid === b.pid && a.host === b.host && a.started_at_utc === b.started_at_utc;
}

function lockedError(path: string, h: LockHolder | null, maxAgeMs: number, extra = ''): LeadliftError {
  return new LeadliftError(
    'daily.locked',
    (h
      ? `Another job holds the lock ${path}: ${h.command} (pid ${h.pid} on ${h.host}, started ${h.started_at_utc}). This run stops; the scheduler may retry later. If that process is gone, the lock is taken over once it is older than ${(maxAgeMs / 3_600_000).toFixed(1)} h, or remove the file.`
      : `Another job is taking the lock ${path} right now. This run stops; retry later.`) + extra,
    { exitCode: ExitCode.busy, details: { path, holder: h } },
  );
}

function lockFailedError(dir: string, path: string, e: unknown): LeadliftError {
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  return new LeadliftError(
    'daily.lockFailed',
    `Cannot create the job lock ${path} (${code}): the runs folder ${dir} cannot be written. Set --runs-dir or LEADLIFT_RUNS_DIR (or runsDir in the config) to a folder this job can write.`,
    { exitCode: ExitCode.usage, cause: e, details: { path, dir } },
  );
}

/** The lock file as read when it was judged stale. */
export interface JudgedLock {
  /** Null when the file was unreadable. */
  readonly holder: LockHolder | null;
  readonly mtimeMs: number;
}

/**
 * Takes over the stale lock at `path` as it was read when judged stale. The file is
 * renamed aside, then checked: when it is no longer the one judged stale (another job
 * took over in between and created a fresh lock), it is put back and `daily.locked`
 * (exit 5) is thrown naming that holder. Returns false when the lock file vanished
 * meanwhile (the caller retries); true when the stale lock was removed.
 */
export function takeOverStaleLock(path: string, judged: JudgedLock, maxAgeMs: number): boolean {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch {
    return false; // gone meanwhile: try again
  }
  const moved = readHolder(aside);
  let same: boolean;
  if (judged.holder === null) {
    // An unreadable lock has no holder to compare: it must also be unchanged on disk
    // (a fresh lock may be empty for a moment while its holder writes it).
    let mtimeMs = Number.NaN;
    try {
      mtimeMs = statSync(aside).mtimeMs;
    } catch {
      // compared as changed
    }
    same = moved === null && mtimeMs === judged.mtimeMs;
  } else {
    same = moved !== null && sameHolder(moved, judged.holder);
  }
  if (same) {
    rmSync(aside, { force: true });
    return true;
  }
  // Not the lock judged stale: another job took over first. Put its lock back, unless
  // the path has been taken again meanwhile (link fails then, never overwrites).
  try {
    linkSync(aside, path);
    rmSync(aside, { force: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'EEXIST' ? `${path} was taken again meanwhile` : `of ${code}`;
    throw lockedError(
      path,
      moved,
      maxAgeMs,
      ` Taking over a stale lock raced with another job: that job's lock file was moved to ${aside} and could not be put back because ${why}. Check which job still runs, then remove the lock file it does not hold.`,
    );
  }
  throw lockedError(path, moved, maxAgeMs);
}

/**
 * Takes the lock `<dir>/<name>.lock` (O_EXCL create). A live holder makes it throw
 * `daily.locked` (exit 5) naming the holder; a stale one is taken over and reported in
 * `tookOver`.
 */
export function acquireJobLock(o: AcquireLockOptions): JobLock {
  const now = o.now ?? (() => new Date());
  const isAlive = o.isAlive ?? pidAlive;
  const maxAgeMs = o.maxAgeMs ?? DEFAULT_LOCK_MAX_AGE_MS;
  const path = join(o.dir, `${o.name}.lock`);
  try {
    mkdirSync(o.dir, { recursive: true });
  } catch (e) {
    throw lockFailedError(o.dir, path, e);
  }
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    started_at_utc: now().toISOString(),
    command: o.command,
    target: o.target,
  };
  let tookOver: JobLock['tookOver'] = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw lockFailedError(o.dir, path, e);
      }
      const existing = readHolder(path);
      let mtimeMs: number;
      try {
        mtimeMs = statSync(path).mtimeMs;
      } catch {
        continue; // released meanwhile: try again
      }
      const why = staleReason(existing, mtimeMs, { now: now().getTime(), maxAgeMs, isAlive });
      if (why === null) throw lockedError(path, existing, maxAgeMs);
      // Move the stale lock aside, checking it is still the one judged stale.
      if (takeOverStaleLock(path, { holder: existing, mtimeMs }, maxAgeMs))
        tookOver = { holder: existing, reason: why };
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(holder)}\n`);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      path,
      holder,
      tookOver,
      release(): void {
        if (released) return;
        released = true;
        const h = readHolder(path);
        if (h && sameHolder(h, holder)) {
          try {
            unlinkSync(path);
          } catch {
            // already gone
          }
        }
      },
    };
  }
  throw new LeadliftError(
    'daily.locked',
    `Could not take the job lock ${path}: other jobs keep taking it. Retry later.`,
    { exitCode: ExitCode.busy, details: { path } },
  );
}

export { pidAlive };
