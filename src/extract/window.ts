// The extraction window: half-open [since, until) in UTC, plus the look-back before
// `since` that history features need.

import { LeadliftError } from '../errors.js';

export interface Window {
  /** Requested start, ISO-8601 UTC. */
  readonly since: string;
  /** Requested end (exclusive), ISO-8601 UTC. */
  readonly until: string;
  readonly lookbackDays: number;
  /** since minus the look-back: what the query pack receives as @since. */
  readonly effectiveSince: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses one bound: YYYY-MM-DD (midnight UTC) or a full ISO-8601 time with zone. */
export function parseBound(flag: string, value: string): Date {
  const v = value.trim();
  const ok = DATE_ONLY.test(v) || ISO_UTC.test(v);
  const d = new Date(DATE_ONLY.test(v) ? `${v}T00:00:00.000Z` : v);
  // Date rolls impossible days over (Feb 30 → Mar 2): the calendar date must survive a round trip.
  const day = v.slice(0, 10);
  const roundTrip = new Date(`${day}T00:00:00.000Z`);
  if (
    !ok ||
    Number.isNaN(d.getTime()) ||
    Number.isNaN(roundTrip.getTime()) ||
    roundTrip.toISOString().slice(0, 10) !== day
  ) {
    throw new LeadliftError(
      'window.badDate',
      `${flag} "${value}" is not a date; use YYYY-MM-DD (UTC midnight) or an ISO-8601 time with a zone, e.g. 2026-03-01T00:00:00Z.`,
      { details: { flag, value } },
    );
  }
  return d;
}

/** Builds and validates a window; since must be before until. */
export function parseWindow(since: string, until: string, lookbackDays: number): Window {
  const s = parseBound('--since', since);
  const u = parseBound('--until', until);
  if (s.getTime() >= u.getTime()) {
    throw new LeadliftError(
      'window.empty',
      `--since ${since} is not before --until ${until}; the window is half-open [since, until), so since must come first.`,
      { details: { since, until } },
    );
  }
  const effective = new Date(s.getTime() - lookbackDays * 86_400_000);
  return {
    since: s.toISOString(),
    until: u.toISOString(),
    lookbackDays,
    effectiveSince: effective.toISOString(),
  };
}

/** The window of the last `days` whole UTC days before `now` (until = today's midnight UTC). */
export function windowFromDaysBack(days: number, now: Date, lookbackDays: number): Window {
  const until = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const since = new Date(until.getTime() - days * 86_400_000);
  return parseWindow(since.toISOString(), until.toISOString(), lookbackDays);
}
