// One error class for everything leadlift reports to a user: a stable code that tests
// and scripts match on, the exit code a scheduler acts on, and a message that names the
// offending input and the fix.

/**
 * Exit codes, documented in README for schedulers.
 * - 0 ok
 * - 1 internal error (a bug: please report)
 * - 2 usage: unknown command or flag, invalid config, bad input file
 * - 3 a gate failed: data-quality errors (check) or model gates (train)
 * - 4 database: unreachable, query failed, or permission refused
 * - 5 busy: another job holds the lock (reserved for the scheduled daily job)
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  gate: 3,
  database: 4,
  busy: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Options of a {@link LeadliftError}. */
export interface LeadliftErrorOptions {
  /** Exit code of the CLI when this error ends a command. Default: 2 (usage). */
  readonly exitCode?: ExitCode;
  /** Structured, PII-free facts for `--json` output and logs. */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/**
 * The one error class. `code` is stable (e.g. `db.readOnlyViolation`); wording of
 * `message` may improve freely. Messages must never carry PII, credentials or
 * parameter values.
 */
export class LeadliftError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, options: LeadliftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LeadliftError';
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.details = options.details ?? {};
  }
}

/** True when `e` is a {@link LeadliftError}, optionally with the given code. */
export function isLeadliftError(e: unknown, code?: string): e is LeadliftError {
  return e instanceof LeadliftError && (code === undefined || e.code === code);
}

/** Lists up to `max` items, then "…" — for example ids in messages. */
export function listSome(items: readonly unknown[], max = 5): string {
  const shown = items.slice(0, max).map(String).join(', ');
  return items.length > max ? `${shown}, …` : shown;
}

/** The closest candidate by edit distance, when it is close enough to suggest. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(input.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
